"""`pick`: the picker (jumpshell/tui), then a shell as the chosen target, or its name printed."""

from __future__ import annotations

import argparse
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
    # The app has exited and given the terminal back: `jumpshell shell TARGET`'s own path
    # (warm through the agent, else the full one) execs the shell in this process.
    from jumpshell.cli.fast import main

    return main(["shell", chosen])
