"""The picker's list (targetlist.py, matcher.py, recent.py): rows, order, marks, speed."""

from __future__ import annotations

import os
import stat
import time

import pytest
from rich.style import Style
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Input

from jumpshell import recent
from jumpshell.engine import Engine
from jumpshell.localaws import scale_world
from jumpshell.targetrows import TargetRow, from_wire, to_wire
from jumpshell.tui import matcher
from jumpshell.tui.actions import Chosen
from jumpshell.tui.app import PickerApp, make_app
from jumpshell.tui.targetlist import COLUMNS, TargetList
from tests.tui.test_picker import pilot

SIZE = (120, 30)


def _row(
    account: str,
    role: str = "Admin",
    tags: dict[str, str] | None = None,
    production: bool = False,
    expires: float | None = None,
) -> TargetRow:
    pairs = tuple(sorted((tags or {}).items()))
    env = (tags or {}).get("environment")
    return TargetRow(
        f"{account}/{role}", account, "123456789012", role, "eu-west-1", "default",
        production, env, pairs, role == "Admin", expires,
    )  # fmt: skip


def _scale_rows(accounts: int) -> list[TargetRow]:
    """The rows of the local AWS's `scale:N` world (3 roles an account)."""
    found = []
    for a in scale_world(accounts).accounts:
        tags = tuple(sorted(a.tags.items()))
        for index, role in enumerate(a.roles):
            found.append(
                TargetRow(
                    f"{a.name}/{role.name}", a.name, a.id, role.name, a.region, "default",
                    a.production, a.tags.get("environment"), tags, index == 0,
                )
            )  # fmt: skip
    return found


def _cells(strip: Strip, listing: TargetList) -> dict[str, str]:
    """A drawn row cut into its columns by the widths the list uses."""
    text, cells, at = strip.text, {}, 0
    for column, width in zip(COLUMNS, listing._widths, strict=True):
        if width:
            cells[column.title or ("marks" if at == 0 else "badge")] = text[at : at + width]
            at += width + 1
    return cells


def _styled(strip: Strip, style: Style) -> str:
    """The characters of `strip` drawn in `style` (the match style: its colour, underlined)."""
    assert style.underline and style.color is not None
    return "".join(
        s.text
        for s in strip
        if s.style is not None and s.style.underline and s.style.color == style.color
    )


async def _typed(app: PickerApp, pilot: object, text: str) -> None:
    await pilot.press(*text)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


# -- scale --------------------------------------------------------------------------------


@pilot
async def test_30000_rows_draw_only_the_visible_lines() -> None:
    rows = _scale_rows(10000)
    app = make_app(None, rows, theme="default")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.query_one(TargetList)
        assert listing.row_count == 30000 and not listing.children  # no widget per row
        before = listing.lines_drawn
        await _typed(app, pilot, "pay")
        assert app.shown == matcher.narrow("pay", app.ordered, None, app.rank)
        assert 0 < len(app.shown) < 30000
        # a frame or three of the screen's lines, not a line per row of the list
        assert 0 < listing.lines_drawn - before <= 3 * listing.size.height
        first = _cells(listing.row_strip(0), listing)
        assert first["alias"].strip() == app.shown[0].row.account


@pilot
async def test_past_the_inline_limit_a_worker_filters() -> None:
    app = make_app(None, _scale_rows(100))
    app.inline_rows = 0  # as with more than 50,000 rows
    async with app.run_test(size=SIZE) as pilot:
        await _typed(app, pilot, "webadm")
        assert app.shown == matcher.narrow("webadm", app.ordered, None, app.rank)
        assert 0 < len(app.shown) < 300
        await pilot.press("backspace", "backspace", "backspace")  # not a narrowing: all rows
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.shown == matcher.narrow("web", app.ordered, None, app.rank)


def test_pick_makes_the_rows_with_the_collector_paused_then_frozen() -> None:
    """`jumpshell pick` decodes its rows (and imports Textual) with no garbage collection,
    then freezes what it made: each full collection there walked every row made so far."""
    import gc

    from jumpshell.cli.pick import collector_paused

    before = gc.get_freeze_count()
    try:
        with collector_paused():
            assert not gc.isenabled()
            found = from_wire(to_wire(_scale_rows(100)))
        assert gc.isenabled() and len(found) == 300
        assert gc.get_freeze_count() > before + len(found)  # out of later collections' sight
        with pytest.raises(ValueError), collector_paused():
            from_wire("not rows")
        assert gc.isenabled()  # an error gives the collector back too
    finally:
        gc.unfreeze()


