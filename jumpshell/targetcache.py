"""The rows cache: a config's `TargetRow`s in the state dir, keyed on the file's identity, so
the completions and the picker need not parse TOML when no agent runs. Lean: no tomllib.

One file per config path, two JSON lines: a header naming the identity of every source the
rows came from (the config, then the AWS config when `aws_config` reads it), then the rows.
It is written whole (temp file + rename, 0600) by any command that parsed the config when
the header did not match; a header that does not match, or a file that does not decode, is
ignored: the config file is always the truth.
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

VERSION = 2  # 2: the AWS config among the sources, a row's source


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

    @classmethod
    def now(cls, path: str) -> FileId:
        """`of`, or zeros when there is no file: its creation then changes the identity."""
        try:
            return cls.of(path)
        except OSError:
            return cls(os.path.abspath(path), 0, 0, 0)

    def key(self) -> tuple[str, int, int, int]:
        """As Config.sources holds it (`unchanged` reads it back)."""
        return (self.path, self.mtime_ns, self.size, self.inode)

    def to_wire(self) -> list[object]:
        return [self.path, self.mtime_ns, self.size, self.inode]


def unchanged(sources: tuple[tuple[str, int, int, int], ...]) -> bool:
    """Whether the other files a config was built from (Config.sources) are as they were,
    and still the ones that would be read (AWS_CONFIG_FILE can move the AWS config)."""
    here = os.path.abspath(paths.aws_config_file())
    return all(s[0] == here and FileId.now(s[0]) == FileId(*s) for s in sources)


def cache_file(config_path: str) -> str:
    """Where the rows of the config at `config_path` are cached (one file per config path)."""
    tag = zlib.crc32(os.path.abspath(config_path).encode("utf-8", "surrogateescape"))
    # a clash of two paths is harmless: the header names the path, so each sees a mismatch
    return os.path.join(paths.state_dir(), f"targets-{tag:08x}.json")


def _header(idents: list[FileId]) -> bytes:
    sources = [ident.to_wire() for ident in idents]
    return json.dumps({"v": VERSION, "sources": sources}).encode() + b"\n"


def _current(config_path: str, header: bytes) -> bool:
    """Whether `header` names the config as it is now, and every other source as it is now."""
    data = json.loads(header)
    if not isinstance(data, dict) or data.get("v") != VERSION:
        return False
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        return False
    if sources[0] != FileId.of(config_path).to_wire():
        return False  # made from another version of the file
    others = []
    for entry in sources[1:]:
        if not isinstance(entry, list) or len(entry) != 4:
            return False
        others.append((str(entry[0]), int(entry[1]), int(entry[2]), int(entry[3])))
    return unchanged(tuple(others))


def read(config_path: str) -> list[TargetRow] | None:
    """The cached rows if the cache was made from the config file (and the AWS config it
    read) as they are now, else None."""
    try:
        with open(cache_file(config_path), "rb") as handle:
            if not _current(config_path, handle.readline()):
                return None
            return from_wire(json.loads(handle.read()))
    except (OSError, ValueError, TypeError, RecursionError, JumpshellError):
        return None  # missing, unreadable or corrupt: parse the file instead


def fresh(config_path: str, idents: list[FileId]) -> bool:
    """Whether the cache holds the rows of `idents` (only its header is read)."""
    try:
        with open(cache_file(config_path), "rb") as handle:
            return handle.readline() == _header(idents)
    except (OSError, JumpshellError):
        return False


def write(config_path: str, idents: list[FileId], rows: list[TargetRow]) -> None:
    """Cache `rows`, parsed from the files `idents` names (stat'ed before they were read).

    Never fails a command: a state dir it cannot write just means no cache. The names cache
    (what the shell completions read) is written beside it, for the same version of the file.
    """
    names = namescache.lines(rows)
    namescache.write(config_path, _names_ident(idents), names)
    data = _header(idents) + json.dumps(to_wire(rows), separators=(",", ":")).encode()
    with contextlib.suppress(OSError, JumpshellError):
        paths.replace_private(cache_file(config_path), data)


def _names_ident(idents: list[FileId]) -> tuple[int, ...]:
    """The names cache's key for the files `idents` names: the config's identity, then the
    AWS config's (as stat'ed before the read when it was a source, else as it is now)."""
    config = idents[0]
    aws_path = namescache.aws_config_path()
    aws = next((i for i in idents[1:] if i.path == aws_path), None)
    aws_stat = (aws.mtime_ns, aws.size, aws.inode) if aws else namescache.aws_identity()
    return (config.mtime_ns, config.size, config.inode, *aws_stat)
