"""python -m jumpshell."""

from jumpshell.cli.fast import main

raise SystemExit(main())
