"""The private temp dir a shell's rc lives in, under the runtime dir; stale ones swept."""

from __future__ import annotations

import os
import shutil
import tempfile

from jumpshell import paths


def make() -> str:
    """A fresh 0700 dir named after this process (which becomes the shell)."""
    parent = paths.private_dir(os.path.join(paths.runtime_dir(), "shells"))
    _sweep(parent)
    return tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent)


def remove(rc_dir: str) -> None:
    shutil.rmtree(rc_dir, ignore_errors=True)


def _sweep(parent: str) -> None:
    """Remove dirs whose shell is gone without reading its rc (killed, or its rc exec'd)."""
    for name in os.listdir(parent):
        pid = name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
