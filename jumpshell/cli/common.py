"""What the verbs share: the terminal's Engine, notices, the production confirmation, times."""

from __future__ import annotations

import time

from jumpshell.cli import tty
from jumpshell.config import REGION, shown
from jumpshell.engine import Engine, Prepared
from jumpshell.errors import CancelledError, UsageError
from jumpshell.targets import Target

# what to do about a config with no targets: the picker refuses with it, `list` says it
NO_TARGETS = (
    'add [[account]] tables to it, or aws_profile = "NAME" under [jump] for the role '
    "profiles of ~/.aws/config (`jumpshell list --skipped` says why one is not a target)"
)


def make_engine(mfa_code: str | None = None) -> Engine:
    """The Engine, wired for this terminal (app.build_engine)."""
    from jumpshell.app import build_engine

    return build_engine(tty.front_end(), mfa_code)


def _notices(notices: tuple[str, ...]) -> None:
    for notice in notices:
        tty.say(f"jumpshell: {notice}")


def confirm(
    target: Target, yes: bool, engine: Engine | None = None, offer_yes: bool = True
) -> bool:
    """Production with confirm = true: type the alias on the terminal, or pass --yes.

    A confirmation the agent remembers (`remember`) is not asked again. The question goes
    to /dev/tty, not stdin: `credential-process` has its stdin and stdout taken by the SDK.
    Returns True when it asked now: `remember` it once the role credentials are held.
    """
    if not (target.production and target.confirm) or yes:
        return False
    if engine is not None and engine.agent.confirmed(target.cache_key):
        return False
    if not tty.has_tty():
        raise UsageError(
            f"{target.account_name} is production and needs confirming, and there is no "
            "terminal to ask on",
            f"confirm it once in a terminal, e.g. jumpshell run {target.name} -- true: it "
            "then holds as long as its role credentials, or confirm_for"
            + ("; or pass --yes" if offer_yes else ""),
        )
    answer = tty.ask(f"{target.account_name} is PRODUCTION. Type its name to go on: ")
    if answer != target.account_name:
        raise CancelledError("not confirmed", f"type {target.account_name} exactly")
    return True


def confirm_all(names: list[str], needs: str, lead: str, act: str) -> None:
    """Several production targets at once (`tmux` panes, `run --each` runs): one `yes` for
    all of them, on the terminal; none there: the one-line refusal, with --yes as the way."""
    listed = ", ".join(names)
    if not tty.has_tty():
        raise UsageError(f"{needs} confirming: {listed}", "run it in a terminal, or pass --yes")
    if tty.ask(f"{lead}: {listed}. Type yes to {act}: ") != "yes":
        raise CancelledError("not confirmed", "type yes exactly")


def remember(engine: Engine, target: Target) -> None:
    """Have the agent remember the confirmation just given, for as long as the role
    credentials it unlocked last ([defaults] confirm_for, if set, instead)."""
    from jumpshell.provider import jump_id

    seconds = engine.config.defaults.confirm_for
    engine.agent.confirm(target.cache_key, jump_id(target.jump), seconds)


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
