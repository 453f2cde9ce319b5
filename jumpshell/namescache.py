"""The names cache: what the shell completions offer (target words, tag keys and values), one
sorted line each, keyed on the identities of the config file and the AWS config file. Lean:
os and paths only.

Written beside the rows cache whenever that is (targetcache.write) and by a completion that
found it stale. A Tab reads it with one stat, one read, a header compare, one `find` and a
bisection: no TOML, no JSON, nothing per line.

Layout: a header line `jumpshell-names VERSION MTIME_NS SIZE INODE AWS_MTIME_NS AWS_SIZE
AWS_INODE PATH` (the AWS config's three are 0 when it does not exist), then lines
`t WORD<TAB>DESCRIPTION` (targets), `k KEY` (tag keys), `v KEY<TAB>VALUE` (tag values),
sorted bytewise, so every line that starts with a prefix is in one run; the file ends with a
newline (one that does not was cut short, and is stale).
"""

from __future__ import annotations

import os

from jumpshell import paths

TYPE_CHECKING = False  # `import typing` costs ~4 ms per Tab
if TYPE_CHECKING:
    from collections.abc import Iterable

    from jumpshell.targetrows import TargetRow

VERSION = 2  # 2: the AWS config file's identity in the header
TARGET, KEY, VALUE = b"t", b"k", b"v"


def cache_file(config_path: str) -> str:
    """Where the names of the config at `config_path` are kept (one file per config path)."""
    import zlib  # built in: no file to load

    tag = zlib.crc32(os.path.abspath(config_path).encode("utf-8", "surrogateescape"))
    return os.path.join(paths.state_dir(), f"names-{tag:08x}.txt")


def header(config_path: str, ident: tuple[int, ...]) -> bytes | None:
    """The header for this version of the files; None for a path a line cannot hold."""
    path = os.path.abspath(config_path).encode("utf-8", "surrogateescape")
    if b"\n" in path:
        return None
    stats = b" ".join(b"%d" % n for n in ident)
    return b"jumpshell-names %d %s %s\n" % (VERSION, stats, path)


def identity(config_path: str) -> tuple[int, ...]:
    """(mtime_ns, size, inode) of the config file now, then of the AWS config file (zeros when
    there is none: ~/.aws/config's role profiles are targets too); OSError if the config
    cannot be stat'ed. One more stat per Tab, never a parse."""
    found = os.stat(config_path)
    return (found.st_mtime_ns, found.st_size, found.st_ino, *aws_identity())


def aws_config_path() -> str:
    """The AWS config file's absolute path (its role profiles are targets too)."""
    return os.path.abspath(paths.aws_config_file())


def aws_identity() -> tuple[int, int, int]:
    """(mtime_ns, size, inode) of the AWS config file now, zeros when there is none."""
    try:
        found = os.stat(aws_config_path())
    except OSError:
        return (0, 0, 0)
    return found.st_mtime_ns, found.st_size, found.st_ino


def lines(rows: Iterable[TargetRow]) -> list[bytes]:
    """The sorted body of the cache for `rows`."""
    found: set[bytes] = set()
    for row in rows:
        prod = " PROD" if row.production else ""
        found.add(_line(TARGET, row.name, f"{row.account_id}{prod}"))
        if row.default:
            found.add(_line(TARGET, row.account, f"{row.account_id}{prod}"))
            found.add(_line(TARGET, row.account_id, f"{row.account}{prod}"))
            for key, value in row.tags:
                found.add(_line(KEY, key))
                found.add(_line(VALUE, key, value))
    found.discard(b"")
    return sorted(found)


def _line(kind: bytes, word: str, rest: str | None = None) -> bytes:
    """One line, or b"" for text a line cannot hold (the config check refuses control
    characters, so only a hand-made cache could carry them)."""
    text = word if rest is None else f"{word}\t{rest}"
    if "\n" in text or (rest is not None and "\t" in word) or "\0" in text:
        return b""
    return kind + b" " + text.encode("utf-8", "surrogateescape")


def write(config_path: str, ident: tuple[int, ...], body: list[bytes]) -> None:
    """Keep `body` (from `lines`) for the file `ident` names, whole (temp + rename, 0600).

    Never fails: a state dir it cannot write just means the next Tab parses again.
    """
    head = header(config_path, ident)
    if head is None:
        return
    from jumpshell.errors import JumpshellError

    try:
        paths.replace_private(cache_file(config_path), head[:-1] + blob(body))
    except (OSError, JumpshellError):
        pass


def read(config_path: str) -> bytes | None:
    """The body (from `blob`) if the cache was made from the config file as it is now."""
    try:
        head = header(config_path, identity(config_path))
        with open(cache_file(config_path), "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if head is None or not data.startswith(head) or not data.endswith(b"\n"):
        return None
    return data[len(head) - 1 :]


def blob(body: list[bytes]) -> bytes:
    """The lines as `read` gives them back: each after a newline, the last one too."""
    return b"\n" + b"".join(line + b"\n" for line in body)


def matching(body: bytes, kind: bytes, prefix: str) -> bytes:
    """The lines of `kind` that start with `prefix`, without their kind, each ending in a
    newline. Sorted, they are one run: its start found with one `find`, its end by bisecting
    byte offsets; nothing is done per line (a Tab costs a read, not the organization)."""
    lead = kind + b" " + prefix.encode("utf-8", "surrogateescape")
    start = body.find(b"\n" + lead)
    if start < 0:
        return b""
    end = _first_line_from(body, start + 1, lead + b"\xff")  # no UTF-8 has 0xff: past the run
    return body[start:end].replace(b"\n" + kind + b" ", b"\n")[1:]


def _first_line_from(body: bytes, low: int, bound: bytes) -> int:
    """The offset of the first line at or after `low` (a line's start) that is >= `bound`,
    else len(body): a bisection whose probes snap back to the start of their line."""
    high = len(body)
    while low < high:
        line = body.rfind(b"\n", low, (low + high) // 2) + 1 or low
        end = body.index(b"\n", line)
        if body[line:end] < bound:
            low = end + 1
        else:
            high = line
    return low
