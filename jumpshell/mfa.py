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


MFA_COMMAND_TIMEOUT = 30.0  # a hardware key waiting for a touch; then it has an end


def command(cmd: str) -> MfaSource:
    """mfa_command: run it and read the code from its stdout, within a timeout."""
    from jumpshell.waits import seconds

    def run(serial: str, error: str | None) -> str:
        timeout = seconds("JUMPSHELL_MFA_COMMAND_TIMEOUT", MFA_COMMAND_TIMEOUT)
        try:
            proc = subprocess.Popen(
                shlex.split(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except (OSError, ValueError) as exc:
            raise AuthError(
                f"mfa_command failed: {exc}", "check mfa_command in the config"
            ) from None
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()  # not communicate(): a grandchild may hold its pipes open for ever
            raise AuthError(
                f"mfa_command did not print a code within {timeout:g} s: {cmd}",
                "run it yourself to see what it waits for (a touch, a PIN, a locked vault)",
            ) from None
        finally:
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
        if proc.returncode != 0:
            raise AuthError(
                f"mfa_command exited {proc.returncode}", "check mfa_command in the config"
            )
        return out.strip().splitlines()[-1] if out.strip() else ""

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
