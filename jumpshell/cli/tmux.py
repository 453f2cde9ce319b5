"""`tmux`: one pane per selected target, each a `jumpshell shell`; roles assumed in parallel
first (after one MFA prompt), so every pane starts warm."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence

from jumpshell.cli import tty
from jumpshell.cli.common import _region, confirm_all, make_engine, remember
from jumpshell.config import parse_duration
from jumpshell.engine import Engine
from jumpshell.selection import Selector, class_of, parse_tag, select, warm
from jumpshell.targets import Target


def cmd_tmux(args: argparse.Namespace, command: list[str]) -> int:
    """tmux TARGET...: a window (inside tmux) or session (outside) of jumpshell shells."""
    from jumpshell import themes
    from jumpshell.tmux import Pane, Server

    server = Server(args.socket, os.environ)
    server.check()  # before any MFA code is used
    _region(args.region)  # refused here, with one line, before any MFA code
    duration = parse_duration(args.duration, "--duration") if args.duration else None
    engine = make_engine(args.mfa_code)
    found = engine.targets()
    selector = Selector(
        tuple(args.targets), tuple(parse_tag(t) for t in args.tag), args.production, args.all
    )
    chosen = [engine.resolve(name) for name in select(found, selector)]
    confirmed, asked = _confirm(engine, chosen, args.yes, args.sync)
    refused = warm(engine, chosen, duration)
    for target in asked:
        if target.name not in refused and target.confirm:
            remember(engine, target)  # as `run` does: not asked again while its keys last
    for name, why in refused.items():
        tty.say(f"jumpshell: {name}: {why}")
    theme = themes.load(engine.config.defaults.theme)
    by_name = {row.name: row for row in found}
    panes = []
    for target in chosen:
        style = theme.classes.get(class_of(target, by_name))
        panes.append(
            Pane(
                _command(target, confirmed, _passed(args)),
                f"{target.account_name}:{target.role_name}",
                style.tmux_border if style else "",
                style.tmux_active_border if style else "",
            )
        )
    window = args.window or _window_name(args, chosen)
    opened = server.open(
        panes, window, args.session, args.layout, args.sync, select=not args.detach
    )
    if refused:  # their panes end at once: make sure tmux records how (see Server.settle)
        server.settle([p for p, t in zip(opened.panes, chosen, strict=True) if t.name in refused])
    if opened.inside or args.detach:
        where = "window" if opened.inside else "session"
        tty.say(f"jumpshell: {len(panes)} panes in tmux {where} {opened.session}:{window}")
        return 0
    argv = server.attach(opened.session)
    os.execve(argv[0], argv, server.env)
    raise AssertionError("unreachable")  # pragma: no cover


def _confirm(
    engine: Engine, chosen: Sequence[Target], yes: bool, sync: bool
) -> tuple[set[str], list[Target]]:
    """Production targets that ask to be confirmed, and with --sync every production one
    (what is typed in one pane goes to all): once for all of them, or --yes.

    A confirmation the agent remembers (`run`'s, or an earlier pane's) is not asked again,
    except with --sync: that one is about typing into several accounts at once, which no
    earlier answer agreed to. Returns the names confirmed (their panes get --yes) and the
    targets asked now (to `remember` once their role credentials are held)."""
    needing = [t for t in chosen if t.production and (t.confirm or sync)]
    names = {t.name for t in needing}
    asking = [t for t in needing if sync or not engine.agent.confirmed(t.cache_key)]
    if not asking or yes:
        return names, []
    what = "synchronized production panes need" if sync else "production needs"
    lead = "PRODUCTION panes, synchronized" if sync else "PRODUCTION panes"
    confirm_all([t.account_name for t in asking], what, lead, "open them")
    return names, asking


def _passed(args: argparse.Namespace) -> list[str]:
    """The options every pane's `jumpshell shell` gets as they were given."""
    words = []
    for flag, value in (("--region", args.region), ("--duration", args.duration)):
        if value:
            words += [flag, value]
    return words


def _command(target: Target, confirmed: set[str], passed: Sequence[str] = ()) -> str:
    """The pane's command line: this jumpshell, options and the target name, never a secret."""
    me = sys.argv[0] if os.path.basename(sys.argv[0]) == "jumpshell" else "jumpshell"
    if os.sep in me:
        me = os.path.abspath(me)
    yes = ["--yes"] if target.name in confirmed else []
    words = [me, "shell", *yes, *passed, target.name]
    return shlex.join(words)


def _window_name(args: argparse.Namespace, chosen: Sequence[Target]) -> str:
    """The selection as the user wrote it, short enough for a status line."""
    parts = list(args.targets) + [f"{k}" for k in args.tag]
    if args.all:
        parts.append("all")
    if args.production is not None:
        parts.append("production" if args.production else "non-production")
    text = "+".join(parts) or "+".join(t.account_name for t in chosen)
    return text if len(text) <= 30 else text[:29] + "…"


def add_parser(sub: argparse.ArgumentParser) -> None:
    """The `tmux` verb's options (cli/parser.py calls it)."""
    from jumpshell.cli.fanout import add_selectors
    from jumpshell.tmux import LAYOUTS, SOCKET_VAR

    sub.add_argument("targets", nargs="*", metavar="TARGET", help="names or globs: prod, '*-prod'")
    add_selectors(sub)
    sub.add_argument("--layout", choices=LAYOUTS, default="tiled", help="tmux layout (tiled)")
    sub.add_argument("--window", help="the window's name (default: the selection)")
    sub.add_argument("--session", help="the new session's name (outside tmux)")
    sub.add_argument(
        "--detach", action="store_true", help="outside tmux: do not attach; inside: stay here"
    )
    sub.add_argument(
        "--sync",
        action="store_true",
        help="synchronize-panes: keys typed in one pane go to all (asks if any is production)",
    )
    sub.add_argument(
        "--socket", help=f"a tmux server of its own: -L name or -S path (${SOCKET_VAR})"
    )
    sub.add_argument("--mfa-code", help="the current MFA code (else mfa_command, else a prompt)")
    sub.add_argument("--region", help="region for every pane (default: each account's)")
    sub.add_argument("--duration", help="role session length, e.g. 30m (AWS caps it at 1h)")
    sub.add_argument("--yes", action="store_true", help="skip the production confirmation")
