"""The picker's screens beside the table: the keys (`?`), a line asked for (`r`'s command, a
production confirmation), a command's output and exit code, the sessions held (`s`).

Each composes its own Footer: the main screen's, seen through a modal's dimmed backdrop, would
show keys (Run, tmux, Quit ...) that do nothing while the modal is up."""

from __future__ import annotations

import subprocess
import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Log, Static

from jumpshell.engine import SessionStatus

# At most ~55 columns of text: the box fits an 80-column terminal.
KEYS = (
    ("type", "fuzzy filter: alias, id, role, region, class, tags"),
    ("Esc", "clear the filter"),
    ("Tab", "to the table, where plain letters are keys too"),
    ("Up/Down, j/k", "move (j/k in the table)"),
    ("PageUp/PageDown", "a page at a time"),
    ("Home/End", "the first row, the last (in the table)"),
    ("Enter", "a shell as the row's role; exit it to come back"),
    ("r, Ctrl+R", "run a command as the row's role: output, exit code"),
    ("space", "mark rows (for t)"),
    ("t, Ctrl+T", "the marked rows (else the row) as tmux panes"),
    ("c", "console sign-in (not there yet: says so)"),
    ("o, Ctrl+O", "sort: recent use, name, environment"),
    ("f, Ctrl+F", "favourite the row (favourites first)"),
    ("s, Ctrl+S", "the MFA session and the credentials held"),
    ("/", "back to the filter"),
    ("?, F1", "these keys"),
    ("q, Ctrl+Q", "quit"),
)


class AnswerInput(Input):
    """An Input whose Enter the footer shows (Input's own binding for it is hidden)."""

    BINDINGS = [Binding("enter", "submit", "OK")]


class HelpScreen(ModalScreen[None]):
    """Every key of the picker; any of Esc, q, ? or F1 closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close", show=False),
        Binding("question_mark,f1", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        width = max(len(k) for k, _ in KEYS)
        lines = "\n".join(f"{k.ljust(width)}  {text}" for k, text in KEYS)
        with Vertical(id="help", classes="box"):
            yield Static("Keys (the Ctrl+ ones work from the filter too)", classes="box-title")
            yield Static(lines, id="help-keys")
        yield Footer(compact=True)


class AskScreen(ModalScreen[str | None]):
    """One line asked for: the answer, or None on Esc. With `exactly`, only that text is
    taken (a production account's name, as `run` asks at a terminal)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self, title: str, placeholder: str, exactly: str | None = None, password: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.exactly = exactly
        self.password = password  # masked: a keyring passphrase

    def compose(self) -> ComposeResult:
        with Vertical(classes="box"):
            yield Static(self.title_text, classes="box-title")
            yield AnswerInput(placeholder=self.placeholder, password=self.password, id="ask")
            yield Static("", id="ask-error")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()  # what is typed here is not the picker's filter

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # the picker's own Input.Submitted handler is for its filter
        text = event.value if self.password else event.value.strip()
        if self.exactly is not None and text != self.exactly:
            self.query_one("#ask-error", Static).update(f"type {self.exactly} exactly")
            return
        if text:
            self.dismiss(text)


class OutputScreen(ModalScreen[None]):
    """A command's output as it comes, then its exit code; Esc closes (ending it if running)."""

    BINDINGS = [Binding("escape", "close", "Close"), Binding("q", "close", "Close", show=False)]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.child: subprocess.Popen[bytes] | None = None
        self.code: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="output", classes="box"):
            yield Static(self.title_text, classes="box-title")
            yield Log(id="output-log", max_lines=10_000)
            yield Static("running ...", id="output-code")
        yield Footer(compact=True)

    def write(self, text: str) -> None:
        self.query_one(Log).write(text)

    def done(self, code: int) -> None:
        self.code = code
        self.query_one("#output-code", Static).update(f"exit code {code}   (Esc closes)")

    def action_close(self) -> None:
        if self.child is not None and self.code is None and self.child.poll() is None:
            self.child.terminate()  # the worker's wait then ends, and says the code
        self.dismiss()


class StatusScreen(ModalScreen[None]):
    """What `jumpshell status` shows: each jump account's MFA session, the roles held."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("s", "dismiss", "Close", show=False),
    ]

    def __init__(self, statuses: list[SessionStatus], now: float | None = None) -> None:
        super().__init__()
        self.text = status_text(statuses, time.time() if now is None else now)

    def compose(self) -> ComposeResult:
        with Vertical(id="status", classes="box"):
            yield Static("Sessions", classes="box-title")
            yield Static(self.text, id="status-text")
        yield Footer(compact=True)


def status_text(statuses: list[SessionStatus], now: float) -> str:
    lines = []
    for s in statuses:
        if s.mfa_expiration and s.mfa_expiration > now:
            mfa = f"MFA session: {_minutes(s.mfa_expiration - now)} left"
        else:
            mfa = "no MFA session (the next action asks for a code)"
        kept = ", kept in the keyring" if s.kept else ""
        lines.append(f"jump {s.jump} (user {s.user_name}): {mfa}{kept}")
        if s.agent_problem:
            lines.append(f"  {s.agent_problem}")
        for target, _, end in s.roles:
            lines.append(f"  {target}: credentials, {_minutes(end - now)} left")
        if not s.roles:
            lines.append("  no role credentials held")
    return "\n".join(lines)


def _minutes(seconds: float) -> str:
    whole = max(0, int(seconds)) // 60
    return f"{whole // 60}h{whole % 60:02d}m" if whole >= 60 else f"{whole}m"
