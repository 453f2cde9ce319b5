"""Cold runs share the agent's AssumeRole: one per role whoever asks, roles side by side."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from jumpshell import paths
from tests.conftest import BIN, Demo, start_agent

RUNS = 12
LATENCY_MS = 3000  # longer than twelve cold commands take to start on a busy 2-core machine


def _start(demo: Demo, target: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN / "jumpshell"), "run", target, "--", "printenv", "AWS_ACCESS_KEY_ID"],
        env=env or demo.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _finish(runs: list[subprocess.Popen[str]]) -> list[str]:
    """Each run's AWS_ACCESS_KEY_ID, once all have ended well."""
    keys = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        keys.append(out.strip())
    return keys


def _assumed(demo: Demo) -> list[dict[str, Any]]:
    return [c for c in demo.calls("AssumeRole") if c["outcome"] == "ok"]


def _audited() -> list[dict[str, Any]]:
    with open(paths.audit_file(), encoding="utf-8") as log:
        entries = [json.loads(line) for line in log]
    return [e for e in entries if e["action"] == "AssumeRole"]


def test_twelve_cold_runs_of_one_role_make_one_assume_role(demo: Demo) -> None:
    demo.login()
    demo.aws.set_latency(LATENCY_MS, "AssumeRole")
    target = demo.dev()
    keys = _finish([_start(demo, target) for _ in range(RUNS)])
    assert len(_assumed(demo)) == len(demo.calls("AssumeRole")) == 1
    assert len(set(keys)) == 1 and keys[0].startswith("ASIA")
    (entry,) = _audited()  # written by the command whose request made it, not by the agent
    assert (entry["outcome"], entry["target"]) == ("ok", f"{target}/Developer")


def test_twelve_cold_runs_of_twelve_roles_assume_side_by_side(demo: Demo) -> None:
    demo.login()
    demo.aws.set_latency(LATENCY_MS, "AssumeRole")
    targets = [
        f"{a.name}/Developer"
        for a in demo.info.accounts
        if not a.production and "Developer" in a.roles
    ][:RUNS]
    assert len(targets) == RUNS
    keys = _finish([_start(demo, t) for t in targets])
    calls = _assumed(demo)
    assert len(calls) == len(demo.calls("AssumeRole")) == RUNS
    assert len(set(keys)) == RUNS
    # the call record's own clock: every call had begun before the first one ended
    assert max(float(c["start"]) for c in calls) < min(float(c["end"]) for c in calls)
    assert all(int(c["latency_ms"]) == LATENCY_MS for c in calls)
    assert len(_audited()) == RUNS


def test_a_cold_run_with_the_session_held_loads_no_boto3(demo: Demo) -> None:
    demo.login()
    run = _start(demo, demo.dev(), {**demo.env, "PYTHONPROFILEIMPORTTIME": "1"})
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    assert out.strip().startswith("ASIA")
    assert "| jumpshell.cli" in err  # the import profile is there, so its silence means it
    loaded = [line for line in err.splitlines() if "boto3" in line or "botocore" in line]
    assert loaded == [], loaded[:5]
    assert len(_assumed(demo)) == 1  # the agent's, with the session it holds


def test_the_command_audits_what_the_agent_assumed_for_it(demo: Demo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "agent-state"
    agent = start_agent({**demo.env, "XDG_STATE_HOME": str(elsewhere)}, idle=600)
    demo.login()
    account = next(a for a in demo.info.accounts if "Untrusted" in a.roles)
    refused = demo.js("run", f"{account.name}/Untrusted", "--", "true")
    assert refused.returncode == 3, refused.stderr
    assert "the role does not exist, or its trust policy" in refused.stderr
    _finish([_start(demo, demo.dev())])
    audited = [(e["outcome"], e.get("side")) for e in _audited()]
    assert audited == [("refused", "trust"), ("ok", None)]
    assert not elsewhere.exists() or not list(elsewhere.rglob("*audit*"))
    assert agent.poll() is None  # that agent served both: its log would have been elsewhere
