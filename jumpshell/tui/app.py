"""The picker's App: a list of every target, a filter as you type, keys that act on a row.

`make_app(engine, rows, launch)` builds it (the CLI and the tests alike); `App.run()` returns
a `Chosen` (what the CLI execs: a shell, tmux panes; or the name `pick --print` prints), or
None when the user quit. Work that can block (filtering past 50,000 rows, the Engine) runs in
thread workers; a failure is a notification, never a traceback. The list (targetlist.py) draws only
the rows on screen, so a new filter or order costs one repaint, not one widget per row.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Footer, Header, Input
from textual.worker import Worker, WorkerState

from jumpshell import recent
from jumpshell.app import build_engine
from jumpshell.engine import Engine
from jumpshell.targetrows import TargetRow
from jumpshell.tui import actions, matcher, session
from jumpshell.tui.actions import Chosen
from jumpshell.tui.screens import HelpScreen
from jumpshell.tui.targetlist import FilterInput, TargetList

TargetTable = TargetList  # the name the first tests and callers used
CREDS_REFRESH = 30.0  # seconds between repaints of the held credentials' minutes
# Up to this many rows the filter runs on the UI thread: at 30,000 it takes 2-15 ms, and a
# thread worker per key made the key-to-frame time worse (a thread start and GIL hand-offs:
# median 20 ms, worst 60-100 ms, against 16 ms and 20 ms inline; bench/tui_scale.py).
INLINE_ROWS = 50_000


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
    ENABLE_COMMAND_PALETTE = False  # its ^p would take footer room for commands it has none of
    SUB_TITLE = "pick a target"
    creds_refresh = CREDS_REFRESH
    filter_input: FilterInput
    listing: TargetList
    inline_rows = INLINE_ROWS
    # Letters are the query while the filter has the focus (it opens with it: type at once),
    # so every letter key has a Ctrl twin that works from the filter as well as from the table;
    # the footer shows whichever the focus makes true (Textual hides a key the Input takes).
    BINDINGS = [
        Binding("enter", "choose", "Open", priority=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(0, 1)", "Page down", show=False),
        Binding("pageup", "move(0, -1)", "Page up", show=False),
        Binding("r,ctrl+r", "run", "Run"),
        Binding("t,ctrl+t", "tmux", "tmux"),
        Binding("space", "toggle_mark", "Mark"),
        Binding("s,ctrl+s", "status", "MFA"),  # the sessions and credentials held
        Binding("f,ctrl+f", "favourite", "Fav"),
        Binding("o,ctrl+o", "sort", "Sort"),
        Binding("c", "console", "Console", show=False),
        Binding("escape", "clear", "Clear"),
        Binding("question_mark", "help", "Keys"),  # the filter's own `?` too (targetlist.py)
        Binding("f1", "help", "Keys", show=False),
        Binding("q,ctrl+q", "quit_picker", "Quit"),
        Binding("slash", "focus_filter", "Filter", show=False),
    ]

    def __init__(
        self,
        engine: Engine | None,
        rows: Sequence[TargetRow],
        launch: bool = False,
        build: session.Build = build_engine,
        theme: str | None = None,
    ) -> None:
        super().__init__()
        # None: built on the first action that needs it (parsing the config is not free)
        self.bridge = session.Bridge(self, engine, build)
        self.bridge.after = self.refresh_sessions
        self.launch = launch  # Enter opens a shell; else it returns the name (pick --print)
        self.every = matcher.entries(rows)
        self.picks = recent.load()
        self.sort: matcher.Sort = matcher.SORTS[0]
        self.ordered, self.rank = self._order()
        self.shown: list[matcher.Entry] = []
        self.last: tuple[str, list[matcher.Entry]] | None = None
        # None: the config's, known once the Engine is built (`warm`); "default" until then
        self.theme_name = theme or (engine.config.defaults.theme if engine else None)
        self.mfa_ends: list[tuple[str, float]] = []

    def compose(self) -> ComposeResult:
        # kept: a query would look in the screen on top, a modal's, not in this one
        self.filter_input = FilterInput(
            placeholder="type to filter: alias, id, role, region, class, tags (space marks)"
        )
        self.listing = TargetList()
        yield Header()
        yield self.filter_input
        yield self.listing
        yield Footer(compact=True)  # every key fits in 80 columns

    def on_mount(self) -> None:
        listing = self.listing
        listing.class_styles = _class_styles(self.theme_name or "default")
        listing.used, listing.favourites = self.picks.used, self.picks.favourites
        self.show(self.ordered)
        self.filter_input.focus()
        # 30,000 rows are ~200,000 objects that live as long as the picker: out of the
        # collector's sight, a full collection during a keystroke costs a few ms, not ~150
        gc.freeze()
        self.set_interval(self.creds_refresh, listing.refresh)  # the creds column's minutes
        self.refresh_sessions()
        self.set_interval(1, self.tick)
        self.set_interval(30, self.refresh_sessions)
        if self.theme_name is None:
            self.call_after_refresh(self.warm)  # after the first frame: it takes the GIL

    @work(thread=True, group="warm", exit_on_error=False)
    def warm(self) -> None:
        """The Engine built now, after the first screen and off the UI thread: the config's
        [defaults] theme then colours the class column (the rows from the agent or the cache
        do not carry it), and the first key that needs the Engine finds it parsed."""
        from jumpshell.errors import JumpshellError

        try:
            engine = self.bridge.engine()
        except JumpshellError:
            return  # the first key that needs the Engine says what is wrong, and the fix
        self.call_from_thread(self.use_theme, engine.config.defaults.theme)

    def use_theme(self, name: str) -> None:
        """The class column in prompt theme `name`'s colours."""
        self.theme_name = name
        self.listing.class_styles = _class_styles(name)
        self.listing.refresh()

    def on_unmount(self) -> None:
        gc.unfreeze()  # the rows may go now (tests make many pickers in one process)

    def show(self, hits: list[matcher.Entry]) -> None:
        """Put `hits` in the list (it draws only the rows on screen)."""
        self.listing.show(hits, self.filter_input.value, self.every)
        self.shown = hits
        self.sub_title = f"{len(hits)} of {len(self.every)} targets · by {self.sort}"

    def current(self) -> TargetRow | None:
        """The row under the cursor."""
        entry = self.listing.current
        return entry.row if entry else None

    def selection(self) -> list[TargetRow]:
        """The marked rows (in the list's order, hidden by the filter or not), else [current]."""
        marked = self.listing.marked
        if marked:
            return [e.row for e in self.ordered if e.row.name in marked]
        row = self.current()
        return [row] if row else []

    def _order(self) -> tuple[list[matcher.Entry], list[int]]:
        picks = self.picks
        return matcher.order(self.every, self.sort, picks.favourites, picks.used, time.time())

    def _reorder(self) -> None:
        """A new sort or favourite: the order again, and the filter over it from scratch."""
        self.ordered, self.rank = self._order()
        listing = self.listing
        listing.used, listing.favourites = self.picks.used, self.picks.favourites
        self.last = None
        query = self.filter_input.value
        self.last = (query, matcher.narrow(query, self.ordered, None, self.rank))
        self.show(self.last[1])

    @on(Input.Changed, "FilterInput")  # not a modal's input (an MFA code, a command)
    def _changed(self, event: Input.Changed) -> None:
        if len(self.ordered) > self.inline_rows:
            self.filter(event.value, self.last)
            return
        hits = matcher.narrow(event.value, self.ordered, self.last, self.rank)
        self.post_message(Filtered(event.value, hits))

    @work(thread=True, exclusive=True, exit_on_error=False, description="filter")
    def filter(self, query: str, last: tuple[str, list[matcher.Entry]] | None) -> None:
        hits = matcher.narrow(query, self.ordered, last, self.rank)
        self.post_message(Filtered(query, hits))

    def on_filtered(self, message: Filtered) -> None:
        if message.query != self.filter_input.value:
            return  # a later keystroke's worker is coming
        self.last = (message.query, message.hits)
        self.show(message.hits)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(_said(event.worker.error), severity="error", timeout=10)

    @on(Input.Submitted, "FilterInput")
    @on(TargetList.Chosen)
    def action_choose(self) -> None:
        """Enter: a shell as the highlighted row (or, for pick --print, its name)."""
        query = self.filter_input.value
        if (self.last or ("", []))[0] != query:  # Enter beat the filter worker: catch up here
            self.last = (query, matcher.narrow(query, self.ordered, None, self.rank))
            self.show(self.last[1])
        row = self.current()
        if row is None:
            self.notify("no target matches the filter", severity="warning")
            return
        recent.record(row.name)  # the frecency order and the "last used" column
        if not self.launch:
            self.exit(Chosen("print", (row.name,)))
        else:
            actions.shell(self, self.bridge, row, self.open_shell)

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
        # back where it was (same order and cursor), its "last used" and creds now true
        self.picks = recent.load()
        self.listing.used = self.picks.used
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
        found, roles = session.sessions(self.bridge.built)
        self.call_from_thread(self._sessions, found, roles)

    def _sessions(self, found: list[tuple[str, float]], roles: Mapping[str, float]) -> None:
        self.mfa_ends = found
        if roles != self.listing.held:
            self.listing.held = roles
            self.listing.refresh()
        self.tick()

    def tick(self) -> None:
        """The header's countdown, once a second."""
        title = f"jumpshell  {session.header(self.mfa_ends)}"
        if title != self.title:
            self.title = title

    def action_move(self, step: int, pages: int = 0) -> None:
        listing = self.listing
        listing.move_to(max(0, listing.cursor + step + pages * max(1, listing.size.height - 2)))

    def action_toggle_mark(self) -> None:
        """Space: mark the row under the cursor for `t` (or unmark it), then the next row."""
        listing = self.listing
        row = self.current()
        if row is None:
            return
        listing.marked ^= {row.name}
        listing.move_to(listing.cursor + 1)
        listing.refresh()

    def action_favourite(self) -> None:
        """f: the row under the cursor becomes a favourite (first in every order), or not."""
        row = self.current()
        if row is not None:
            self.picks = recent.toggle_favourite(row.name)
            self._reorder()

    def action_sort(self) -> None:
        """o: the next order (recent use, name, environment)."""
        self.sort = matcher.SORTS[(matcher.SORTS.index(self.sort) + 1) % len(matcher.SORTS)]
        self._reorder()

    def action_clear(self) -> None:
        """Esc: an empty filter, every row again."""
        self.filter_input.value = ""
        self.filter_input.focus()

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_quit_picker(self) -> None:
        self.exit(None)


