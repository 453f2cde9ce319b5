"""Every bad input in tests/bad_inputs/ ends in one `jumpshell: ...` line and its exit code."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from jumpshell.errors import UsageError
from jumpshell.mfa import check_code
from tests.conftest import js

FOLDER = Path(__file__).parent.parent / "bad_inputs"
CASES: list[dict[str, Any]] = tomllib.loads((FOLDER / "cases.toml").read_text())["case"]


def _id(case: dict[str, Any]) -> str:
    return str(case.get("config") or "-".join(case["args"][:3]))


def _fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_bad_input_is_one_line(case: dict[str, Any], request: pytest.FixtureRequest) -> None:
    config = case.get("config")
    if config:
        path = str(FOLDER / config)
        env = {**_environ(), "JUMPSHELL_CONFIG": path}
        values: dict[str, str] = {}
    else:
        demo = request.getfixturevalue("demo")
        plain = Path(request.getfixturevalue("tmp_path")) / "plain-file"
        plain.write_text("")
        env = dict(demo.env)
        values = {"dev": demo.dev(), "digits5000": "9" * 5000, "file": str(plain)}
    env.update({k: _fill(v, values) for k, v in case.get("env", {}).items()})
    args = [_fill(a, values) for a in case.get("args", ["list"])]
    done = js(*args, env=env, timeout=30)
    lines = done.stderr.splitlines()
    assert done.returncode == case.get("exit", 2), done.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("jumpshell: "), done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert case["says"] in lines[0], lines[0][:500]
    if config:
        assert lines[0].startswith(f"jumpshell: {path}:{case['line']}: "), lines[0][:500]
    assert len(lines[0]) < 400, "the line quotes a bad value whole"


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


@pytest.mark.parametrize("code", ["١٢٣٤٥٦", "１２３４５６", "12345６", "123456\n7", "12345"])
def test_an_mfa_code_is_six_ascii_digits(code: str) -> None:
    with pytest.raises(UsageError):
        check_code(code)
    assert check_code(" 123 456\n") == "123456"