def test_narrowing_finds_what_a_full_scan_finds() -> None:
    every = matcher.entries(_scale_rows(300))
    last = None
    for end in range(1, len("payprodadm") + 1):
        query = "payprodadm"[:end]
        narrowed = matcher.narrow(query, every, last)
        assert narrowed == matcher.narrow(query, every, None)
        assert all(matcher.pattern(query).search(e.haystack) for e in narrowed)
        last = (query, narrowed)
    assert last is not None and last[1]


def test_a_match_within_the_name_ranks_before_one_spread_over_the_tags() -> None:
    """What a user types is mostly the alias and the role: a row whose name holds the query
    (in order) comes before a row matched only with letters from its region and tags."""
    rows = [
        _row(
            "sandbox-locked", role="ReadOnly", tags={"environment": "sandbox", "team": "security"}
        ),
        _row(
            "sandbox-locked", role="Untrusted", tags={"environment": "sandbox", "team": "security"}
        ),
        _row("payments-dev", role="Developer", tags={"environment": "dev"}),
        _row("payments-dev", role="Admin", tags={"environment": "dev"}),
    ]
    every = matcher.entries(rows)
    assert matcher.pattern("lockeduntr").search(every[0].haystack)  # eu-west-1, environment
    first = [matcher.narrow(q, every, None)[0].row.name for q in ("lockeduntr", "paydevadm")]
    assert first == ["sandbox-locked/Untrusted", "payments-dev/Admin"]
    last = ("paydev", matcher.narrow("paydev", every, None))  # narrowing keeps the tiers
    assert matcher.narrow("paydevadm", every, last) == matcher.narrow("paydevadm", every, None)


def test_the_pattern_keeps_regex_characters_literal() -> None:
    every = matcher.entries([_row("a]b-c"), _row("abc"), _row("x.y^z", tags={"k": "[v]"})])
    assert [e.row.account for e in matcher.narrow("]-", every, None)] == ["a]b-c"]
    assert [e.row.account for e in matcher.narrow(".^[", every, None)] == ["x.y^z"]
    assert matcher.narrow("ac", every, None)[0].row.account == "a]b-c"  # in order, gaps
    assert matcher.spans("ac", "abc") == [(0, 1), (2, 3)]
    assert matcher.spans("bc", "abc") == [(1, 3)]  # unbroken: one span
    assert matcher.spans("ca", "abc") == []


# -- columns ------------------------------------------------------------------------------


@pilot
async def test_columns_show_the_class_by_the_envclass_rule_in_the_themes_colour() -> None:
    soon = time.time() + 600
    rows = [
        _row("billing", tags={"environment": "uat"}, expires=soon),  # the tag says "uat"
        _row("payments-prod", production=True, tags={"team": "pay"}),
        _row("scratch"),
    ]
    app = make_app(None, rows, theme="default")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.query_one(TargetList)
        header = listing.render_line(0).text
        for title in ("alias", "account id", "role", "region", "class", "creds", "last used"):
            assert title in header
        billing = _cells(listing.row_strip(0), listing)
        assert billing["class"].strip() == "staging"  # the class, not the raw "uat"
        assert billing["creds"].strip() == "10m"
        assert "environment=uat" in billing["tags"]
        prod = _cells(listing.row_strip(1), listing)
        assert prod["badge"] == "PROD" and prod["class"].strip() == "production"
        assert _cells(listing.row_strip(2), listing)["class"].strip() == "other"
        # default theme: staging is black on yellow ("1;30;43"), the class cell carries it
        staging = next(s for s in listing.row_strip(0) if s.text.strip() == "staging")
        assert staging.style is not None and staging.style.bgcolor is not None
        assert staging.style.bgcolor.name == "color(3)" and staging.style.bold


@pilot
async def test_columns_follow_the_terminals_width() -> None:
    rows = _scale_rows(10)
    app = make_app(None, rows)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        listing = app.query_one(TargetList)
        narrow = listing.render_line(0).text
        assert all(t in narrow for t in ("alias", "role", "class", "account id"))
        assert "tags" not in narrow and "last used" not in narrow
        assert len(listing.render_line(1).text) == listing.size.width <= 80
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        wide = listing.render_line(0).text
        assert "tags" in wide and "last used" in wide and "region" in wide
        assert "environment=" in listing.render_line(1).text


