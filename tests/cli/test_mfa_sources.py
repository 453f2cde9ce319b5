"""Where codes come from: mfa_command that works, fails, or prints nothing usable."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import Demo


def _command(demo: Demo, tmp_path: Path, body: str) -> None:
    script = tmp_path / "code.py"
    script.write_text(body)
    demo.set_jump(f'mfa_command = "{sys.executable} {script}"')


def test_mfa_command_gives_the_code(demo: Demo, tmp_path: Path) -> None:
    _command(demo, tmp_path, f"print({demo.code()!r})\n")
    done = demo.js("run", demo.dev(), "--", "true")
    assert done.returncode == 0, done.stderr
    assert [c["outcome"] for c in demo.calls("GetSessionToken")] == ["ok"]


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ("import sys; sys.exit(1)\n", 3, "mfa_command exited 1"),
        ("print('no code here')\n", 2, "mfa_command printed no 6-digit code"),
        ("print('000000')\n", 3, "AWS refused the MFA code"),
    ],
)
def test_a_failing_mfa_command_says_so(
    demo: Demo, tmp_path: Path, body: str, code: int, words: str
) -> None:
    _command(demo, tmp_path, body)
    done = demo.js("run", demo.dev(), "--", "true")
    assert done.returncode == code
    assert words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_missing_mfa_command_says_so(demo: Demo) -> None:
    demo.set_jump('mfa_command = "/nonexistent/ykman oath code"')
    done = demo.js("login")
    assert done.returncode == 3
    assert "mfa_command failed" in done.stderr and "check mfa_command" in done.stderr
