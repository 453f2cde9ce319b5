"""`jumpshell pick`: in a real terminal (a pty), --print writes the chosen target to stdout."""

from __future__ import annotations

from pathlib import Path

import pexpect

from tests.conftest import BIN, Demo, require
from tests.shells.conftest import MINE, user_rc


def test_pick_print_writes_the_chosen_target(demo: Demo) -> None:
    out = demo.home / "chosen"
    child = pexpect.spawn(
        "/bin/sh",
        ["-c", f'"{BIN}/jumpshell" pick --print > "{out}"'],
        env=demo.env,
        dimensions=(24, 80),
        timeout=30,
    )
    try:
        child.expect("PROD")  # the table is drawn (on the terminal: stdout is the file)
        child.send("search-prod/adm")
        child.send("\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert out.read_text() == "search-prod/Admin\n"


def test_pick_without_a_terminal_says_so(demo: Demo) -> None:
    done = demo.js("pick", "--print")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "jumpshell: the picker needs a terminal "
        "(run it in one, or list targets with `jumpshell list`)\n"
    )


def test_bare_jumpshell_without_a_terminal_is_the_help(demo: Demo) -> None:
    done = demo.js()
    assert done.returncode == 0 and "pick" in done.stdout and "usage:" in done.stdout


def test_pick_enter_opens_the_rows_shell(demo: Demo, isolated: Path) -> None:
    """With `picker_return = false` the picker exits, then `jumpshell shell TARGET` is exec'ed
    in its place: the shell's exit is the command's (tests/tui/test_terminal.py: the return)."""
    user_rc(isolated, "bash")
    text = demo.config.read_text()
    demo.config.write_text(text.replace("[defaults]\n", "[defaults]\npicker_return = false\n", 1))
    demo.login()
    env = {**demo.env, "SHELL": require("bash"), "TERM": "xterm"}
    child = pexpect.spawn(str(BIN / "jumpshell"), ["pick"], env=env, encoding="utf-8", timeout=30)
    try:
        child.expect("PROD")
        child.send(f"{demo.dev()}/developer\r")
        child.expect_exact(f"[STG {demo.dev()}:Developer]\x1b[0m {MINE}")
        child.sendline("echo $JUMPSHELL_TARGET")
        child.expect_exact(f"{demo.dev()}/Developer")
        child.sendline("exit 3")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 3
