"""The rows the completions and the picker list: from the agent's parsed config, equal to the
Engine's own; `app.target_rows` asks the agent first."""

from __future__ import annotations

import os
from dataclasses import replace

from jumpshell import app, targetcache
from jumpshell.agentapi import AgentClient
from jumpshell.engine import Engine
from tests.conftest import Demo
from tests.core.conftest import Prompts, login


def test_rows_from_the_agent_equal_the_engines(engine: Engine, demo: Demo) -> None:
    agent = AgentClient()
    assert agent.targets(str(demo.config)) is None  # no agent runs: nothing to ask
    agent.start()
    assert agent.targets(str(demo.config)) == engine.targets()
    assert app.target_rows(str(demo.config)) == engine.targets()
    assert agent.targets(str(demo.home / "no-such.toml")) is None  # the caller says why


def test_held_rows_from_the_agent_carry_the_expiry(
    engine: Engine, demo: Demo, prompts: Prompts
) -> None:
    login(engine, demo, prompts)
    engine.credentials(engine.resolve(demo.dev()))
    held = engine.targets(held=True)
    assert any(r.expires is not None for r in held)
    assert AgentClient().targets(str(demo.config), held=True) == held
    assert app.target_rows(str(demo.config), held=True) == held
    assert app.target_rows(str(demo.config)) == engine.targets()


def test_agent_rows_answer_without_the_cache(engine: Engine, demo: Demo) -> None:
    """With an agent running, its parsed copy answers: a cache doctored to lie is not read."""
    AgentClient().start()
    real = engine.targets()
    cached = targetcache.cache_file(str(demo.config))
    lie = [replace(r, name=f"{r.account}/Lie{r.role}", role=f"Lie{r.role}") for r in real]
    targetcache.write(str(demo.config), [targetcache.FileId.of(str(demo.config))], lie)
    assert os.path.exists(cached)
    assert targetcache.read(str(demo.config)) == lie
    assert app.target_rows(str(demo.config)) == real
