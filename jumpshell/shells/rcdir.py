"""The private temp dir a shell's rc lives in, under the runtime dir; stale ones swept.

Lean (the warm `shell` path): no tempfile or shutil (~5 ms with the `re` and `random`
they import) unless there is something to remove.
"""

from __future__ import annotations

import os

from jumpshell import paths
from jumpshell.procs import alive


def make() -> str:
    """A fresh 0700 dir named after this process (which becomes the shell)."""
    parent = paths.private_dir(os.path.join(paths.runtime_dir(), "shells"))
    _sweep(parent)
    for _ in range(100):
        path = os.path.join(parent, f"{os.getpid()}-{os.urandom(6).hex()}")
        try:
            os.mkdir(path, 0o700)  # O_EXCL-like: never a dir someone else made
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"no free name for a shell's rc dir in {parent}")


def remove(rc_dir: str) -> None:
    import shutil

    shutil.rmtree(rc_dir, ignore_errors=True)


def _sweep(parent: str) -> None:
    """Remove dirs whose shell is gone without reading its rc (killed, or its rc exec'd)."""
    for name in os.listdir(parent):
        pid = name.split("-", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            remove(os.path.join(parent, name))
