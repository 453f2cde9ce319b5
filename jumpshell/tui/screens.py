"""The picker's screens beside the table: the keys (`?`)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("type", "filter (fuzzy: alias, id, role, region, class, tags)"),
    ("Esc", "clear the filter"),
    ("Up/Down, j/k", "move (j/k in the table: Tab there)"),
    ("Enter", "open a shell as the row's role (pick --print: print it)"),
    ("/", "back to the filter"),
    ("?", "these keys"),
    ("q", "quit (in the table)"),
)


class HelpScreen(ModalScreen[None]):
    """Every key of the picker; any of Esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", "Close", show=False),
        Binding("question_mark", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        width = max(len(k) for k, _ in KEYS)
        lines = "\n".join(f"{k.ljust(width)}  {text}" for k, text in KEYS)
        with Vertical(id="help"):
            yield Static("Keys", id="help-title")
            yield Static(lines, id="help-keys")
