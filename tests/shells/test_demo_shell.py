"""The demo's shell says it is the demo, and its banner shows the picker and `jumpshell shell`."""

from __future__ import annotations

from pathlib import Path

import pexpect

from tests.conftest import BIN, require
from tests.shells.conftest import MINE, user_rc


def test_demo_shell_carries_a_demo_label(isolated: Path) -> None:
    user_rc(isolated, "bash")
    env = {
        "HOME": str(isolated),
        "PATH": f"{BIN}:/usr/bin:/bin",
        "SHELL": require("bash"),
        "TERM": "xterm",
        "XDG_RUNTIME_DIR": str(isolated / "run"),
    }
    child = pexpect.spawn(str(BIN / "jumpshell"), ["demo"], env=env, encoding="utf-8", timeout=60)
    child.expect_exact("jumpshell                                 the picker: type to filter")
    child.expect_exact("jumpshell shell payments-dev")
    child.expect_exact(f"\x1b[1;30;46m[demo]\x1b[0m {MINE}")
    child.sendline("exit 6")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 6
