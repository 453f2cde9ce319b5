"""The picker's App: a table of every target, a filter as you type, Enter chooses.

`make_app(engine, rows)` builds it (the CLI and the tests alike); `App.run()` returns the
chosen target's name (what `jumpshell shell` and `run` take), or None when the user quit.
Work that can block (filtering 30,000 rows) runs in thread workers and comes back as a
message; a failure is a notification, never a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input
from textual.worker import Worker, WorkerState

from jumpshell.engine import Engine
from jumpshell.targetrows import TargetRow
from jumpshell.tui import matcher
from jumpshell.tui.screens import HelpScreen

COLUMNS = ("", "alias", "account id", "role", "region", "class")


class TargetTable(DataTable[Text]):
    """The targets; production rows take the `production` component class's style."""

    COMPONENT_CLASSES = {"production"}
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class Filtered(Message):
    """A filter worker's result: the entries matching `query`."""

    def __init__(self, query: str, hits: list[matcher.Entry]) -> None:
        super().__init__()
        self.query = query
        self.hits = hits


class PickerApp(App[str | None]):
    """Every target of the config; returns the chosen one's name."""

    CSS_PATH = "jumpshell.tcss"
    TITLE = "jumpshell"
    SUB_TITLE = "pick a target"
    BINDINGS = [
        Binding("enter", "choose", "Open", priority=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("escape", "clear", "Clear"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "quit_picker", "Quit"),
        Binding("slash", "focus_filter", "Filter", show=False),
    ]

    def __init__(self, engine: Engine | None, rows: Sequence[TargetRow]) -> None:
        super().__init__()
        self.engine = engine  # for the actions that assume (None: choosing only)
        self.every = matcher.entries(rows)
        self.shown: list[matcher.Entry] = []
        self.last: tuple[str, list[matcher.Entry]] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="type to filter: alias, id, role, region, class, tags")
        yield TargetTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(TargetTable)
        table.add_columns(*COLUMNS)
        self.show(self.every)
        self.query_one(Input).focus()

    def show(self, hits: list[matcher.Entry]) -> None:
        """Put `hits` in the table (it renders only the rows on screen)."""
        table = self.query_one(TargetTable)
        prod = table.get_component_rich_style("production")
        table.clear()
        table.add_rows(_cells(e, prod) for e in hits)  # keyless: self.shown maps the index
        self.shown = hits
        self.sub_title = f"{len(hits)} of {len(self.every)} targets"

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self.filter(event.value, self.last)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def filter(self, query: str, last: tuple[str, list[matcher.Entry]] | None) -> None:
        self.post_message(Filtered(query, matcher.narrow(query, self.every, last)))

    def on_filtered(self, message: Filtered) -> None:
        if message.query != self.query_one(Input).value:
            return  # a later keystroke's worker is coming
        self.last = (message.query, message.hits)
        self.show(message.hits)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(_said(event.worker.error), severity="error", timeout=10)

    @on(Input.Submitted)
    @on(DataTable.RowSelected)
    def action_choose(self) -> None:
        """Enter: the highlighted row is the answer."""
        query = self.query_one(Input).value
        if (self.last or ("", []))[0] != query:  # Enter beat the filter worker: catch up here
            self.last = (query, matcher.narrow(query, self.every, None))
            self.show(self.last[1])
        table = self.query_one(TargetTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            self.notify("no target matches the filter", severity="warning")
            return
        self.exit(self.shown[table.cursor_row].row.name)

    def action_move(self, step: int) -> None:
        table = self.query_one(TargetTable)
        table.move_cursor(row=max(0, table.cursor_row + step))

    def action_clear(self) -> None:
        """Esc: an empty filter, every row again."""
        self.query_one(Input).value = ""
        self.query_one(Input).focus()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_quit_picker(self) -> None:
        self.exit(None)


def _cells(entry: matcher.Entry, prod_style: object) -> list[Text]:
    row = entry.row
    style = prod_style if row.production else ""
    badge = Text(" PROD ", style=style) if row.production else Text("")  # type: ignore[arg-type]
    texts = (row.account, row.account_id, row.role, row.region, entry.env_class)
    return [badge, *(Text(t, style=style) for t in texts)]  # type: ignore[arg-type]


def _said(error: BaseException) -> str:
    """An error as the CLI says it: the JumpshellError's message and fix, else its type."""
    from jumpshell.errors import JumpshellError

    if isinstance(error, JumpshellError):
        return error.render()
    return f"{type(error).__name__}: {error}"


def make_app(engine: Engine | None, rows: Sequence[TargetRow]) -> PickerApp:
    """The picker over `rows` (from `app.target_rows` or `Engine.targets`)."""
    return PickerApp(engine, rows)
