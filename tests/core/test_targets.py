"""Target resolution and the environment a target gets (pure code, no AWS)."""

from __future__ import annotations

import pytest

from jumpshell.configfile import parse
from jumpshell.credentials import Credentials
from jumpshell.environment import target_env
from jumpshell.errors import UsageError
from jumpshell.targets import resolve

from .test_config import GOOD

CONFIG = parse(GOOD)


@pytest.mark.parametrize(
    ("text", "arn"),
    [
        ("prod", "arn:aws:iam::222222222222:role/Admin"),
        ("prod/ReadOnly", "arn:aws:iam::222222222222:role/ReadOnly"),
        ("prod/readonly", "arn:aws:iam::222222222222:role/ReadOnly"),
        ("222222222222/Admin", "arn:aws:iam::222222222222:role/Admin"),
        ("dev", "arn:aws:iam::333333333333:role/teams/Developer"),
        ("arn:aws:iam::555555555555:role/Other", "arn:aws:iam::555555555555:role/Other"),
        ("gov-prod", "arn:aws-us-gov:iam::444444444444:role/Admin"),
    ],
)
def test_resolve(text: str, arn: str) -> None:
    assert resolve(CONFIG, text).role_arn == arn


def test_resolve_carries_account_settings() -> None:
    target = resolve(CONFIG, "gov-prod")
    assert (target.jump.name, target.production, target.source_identity) == ("gov", True, True)
    assert target.name == "gov-prod/Admin"
    assert target.jump == CONFIG.jump("gov")  # carried, not looked up again at each step


def test_typo_suggests_the_closest() -> None:
    with pytest.raises(UsageError) as caught:
        resolve(CONFIG, "prdo")
    assert caught.value.fix.startswith("did you mean prod")


def test_unknown_role_suggests() -> None:
    with pytest.raises(UsageError) as caught:
        resolve(CONFIG, "prod/ReadOnyl")
    assert caught.value.fix == "did you mean prod/ReadOnly?"


def test_environment_sets_target_and_removes_conflicts() -> None:
    target = resolve(CONFIG, "prod/ReadOnly")
    creds = Credentials("ASIAEXAMPLE", "secret", "token", 1_900_000_000.0)
    base = {"AWS_PROFILE": "other", "AWS_SECURITY_TOKEN": "old", "PATH": "/bin", "LANG": "C"}
    env = target_env(target, creds, base, region="us-east-2")
    assert "AWS_PROFILE" not in env and "AWS_SECURITY_TOKEN" not in env
    assert env["PATH"] == "/bin"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "us-east-2"
    assert env["AWS_SESSION_TOKEN"] == "token"
    assert env["AWS_CREDENTIAL_EXPIRATION"] == "2030-03-17T17:46:40Z"
    assert env["JUMPSHELL_PRODUCTION"] == "1"
    assert (env["JUMPSHELL_ACCOUNT"], env["JUMPSHELL_ROLE"]) == ("prod", "ReadOnly")


def test_refreshing_environment_has_endpoint_not_keys() -> None:
    target = resolve(CONFIG, "dev")
    env = target_env(
        target, None, {"AWS_ACCESS_KEY_ID": "x"}, endpoint=("http://127.0.0.1:1/c", "t")
    )
    assert "AWS_ACCESS_KEY_ID" not in env
    assert env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] == "t"


def test_credentials_repr_hides_secrets() -> None:
    shown = repr(Credentials("ASIAKEY", "the-secret", "the-token", 1.0))
    assert "the-secret" not in shown and "the-token" not in shown
