"""The rows cache: a config's `TargetRow`s in the state dir, keyed on the file's identity, so
the completions and the picker need not parse TOML when no agent runs. Lean: no tomllib.

One file per config path, two JSON lines: a header naming the identity of every source the
rows came from (the config today; the inventory later), then the rows. It is written whole
(temp file + rename, 0600) by any command that parsed the config when the header did not
match; a header that does not match, or a file that does not decode, is ignored: the
config file is always the truth.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from dataclasses import dataclass

from jumpshell import namescache, paths
from jumpshell.errors import JumpshellError
from jumpshell.targetrows import TargetRow, from_wire, to_wire

VERSION = 1


@dataclass(frozen=True)
class FileId:
    """A file's identity: an edit, or a replacement by rename, changes it."""

    path: str
    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def of(cls, path: str) -> FileId:
        """The identity of the file at `path` now (OSError if it cannot be stat'ed)."""
        path = os.path.abspath(path)
        found = os.stat(path)
        return cls(path, found.st_mtime_ns, found.st_size, found.st_ino)

    def to_wire(self) -> list[object]:
        return [self.path, self.mtime_ns, self.size, self.inode]


def cache_file(config_path: str) -> str:
    """Where the rows of the config at `config_path` are cached (one file per config path)."""
    tag = zlib.crc32(os.path.abspath(config_path).encode("utf-8", "surrogateescape"))
    # a clash of two paths is harmless: the header names the path, so each sees a mismatch
    return os.path.join(paths.state_dir(), f"targets-{tag:08x}.json")


def _header(ident: FileId) -> bytes:
    return json.dumps({"v": VERSION, "sources": [ident.to_wire()]}).encode() + b"\n"


def read(config_path: str) -> list[TargetRow] | None:
    """The cached rows if the cache was made from the config file as it is now, else None."""
    try:
        header = _header(FileId.of(config_path))
        with open(cache_file(config_path), "rb") as handle:
            if handle.readline() != header:
                return None  # made from another version of the file (or by another version)
            return from_wire(json.loads(handle.read()))
    except (OSError, ValueError, RecursionError, JumpshellError):
        return None  # missing, unreadable or corrupt: parse the file instead


def fresh(config_path: str, ident: FileId) -> bool:
    """Whether the cache holds the rows of `ident` (only its header is read)."""
    try:
        with open(cache_file(config_path), "rb") as handle:
            return handle.readline() == _header(ident)
    except (OSError, JumpshellError):
        return False


def write(config_path: str, ident: FileId, rows: list[TargetRow]) -> None:
    """Cache `rows`, parsed from the file `ident` names (stat'ed before it was read).

    Never fails a command: a state dir it cannot write just means no cache. The names cache
    (what the shell completions read) is written beside it, for the same version of the file.
    """
    names = namescache.lines(rows)
    namescache.write(config_path, (ident.mtime_ns, ident.size, ident.inode), names)
    data = _header(ident) + json.dumps(to_wire(rows), separators=(",", ":")).encode()
    with contextlib.suppress(OSError, JumpshellError):
        final = cache_file(config_path)
        temp = f"{final}.{os.getpid()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        fd = paths.open_private(temp, flags)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, final)  # readers see the old cache or the new one, never half
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
