"""Terminal prompts on /dev/tty: the MFA code, hidden keys, production confirmation."""

from __future__ import annotations

import getpass
import os
import sys

from jumpshell.errors import CancelledError
from jumpshell.mfa import MfaSource

TRIES = 3


def has_tty() -> bool:
    """True if there is a controlling terminal to ask on."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def ask(question: str) -> str:
    """One line from /dev/tty (not stdin: stdin may be a pipe into the command)."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        raise CancelledError("no terminal to ask on") from None
    try:
        os.write(fd, question.encode())
        line = b""
        while not line.endswith(b"\n"):
            chunk = os.read(fd, 1)
            if not chunk:
                break
            line += chunk
    except KeyboardInterrupt:
        raise CancelledError("cancelled") from None
    finally:
        os.close(fd)
    if not line:
        raise CancelledError("cancelled (end of input)")
    return line.decode(errors="replace").strip()


def ask_hidden(question: str) -> str:
    """A secret from /dev/tty, not echoed."""
    try:
        return getpass.getpass(question).strip()
    except (KeyboardInterrupt, EOFError):
        raise CancelledError("cancelled") from None


def mfa_prompt() -> MfaSource:
    """The MFA code from the terminal, up to three tries."""

    def prompt(serial: str, error: str | None) -> str:
        if error:
            say(f"jumpshell: {error}")
        hint = os.environ.get("JUMPSHELL_DEMO_HINT", "")
        return ask(f"MFA code for {serial}{hint}: ")

    return MfaSource(prompt, TRIES, "terminal")


def say(line: str) -> None:
    """A line for the user on stderr."""
    print(line, file=sys.stderr)


def progress(line: str) -> None:
    """What a long wait waits for (a lock, an STS call), as the core reports it."""
    say(f"jumpshell: {line}")
