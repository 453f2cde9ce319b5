"""The picker driven by Textual's Pilot over the demo world's rows, at a fixed size."""

from __future__ import annotations

import asyncio
import functools
import html
import os
import re
import subprocess
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import Input, Log, Static

from jumpshell.engine import Engine, TargetRow
from jumpshell.tui.actions import Chosen
from jumpshell.tui.app import PickerApp, TargetTable, make_app
from jumpshell.tui.mfa import MfaScreen
from jumpshell.tui.screens import KEYS, AskScreen, HelpScreen, OutputScreen, StatusScreen
from tests.conftest import BIN, Demo
from tests.core.conftest import Prompts, login, wrong

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
        first_prod, first_plain = table.row_strip(prod[0]), table.row_strip(plain[0])
        assert first_prod.text[3:7] == "PROD" and first_plain.text[3:7] == "    "
        # the theme's production colour (default: bright white on red) on the badge, the
        # row tinted with it (test_list.py: a theme with another colour)
        badge = next(s for s in first_prod if s.text == "PROD")
        assert badge.style is not None and badge.style.bgcolor is not None
        assert badge.style.bgcolor.name == "color(1)"
        tint = next(s for s in first_prod if s.text.strip() == rows[prod[0]].account).style
        assert tint is not None and tint.bgcolor is not None
        assert tint.bgcolor not in {s.style and s.style.bgcolor for s in first_plain}


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


@pilot
async def test_the_keys_work_from_the_filter_and_the_footer_says_which(engine: Engine) -> None:
    """The filter has the focus at once, where letters are the query: each letter key's Ctrl
    twin (and `?`) acts from there, and the footer shows the keys that work where the focus is."""
    from textual.widgets._footer import FooterKey

    def footer() -> dict[str, str]:
        return {k.description: k.key_display for k in app.query(FooterKey)}

    app = _picker(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"dev")
        await pilot.pause()
        assert app.filter_input.value == "dev" and app.focused is app.filter_input
        shown = footer()
        for what in ("Run", "tmux", "MFA", "Fav", "Sort", "Quit"):
            assert shown[what].startswith("^"), (what, shown)  # not a letter: it would filter
        assert shown["Open"] == "⏎" and shown["Keys"] == "?" and shown["Mark"] == "space"
        await pilot.press("ctrl+o")
        assert app.sort == "name" and app.filter_input.value == "dev"
        first = _shown(app)[0]
        await pilot.press("ctrl+f")
        assert first in app.picks.favourites
        await pilot.press("ctrl+f")  # and back: the state dir is the test's own
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+r")
        await _until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press("escape")
        await pilot.press("tab")
        await pilot.pause()
        assert footer()["Run"] == "r"  # in the table the letters are shown, and work
        await pilot.press("shift+tab", "ctrl+q")
    assert app.return_value is None and app.filter_input.value == "dev"


