"""The one error tree: JumpshellError(message, fix, exit_code) and a subclass per exit code."""

from __future__ import annotations

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_UNREACHABLE = 4
EXIT_KEYRING = 5
EXIT_CANCELLED = 130


class JumpshellError(Exception):
    """An expected failure: what went wrong, what to do, and the exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, fix: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        if exit_code is not None:
            self.exit_code = exit_code

    def render(self) -> str:
        """One line: `message (fix)`."""
        return f"{self.message} ({self.fix})" if self.fix else self.message


class UsageError(JumpshellError):
    """Bad arguments, config or target: exit 2."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """A config file that cannot be used; the message names file and line."""


class AuthError(JumpshellError):
    """AWS refused: wrong MFA code, AccessDenied, expired or invalid key: exit 3."""

    exit_code = EXIT_AUTH


class UnreachableError(JumpshellError):
    """AWS (or the configured endpoint) could not be reached: exit 4."""

    exit_code = EXIT_UNREACHABLE


class KeyringError(JumpshellError):
    """No usable keyring backend, or it is locked: exit 5."""

    exit_code = EXIT_KEYRING


class CancelledError(JumpshellError):
    """The user said no or pressed Ctrl-C: exit 130."""

    exit_code = EXIT_CANCELLED
