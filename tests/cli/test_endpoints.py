"""Held credentials keep the endpoint they came from, and serve only what was asked for."""

from __future__ import annotations

import calendar
import socket
import sys
import time
from collections.abc import Iterator

import pytest

from jumpshell import paths
from jumpshell.credentials import iso
from tests.conftest import Demo, js

PY = sys.executable


@pytest.fixture
def dead_url() -> Iterator[str]:
    """An endpoint nobody answers: a bound port that does not listen."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def _other(demo: Demo) -> str:
    """A second non-production account, for a role nobody has assumed yet."""
    first = demo.dev()
    return next(
        a.name
        for a in demo.info.accounts
        if not a.production and a.name != first and "Developer" in a.roles
    )


def test_agent_refreshes_where_the_session_came_from(demo: Demo, dead_url: str) -> None:
    dead = {**demo.env, "AWS_ENDPOINT_URL": dead_url}
    started = js("login", "--mfa-code", demo.code(), env=dead)  # starts the agent, in vain
    assert started.returncode == 4, started.stderr
    demo.login()  # from a shell that reaches the local AWS
    # the command drops the held role, so the agent must AssumeRole again for it
    script = (
        "import os, json, urllib.request\n"
        "from jumpshell import agentclient\n"
        f"agentclient.call({{'op': 'roles_clear'}}, path={paths.agent_socket()!r})\n"
        "request = urllib.request.Request(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'],\n"
        "    headers={'Authorization': os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']})\n"
        "print(json.load(urllib.request.urlopen(request, timeout=30))['AccessKeyId'])\n"
    )
    done = demo.js("run", demo.dev(), "--refresh", "--", PY, "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assumed = [c for c in demo.calls("AssumeRole") if c["outcome"] == "ok"]
    assert len(assumed) == 2  # the command's own, and the agent's refresh at the local AWS


def test_a_command_at_another_endpoint_is_not_handed_the_session(demo: Demo, dead_url: str) -> None:
    demo.login()
    assert demo.js("run", demo.dev(), "--", "true").returncode == 0  # the role is held now
    dead = {**demo.env, "AWS_ENDPOINT_URL": dead_url}
    for target in (demo.dev(), _other(demo)):  # a held role (warm path) and a new one
        done = js("run", target, "--", "true", env=dead)
        assert done.returncode == 3, (target, done.stderr)
        assert "an MFA code is needed" in done.stderr, done.stderr
        assert "cannot reach" not in done.stderr
    # and the session stays good for the commands at its own endpoint
    assert demo.js("run", _other(demo), "--", "true").returncode == 0
    assert len(demo.calls("GetSessionToken")) == 1


def test_the_jumps_endpoint_url_wins_over_the_environment(demo: Demo, dead_url: str) -> None:
    demo.set_jump(f'endpoint_url = "{demo.aws.url}"')
    dead = {**demo.env, "AWS_ENDPOINT_URL": dead_url}
    done = js("login", "--mfa-code", demo.code(), env=dead)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    done = js("run", demo.dev(), "--", "true", env=dead)
    assert done.returncode == 0, done.stderr


def _expiration(demo: Demo, *flags: str) -> float:
    show = "import os; print(os.environ['AWS_CREDENTIAL_EXPIRATION'])"
    done = demo.js("run", demo.dev(), *flags, "--", PY, "-c", show)
    assert done.returncode == 0, done.stderr
    return calendar.timegm(time.strptime(done.stdout.strip(), "%Y-%m-%dT%H:%M:%SZ"))


def test_a_shorter_duration_than_the_held_role_gets_its_own(demo: Demo) -> None:
    demo.login()
    assert _expiration(demo) - time.time() > 3000  # 1 h, now held
    short = _expiration(demo, "--duration", "15m")
    assert 800 < short - time.time() <= 900, iso(short)
    assert len(demo.calls("AssumeRole")) == 2
    assert _expiration(demo, "--duration", "30m") == short  # ends sooner than asked: served
    assert len(demo.calls("AssumeRole")) == 2


@pytest.mark.parametrize(
    ("duration", "code", "words"),
    [
        ("5m", 2, "a role session lasts 15 minutes to 12 hours"),
        ("13h", 2, "a role session lasts 15 minutes to 12 hours"),
        ("2h", 0, "role duration capped to 1h"),
    ],
)
def test_duration_on_a_held_role_is_checked(
    demo: Demo, duration: str, code: int, words: str
) -> None:
    demo.login()
    assert demo.js("run", demo.dev(), "--", "true").returncode == 0  # the role is held now
    done = demo.js("run", demo.dev(), "--duration", duration, "--", "true")
    assert done.returncode == code, done.stderr
    assert words in done.stderr and "Traceback" not in done.stderr
