"""The picker's tests reuse the in-process Engine over the demo world (tests/core/conftest.py);
`demo_env` is the demo's environment without an Engine, for pickers that build their own."""

from __future__ import annotations

import os

import pytest

from tests.conftest import Demo
from tests.core.conftest import engine, prompts

__all__ = ["demo_env", "engine", "prompts"]


@pytest.fixture
def demo_env(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> Demo:
    """The demo's environment as this process's: a picker given no Engine builds one from it
    (config path, AWS endpoint), with its own MFA modal as the prompt."""
    for name, value in demo.env.items():
        if os.environ.get(name) != value:
            monkeypatch.setenv(name, value)
    return demo
