"""Two jump accounts side by side, a key from ~/.aws/credentials, and the audit's --since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jumpshell.localaws import LocalAWS, WorldBuilder, WorldInfo, trust
from tests.conftest import js


@pytest.fixture
def two(local_aws: LocalAWS, isolated: Path) -> tuple[dict[str, str], WorldInfo, WorldInfo]:
    """alice in jump account 111111111111 (default) and bob in 333333333333 ("ops")."""
    from jumpshell.cli.demo import prepare

    alice = local_aws.seed(WorldBuilder().account("dev").role("dev", "Developer").build())
    bob_world = (
        WorldBuilder("333333333333", "bob", organization=False)
        .account("ops", id="300000000001")
        .role("ops", "Operator", trust("333333333333"))
        .build()
    )
    bob = local_aws.seed(bob_world)
    env = prepare(str(isolated / "two"), local_aws.url, alice, own_dirs=False)
    with open(env["JUMPSHELL_CONFIG"], "a") as config:
        config.write(
            f'\n[jumps.ops]\naccount_id = "333333333333"\nuser_name = "bob"\n'
            f'mfa_serial = "{bob.jump.mfa_serial}"\n\n'
            f'[[account]]\nname = "ops"\nid = "300000000001"\nroles = ["Operator"]\n'
            f'jump = "ops"\n'
        )
    key = f"{bob.jump.access_key_id}\n{bob.jump.secret_access_key}\n"
    done = js("key", "add", "--jump", "ops", input=key, env=env)
    assert done.returncode == 0, done.stderr
    return env, alice, bob


def test_each_account_goes_through_its_own_jump(
    two: tuple[dict[str, str], WorldInfo, WorldInfo], local_aws: LocalAWS
) -> None:
    env, alice, bob = two
    caller = "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"
    code_a, code_b = local_aws.totp(alice.jump.mfa_serial), local_aws.totp(bob.jump.mfa_serial)
    dev = js("run", "dev", "--mfa-code", code_a, "--", "python3", "-c", caller, env=env)
    ops = js("run", "ops", "--mfa-code", code_b, "--", "python3", "-c", caller, env=env)
    assert dev.returncode == 0 and ops.returncode == 0, dev.stderr + ops.stderr
    assert dev.stdout.strip().endswith(":assumed-role/Developer/alice")
    assert ops.stdout.strip() == "arn:aws:sts::300000000001:assumed-role/Operator/bob"
    logins = [c["caller_arn"] for c in local_aws.calls() if c["action"] == "GetSessionToken"]
    assert logins == [
        "arn:aws:iam::111111111111:user/alice",
        "arn:aws:iam::333333333333:user/bob",
    ]
    sessions = {s["jump"]: s for s in json.loads(js("status", "--json", env=env).stdout)}
    assert sessions["default"]["mfa_expiration"] and sessions["ops"]["mfa_expiration"]

    assert js("logout", "--jump", "ops", env=env).returncode == 0
    sessions = {s["jump"]: s for s in json.loads(js("status", "--json", env=env).stdout)}
    assert sessions["default"]["mfa_expiration"] and not sessions["ops"]["mfa_expiration"]
    assert js("run", "dev", "--", "true", env=env).returncode == 0  # alice's session lives on
    again = js("run", "ops", "--", "true", env=env)  # bob's is gone, and no TTY to ask on
    assert again.returncode == 3 and "--mfa-code" in again.stderr


def test_a_key_from_the_shared_credentials_file(demo_env: dict[str, str], info: WorldInfo) -> None:
    credentials = Path(demo_env["AWS_SHARED_CREDENTIALS_FILE"])
    credentials.write_text(
        f"[jump]\naws_access_key_id = {info.jump.access_key_id}\n"
        f"aws_secret_access_key = {info.jump.secret_access_key}\n"
    )
    config = Path(demo_env["JUMPSHELL_CONFIG"])
    config.write_text(config.read_text().replace("[jump]\n", '[jump]\nsource_profile = "jump"\n'))
    assert js("key", "remove", env=demo_env).returncode == 0
    done = js("run", "dev", "--mfa-code", "000000", "--", "true", env=demo_env)
    assert "key add" not in done.stderr  # the key was found: AWS judged the code instead
    assert done.returncode == 3 and "MFA" in done.stderr

    credentials.write_text("[jump]\nregion = us-east-1\n")
    done = js("login", "--mfa-code", "000000", env=demo_env)
    assert done.returncode == 2
    assert "source_profile 'jump' has no access key" in done.stderr


@pytest.fixture
def info(local_aws: LocalAWS) -> WorldInfo:
    return local_aws.seed(WorldBuilder().account("dev").role("dev", "Developer").build())


@pytest.fixture
def demo_env(local_aws: LocalAWS, isolated: Path, info: WorldInfo) -> dict[str, str]:
    from jumpshell.cli.demo import prepare

    return prepare(str(isolated / "one"), local_aws.url, info, own_dirs=False)


def test_audit_since_keeps_recent_entries(
    demo_env: dict[str, str], info: WorldInfo, local_aws: LocalAWS
) -> None:
    from jumpshell import paths

    old = {"time": "2026-01-01T00:00:00Z", "action": "GetSessionToken", "outcome": "ok"}
    Path(paths.audit_file()).parent.mkdir(parents=True, exist_ok=True)
    Path(paths.audit_file()).write_text(json.dumps(old) + "\n")
    code = local_aws.totp(info.jump.mfa_serial)
    assert js("run", "dev", "--mfa-code", code, "--", "true", env=demo_env).returncode == 0
    every = js("audit", "--json", env=demo_env).stdout.splitlines()
    recent = js("audit", "--since", "1d", "--json", env=demo_env).stdout.splitlines()
    assert len(every) == 3
    assert [json.loads(line)["action"] for line in recent] == ["GetSessionToken", "AssumeRole"]
    bad = js("audit", "--since", "yesterday", env=demo_env)
    assert bad.returncode == 2 and "--since" in bad.stderr and "Traceback" not in bad.stderr
