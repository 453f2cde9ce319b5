"""Every wait has an end: timeouts, and file locks that say who holds them and what they did.

Lean (os, fcntl, time): `agentclient.ensure` uses it to start the agent.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager

TYPE_CHECKING = False  # `import typing` costs ~4 ms
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    Progress = Callable[[str], None]

SAY_AFTER = 2.0  # a wait longer than this says on the terminal what it waits for


def seconds(name: str, default: float) -> float:
    """A timeout: `default`, or the environment's `name` (for scripts, CI and the tests)."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if 0 < value < 86400 else default


def who() -> str:
    """`jumpshell VERB`: how a lock holder is named to the commands waiting on it."""
    import sys

    verb = next((a for a in sys.argv[1:] if not a.startswith("-")), "")
    return f"jumpshell {verb}".strip()


class LockTimeout(Exception):
    """The lock stayed held past the timeout; `holder` is what its file says (pid, verb)."""

    def __init__(self, holder: tuple[int, str] | None, waited: float) -> None:
        super().__init__(f"held by {holder}")
        self.holder = holder
        self.waited = waited

    def name(self) -> str:
        """`jumpshell run (pid 123)`, or a vaguer word when the holder wrote nothing."""
        if self.holder is None:
            return "another jumpshell command"
        return f"{self.holder[1]} (pid {self.holder[0]})"


class HeldLock:
    """A taken lock file: the holder's pid and verb are its first line, an outcome may follow."""

    def __init__(self, fd: int, waited_since: float | None) -> None:
        self.fd = fd
        self.waited_since = waited_since  # when we began waiting for another holder, if we did

    def note(self, line: str) -> None:
        """Leave a line for the next holder (e.g. what went wrong), after the pid line."""
        os.write(self.fd, f"{time.time()}\t{line}\n".encode())

    def notes_since_wait(self) -> list[str]:
        """What holders that ran while we waited left in the file (nothing if we did not wait)."""
        if self.waited_since is None:
            return []
        found = []
        for raw in _read(self.fd).splitlines()[1:]:
            stamp, _, line = raw.partition("\t")
            try:
                if float(stamp) >= self.waited_since:
                    found.append(line)
            except ValueError:
                continue
        return found


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 65536).decode(errors="replace")


def holder(fd: int) -> tuple[int, str] | None:
    """(pid, verb) from a lock file's first line, if its holder wrote one."""
    pid, _, verb = _read(fd).partition("\n")[0].partition(" ")
    return (int(pid), verb or "jumpshell") if pid.isdigit() else None


def _take(fd: int, timeout: float, progress: Progress | None, waiting_for: str) -> float | None:
    """flock(fd) within `timeout` s; the time waiting began, or None if it was free at once."""
    start, began = time.monotonic(), time.time()
    said = False
    pause = 0.01
    for attempt in range(1 << 30):
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return began if attempt else None
        except BlockingIOError:
            pass
        waited = time.monotonic() - start
        if waited >= timeout:
            raise LockTimeout(holder(fd), waited)
        if progress is not None and not said and waited >= SAY_AFTER:
            said = True
            who_holds = LockTimeout(holder(fd), waited).name()
            progress(f"waiting for {who_holds} to {waiting_for}")
        # flock has no timeout of its own: a short, growing pause (a lock, not a test)
        time.sleep(min(pause, timeout - waited))
        pause = min(pause * 2, 0.2)
    raise LockTimeout(holder(fd), time.monotonic() - start)  # pragma: no cover


@contextmanager
def locked(
    path: str, timeout: float, progress: Progress | None, waiting_for: str, name: str = ""
) -> Iterator[HeldLock]:
    """Hold the lock file at `path`; raise LockTimeout naming its holder after `timeout` s."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        since = _take(fd, timeout, progress, waiting_for)
        keep = _read(fd).splitlines()[1:][-20:]  # outcomes of earlier holders, bounded
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        lines = [f"{os.getpid()} {name or who()}", *keep]
        os.write(fd, "".join(f"{line}\n" for line in lines).encode())
        yield HeldLock(fd, since)
    finally:
        os.close(fd)  # closing drops the flock
