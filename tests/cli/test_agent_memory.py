"""Memory stays bounded: 10,000 role credentials and a 10,000-account config fit in 100 MB,
and expired role credentials are dropped, not held."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from jumpshell import agentclient
from jumpshell.agentapi import AgentClient
from jumpshell.assumeparams import AssumeParams, AwsEndpoint
from jumpshell.credentials import Credentials
from tests.cli.test_config_cache import big_config
from tests.conftest import start_agent

MB = 1024 * 1024


def _socket() -> str:
    return os.path.join(os.environ["XDG_RUNTIME_DIR"], "jumpshell", "agent.sock")


def _put(agent: AgentClient, index: int, expires_in: float) -> None:
    """Role credentials of STS's sizes (a session token is ~1 KiB), each its own strings."""
    key = f"default|arn:aws:iam::{200000000000 + index}:role/Admin|"  # Target.cache_key
    creds = Credentials(
        "ASIA" + secrets.token_hex(8).upper(),
        secrets.token_urlsafe(30),
        secrets.token_urlsafe(750),
        time.time() + expires_in,
    )
    params = AssumeParams(
        key=key,
        target=f"acct-{index:05d}/Admin",
        role_arn=f"arn:aws:iam::{200000000000 + index}:role/Admin",
        jump="default",
        jump_id="111111111111:alice",
        session_name="alice",
        user_arn="arn:aws:iam::111111111111:user/alice",
        source_identity=None,
        external_id=None,
        duration=3600,
        region="us-east-1",
        endpoint=AwsEndpoint(),
    )
    agent.role_put(creds, params)


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) * 1024


def test_ten_thousand_roles_and_accounts_stay_under_100_mb(isolated: Path) -> None:
    agent_process = start_agent(dict(os.environ), idle=600)
    agent = AgentClient(socket=_socket())
    for index in range(10000):
        _put(agent, index, 3600)
    config = str(big_config(isolated / "config.toml", 10000))
    answer = agentclient.warm_env(config, "acct-00001/Admin", None, path=_socket(), timeout=600)
    assert answer is not None  # held, and the config parsed: the warm path answers
    assert agent.stats() == {"parses": 1, "configs": 1, "roles": 10000, "mfa": 0, "tokens": 0}
    assert len(agent.targets(config) or []) == 30000
    assert _rss(agent_process.pid) < 100 * MB


def test_expired_role_credentials_are_dropped(isolated: Path) -> None:
    start_agent(dict(os.environ), idle=600)
    agent = AgentClient(socket=_socket())
    for index in range(5):
        _put(agent, index, -1)  # expired before it came: not kept
    assert (agent.stats() or {})["roles"] == 0
    for index in range(3):
        _put(agent, index, 2)  # expires while held
    for index in range(3, 5):
        _put(agent, index, 3600)
    assert (agent.stats() or {})["roles"] == 5
    # `stats` never sweeps: the count drops when the agent's own timer drops them
    deadline = time.monotonic() + 20
    while (agent.stats() or {})["roles"] != 2:
        assert time.monotonic() < deadline, "expired role credentials are still held"
        time.sleep(0.1)
    raw, problem = agent.status()
    assert problem is None
    assert sorted(r["target"] for r in raw["roles"]) == ["acct-00003/Admin", "acct-00004/Admin"]
