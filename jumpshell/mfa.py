"""Where MFA codes come from: a callable (serial, previous_error) -> code, with a try budget."""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from jumpshell.errors import AuthError, CancelledError, UsageError

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
DIALOG_TIMEOUT = 120.0  # a person reading their phone; then the dialog is closed
PROMPTS = ("terminal", "zenity", "kdialog", "osascript")  # mfa_prompt: aws-vault's drivers


def _output(argv: list[str], what: str, timeout: float, fix: str) -> tuple[int, str]:
    """(exit status, stdout) of `argv`, killed after `timeout` seconds."""
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    except (OSError, ValueError) as exc:
        raise AuthError(f"{what} failed: {exc}", fix) from None
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()  # not communicate(): a grandchild may hold its pipes open for ever
        raise AuthError(
            f"{what} did not print a code within {timeout:g} s",
            "run it yourself to see what it waits for (a touch, a PIN, a locked vault)",
        ) from None
    finally:
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    return proc.returncode, out


def _last_line(out: str) -> str:
    return out.strip().splitlines()[-1] if out.strip() else ""


def command(cmd: str) -> MfaSource:
    """mfa_command: run it and read the code from its stdout, within a timeout."""
    from jumpshell.waits import seconds

    def run(serial: str, error: str | None) -> str:
        timeout = seconds("JUMPSHELL_MFA_COMMAND_TIMEOUT", MFA_COMMAND_TIMEOUT)
        fix = "check mfa_command in the config"
        try:
            argv = shlex.split(cmd)
        except ValueError as exc:
            raise AuthError(f"mfa_command failed: {exc}", fix) from None
        status, out = _output(argv, "mfa_command", timeout, fix)
        if status != 0:
            raise AuthError(f"mfa_command exited {status}", fix)
        return _last_line(out)

    return MfaSource(run, 1, "mfa_command")


def dialog_argv(kind: str, serial: str, error: str | None) -> list[str]:
    """The dialog's command line: the device's serial and the last error, never a secret."""
    text = f"MFA code for {serial}" if not error else f"{error}\n\nMFA code for {serial}"
    if kind == "zenity":
        return ["zenity", "--entry", "--title", "jumpshell", "--text", text]
    if kind == "kdialog":
        return ["kdialog", "--title", "jumpshell", "--inputbox", text]
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    script = (
        f'text returned of (display dialog "{quoted}" default answer "" with title "jumpshell")'
    )
    return ["osascript", "-e", script]


def dialog(kind: str) -> MfaSource:
    """mfa_prompt = "zenity" | "kdialog" | "osascript": a desktop dialog asks for the code,
    which comes back on its stdout; up to three tries, as at a terminal."""
    import shutil

    from jumpshell.waits import seconds

    def ask(serial: str, error: str | None) -> str:
        if shutil.which(kind) is None:
            raise UsageError(
                f'mfa_prompt = "{kind}" but {kind} is not installed here',
                f"install {kind}, or set mfa_command, or log in from a terminal",
            )
        timeout = seconds("JUMPSHELL_MFA_COMMAND_TIMEOUT", DIALOG_TIMEOUT)
        fix = f"check that {kind} can show a window here (DISPLAY, a desktop session)"
        status, out = _output(dialog_argv(kind, serial, error), f"the {kind} dialog", timeout, fix)
        if status != 0:  # Cancel, Escape or the window closed: 1 for all three dialogs
            raise CancelledError(f"the {kind} MFA dialog was cancelled")
        return _last_line(out)

    return MfaSource(ask, 3, kind)


def unavailable() -> MfaSource:
    """No way to get a code (no flag, no command, no terminal): fail at once, never hang."""

    def refuse(serial: str, error: str | None) -> str:
        raise AuthError(
            "an MFA code is needed and there is no terminal to ask on",
            'set mfa_prompt = "zenity" (or "kdialog", "osascript" on macOS) or mfa_command in '
            "[jump], or run `jumpshell login` in a terminal first, or pass --mfa-code",
        )

    return MfaSource(refuse, 1, "none")


def choose(
    code: str | None, mfa_command: str | None, tty: MfaSource | None, prompt: str = "terminal"
) -> MfaSource:
    """--mfa-code, else mfa_command, else the terminal, else the mfa_prompt dialog, else a
    clear refusal."""
    if code:
        return fixed(code)
    if mfa_command:
        return command(mfa_command)
    if tty is not None:
        return tty
    return dialog(prompt) if prompt != "terminal" else unavailable()
