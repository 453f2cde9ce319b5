"""What the picker's keys do with a row: a shell (Enter), a command (`r`), tmux panes (`t`), the
sessions (`s`). Engine work runs in `Bridge` workers, so the MFA modal can ask and the UI
never freezes; what ends the picker is a `Chosen` for the CLI to exec."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jumpshell.engine import Engine, SessionStatus
from jumpshell.targetrows import TargetRow
from jumpshell.targets import Target
from jumpshell.tui.screens import AskScreen, OutputScreen, StatusScreen
from jumpshell.tui.session import Bridge

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True)
class Chosen:
    """How the picker ended: `jumpshell VERB [--yes] NAME...` for the CLI to exec, or
    (verb "print", `pick --print`) the name to print."""

    verb: str  # "print", "shell" or "tmux"
    names: tuple[str, ...]
    yes: bool = False  # production confirmed in the picker already

    def argv(self) -> list[str]:
        """The command line (this Python's jumpshell: the same install, warm agent and all)."""
        yes = ["--yes"] if self.yes else []
        return [sys.executable, "-m", "jumpshell", self.verb, *yes, *self.names]


def confirmed(app: App[Any], bridge: Bridge, name: str, then: Callable[[Target], None]) -> None:
    """Resolve `name` (in a worker: the Engine may be built first), ask a production
    account's confirmation as `run` does at a terminal (type its name), then `then(target)`."""

    def ask(target: Target) -> None:
        if not (target.production and target.confirm):
            then(target)
            return
        screen = AskScreen(
            f"{target.account_name} is PRODUCTION. Type its name to go on:",
            target.account_name,
            exactly=target.account_name,
        )
        app.push_screen(screen, lambda answer: then(target) if answer else None)

    bridge.run(lambda engine: engine.resolve(name), ask)


def shell(app: App[Any], bridge: Bridge, row: TargetRow, here: Callable[[Chosen], None]) -> None:
    """Enter: the role made ready first (the MFA modal if needed, a refusal as a
    notification while the picker still shows), then `here(chosen)` opens the shell."""

    def ready(target: Target) -> None:
        def assume(engine: Engine) -> Engine:
            engine.credentials(target)
            return engine

        yes = target.production and target.confirm
        bridge.run(assume, lambda engine: here(Chosen("shell", (target.name,), yes)))

    confirmed(app, bridge, row.name, ready)


def run(app: App[Any], bridge: Bridge, row: TargetRow) -> None:
    """`r`: a command asked for, then run as the row's role (`run`'s path: Engine.prepare,
    the on_enter hooks, launch.start) in a worker; its output and exit code in a screen."""

    def asked(text: str | None) -> None:
        if not text:
            return
        try:
            argv = shlex.split(text)
        except ValueError as exc:
            app.notify(f"cannot split that command: {exc} (close the quote)", severity="error")
            return
        confirmed(app, bridge, row.name, lambda target: bridge.run(_runner(bridge, target, argv)))

    title = f"Run as {row.name} (a command, as after `jumpshell run {row.name} --`)"
    app.push_screen(AskScreen(title, "e.g. aws sts get-caller-identity"), asked)


def _runner(bridge: Bridge, target: Target, argv: Sequence[str]) -> Callable[[Engine], None]:
    def work(engine: Engine) -> None:
        from jumpshell.launch import run_hooks, start

        prepared = engine.prepare(target, os.environ)
        bridge.on_ui(bridge.close_modal)
        for notice in prepared.notices:
            bridge.say(notice)
        found = engine.enter_hooks(target)
        if found:
            for warning in run_hooks(found, engine.hook_env(prepared, "run"), bridge.say):
                bridge.say(warning, "warning")
        # its own session: no terminal to read or signal (the picker has it)
        child = start(
            argv,
            prepared.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        screen = OutputScreen(f"{shlex.join(argv)}   as {target.name}")
        screen.child = child
        bridge.await_ui(_push, bridge.app, screen)  # after start: a missing command is a note
        assert child.stdout is not None
        for line in child.stdout:
            if screen.is_attached:
                bridge.on_ui(screen.write, line.decode(errors="replace"))
        code = child.wait()
        if screen.is_attached:
            bridge.on_ui(screen.done, 128 - code if code < 0 else code)

    return work


async def _push(app: App[Any], screen: OutputScreen) -> None:
    await app.push_screen(screen)


def tmux(app: App[Any], bridge: Bridge, rows: Sequence[TargetRow]) -> None:
    """`t`: one MFA session per jump account first (the modal, once), then the picker ends
    and the CLI execs `jumpshell tmux NAME...`, which confirms production itself."""
    from jumpshell.errors import JumpshellError
    from jumpshell.tmux import Server

    try:  # no tmux, or too old: said here, before an MFA code is asked for nothing
        Server(None, os.environ).check()
    except JumpshellError as exc:
        app.notify(exc.render(), severity="error")
        return
    names = tuple(r.name for r in rows)
    jumps = tuple(dict.fromkeys(r.jump for r in rows))

    def login(engine: Engine) -> None:
        for jump in jumps:
            engine.session(jump)

    bridge.run(login, lambda _: app.exit(Chosen("tmux", names)))


def status(app: App[Any], bridge: Bridge) -> None:
    """`s`: the MFA sessions and the role credentials held (Engine.status)."""

    def show(found: list[SessionStatus]) -> None:
        app.push_screen(StatusScreen(found))

    bridge.run(lambda engine: engine.status(), show)
