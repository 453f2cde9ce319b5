"""The picker's App: a table of every target, a filter as you type, keys that act on a row.

`make_app(engine, rows, launch)` builds it (the CLI and the tests alike); `App.run()` returns
a `Chosen` (what the CLI execs: a shell, tmux panes; or the name `pick --print` prints), or
None when the user quit. Work that can block (filtering 30,000 rows, the Engine) runs in
thread workers; a failure is a notification, never a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input
from textual.worker import Worker, WorkerState

from jumpshell.app import build_engine
from jumpshell.engine import Engine
from jumpshell.targetrows import TargetRow
from jumpshell.tui import actions, matcher, session
from jumpshell.tui.actions import Chosen
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


class PickerApp(App[Chosen | None]):
    """Every target of the config; returns what to exec (or print), None on quit."""

    CSS_PATH = "jumpshell.tcss"
    TITLE = "jumpshell"
    SUB_TITLE = "pick a target"
    BINDINGS = [
        Binding("enter", "choose", "Open", priority=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("escape", "clear", "Clear"),
        Binding("r", "run", "Run"),
        Binding("t", "tmux", "tmux"),
        Binding("c", "console", "Console", show=False),
        Binding("s", "status", "Sessions"),
        Binding("question_mark", "help", "Keys"),
        Binding("q", "quit_picker", "Quit"),
        Binding("slash", "focus_filter", "Filter", show=False),
    ]

    def __init__(
        self,
        engine: Engine | None,
        rows: Sequence[TargetRow],
        launch: bool = False,
        build: session.Build = build_engine,
    ) -> None:
        super().__init__()
        # None: built on the first action that needs it (parsing the config is not free)
        self.bridge = session.Bridge(self, engine, build)
        self.bridge.after = self.refresh_sessions
        self.launch = launch  # Enter opens a shell; else it returns the name (pick --print)
        self.every = matcher.entries(rows)
        self.shown: list[matcher.Entry] = []
        self.last: tuple[str, list[matcher.Entry]] | None = None
        self.mfa_ends: list[tuple[str, float]] = []

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
        self.refresh_sessions()
        self.set_interval(1, self.tick)
        self.set_interval(30, self.refresh_sessions)

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
        """Enter: a shell as the highlighted row (or, for pick --print, its name)."""
        query = self.query_one(Input).value
        if (self.last or ("", []))[0] != query:  # Enter beat the filter worker: catch up here
            self.last = (query, matcher.narrow(query, self.every, None))
            self.show(self.last[1])
        row = self.current()
        if row is None:
            self.notify("no target matches the filter", severity="warning")
        elif not self.launch:
            self.exit(Chosen("print", (row.name,)))
        else:
            actions.shell(self, self.bridge, row, self.open_shell)

    def current(self) -> TargetRow | None:
        """The row under the cursor, if any."""
        table = self.query_one(TargetTable)
        if not self.shown or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row].row

    def selection(self) -> list[TargetRow]:
        """The marked rows, else the one under the cursor (none: an empty list)."""
        row = self.current()
        return [row] if row is not None else []

    def open_shell(self, chosen: Chosen) -> None:
        """The shell in this terminal; the picker comes back when it exits, unless the config
        says `picker_return = false` (then the picker ends and the CLI execs it)."""
        from textual.app import SuspendNotSupported

        from jumpshell.launch import run_command

        engine = self.bridge.built
        if engine is None or not engine.config.defaults.picker_return:
            self.exit(chosen)
            return
        try:
            with self.suspend():
                code = run_command(chosen.argv(), os.environ)  # it waits, Ctrl-C is the shell's
        except SuspendNotSupported:
            self.exit(chosen)  # no terminal to hand over (a headless test): the CLI's exec
            return
        if code != 0:  # what it said went with the terminal: at least say how it ended
            self.notify(f"the shell as {chosen.names[0]} ended with exit code {code}")
        self.refresh_sessions()

    def action_run(self) -> None:
        row = self.current()
        if row is not None:
            actions.run(self, self.bridge, row)

    def action_tmux(self) -> None:
        rows = self.selection()
        if rows:
            actions.tmux(self, self.bridge, rows)

    def action_console(self) -> None:
        self.notify(
            "the console sign-in is not there yet (no `jumpshell console` verb): "
            "use Enter for a shell, or r for a command",
            severity="warning",
        )

    def action_status(self) -> None:
        actions.status(self, self.bridge)

    @work(thread=True, group="sessions", exit_on_error=False)
    def refresh_sessions(self) -> None:
        """The MFA sessions' ends from the agent (cheap: no config parse), for the header."""
        found = session.sessions(self.bridge.built)
        self.call_from_thread(self._sessions, found)

    def _sessions(self, found: list[tuple[str, float]]) -> None:
        self.mfa_ends = found
        self.tick()

    def tick(self) -> None:
        """The header's countdown, once a second."""
        title = f"jumpshell  {session.header(self.mfa_ends)}"
        if title != self.title:
            self.title = title

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


def make_app(engine: Engine | None, rows: Sequence[TargetRow], launch: bool = False) -> PickerApp:
    """The picker over `rows` (from `app.target_rows` or `Engine.targets`). `engine` None:
    built on first need, its MFA prompt the picker's modal. `launch`: Enter opens a shell
    (else it returns the name, for `pick --print`)."""
    return PickerApp(engine, rows, launch)
