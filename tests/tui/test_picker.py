"""The picker driven by Textual's Pilot over the demo world's rows, at a fixed size."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any

from jumpshell.engine import Engine
from jumpshell.tui.actions import Chosen
from jumpshell.tui.app import PickerApp, TargetTable, make_app
from jumpshell.tui.screens import HelpScreen

SIZE = (100, 30)


def pilot(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """An async Pilot test as a plain pytest test (no async plugin in the test extra)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def _picker(engine: Engine) -> PickerApp:
    return make_app(engine, engine.targets())


def _shown(app: PickerApp) -> list[str]:
    return [e.row.name for e in app.shown]


@pilot
async def test_every_target_with_production_flagged(engine: Engine) -> None:
    rows = engine.targets()
    app = make_app(engine, rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one(TargetTable)
        assert table.row_count == len(rows) > 40
        prod = [i for i, r in enumerate(rows) if r.production]
        plain = [i for i, r in enumerate(rows) if not r.production]
        assert prod and plain
        assert str(table.get_row_at(prod[0])[0]).strip() == "PROD"
        assert str(table.get_row_at(plain[0])[0]) == ""
        # the production style comes from jumpshell.tcss, not from Python
        style = table.get_component_rich_style("production")
        assert table.get_row_at(prod[0])[1].style == style and style.bgcolor is not None
        assert table.get_row_at(plain[0])[1].style == ""


@pilot
async def test_typing_filters_and_esc_clears(engine: Engine) -> None:
    app = _picker(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"search-prod/adm")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = _shown(app)
        assert shown[0] == "search-prod/Admin"  # unbroken matches first
        assert app.query_one(TargetTable).row_count == len(shown) < len(app.every)
        await pilot.press(*"zzzz")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _shown(app) == [] and app.query_one(TargetTable).row_count == 0
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(_shown(app)) == len(app.every)


@pilot
async def test_enter_returns_the_highlighted_target(engine: Engine) -> None:
    app = _picker(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"prod/admin")
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = _shown(app)[0]
        await pilot.press("down", "up", "down")
        second = _shown(app)[1] if len(_shown(app)) > 1 else first
        await pilot.press("enter")
    assert app.return_value == Chosen("print", (second,))
    assert engine.resolve(second).role_arn.endswith("/Admin")


@pilot
async def test_table_keys_j_k_enter_and_q(engine: Engine) -> None:
    app = _picker(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")  # into the table, where letters are keys
        assert isinstance(app.focused, TargetTable)
        await pilot.press("j", "j", "k", "enter")
    assert app.return_value == Chosen("print", (_shown(app)[1],))
    quitter = _picker(engine)
    async with quitter.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "q")
    assert quitter.return_value is None


@pilot
async def test_question_mark_shows_the_keys(engine: Engine) -> None:
    app = _picker(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