@pilot
async def test_the_configs_theme_colours_the_classes_under_pick(demo_env: Demo) -> None:
    """As `jumpshell pick` makes it (no Engine, rows from the agent or the cache), the
    picker still colours the class column in the config's [defaults] theme, not "default"."""
    from jumpshell import app as core

    text = demo_env.config.read_text()
    demo_env.config.write_text(text.replace("[defaults]\n", '[defaults]\ntheme = "minimal"\n'))
    app = make_app(None, core.target_rows(), launch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _until(pilot, lambda: app.theme_name == "minimal")
        listing = app.query_one(TargetTable)
        index = next(i for i, e in enumerate(app.shown) if e.env_class == "staging" and i)
        cell = next(s for s in listing.row_strip(index) if s.text.strip() == "staging")
        # minimal has no class colours; "default" paints staging black on yellow (color(3))
        assert cell.style is not None and cell.style.bgcolor == listing.rich_style.bgcolor
        assert app.bridge.built is not None  # and the first key finds the Engine parsed


async def _until(pilot: Pilot[Any], check: Callable[[], object], timeout: float = 30) -> None:
    """Run the app's loop until `check()` holds (bounded): a worker thread's answer comes
    back through the loop, so each pause lets it land."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the picker never got there"
        await pilot.pause(0.02)


async def _to_row(pilot: Pilot[Any], app: PickerApp, query: str) -> None:
    """Filter to `query`, then into the table, where letters are keys."""
    await pilot.press(*query)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("tab")


def _notes(app: PickerApp) -> list[tuple[str, str]]:
    return [(n.message, n.severity) for n in app._notifications]


async def _run(pilot: Pilot[Any], app: PickerApp, command: str) -> OutputScreen:
    await pilot.press("r")
    await _until(pilot, lambda: isinstance(app.screen, AskScreen))
    await pilot.press(*command, "enter")
    await _until(pilot, lambda: isinstance(app.screen, OutputScreen | MfaScreen))
    return app.screen  # type: ignore[return-value]


def _bottom_line(app: PickerApp) -> str:
    """The last line of the screen as a user sees it at 80x24 (from the SVG screenshot)."""
    svg = app.export_screenshot()
    height = app.size.height - 1
    parts = re.findall(rf'clip-path="url\(#[\w-]*line-{height}\)">([^<]*)</text>', svg)
    return html.unescape("".join(parts)).replace("\xa0", " ")


@pilot
async def test_each_modal_footer_shows_the_keys_that_work_there(engine: Engine) -> None:
    """Up to now the main screen's footer (Run, tmux, Quit ...) showed through every modal,
    where none of those keys did anything; each modal's own keys show instead."""
    main = ("Run", "tmux", "Quit", "Fav", "Sort", "Mark")
    app = _picker(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert all(key in _bottom_line(app) for key in main)

        async def shows(kind: type[object], *wanted: str) -> None:
            await _until(pilot, lambda: isinstance(app.screen, kind))
            await pilot.pause()
            line = _bottom_line(app)
            assert all(w in line for w in wanted), line
            assert not any(key in line for key in main), line

        await pilot.press("question_mark")
        await shows(HelpScreen, "esc Close")
        await pilot.press("escape", "ctrl+s")
        await shows(StatusScreen, "esc Close")
        await pilot.press("escape", "ctrl+r")
        await shows(AskScreen, "⏎ OK", "esc Cancel")
        await pilot.press("escape")
        # as the Engine's prompt and `r`'s worker put them up (test_mfa_once_in_a_modal)
        for screen, wanted in (
            (MfaScreen("default", "arn:aws:iam::111111111111:mfa/me"), ("⏎ Verify", "esc Cancel")),
            (OutputScreen("true   as a target"), ("esc Close",)),
        ):
            await app.push_screen(screen)
            await shows(type(screen), *wanted)
            await pilot.press("escape")
            await _until(pilot, lambda: not isinstance(app.screen, type(screen)))  # noqa: B023
        assert all(key in _bottom_line(app) for key in main)


@pilot
async def test_mfa_once_in_a_modal(demo_env: Demo) -> None:
    """No session: the modal asks (masked), a wrong code is said inline with the focus kept,
    the right one serves the command, and the next command asks nothing."""
    app = make_app(None, app_rows(demo_env), launch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, f"{demo_env.dev()}/developer")
        assert isinstance(await _run(pilot, app, "true"), MfaScreen)
        modal = app.screen
        assert isinstance(modal, MfaScreen)
        await _until(pilot, lambda: any(w.has_focus for w in modal.query("#mfa-code")))
        said = str(modal.query_one("#mfa-title", Static).render())
        assert f"jump account default ({demo_env.info.jump.account_id}" in said
        field = modal.query_one("#mfa-code", Input)
        assert field.password
        await pilot.press(*wrong(demo_env.code()), "enter")
        error = modal.query_one("#mfa-error", Static)
        await _until(pilot, lambda: "refused the MFA code" in str(error.render()))
        assert app.screen is modal and app.focused is field and field.value == ""
        await pilot.press(*demo_env.code(), "enter")
        await _until(pilot, lambda: isinstance(app.screen, OutputScreen))
        output = app.screen
        assert isinstance(output, OutputScreen)
        await _until(pilot, lambda: output.code is not None)
        assert output.code == 0
        await pilot.press("escape")
        await _until(pilot, lambda: not isinstance(app.screen, OutputScreen))
        again = await _run(pilot, app, "true")
        assert isinstance(again, OutputScreen)  # no second prompt
        await _until(pilot, lambda: again.code is not None)
        await _until(pilot, lambda: app.title.startswith("jumpshell  MFA 11:5"))
    assert len(demo_env.calls("GetSessionToken")) == 2  # the wrong code, then the right one
    assert _notes(app) == []


def app_rows(demo: Demo) -> list[TargetRow]:
    from jumpshell import app as core

    return core.target_rows()


@pilot
async def test_r_runs_a_command_as_the_role(engine: Engine, prompts: Prompts, demo: Demo) -> None:
    login(engine, demo, prompts)
    app = make_app(engine, engine.targets(), launch=True)
    name = f"{demo.dev()}/Developer"
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, name.lower())
        assert app.current() is not None and app.current().name == name  # type: ignore[union-attr]
        output = await _run(pilot, app, "sh -c 'echo as $JUMPSHELL_TARGET; exit 3'")
        assert isinstance(output, OutputScreen)
        await _until(pilot, lambda: output.code is not None)
        assert output.code == 3
        assert [line for line in output.query_one(Log).lines if line] == [f"as {name}"]
        assert "exit code 3" in str(output.query_one("#output-code", Static).render())


@pilot
async def test_a_role_used_from_the_picker_shows_its_minutes(
    engine: Engine, prompts: Prompts, demo: Demo
) -> None:
    """The rows show what the agent holds: credentials taken by `r` (or a shell) show their
    minutes in the row when the work is done, not only in the next picker."""
    login(engine, demo, prompts)
    app = make_app(engine, engine.targets(), launch=True)  # nothing held yet
    name = f"{demo.dev()}/ReadOnly"
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, name.lower())
        listing = app.query_one(TargetTable)
        assert app.current() is not None and app.current().name == name  # type: ignore[union-attr]
        minutes = re.compile(r" (\d+)m ")  # the creds column: "59m"
        assert not minutes.search(listing.render_line(1).text)
        output = await _run(pilot, app, "true")
        await _until(pilot, lambda: output.code == 0)
        await pilot.press("escape")
        await _until(pilot, lambda: minutes.search(listing.render_line(1).text))


