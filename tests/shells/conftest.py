"""Driving real shells in a pty: each test's own HOME with an rc that sets an alias and a prompt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from tests.conftest import BIN, Demo, require

SHELLS = ("bash", "zsh", "fish")
MINE = "mine> "  # the test user's own prompt
ALIAS = "hello-from-alias"
ARN = "python -c \"import boto3; print('ARN=' + boto3.client('sts').get_caller_identity()['Arn'])\""

RC = {
    "bash": f"alias hi='echo {ALIAS}'\nPS1='{MINE}'\n",
    "zsh": f"alias hi='echo {ALIAS}'\nPS1='{MINE}'\n",
    "fish": f"set -g fish_greeting\nalias hi 'echo {ALIAS}'\n"
    f"function fish_prompt; printf '{MINE}'; end\n",
}


def user_rc(home: Path, shell: str) -> None:
    """The test user's own rc file for `shell`."""
    if shell == "bash":
        (home / ".bashrc").write_text(RC["bash"])
    elif shell == "zsh":
        (home / ".zshrc").write_text(RC["zsh"])
    else:
        fish = home / "config" / "fish"
        fish.mkdir(parents=True, exist_ok=True)
        (fish / "config.fish").write_text(RC["fish"])


class Session:
    """A `jumpshell shell` (or a bare shell) in a pty."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.child = pexpect.spawn(
            argv[0], argv[1:], env=env, encoding="utf-8", timeout=30, dimensions=(24, 250)
        )
        self.seen = ""

    def prompt(self) -> str:
        """Wait for the user's prompt; all that came before it (escapes included)."""
        self.child.expect_exact(MINE)
        before = str(self.child.before) + MINE
        self.seen += before
        return before

    def run(self, line: str, pattern: str) -> str:
        """Send `line`; the first group of `pattern` in its output; then the next prompt."""
        self.child.sendline(line)
        self.child.expect(pattern)
        found: str = self.child.match.group(1)
        self.prompt()
        return found

    def value(self, expression: str) -> str:
        """`echo` a shell expression between markers; its value."""
        return self.run(f'echo "<<{expression}>>"', r"<<([^'\"$\r\n]*)>>\r\n")

    def arn(self) -> str:
        """The caller identity inside the shell, through boto3 and whatever credentials it has."""
        return self.run(ARN, r"ARN=(arn:\S+)\r\n")

    def exit(self, code: int = 0) -> int:
        self.child.sendline(f"exit {code}")
        self.child.expect(pexpect.EOF)
        self.child.close()
        status = self.child.exitstatus
        return -1 if status is None else int(status)


@pytest.fixture(params=SHELLS)
def shell(request: pytest.FixtureRequest, isolated: Path) -> str:
    """Each test once per shell; the user's rc in the test's HOME."""
    path = require(request.param)
    user_rc(isolated, request.param)
    return path


def open_shell(demo: Demo, shell: str, *args: str, **extra: str) -> Session:
    """`jumpshell shell ARGS` with $SHELL = `shell`, in a pty."""
    env = {k: v for k, v in demo.env.items() if k != "NO_COLOR"}
    env.update(SHELL=shell, TERM="xterm", **extra)
    session = Session([str(BIN / "jumpshell"), "shell", *args], env)
    OPEN.append(session)
    return session


OPEN: list[Session] = []


@pytest.fixture(autouse=True)
def _end_sessions() -> Iterator[None]:
    yield
    while OPEN:
        session = OPEN.pop()
        if session.child.isalive():
            session.child.terminate(force=True)


def name(shell: str) -> str:
    return os.path.basename(shell)
