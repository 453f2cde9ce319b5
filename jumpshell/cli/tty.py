"""Terminal prompts on /dev/tty: the MFA code, hidden keys, production confirmation."""

from __future__ import annotations

import getpass
import os
import sys

from jumpshell.errors import CancelledError
from jumpshell.mfa import MfaSource

TYPE_CHECKING = False
if TYPE_CHECKING:
    from jumpshell.app import FrontEnd

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


PASSPHRASE_FD = "JUMPSHELL_KEYRING_PASSPHRASE_FD"


def keyring_passphrase(path: str, new: bool) -> str:
    """The encrypted keyring file's passphrase: from the fd JUMPSHELL_KEYRING_PASSPHRASE_FD
    names (read once, then closed), else asked on /dev/tty (twice for a new file).

    An fd, not an environment variable: the environment is inherited by every child and
    readable in /proc for the process's whole life; a pipe is read once and is gone.
    """
    named = os.environ.get(PASSPHRASE_FD)
    if named:
        return _passphrase_from_fd(named)
    if not has_tty():
        raise CancelledError(
            f"the encrypted keyring {path} needs its passphrase and there is no terminal",
            f"give it on a file descriptor: {PASSPHRASE_FD}=3 jumpshell ... 3<passphrase-file",
        )
    first = ask_hidden(f"Passphrase for the {'new ' if new else ''}keyring {path}: ")
    if new and ask_hidden("The same passphrase again: ") != first:
        raise CancelledError("the two passphrases differ", "run it again")
    if not first:
        raise CancelledError("an empty passphrase", "type a passphrase")
    return first


def _passphrase_from_fd(named: str) -> str:
    from jumpshell.errors import UsageError

    try:
        fd = int(named)
        with os.fdopen(fd, "rb", closefd=True) as source:
            raw = source.read(4096)
    except (ValueError, OSError):
        raise UsageError(
            f"{PASSPHRASE_FD}={named} is not an open file descriptor",
            f"e.g. {PASSPHRASE_FD}=3 jumpshell ... 3<passphrase-file",
        ) from None
    text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
    if not text:
        raise UsageError(f"{PASSPHRASE_FD} gave an empty passphrase", "write it to that fd")
    return text


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


def front_end() -> FrontEnd:
    """What this terminal lends the core: its prompts, and stderr for progress and warnings."""
    from jumpshell.app import FrontEnd

    return FrontEnd(
        mfa_prompt=mfa_prompt() if has_tty() else None,
        passphrase=keyring_passphrase,
        progress=progress,
        warn=lambda line: say(f"jumpshell: warning: {line}"),
    )
