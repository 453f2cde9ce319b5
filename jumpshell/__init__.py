"""jumpshell: one MFA prompt, every AWS account."""

__version__ = "0.1.0"