@pilot
async def test_production_is_unmistakable_under_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # Textual reads it when the App is made
    app = make_app(None, [_row("dev"), _row("live", production=True)], theme="default")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.no_color
        listing = app.query_one(TargetList)
        screen = app.export_screenshot()
        assert "PROD" in screen and "live" in screen
        badge = next(s for s in listing.row_strip(1) if s.text == "PROD")
        assert badge.style is not None and badge.style.reverse and badge.style.bold
        assert listing.row_strip(0).text.startswith(">")  # the cursor is a mark, not a colour
        assert not listing.row_strip(1).text.startswith(">")


_BLUE_PRODUCTION = """
[classes.production]
label = "LIVE"
color = "1;97;44"
[classes.staging]
color = "33"
[classes.dev]
color = "32"
[classes.sandbox]
color = "36"
[classes.other]
color = ""
"""


@pilot
async def test_production_rows_take_the_themes_production_colour() -> None:
    """A user theme whose production is white on blue: the badge is that (as the prompt's
    label), the row a blue tint, not jumpshell.tcss's red ($error)."""
    from jumpshell import themes

    os.makedirs(themes.user_dir(), exist_ok=True)  # the test's own $XDG_CONFIG_HOME
    with open(os.path.join(themes.user_dir(), "blue.toml"), "w") as handle:
        handle.write(_BLUE_PRODUCTION)
    rows = [_row("dev"), _row("live", production=True)]
    app = make_app(None, rows, theme="blue")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.query_one(TargetList)
        strip = listing.row_strip(1)
        badge = next(s for s in strip if s.text == "PROD")
        assert badge.style is not None and badge.style.bgcolor is not None
        assert badge.style.bgcolor.name == "color(4)" and badge.style.bold
        assert not badge.style.reverse  # blue is its background already
        row = next(s for s in strip if s.text.strip() == "live")
        assert row.style is not None and row.style.bgcolor is not None
        red, green, blue = row.style.bgcolor.get_truecolor()
        assert blue > red and blue > green  # tinted blue, not red
        assert row.style.bold
        other = next(s for s in listing.row_strip(0) if s.text.strip() == "dev")
        assert other.style is not None and other.style.bgcolor != row.style.bgcolor


@pilot
async def test_matched_characters_are_highlighted() -> None:
    app = make_app(None, [_row("payments-dev", role="Developer"), _row("pay-prod")])
    async with app.run_test(size=SIZE) as pilot:
        listing = app.query_one(TargetList)
        match = listing.get_component_rich_style("targetlist--match", partial=True)
        await _typed(app, pilot, "dev")
        assert _styled(listing.row_strip(0), match) == "dev"  # unbroken: payments-"dev"
        await pilot.press("escape")
        await _typed(app, pilot, "pyd")
        assert [e.row.account for e in app.shown] == ["payments-dev", "pay-prod"]
        assert _styled(listing.row_strip(0), match) == "pyd"  # p(a)y(ments-)d(ev)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _styled(listing.row_strip(0), match) == ""


# -- order, favourites, marks ---------------------------------------------------------------


