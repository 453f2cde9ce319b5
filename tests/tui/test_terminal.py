"""The picker in a real terminal: a private tmux server runs `jumpshell` over the demo config;
Enter opens the row's shell in the same terminal, and `exit` brings the picker back."""

from __future__ import annotations

import shlex
from collections.abc import Iterator

import pytest

from tests.conftest import Demo, require
from tests.tmux.test_tmux import Tmux

PROMPT = "mine> "


@pytest.fixture
def tmux(demo: Demo) -> Iterator[Tmux]:
    server = Tmux(require("tmux"))
    bash = require("bash")
    (demo.home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    demo.env.update(SHELL=bash, HOME=str(demo.home))
    demo.env.pop("TMUX", None)
    demo.env.pop("TERM", None)  # tmux's own
    yield server
    server.kill()


def test_enter_opens_the_shell_and_exit_comes_back(demo: Demo, tmux: Tmux) -> None:
    demo.login()
    script = demo.home / "picker.sh"
    exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in demo.env.items())
    # bare: the picker; the terminal's size from tmux, not from a COLUMNS/LINES of 80x24
    # that the test run's environment may carry (Textual takes those first)
    script.write_text(f"#!/bin/sh\nunset COLUMNS LINES\n{exports}exec jumpshell\n")
    script.chmod(0o700)
    tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "pick", str(script))
    tmux.wait_for("pick", r"of \d+ targets")
    target = f"{demo.dev()}/Developer"
    tmux("send-keys", "-t", "pick", "-l", target.lower())
    tmux.wait_for("pick", r"1 of \d+ targets")
    tmux("send-keys", "-t", "pick", "Enter")
    tmux.wait_for("pick", rf"\[STG {demo.dev()}:Developer\] {PROMPT}")
    tmux("send-keys", "-t", "pick", "-l", "echo in=$JUMPSHELL_TARGET")
    tmux("send-keys", "-t", "pick", "Enter")
    tmux.wait_for("pick", rf"in={target}")
    tmux("send-keys", "-t", "pick", "-l", "exit")
    tmux("send-keys", "-t", "pick", "Enter")
    # the picker again, where it was: the same filter, the same row
    screen = tmux.wait_for("pick", r"1 of \d+ targets").string
    assert target.lower() in screen and "MFA 11:" in screen
    assert PROMPT not in screen
    # and the row says what the shell left: the role's credentials held, used just now (the
    # "last used" column wants a wider terminal)
    tmux("resize-window", "-t", "pick", "-x", "140", "-y", "30")
    tmux.wait_for("pick", r"Developer .* \d+m +now ")


def test_pick_print_in_a_command_substitution_takes_the_whole_terminal(
    demo: Demo, tmux: Tmux
) -> None:
    """`jumpshell run "$(jumpshell pick --print)" -- ...`: stdout is a pipe there, yet the
    picker is as wide as the terminal (not 80x24), and the name goes down the pipe."""
    script = demo.home / "print.sh"
    exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in demo.env.items())
    script.write_text(
        f"#!/bin/sh\nunset COLUMNS LINES\n{exports}"
        'x=$(jumpshell pick --print); echo "got=$x"; sleep 30\n'
    )
    script.chmod(0o700)
    tmux("new-session", "-d", "-x", "150", "-y", "30", "-s", "pick", str(script))
    tmux.wait_for("pick", r"of \d+ targets")
    tmux.wait_for("pick", r"last used +tags")  # the columns a 150-column screen has room for
    target = f"{demo.dev()}/Developer"
    tmux("send-keys", "-t", "pick", "-l", target.lower())
    tmux.wait_for("pick", r"1 of \d+ targets")
    tmux("send-keys", "-t", "pick", "Enter")
    tmux.wait_for("pick", rf"got={target}\b")
