"""`jumpshell __complete KIND [ARG] PREFIX`: the dynamic words of the shell completions.

Run per Tab, from cli/fast.py before anything else loads: the names cache (namescache.py)
answers with a stat and a read when it was made from the config as it is now; only a stale
one costs a parse (app.target_rows: the agent's parsed copy, else the rows cache, else the
file), which rewrites it. Kinds:

    targets PREFIX          WORD<TAB>DESCRIPTION lines: aliases, alias/Role, account ids
    tags PREFIX             KEY= for a prefix without `=`, else KEY=VALUE
    tag-values KEY PREFIX   VALUE lines
    themes PREFIX           theme names (the user's and the shipped, file names only)

Whatever goes wrong (no config, a broken one, an unwritable state dir) prints nothing and
exits 0: an error text would land inside the user's command line.
"""

from __future__ import annotations

import os
import sys

from jumpshell import namescache, paths

TYPE_CHECKING = False  # `import typing` costs ~4 ms per Tab
if TYPE_CHECKING:
    import argparse


def main(args: list[str]) -> int:
    """Print the words for `args` (KIND [ARG] PREFIX); always 0."""
    try:
        words = _words(args)
    except Exception:  # noqa: BLE001  # nothing may reach the user's command line
        words = b""
    if words:
        try:
            sys.stdout.buffer.write(words)
            sys.stdout.flush()
        except OSError:
            pass  # the shell stopped reading
    return 0


def _words(args: list[str]) -> bytes:
    kind = args[0] if args else ""
    prefix = args[-1] if len(args) > 1 else ""
    if kind == "themes":
        return b"".join(name.encode() + b"\n" for name in _themes() if name.startswith(prefix))
    if kind == "targets":
        return _body(namescache.TARGET, prefix)  # as it is kept: WORD<TAB>DESCRIPTION lines
    if kind == "tags" and "=" in prefix:
        key, value = prefix.split("=", 1)
        return _body(namescache.VALUE, f"{key}\t{value}").replace(b"\t", b"=")
    if kind == "tags":
        return _body(namescache.KEY, prefix).replace(b"\n", b"=\n")
    if kind == "tag-values" and len(args) >= 2:
        lead = args[1].encode("utf-8", "surrogateescape") + b"\t"  # values hold no tab
        value = args[2] if len(args) > 2 else ""
        return _body(namescache.VALUE, f"{args[1]}\t{value}").replace(lead, b"")
    return b""


def _body(kind: bytes, prefix: str) -> bytes:
    """The cached lines of `kind` under `prefix`, the cache refreshed first if stale."""
    config = paths.config_file()
    body = namescache.read(config)
    if body is None:
        body = _refresh(config)
    return namescache.matching(body, kind, prefix)


def _refresh(config: str) -> bytes:
    """Parse (or ask the agent) and rewrite the names cache. A config that does not load is
    kept as an empty cache, so each Tab after it is as cheap until the file is edited."""
    ident = namescache.identity(config)  # before the read: a racing edit only makes it stale
    from jumpshell import app
    from jumpshell.errors import JumpshellError

    saved = os.dup(2)  # nothing said on the way (a warning, the agent's start) may show
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        body = namescache.lines(app.target_rows(config))
    except JumpshellError:
        body = []
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
    namescache.write(config, ident, body)
    return namescache.blob(body)


def _themes() -> list[str]:
    """Theme names by their files (themes.available, without tomllib or re)."""
    shipped = os.path.join(os.path.dirname(os.path.dirname(__file__)), "shipped_themes")
    found: set[str] = set()
    for directory in (os.path.join(paths.config_dir(), "themes"), shipped):
        try:
            files = os.listdir(directory)
        except OSError:
            continue
        found.update(f[:-5] for f in files if f.endswith(".toml") and not f.startswith("."))
    return sorted(found)


def cmd_completions(args: argparse.Namespace, command: list[str]) -> int:
    """`completions bash|zsh|fish`: the shipped script (completegen keeps it in step)."""
    from jumpshell.cli.completegen import SHELLS, shipped_dir
    from jumpshell.errors import UsageError

    path = os.path.join(shipped_dir(), SHELLS[args.shell])
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}", "reinstall jumpshell") from None
    sys.stdout.write(text)
    return 0