def _class_styles(name: str) -> Mapping[str, Style]:
    """The prompt theme's class colours as Rich styles (none if the theme cannot be read)."""
    from jumpshell import themes
    from jumpshell.errors import JumpshellError

    try:
        theme = themes.load(name)
    except JumpshellError:
        return {}
    found = {}
    for cls, look in theme.classes.items():
        if look.sgr:
            spans = Text.from_ansi(f"\x1b[{look.sgr}mx").spans
            if spans and isinstance(spans[0].style, Style):
                found[cls] = spans[0].style
    return found


def _said(error: BaseException) -> str:
    """An error as the CLI says it: the JumpshellError's message and fix, else its type."""
    from jumpshell.errors import JumpshellError

    if isinstance(error, JumpshellError):
        return error.render()
    return f"{type(error).__name__}: {error}"


def make_app(
    engine: Engine | None,
    rows: Sequence[TargetRow],
    launch: bool = False,
    theme: str | None = None,
) -> PickerApp:
    """The picker over `rows` (from `app.target_rows` or `Engine.targets`). `engine` None:
    built on first need, its MFA prompt the picker's modal. `launch`: Enter opens a shell
    (else it returns the name, for `pick --print`). `theme` colours the class column
    (default: the config's [defaults] theme, else "default")."""
    return PickerApp(engine, rows, launch, theme=theme)
