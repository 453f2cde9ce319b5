"""What the verbs share: the terminal's Engine, notices, the production confirmation, times."""

from __future__ import annotations

import time

from jumpshell.cli import tty
from jumpshell.config import REGION, shown
from jumpshell.engine import Engine, Prepared
from jumpshell.errors import CancelledError, UsageError
from jumpshell.targets import Target


def make_engine(mfa_code: str | None = None) -> Engine:
    """The Engine, wired for this terminal (app.build_engine)."""
    from jumpshell.app import build_engine

    return build_engine(tty.front_end(), mfa_code)


def _notices(notices: tuple[str, ...]) -> None:
    for notice in notices:
        tty.say(f"jumpshell: {notice}")


def confirm(target: Target, yes: bool) -> None:
    """Production with confirm = true: type the alias, or pass --yes."""
    if not (target.production and target.confirm) or yes:
        return
    if not tty.has_tty():
        raise UsageError(
            f"{target.account_name} is production and needs confirming",
            "run it in a terminal, or pass --yes",
        )
    answer = tty.ask(f"{target.account_name} is PRODUCTION. Type its name to go on: ")
    if answer != target.account_name:
        raise CancelledError("not confirmed", f"type {target.account_name} exactly")


def _region(text: str | None) -> str | None:
    if text is not None and not REGION.fullmatch(text):
        raise UsageError(
            f"--region {shown(text)} is not an AWS region name", 'write it like "eu-west-1"'
        )
    return text


def _local(epoch: float | None) -> str:
    """'18:05 CET' today, 'Tue 06:05 CET' on another day (a 36 h session ends the day after)."""
    if not epoch:
        return "-"
    when = time.localtime(epoch)
    today = time.localtime()[:3] == when[:3]
    return time.strftime("%H:%M %Z" if today else "%a %H:%M %Z", when)


def enter(engine: Engine, prepared: Prepared, entry: str) -> None:
    """Run the target's `on_enter` hooks; `run`, `shell` and panes call it before they exec.

    A failing optional hook is one warning line; a failing required one raises (exit 2).
    """
    found = engine.enter_hooks(prepared.target)
    if not found:
        return
    from jumpshell.launch import run_hooks

    for warning in run_hooks(found, engine.hook_env(prepared, entry), tty.say):
        tty.say(f"jumpshell: {warning}")
