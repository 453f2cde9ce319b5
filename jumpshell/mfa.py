"""Where MFA codes come from: a callable (serial, previous_error) -> code, with a try budget."""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from jumpshell.errors import AuthError, UsageError

Prompt = Callable[[str, str | None], str]
_CODE = re.compile(r"[0-9]{6}")  # not \d: it matches Arabic-Indic and other digits too


@dataclass(frozen=True)
class MfaSource:
    """A code source; `tries` is how many codes it may offer (1 unless someone can retype)."""

    prompt: Prompt
    tries: int = 1
    name: str = "code"


def check_code(code: str) -> str:
    """Refuse anything but 6 digits before AWS sees it."""
    code = code.strip().replace(" ", "")
    if not _CODE.fullmatch(code):
        raise UsageError("an MFA code is 6 digits", "type the code your MFA device shows now")
    return code


def fixed(code: str) -> MfaSource:
    """--mfa-code: one code, one try."""
    return MfaSource(lambda serial, error: code, 1, "--mfa-code")


def command(cmd: str) -> MfaSource:
    """mfa_command: run it and read the code from its stdout."""

    def run(serial: str, error: str | None) -> str:
        try:
            done = subprocess.run(
                shlex.split(cmd), capture_output=True, text=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise AuthError(
                f"mfa_command failed: {exc}", "check mfa_command in the config"
            ) from None
        if done.returncode != 0:
            raise AuthError(
                f"mfa_command exited {done.returncode}", "check mfa_command in the config"
            )
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    return MfaSource(run, 1, "mfa_command")


def unavailable() -> MfaSource:
    """No way to get a code (no flag, no command, no terminal): fail at once, never hang."""

    def refuse(serial: str, error: str | None) -> str:
        raise AuthError(
            "an MFA code is needed and there is no terminal to ask on",
            "run `jumpshell login` in a terminal, or pass --mfa-code, or set mfa_command",
        )

    return MfaSource(refuse, 1, "none")


def choose(code: str | None, mfa_command: str | None, tty: MfaSource | None) -> MfaSource:
    """--mfa-code, else mfa_command, else the terminal, else a clear refusal."""
    if code:
        return fixed(code)
    if mfa_command:
        return command(mfa_command)
    return tty or unavailable()
