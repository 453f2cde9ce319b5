"""The warm `credential-process --session`: the agent's MFA session without argparse or botocore,
equal to the full path's answer; a miss (no session, another jump or endpoint) is the full path."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import boto3
import pytest

from jumpshell import agentclient
from jumpshell.localaws import LocalAWS, WorldBuilder, trust
from tests.cli.test_warm_imports import AVOIDED, _imported_after_startup
from tests.conftest import Demo, js

FULL = ("credential-process", "--jump=default", "--session")  # a spelling fast.py leaves alone


def _caller(data: dict[str, str], url: str) -> str:
    """The ARN AWS sees for the credentials in `data` (credential_process JSON)."""
    sts = boto3.client(
        "sts",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=data["AccessKeyId"],
        aws_secret_access_key=data["SecretAccessKey"],
        aws_session_token=data["SessionToken"],
    )
    return str(sts.get_caller_identity()["Arn"])


def test_the_warm_answer_is_the_full_paths(demo: Demo, tmp_path: Path) -> None:
    demo.login()
    warm = demo.js("credential-process", "--session")
    full = demo.js(*FULL)
    assert (warm.returncode, warm.stderr) == (0, "") and full.returncode == 0, full.stderr
    assert (warm.stdout, warm.stderr) == (full.stdout, full.stderr)  # byte for byte
    data = json.loads(warm.stdout)
    assert list(data) == ["Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"]
    assert data["AccessKeyId"].startswith("ASIA") and data["SessionToken"]
    assert datetime.fromisoformat(data["Expiration"]).tzinfo is not None  # ISO 8601, in UTC
    assert _caller(data, demo.aws.url).endswith(f":user/{demo.info.jump.user_name}")
    assert len(demo.calls("GetSessionToken")) == 1  # the one login; neither path logged in again
    for args in (
        ("--session",),
        ("--session", "--jump", "default"),
        ("--jump", "default", "--session"),
    ):
        imported = _imported_after_startup(demo, tmp_path, "credential-process", *args)
        assert "jumpshell.agentclient" in imported  # it asked the agent...
        assert not imported & {*AVOIDED, "argparse", "botocore", "tomllib", "jumpshell.config"}
    full_imports = _imported_after_startup(demo, tmp_path, *FULL)
    assert "argparse" in full_imports  # ...where the comparison above took the full path


def test_the_agent_hands_the_session_only_for_its_jump_and_endpoint(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The `\\0session1` request itself: a miss (None) unless jump, config and endpoint match."""
    demo.login()
    config = str(demo.config)
    assert agentclient.warm_session(config, "default") is None  # here: AWS's own endpoint
    monkeypatch.setenv("AWS_ENDPOINT_URL", demo.aws.url)  # where the demo logged in
    sets = agentclient.warm_session(config, "default")
    assert sets is not None and tuple(sets) == agentclient.SESSION_FIELDS
    assert sets["AWS_ACCESS_KEY_ID"].startswith("ASIA")
    assert agentclient.warm_session(config, "nosuch") is None
    assert agentclient.warm_session(config + ".missing", "default") is None
    monkeypatch.setenv("AWS_CA_BUNDLE", "/etc/ssl/certs/other.pem")
    assert agentclient.warm_session(config, "default") is None


def test_without_a_session_it_is_the_full_path(demo: Demo) -> None:
    """No session held (the agent up, or not): the full path's MFA prompt, which with no
    terminal is its one-line refusal; an MFA code then logs in, and the next call is warm."""
    demo.login()
    assert demo.js("logout").returncode == 0  # the agent lives on, holding nothing
    for _ in range(2):
        done = demo.js("credential-process", "--session")
        assert (done.returncode, done.stdout) == (3, "")
        assert done.stderr.startswith("jumpshell: ") and "--mfa-code" in done.stderr
        assert demo.js("lock").returncode == 0  # the second time: no agent at all
    code = demo.code()
    logged_in = demo.js("credential-process", "--session", "--mfa-code", code)
    assert logged_in.returncode == 0, logged_in.stderr
    again = demo.js("credential-process", "--session")
    assert again.stdout == logged_in.stdout
    assert len(demo.calls("GetSessionToken")) == 2


def test_a_session_made_at_another_endpoint_is_not_handed_out(demo: Demo) -> None:
    demo.login()
    elsewhere = {**demo.env, "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"}
    done = js("credential-process", "--session", env=elsewhere)
    assert (done.returncode, done.stdout) == (3, "")  # the full path: a login there, no TTY
    assert demo.js("credential-process", "--session").returncode == 0


def test_jump_names_its_own_session_only(
    local_aws: LocalAWS, isolated: Path, tmp_path: Path
) -> None:
    """alice (default) and bob (ops): bob's session for --jump ops, none for alice's."""
    from jumpshell.cli.demo import prepare

    alice = local_aws.seed(WorldBuilder().account("dev").role("dev", "Developer").build())
    bob = local_aws.seed(
        WorldBuilder("333333333333", "bob", organization=False)
        .account("ops", id="300000000001")
        .role("ops", "Operator", trust("333333333333"))
        .build()
    )
    env = prepare(str(isolated / "two"), local_aws.url, alice, own_dirs=False)
    with open(env["JUMPSHELL_CONFIG"], "a") as config:
        config.write(
            f'\n[jumps.ops]\naccount_id = "333333333333"\nuser_name = "bob"\n'
            f'mfa_serial = "{bob.jump.mfa_serial}"\n'
        )
    key = f"{bob.jump.access_key_id}\n{bob.jump.secret_access_key}\n"
    assert js("key", "add", "--jump", "ops", input=key, env=env).returncode == 0
    code = local_aws.totp(bob.jump.mfa_serial)
    assert js("login", "--jump", "ops", "--mfa-code", code, env=env).returncode == 0
    ops = js("credential-process", "--session", "--jump", "ops", env=env)
    assert ops.returncode == 0, ops.stderr
    assert _caller(json.loads(ops.stdout), local_aws.url) == "arn:aws:iam::333333333333:user/bob"
    imported = _imported_after_startup(
        env, tmp_path, "credential-process", "--session", "--jump", "ops"
    )
    assert "jumpshell.agentclient" in imported and "argparse" not in imported  # warm
    default = js("credential-process", "--session", env=env)
    assert (default.returncode, default.stdout) == (3, "")  # alice has logged in nowhere
    unknown = js("credential-process", "--session", "--jump", "nosuch", env=env)
    assert unknown.returncode == 2 and "no jump account named 'nosuch'" in unknown.stderr
