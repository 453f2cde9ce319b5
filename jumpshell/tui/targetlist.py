"""The picker's list: a virtual table that renders only the rows on screen (Textual's Line API).

A DataTable refilled on every keystroke costs ~1 s at 30,000 rows; this widget keeps the
filtered entries as a list and draws the ~30 visible lines from it, so a new filter costs a
list assignment and one repaint. Row styles come from jumpshell.tcss's component classes,
the class column's colours from the prompt theme (`class_styles`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from jumpshell.recent import Use
from jumpshell.tui.matcher import Entry, spans

Cell = tuple[str, "Style | None", list[tuple[int, int]]]  # text, its own style, highlights

# The haystack's fields, in its order ("account/role id region class tags"), by column name.
_FIELDS = ("alias", "role", "account id", "region", "class", "tags")


@dataclass(frozen=True)
class Column:
    title: str
    cap: int  # widest it grows to (the widest value, at most this)
    keep: int  # which go first on a narrow terminal: the highest number


# Shown in this order; on a narrow terminal the highest `keep` go first (tags, then last used).
COLUMNS = (
    Column("", 2, 0),  # the marks: cursor, selected, favourite
    Column("", 4, 0),  # PROD
    Column("alias", 32, 0),
    Column("account id", 12, 3),
    Column("role", 24, 0),
    Column("region", 14, 4),
    Column("class", 10, 1),
    Column("creds", 5, 2),
    Column("last used", 9, 5),
    Column("tags", 200, 6),
)


def widths(entries: Sequence[Entry], width: int) -> list[int]:
    """Each column's width at a terminal `width` wide (0: not shown); tags take what is left."""
    wanted = [max(cell_len(c.title), 1) for c in COLUMNS]
    wanted[0], wanted[1] = 2, 4
    rows = list(map(attrgetter("row"), entries))  # map and max: ~10 ms at 30,000, not ~40
    for i, field in ((2, "account"), (3, "account_id"), (4, "role"), (5, "region")):
        wanted[i] = max(wanted[i], max(map(len, map(attrgetter(field), rows)), default=0))
    wanted[9] = max(wanted[9], max(map(len, map(attrgetter("tags"), entries)), default=0))
    wanted = [min(w, c.cap) for w, c in zip(wanted, COLUMNS, strict=True)]
    wanted[6] = max(wanted[6], 10)  # "production"
    wanted[9] = min(wanted[9], 8)  # tags fill what is left: they need 8 to be shown at all
    shown = list(wanted)
    for keep in range(max(c.keep for c in COLUMNS), 0, -1):
        if sum(w + 1 for w in shown if w) - 1 <= width:
            break
        shown = [0 if c.keep == keep else w for w, c in zip(shown, COLUMNS, strict=True)]
    if shown[9]:  # tags fill the rest, or give way when fewer than 8 columns are left
        rest = width - sum(w + 1 for w in shown[:9] if w)
        shown[9] = rest if rest >= 8 else 0
    return shown


def minutes_left(expires: float | None, now: float) -> str:
    """Held credentials' remaining minutes ("42m"); "" when none are held or they expired."""
    if expires is None or expires <= now:
        return ""
    return f"{math.ceil((expires - now) / 60)}m"


def ago(use: Use | None, now: float) -> str:
    """How long ago a target was last chosen: "now", "5m", "3h", "2d", "6w"."""
    if use is None:
        return ""
    age = max(0.0, now - use.last)
    for unit, seconds in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if age >= seconds:
            return f"{int(age // seconds)}{unit} ago"
    return "now"


class FilterInput(Input):
    """The filter; space marks the row under the cursor instead, and `?` shows the keys (a
    fuzzy query over names, ids and tags needs neither)."""

    BINDINGS = [
        Binding("enter", "submit", "Open"),  # Input's own, shown: the footer says what Enter does
        Binding("space", "app.toggle_mark", "Mark", priority=True),
        Binding("question_mark", "app.help", "Keys", priority=True),
    ]


