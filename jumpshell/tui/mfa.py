"""The MFA modal: the code asked once, masked, six digits, a wrong code said inline.

The Engine asks from a worker thread (`Bridge`'s prompt); the modal stays up between tries so
a refused code's error shows under the field with the focus kept, and closes when the worker
is done with it.
"""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from jumpshell.errors import UsageError
from jumpshell.mfa import check_code


class CodeInput(Input):
    """The code's field; the footer shows what Enter does (Input's own binding is hidden)."""

    BINDINGS = [Binding("enter", "submit", "Verify")]


class MfaScreen(ModalScreen[None]):
    """Asks for one jump account's MFA code; `ask` answers with it, or None on Esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, account: str, serial: str, hint: str = "") -> None:
        super().__init__()
        self.account = account  # which jump account: the user may have several
        self.serial = serial
        self.hint = hint
        self.waiting: asyncio.Future[str | None] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="mfa"):
            yield Static(f"MFA code for jump account {self.account}", id="mfa-title")
            yield Static(f"{self.serial}{self.hint}", id="mfa-serial")
            yield CodeInput(
                placeholder="6 digits",
                password=True,
                restrict=r"[0-9]{0,6}",
                max_length=6,
                id="mfa-code",
            )
            yield Static("", id="mfa-error")
        # its own keys: the main screen's footer, seen through the backdrop, is not true here
        yield Footer(compact=True)

    async def ask(self, error: str | None) -> str | None:
        """The next code; `error` (the last one's refusal) shows under the field."""
        self.say(error or "")
        field = self.query_one(Input)
        field.value = ""
        field.focus()
        self.waiting = asyncio.get_running_loop().create_future()
        return await self.waiting

    def say(self, line: str) -> None:
        self.query_one("#mfa-error", Static).update(line)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()  # what is typed here is not the picker's filter

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # the picker's own Input.Submitted handler is for its filter
        if self.waiting is None or self.waiting.done():
            return  # the last code is being checked
        try:
            code = check_code(event.value)
        except UsageError as exc:
            self.say(exc.render())  # a typo: AWS never sees it, the field keeps the focus
            return
        self.say("checking the code ...")
        self.waiting.set_result(code)

    def action_cancel(self) -> None:
        if self.waiting is not None and not self.waiting.done():
            self.waiting.set_result(None)
        self.dismiss()
