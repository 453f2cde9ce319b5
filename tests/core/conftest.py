"""An Engine in this process over the local AWS: what the CLI and the picker's tests build on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from jumpshell import app
from jumpshell.engine import Engine
from jumpshell.mfa import MfaSource
from tests.conftest import Demo


@dataclass
class Prompts:
    """The MFA prompt a front end lends the Engine: hands out `codes` in order, keeps each
    `error` it was shown (None on a first ask), as a terminal or a modal would see them."""

    codes: list[str] = field(default_factory=list)
    errors: list[str | None] = field(default_factory=list)

    def __call__(self, serial: str, error: str | None) -> str:
        self.errors.append(error)
        if not self.codes:
            raise AssertionError(f"the Engine asked for an MFA code for {serial} unexpectedly")
        return self.codes.pop(0)


def wrong(code: str) -> str:
    """A 6-digit code that is not `code` (nor its neighbours in time, most likely)."""
    return f"{(int(code) + 500000) % 1000000:06d}"


@pytest.fixture
def prompts() -> Prompts:
    return Prompts()


@pytest.fixture
def engine(demo: Demo, prompts: Prompts, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """A ready Engine over the demo world (config, key, endpoint), MFA codes from `prompts`.

    The Engine reads the config path and the AWS endpoint from the environment, so the
    demo's environment becomes this process's; `isolated` ends the agent it starts.
    """
    for name, value in demo.env.items():
        if os.environ.get(name) != value:
            monkeypatch.setenv(name, value)
    warnings: list[str] = []
    front = app.FrontEnd(mfa_prompt=MfaSource(prompts, tries=3), warn=warnings.append)
    engine = app.build_engine(front, config=app.load_config(front))
    assert warnings == [] and engine.warnings == ()
    yield engine


def login(engine: Engine, demo: Demo, prompts: Prompts) -> None:
    """One MFA session, with the code of the moment."""
    prompts.codes.append(demo.code())
    engine.login()