class TargetList(ScrollView, can_focus=True):
    """The targets: one header line, then one line per entry; only visible lines are drawn."""

    COMPONENT_CLASSES = {
        "targetlist--header",
        "targetlist--cursor",
        "targetlist--production",
        "targetlist--badge",
        "targetlist--match",
        "targetlist--mark",
    }
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False),
        Binding("k,up", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
    ]

    class Chosen(Message):
        """A click on the row under the cursor: open it, as Enter does."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.entries: Sequence[Entry] = []
        self.query_text = ""
        self.cursor = 0
        self.marked: set[str] = set()
        self.favourites: Collection[str] = frozenset()
        self.used: Mapping[str, Use] = {}
        self._class_styles: Mapping[str, Style] = {}
        self.held: Mapping[str, float] = {}  # the agent's role credentials' ends, by name
        self._widths: list[int] = []
        self._sized_for: tuple[int, int] = (-1, -1)
        self._all: Sequence[Entry] = []
        self.lines_drawn = 0
        self._styles: dict[str, Style] = {}  # per component, and "" the widget's own

    # -- what it shows -------------------------------------------------------------------
    @property
    def class_styles(self) -> Mapping[str, Style]:
        """The prompt theme's class colours; "production" also colours its rows and badge."""
        return self._class_styles

    @class_styles.setter
    def class_styles(self, styles: Mapping[str, Style]) -> None:
        self._class_styles = styles
        self._styles.clear()  # the production row and badge styles derive from them

    def show(self, entries: Sequence[Entry], query: str, every: Sequence[Entry]) -> None:
        """Show `entries` (matched by `query`), the cursor on the first; `every`: the widths."""
        self.entries = entries
        self.query_text = query
        self._all = every
        self.cursor = 0
        self._resize(len(entries) + 1)
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _resize(self, lines: int) -> None:
        """A new number of lines. `virtual_size` is a layout reactive: setting it lays out the
        whole screen again (Header, Input, Footer: ~10-20 ms a keystroke); that is needed only
        when the scrollbar comes or goes, else the scrollbar's size and a repaint do."""
        size = Size(self.size.width, lines)
        height = self.size.height
        if (self.virtual_size.height > height) != (lines > height) or not height:
            self.virtual_size = size
        else:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    @property
    def current(self) -> Entry | None:
        return self.entries[self.cursor] if self.cursor < len(self.entries) else None

    @property
    def cursor_row(self) -> int:  # DataTable's names, for the callers written against it
        return self.cursor

    @property
    def row_count(self) -> int:
        return len(self.entries)

    # -- moving --------------------------------------------------------------------------
    def move_to(self, index: int) -> None:
        """The cursor to entry `index` (negative: from the end), scrolled into view."""
        if not self.entries:
            return
        if index < 0:
            index += len(self.entries)
        self.cursor = max(0, min(index, len(self.entries) - 1))
        lines = max(1, self.size.height - 1)  # the header's line is not for rows
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + lines:
            top = self.cursor - lines + 1
        self.scroll_to(y=top, animate=False, immediate=True)
        self.refresh()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_move_to(self, index: int) -> None:
        self.move_to(index)

    def action_page(self, pages: int) -> None:
        self.move_to(max(0, self.cursor + pages * max(1, self.size.height - 2)))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = int(self.scroll_offset.y) + offset.y - 1
        if index >= len(self.entries):
            return
        if index == self.cursor:
            self.post_message(self.Chosen())
        else:
            self.move_to(index)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.entries) + 1)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._sized_for = (-1, -1)
        self._styles.clear()

    # -- drawing -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        self.lines_drawn += 1  # what a test can count: lines of the screen, not of the list
        width = self.size.width
        if self._sized_for != (width, id(self._all)):
            self._widths = widths(self._all or self.entries, width)
            self._sized_for = (width, id(self._all))
        base = self._styles.get("") or self._styles.setdefault("", self.rich_style)
        if y == 0:
            titles = [c.title for c in COLUMNS]
            return self._strip([(t, None, []) for t in titles], base + self._style("header"))
        index = int(self.scroll_offset.y) + y - 1
        if index >= len(self.entries):
            return Strip.blank(width, base)
        return self._row(index, base)

    def row_strip(self, index: int) -> Strip:
        """Entry `index`'s line as drawn, wherever the list is scrolled (for tests, snapshots)."""
        self.render_line(0)  # the column widths
        return self._row(index, self.rich_style)

    def _row(self, index: int, base: Style) -> Strip:
        entry = self.entries[index]
        row = entry.row
        style = base
        if row.production:
            style += self._production("row")
        if index == self.cursor:
            style += self._style("cursor")
        marks = (">" if index == self.cursor else " ") + (
            "●" if row.name in self.marked else "★" if row.name in self.favourites else " "
        )
        badge = self._production("badge") if row.production else None
        cells: list[Cell] = [(marks, self._style("mark"), []), (badge and "PROD" or "", badge, [])]
        return self._strip(cells + self._fields(entry), style)

    def _fields(self, entry: Entry) -> list[Cell]:
        """The cells after the marks and badge, the filter's matches in them."""
        row, now = entry.row, time.time()
        hits = spans(self.query_text, entry.haystack)
        texts = dict(
            zip(_FIELDS, (row.account, row.role, row.account_id, row.region), strict=False)
        )
        texts.update({"class": entry.env_class, "tags": entry.tags})
        at, start = {}, 0
        for name in _FIELDS:  # each field's offset in the haystack, to place the highlights
            at[name] = start
            start += len(texts[name]) + 1
        cells: list[Cell] = []
        for column in COLUMNS[2:]:
            name = column.title
            if name in texts:
                local = [(a - at[name], b - at[name]) for a, b in hits]
                cls = self.class_styles.get(entry.env_class) if name == "class" else None
                cells.append((texts[name], cls, local))
            elif name == "creds":
                ends = (row.expires or 0.0, self.held.get(row.name, 0.0))
                cells.append((minutes_left(max(ends) or None, now), None, []))
            else:
                cells.append((ago(self.used.get(row.name), now), None, []))
        return cells

    def _strip(self, cells: list[Cell], style: Style) -> Strip:
        match = self._style("match")
        segments: list[Segment] = []
        for (text, own, hits), width in zip(cells, self._widths, strict=True):
            if not width:
                continue
            if segments:
                segments.append(Segment(" ", style))
            cell = set_cell_size(text, width)
            look = style + own if own is not None else style
            cuts = sorted((max(0, a), min(b, width)) for a, b in hits if b > 0 and a < width)
            place = 0
            for a, b in cuts:
                if a > place:
                    segments.append(Segment(cell[place:a], look))
                segments.append(Segment(cell[a:b], look + match))
                place = b
            if place < len(cell):
                segments.append(Segment(cell[place:], look))
        strip = Strip(segments)
        return strip.extend_cell_length(self.size.width, style)

    def _production(self, part: str) -> Style:
        """A production row's style ("row") or its badge's ("badge"), in the theme's production
        colour: the badge as the prompt's label looks, the row tinted with its background (40%,
        as readable as the other rows). Without a theme colour: jumpshell.tcss's ($error).
        Under NO_COLOR the badge is reversed and bold, the row bold: no colour needed."""
        key = f"production-{part}"
        found = self._styles.get(key)
        if found is None:
            found = self._styles[key] = self._production_style(part)
        return found

    def _production_style(self, part: str) -> Style:
        css = self._style("production" if part == "row" else "badge")
        theme = self._class_styles.get("production")
        if theme is None or (theme.color is None and theme.bgcolor is None):
            return css
        if part == "badge":  # reversed only where no background would set it apart
            plain = self.app.no_color or theme.bgcolor is None
            return css + theme + Style(bold=True, reverse=plain)
        ansi = self.app.ansi_theme
        if theme.bgcolor is None:  # a foreground-only colour: the row's text in it
            return css + Style(color=theme.color)
        under = self.background_colors[1]
        tint = Color.from_rich_color(theme.bgcolor, ansi, foreground=False)
        return css + Style(bgcolor=under.blend(tint, 0.4).rich_color)

    def _style(self, part: str) -> Style:
        found = self._styles.get(part)
        if found is None:
            name = f"targetlist--{part}"
            found = self._styles[part] = self.get_component_rich_style(name, partial=True)
        return found