@pilot
async def test_a_refused_role_is_a_notification(
    engine: Engine, prompts: Prompts, demo: Demo
) -> None:
    login(engine, demo, prompts)
    app = make_app(engine, engine.targets(), launch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, "sandbox-locked/untrusted")
        await pilot.press("enter")
        await _until(pilot, lambda: _notes(app))
        [(message, severity)] = _notes(app)
        assert severity == "error" and "AWS refused AssumeRole on arn:aws:iam::" in message
        assert "administrator to let the jump account or" in message  # the fix
        assert app.return_value is None and app.is_running  # the picker stays


@pilot
async def test_production_asks_its_name_first(engine: Engine, prompts: Prompts, demo: Demo) -> None:
    login(engine, demo, prompts)
    app = make_app(engine, engine.targets(), launch=True)
    prod = demo.prod()
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, prod)
        row = app.current()
        assert row is not None and row.production
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press(*"nope", "enter")
        error = app.screen.query_one("#ask-error", Static)
        assert f"type {prod} exactly" in str(error.render())
        await pilot.press(*("backspace",) * 4, *prod, "enter")
        await _until(pilot, lambda: app.return_value is not None)
    # headless: no terminal to hand over, so the picker ends with what the CLI would exec
    assert app.return_value == Chosen("shell", (row.name,), yes=True)
    assert app.return_value.argv()[-3:] == ["shell", "--yes", row.name]


@pilot
async def test_s_shows_the_sessions(engine: Engine, prompts: Prompts, demo: Demo) -> None:
    login(engine, demo, prompts)
    engine.credentials(engine.resolve(f"{demo.dev()}/Developer"))
    app = make_app(engine, engine.targets(), launch=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "s")
        await _until(pilot, lambda: isinstance(app.screen, StatusScreen))
        text = str(app.screen.query_one("#status-text", Static).render())
        assert re.search(r"jump default \(user \S+\): MFA session: 11h5\dm left", text)
        assert re.search(rf"{demo.dev()}/Developer: credentials, 5\dm left", text)
        await pilot.press("escape")
        await _until(pilot, lambda: not isinstance(app.screen, StatusScreen))


@pilot
async def test_t_ends_with_the_tmux_panes_to_exec(
    engine: Engine, prompts: Prompts, demo: Demo
) -> None:
    login(engine, demo, prompts)
    app = make_app(engine, engine.targets(), launch=True)
    name = f"{demo.dev()}/Developer"
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, name.lower())
        await pilot.press("t")
        await _until(pilot, lambda: app.return_value is not None)
    assert app.return_value == Chosen("tmux", (name,))
    assert app.return_value.argv()[1:] == ["-m", "jumpshell", "tmux", name]


