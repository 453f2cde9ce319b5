"""`pick`: the picker (jumpshell/tui): shells, commands and tmux panes from it, or with
--print the chosen target's name printed."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from jumpshell.cli import tty
from jumpshell.errors import EXIT_CANCELLED, UsageError

T = TypeVar("T")


def cmd_pick(args: argparse.Namespace, command: list[str]) -> int:
    """pick [--print]: choose a target; --print writes it to stdout (Textual draws on stderr)."""
    from jumpshell import app

    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageError(
            "the picker needs a terminal", "run it in one, or list targets with `jumpshell list`"
        )
    with collector_paused():
        rows = app.target_rows(held=True)  # the agent's parsed copy, else the cache: no TOML
        if not rows:
            from jumpshell.cli.common import NO_TARGETS
            from jumpshell.paths import config_file

            raise UsageError(f"{config_file()} has no targets", NO_TARGETS)
        from jumpshell.tui.app import make_app

    printing = bool(getattr(args, "print", False))
    chosen = _run_on_terminal(make_app(None, rows, launch=not printing).run)
    if chosen is None:
        tty.say("jumpshell: cancelled")
        return EXIT_CANCELLED
    if chosen.verb == "print":
        print(chosen.names[0])
        return 0
    # The app has exited and given the terminal back: this process becomes `jumpshell shell
    # TARGET` (picker_return = false) or `jumpshell tmux NAME...`; the shell is then exec'ed
    # with the pid its token is bound to, and a fresh interpreter sheds Textual's threads.
    argv = chosen.argv()
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(argv[0], argv)
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while the rows are decoded and Textual imported, then those
    objects frozen: 30,000 rows are ~200,000 objects that live as long as the picker, and
    each full collection during their making walked all made so far (decoding 30,000 rows:
    ~90 ms instead of ~140; bench/tui_scale.py). Nothing made here is garbage to collect."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # out of every later collection's sight (the picker freezes again, once up)
        gc.enable()


def _run_on_terminal(run: Callable[[], T]) -> T:
    """`run()` with stdout on the terminal too. Textual sizes the screen by stdout (via
    shutil.get_terminal_size), so under `$(jumpshell pick --print)` (stdout a pipe) it drew
    80x24 whatever the terminal; the pipe is put back for the name printed after."""
    if sys.stdout.isatty():
        return run()
    sys.stdout.flush()
    kept = os.dup(1)
    os.dup2(2, 1)
    try:
        return run()
    finally:
        os.dup2(kept, 1)
        os.close(kept)
