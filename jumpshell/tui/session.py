"""The picker's Engine and what it holds: built on first need with a FrontEnd whose MFA prompt
is a modal, Engine work in thread workers (errors as notifications), the MFA sessions' ends.

The Engine is built the first time an action needs it, in a worker: parsing a 10,000-account
config takes most of a second, which the first screen must not wait for (the table comes from
the agent or the rows cache). Worker threads reach the modal through `App.call_from_thread`.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from jumpshell.app import FrontEnd, build_engine
from jumpshell.engine import Engine
from jumpshell.errors import CancelledError, JumpshellError, KeyringError
from jumpshell.mfa import MfaSource
from jumpshell.tui.mfa import MfaScreen

if TYPE_CHECKING:
    from textual.app import App

T = TypeVar("T")
TRIES = 3  # as at a terminal: a wrong code or a typo may be typed again
Build = Callable[[FrontEnd], Engine]


class Bridge:
    """One picker's Engine, and the modal its worker threads ask through."""

    def __init__(self, app: App[Any], engine: Engine | None, build: Build = build_engine) -> None:
        self.app = app
        self.built = engine
        self.build = build
        self.lock = threading.Lock()
        self.after: Callable[[], object] = lambda: None  # after each run: the header's refresh

    def engine(self) -> Engine:
        """The Engine, built on first call (from a worker thread: it parses the config)."""
        with self.lock:
            if self.built is None:
                self.built = self.build(self.front_end())
            return self.built

    def front_end(self) -> FrontEnd:
        """What the picker lends the core: the modal for codes, notifications for the rest."""
        return FrontEnd(
            mfa_prompt=MfaSource(self.mfa_code, TRIES, "picker"),
            passphrase=self.passphrase,
            progress=lambda line: self.say(line, "information"),
            warn=lambda line: self.say(f"warning: {line}", "warning"),
        )

    def say(self, line: str, severity: str = "information") -> None:
        """A notification, from any thread."""
        if threading.get_ident() == self.app._thread_id:
            self.app.notify(line, severity=severity, timeout=10)  # type: ignore[arg-type]
        else:
            self.on_ui(self.app.notify, line, severity=severity, timeout=10)

    def on_ui(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`call` run on the UI thread, from a worker thread."""
        return self.app.call_from_thread(call, *args, **kwargs)

    def await_ui(self, call: Callable[..., Awaitable[T]], *args: Any) -> T:
        """A coroutine function run (and awaited) on the UI thread, from a worker thread."""
        result: T = self.app.call_from_thread(call, *args)  # type: ignore[arg-type]
        return result

    def mfa_code(self, serial: str, error: str | None) -> str:
        """The Engine's MFA prompt: the modal, from a worker thread; Esc cancels."""
        jumps = self.built.config.jumps.values() if self.built else ()
        names = [f"{j.name} ({j.account_id}, user {j.user_name})" for j in jumps]
        matching = [n for n, j in zip(names, jumps, strict=True) if j.mfa_serial == serial]
        account = ", ".join(matching) or serial
        hint = os.environ.get("JUMPSHELL_DEMO_HINT", "")
        code = self.await_ui(self._ask, account, serial, hint, error)
        if code is None:
            raise CancelledError("no MFA code given", "press the key again and type the code")
        return code

    def passphrase(self, path: str, new: bool) -> str:
        """The encrypted keyring file's passphrase (keyring = "file"), masked in a modal.
        A new file is made at a terminal, where the passphrase is typed twice."""
        if new:
            raise KeyringError(
                f"the encrypted keyring {path} does not exist yet",
                "run `jumpshell key add` in a terminal first: it sets the passphrase",
            )
        answer = self.await_ui(self._passphrase, path)
        if answer is None:
            raise CancelledError("no keyring passphrase given", "press the key again and type it")
        return answer

    async def _passphrase(self, path: str) -> str | None:
        from jumpshell.tui.screens import AskScreen

        screen = AskScreen(f"Passphrase for the keyring {path}", "passphrase", password=True)
        answered: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self.app.push_screen(screen, answered.set_result)
        return await answered

    async def _ask(self, account: str, serial: str, hint: str, error: str | None) -> str | None:
        top = self.app.screen
        screen = top if isinstance(top, MfaScreen) else MfaScreen(account, serial, hint)
        if screen is not top:
            await self.app.push_screen(screen)
        return await screen.ask(error)

    def close_modal(self) -> None:
        if isinstance(self.app.screen, MfaScreen):
            self.app.pop_screen()

    def run(self, work: Callable[[Engine], T], then: Callable[[T], None] | None = None) -> None:
        """`work(engine)` in a thread worker, then `then(result)` on the UI thread; a
        JumpshellError is a notification with its fix (anything else: PickerApp's handler)."""

        def body() -> None:
            try:
                result = work(self.engine())
            except JumpshellError as exc:
                self.say(exc.render(), "error")
                return
            finally:
                self.on_ui(self.close_modal)
                self.on_ui(self.after)
            if then is not None:
                self.on_ui(then, result)

        self.app.run_worker(body, thread=True, group="engine", exit_on_error=False)


def sessions(engine: Engine | None) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """What the agent holds: the MFA sessions as (jump account, end), and the role
    credentials' ends by target name (the rows' creds column: a shell or a command run from
    the picker leaves them held). The jump names come from the Engine's config once it is
    built; until then the agent's ids (user@account) name them."""
    from jumpshell.agentapi import AgentClient
    from jumpshell.provider import jump_id

    raw, _ = AgentClient().status()
    held: dict[str, float] = {k: float(v) for k, v in raw["mfa"].items() if v}
    jumps = engine.config.jumps.values() if engine is not None else ()
    named = {jump_id(j): j.name for j in jumps}
    found = []
    for key, end in sorted(held.items()):
        _, account, user = (key.split(":", 2) + ["", ""])[:3]
        found.append((named.get(key, f"{user}@{account}"), end))
    roles = {str(r["target"]): float(r["expiration"]) for r in raw["roles"] if r.get("target")}
    return found, roles


def header(found: list[tuple[str, float]], now: float | None = None) -> str:
    """'MFA 11:42:10 left' (one jump account), 'MFA prod-jump 0:12:01 · gov 1:00:00' (more)."""
    now = time.time() if now is None else now
    if not found:
        return "no MFA session"
    if len(found) == 1:
        return f"MFA {_left(found[0][1] - now)}"
    return "MFA " + " · ".join(f"{name} {_left(end - now)}" for name, end in found)


def _left(seconds: float) -> str:
    if seconds <= 0:
        return "expired"
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d} left"
