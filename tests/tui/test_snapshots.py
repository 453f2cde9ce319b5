"""SVG snapshots of the picker (pytest-textual-snapshot) at 80x24 and 120x40: the main screen,
a filter, the MFA modal, the keys, a production row under the cursor.

Regenerate after a deliberate change of the look with
`.venv/bin/python -m pytest tests/tui/test_snapshots.py --snapshot-update`, and look at the
report it writes before committing the new SVGs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from textual.pilot import Pilot

from jumpshell import app as core
from jumpshell.tui.app import PickerApp, make_app
from jumpshell.tui.mfa import MfaScreen
from jumpshell.tui.screens import AskScreen
from tests.conftest import Demo

SIZES = [(80, 24), (120, 40)]
Compare = Callable[..., bool]


def _picker(demo: Demo) -> PickerApp:
    """The picker over the demo world, its Engine built by itself (no MFA session held)."""
    return make_app(None, core.target_rows(), launch=True)


async def _settled(pilot: Pilot[Any]) -> None:
    """Every worker done (the filter, the header's session check) before the picture."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _snap(
    snap_compare: Compare, app: PickerApp, size: tuple[int, int], keys: Iterable[str]
) -> bool:
    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        for key in keys:
            await pilot.press(key)
            await _settled(pilot)

    return snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare: Compare, demo_env: Demo, size: tuple[int, int]) -> None:
    assert _snap(snap_compare, _picker(demo_env), size, [])


@pytest.mark.parametrize("size", SIZES)
def test_filtered(snap_compare: Compare, demo_env: Demo, size: tuple[int, int]) -> None:
    assert _snap(snap_compare, _picker(demo_env), size, "data/read")


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Compare, demo_env: Demo, size: tuple[int, int]) -> None:
    assert _snap(snap_compare, _picker(demo_env), size, ["tab", "question_mark"])


@pytest.mark.parametrize("size", SIZES)
def test_production_row(snap_compare: Compare, demo_env: Demo, size: tuple[int, int]) -> None:
    assert _snap(snap_compare, _picker(demo_env), size, [*"search-prod/admin", "tab"])


@pytest.mark.parametrize("size", SIZES)
def test_mfa_modal(snap_compare: Compare, demo_env: Demo, size: tuple[int, int]) -> None:
    """`r` on a row with no MFA session held: the modal, for the demo's jump account."""
    app = _picker(demo_env)

    async def before(pilot: Pilot[Any]) -> None:
        await _settled(pilot)
        await pilot.press(*f"{demo_env.dev()}/developer")
        await _settled(pilot)
        await pilot.press("tab", "r")
        await _until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press(*"aws s3 ls", "enter")
        await _until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await _until(pilot, lambda: any(w.has_focus for w in app.screen.query("#mfa-code")))

    assert snap_compare(app, terminal_size=size, run_before=before)


async def _until(pilot: Pilot[Any], check: Callable[[], object]) -> None:
    from tests.tui.test_picker import _until as until

    await until(pilot, check)
