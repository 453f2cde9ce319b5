"""The picker: a Textual front end of the Engine (the only package that imports textual)."""