@pilot
async def test_t_with_tmux_too_old_says_so_before_any_mfa(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tmux older than 3.2 on PATH: `t` is one notification naming the version needed; no
    MFA modal, and the picker stays."""
    fake = tmp_path / "tmux"
    fake.write_text("#!/bin/sh\necho 'tmux 3.1c'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    app = _picker(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "t")
        await _until(pilot, lambda: bool(_notes(app)))
        assert _notes(app) == [("tmux 3.1 is too old (install tmux 3.2 or newer)", "error")]
        assert not isinstance(app.screen, MfaScreen) and app.return_value is None


@pilot
async def test_c_says_the_console_is_not_there(engine: Engine) -> None:
    app = _picker(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "c")
        await pilot.pause()
        [(message, severity)] = _notes(app)
        assert severity == "warning" and "console sign-in is not there yet" in message


def test_the_help_names_every_key() -> None:
    """Each key bound in the picker (and its table) has a line in `?`'s screen."""
    shown = {"question_mark": "?", "slash": "/", "escape": "Esc", "enter": "Enter"}
    listed = {word for keys, _ in KEYS for word in keys.replace(",", " ").split()}
    listed |= {part for word in list(listed) for part in word.split("/")}
    listed = {word.lower() for word in listed}
    for binding in [*PickerApp.BINDINGS, *TargetTable.BINDINGS]:
        assert isinstance(binding, Binding)
        for key in binding.key.split(","):
            assert shown.get(key, key).lower() in listed, key


def test_the_help_fits_80_by_24() -> None:
    """The keys' box (round border, padding 2 across and 1 down, a title and its blank line)
    is not cut off on the smallest terminal the picker is for, above its footer's line."""
    keys = max(len(k) for k, _ in KEYS)
    assert keys + 2 + max(len(text) for _, text in KEYS) + 2 + 4 <= 80
    assert len(KEYS) + 2 + 2 + 2 <= 24 - 1


def test_the_header_names_each_jump_account_with_more_than_one() -> None:
    from jumpshell.tui.session import header

    now = 1_000_000.0
    assert header([], now) == "no MFA session"
    assert header([("default", now + 3600 + 62)], now) == "MFA 1:01:02 left"
    two = [("default", now + 59), ("gov", now - 1)]
    assert header(two, now) == "MFA default 0:00:59 left · gov expired"


@pilot
async def test_r_with_a_missing_command_is_a_notification(
    engine: Engine, prompts: Prompts, demo: Demo
) -> None:
    login(engine, demo, prompts)
    app = make_app(engine, engine.targets(), launch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, f"{demo.dev()}/developer")
        await pilot.press("r")
        await _until(pilot, lambda: isinstance(app.screen, AskScreen))
        await pilot.press(*"no-such-command-here", "enter")
        await _until(pilot, lambda: _notes(app))
        assert _notes(app) == [
            ("command not found: no-such-command-here (check the command after --)", "error")
        ]
        assert not isinstance(app.screen, OutputScreen | AskScreen)


@pilot
async def test_a_file_keyring_asks_its_passphrase_in_a_modal(
    demo_env: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_env.set_jump('keyring = "file"')
    jump = demo_env.info.jump
    read, write = os.pipe()
    os.write(write, b"correct horse battery\n")
    os.close(write)
    env = dict(demo_env.env, JUMPSHELL_KEYRING_PASSPHRASE_FD=str(read))
    env.pop("PYTHON_KEYRING_BACKEND")
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    added = subprocess.run(
        [str(BIN / "jumpshell"), "key", "add"],
        env=env,
        input=f"{jump.access_key_id}\n{jump.secret_access_key}\n",
        capture_output=True,
        text=True,
        timeout=60,
        pass_fds=(read,),
        check=False,
    )
    os.close(read)
    assert added.returncode == 0, added.stderr
    app = make_app(None, app_rows(demo_env), launch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, f"{demo_env.dev()}/developer")
        await pilot.press("r")
        await _until(pilot, lambda: isinstance(app.screen, AskScreen))
        command = app.screen
        await pilot.press(*"true", "enter")
        await _until(pilot, lambda: isinstance(app.screen, AskScreen) and app.screen is not command)
        asked = app.screen
        assert isinstance(asked, AskScreen) and asked.password
        assert "Passphrase for the keyring" in asked.title_text
        await _until(pilot, lambda: any(w.has_focus for w in asked.query("#ask")))
        await pilot.press(*"correct horse battery", "enter")
        await _until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await _until(pilot, lambda: any(w.has_focus for w in app.screen.query("#mfa-code")))
        await pilot.press(*demo_env.code(), "enter")
        await _until(pilot, lambda: isinstance(app.screen, OutputScreen))
        output = app.screen
        assert isinstance(output, OutputScreen)
        await _until(pilot, lambda: output.code == 0)
    assert _notes(app) == []


@pilot
async def test_esc_in_the_mfa_modal_cancels_and_says_so(demo_env: Demo) -> None:
    app = make_app(None, app_rows(demo_env), launch=True)
    async with app.run_test(size=SIZE) as pilot:
        await _to_row(pilot, app, f"{demo_env.dev()}/developer")
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, MfaScreen))
        await _until(pilot, lambda: any(w.has_focus for w in app.screen.query("#mfa-code")))
        await pilot.press("escape")
        await _until(pilot, lambda: _notes(app))
        assert _notes(app) == [
            ("no MFA code given (press the key again and type the code)", "error")
        ]
        assert not isinstance(app.screen, MfaScreen) and app.return_value is None
    assert demo_env.calls("GetSessionToken") == []
