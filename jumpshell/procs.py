"""Process odds and ends every exec and pid watch needs; lean (the warm paths import it)."""

from __future__ import annotations

import _signal  # the C module `signal` wraps (`signal` imports enum: ~3 ms)
import os


def restore_exec_signals() -> None:
    """Give an exec'd program SIGPIPE and SIGXFSZ back: Python ignores them, and an ignored
    signal stays ignored across exec (`yes | head` would then say "Broken pipe")."""
    for sig in (_signal.SIGPIPE, _signal.SIGXFSZ):
        _signal.signal(sig, _signal.SIG_DFL)


def alive(pid: int) -> bool:
    """Whether `pid` still runs (where there is no pidfd to wait on)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    return True