@pilot
async def test_o_cycles_the_order_and_the_sub_title_says_it() -> None:
    rows = [_row("zeta-dev"), _row("alpha-staging"), _row("mid", production=True)]
    app = make_app(None, rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "by recent" in app.sub_title
        assert [e.row.account for e in app.shown] == ["zeta-dev", "alpha-staging", "mid"]
        await pilot.press("tab", "o")
        assert "by name" in app.sub_title
        assert [e.row.account for e in app.shown] == ["alpha-staging", "mid", "zeta-dev"]
        await pilot.press("o")
        assert "by environment" in app.sub_title
        assert [e.row.account for e in app.shown] == ["mid", "alpha-staging", "zeta-dev"]
        await pilot.press("o")
        assert "by recent" in app.sub_title


@pilot
async def test_chosen_targets_come_first_next_time_with_their_last_use() -> None:
    rows = [_row("one"), _row("two"), _row("three")]
    app = make_app(None, rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")
    assert app.return_value == Chosen("print", ("three/Admin",))
    again = make_app(None, rows)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [e.row.account for e in again.shown] == ["three", "one", "two"]
        listing = again.query_one(TargetList)
        assert _cells(listing.row_strip(0), listing)["last used"].strip() == "now"
        assert _cells(listing.row_strip(1), listing)["last used"].strip() == ""
    mode = os.stat(recent.picks_file()).st_mode
    assert stat.S_IMODE(mode) == 0o600


@pilot
async def test_f_makes_a_favourite_first_with_a_star_and_keeps_it() -> None:
    rows = [_row("one"), _row("two"), _row("three")]
    app = make_app(None, rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "end", "f")
        assert [e.row.account for e in app.shown] == ["three", "one", "two"]
        assert app.query_one(TargetList).row_strip(0).text[1] == "★"
    assert recent.load().favourites == {"three/Admin"}
    again = make_app(None, rows)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.shown[0].row.account == "three"
        await pilot.press("tab", "f")  # the cursor is on it: no longer a favourite
        assert [e.row.account for e in again.shown] == ["one", "two", "three"]
    assert recent.load().favourites == set()


@pilot
async def test_space_marks_rows_for_the_selection() -> None:
    rows = [_row("one"), _row("two"), _row("three")]
    app = make_app(None, rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert [r.name for r in app.selection()] == ["one/Admin"]  # none marked: the cursor's
        await pilot.press("space", "down", "space")  # in the filter: marks, types nothing
        listing = app.query_one(TargetList)
        assert app.query_one(Input).value == ""
        assert [listing.row_strip(i).text[1] for i in range(3)] == ["●", " ", "●"]
        await _typed(app, pilot, "two")  # marks outlive the filter
        assert [r.name for r in app.selection()] == ["one/Admin", "three/Admin"]
        assert app.current() == rows[1]
        await pilot.press("tab", "space")  # in the list too: it toggles
        assert [r.name for r in app.selection()] == ["one/Admin", "two/Admin", "three/Admin"]
        await pilot.press("home", "space")
        assert {r.name for r in app.selection()} == {"one/Admin", "three/Admin"}


class _Asking(ModalScreen[None]):
    """A modal with its own input, as the MFA code and `r`'s command prompts are."""

    def compose(self) -> ComposeResult:
        yield Input(id="asked")


@pilot
async def test_a_modals_input_neither_filters_nor_chooses() -> None:
    rows = [_row("one"), _row("two")]
    app = make_app(None, rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")
        await app.push_screen(_Asking())
        await pilot.press(*"123456", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and len(app.shown) == 2
        assert app.current() == rows[1] and app.selection() == [rows[1]]


# -- keys and mouse ------------------------------------------------------------------------------


@pilot
async def test_keys_and_the_mouse_move_the_cursor() -> None:
    rows = _scale_rows(100)
    app = make_app(None, rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        listing = app.query_one(TargetList)
        visible = listing.size.height - 1
        await pilot.press("j", "j", "k")
        assert listing.cursor == 1
        await pilot.press("pagedown")
        assert listing.cursor == 1 + visible - 1
        await pilot.press("end")
        assert listing.cursor == 299 and app.current() == rows[-1]
        assert listing.render_line(listing.size.height - 1).text.startswith(">")  # in view
        await pilot.press("pageup", "home")
        assert listing.cursor == 0 and listing.scroll_offset.y == 0
        await pilot.click(TargetList, offset=(10, 4))  # header, then rows 0, 1, 2: row 3
        assert listing.cursor == 3
        await pilot.click(TargetList, offset=(10, 4))  # the cursor's row again: open it
    assert app.return_value == Chosen("print", (rows[3].name,))


@pilot
async def test_held_credentials_count_down() -> None:
    rows = [_row("held", expires=time.time() + 60.4), _row("none")]
    app = make_app(None, rows)
    app.creds_refresh = 0.1
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listing = app.query_one(TargetList)
        assert _cells(listing.render_line(1), listing)["creds"].strip() == "2m"
        assert _cells(listing.render_line(2), listing)["creds"].strip() == ""
        deadline = time.monotonic() + 5
        while "2m" in listing.render_line(1).text and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert _cells(listing.render_line(1), listing)["creds"].strip() == "1m"


def test_recent_survives_a_broken_file_and_counts_frecency() -> None:
    os.makedirs(os.path.dirname(recent.picks_file()), exist_ok=True)
    with open(recent.picks_file(), "w") as handle:
        handle.write("{not json")
    assert recent.load().used == {}
    now = 1_000_000_000.0
    recent.record("a/Admin", now - 40 * 86400)
    recent.record("a/Admin", now - 40 * 86400)
    picks = recent.record("b/Admin", now)
    assert picks.used["a/Admin"].count == 2
    assert recent.frecency(picks.used["b/Admin"], now) > recent.frecency(picks.used["a/Admin"], now)


def test_engine_rows_fit_the_list(engine: Engine) -> None:
    entries = matcher.entries(engine.targets())
    prod = [e for e in entries if e.row.production]
    assert prod and all(e.env_class == "production" for e in prod)
