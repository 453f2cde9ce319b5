"""`pick`: the picker (jumpshell/tui), then a shell as the chosen target, or its name printed."""

from __future__ import annotations

import argparse
import os
import sys

from jumpshell.cli import tty
from jumpshell.errors import EXIT_CANCELLED, UsageError


def cmd_pick(args: argparse.Namespace, command: list[str]) -> int:
    """pick [--print]: choose a target; --print writes it to stdout (Textual draws on stderr)."""
    from jumpshell import app

    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError(
            "the picker needs a terminal", "run it in one, or list targets with `jumpshell list`"
        )
    rows = app.target_rows(held=True)  # the agent's parsed copy, else the cache: no TOML
    if not rows:
        raise UsageError("the config has no targets", "add an [[accounts]] table to it")
    from jumpshell.tui.app import make_app

    chosen = make_app(None, rows).run()
    if chosen is None:
        tty.say("jumpshell: cancelled")
        return EXIT_CANCELLED
    if getattr(args, "print", False):
        print(chosen)
        return 0
    # The app has exited and given the terminal back: this process becomes `jumpshell shell
    # TARGET` (warm through the agent, else the full path), which execs the shell with the pid
    # its token is bound to; a fresh interpreter also sheds Textual's threads and imports.
    argv = [sys.executable, "-m", "jumpshell", "shell", chosen]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)
    raise AssertionError("unreachable")  # pragma: no cover
