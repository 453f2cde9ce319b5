"""The Engine in this process against the local AWS: the values every front end builds on."""

from __future__ import annotations

import calendar
import json
import time
import urllib.error
import urllib.request

import pytest

from jumpshell.credentials import Credentials
from jumpshell.engine import Engine
from jumpshell.errors import JumpshellError, UsageError
from tests.conftest import Demo

from .conftest import Prompts, login, wrong

ISO = "%Y-%m-%dT%H:%M:%SZ"


def _fetch(url: str, token: str) -> tuple[int, dict[str, str]]:
    """One GET at the credential endpoint, as an SDK in the command would make it."""
    request = urllib.request.Request(url, headers={"Authorization": token})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_targets_one_row_per_role_default_first(engine: Engine, demo: Demo) -> None:
    rows = engine.targets()
    assert len(rows) == sum(len(a.roles) for a in demo.info.accounts)
    for account in demo.info.accounts:
        mine = [r for r in rows if r.account == account.name]
        assert [r.role for r in mine] == [role.rsplit("/", 1)[-1] for role in account.roles]
        assert [r.default for r in mine] == [True] + [False] * (len(mine) - 1)
        assert {r.production for r in mine} == {account.production}
        assert {r.environment for r in mine} == {account.tags["environment"]}
        assert {r.account_id for r in mine} == {account.id}
        assert all(r.name == f"{account.name}/{r.role}" for r in mine)
    assert any(r.production for r in rows) and not all(r.production for r in rows)
    assert all(r.expires is None for r in rows)
    # the row named by an account alone is the one `resolve` gives for it
    first = rows[0]
    assert engine.resolve(first.account).name == first.name


def test_targets_held_shows_the_expiry_of_fetched_credentials(
    engine: Engine, demo: Demo, prompts: Prompts
) -> None:
    login(engine, demo, prompts)
    target = engine.resolve(demo.dev())
    creds = engine.credentials(target)
    rows = {r.name: r for r in engine.targets(held=True)}
    assert rows[target.name].expires == creds.expiration
    assert [n for n, r in rows.items() if r.expires is not None] == [target.name]
    assert all(r.expires is None for r in engine.targets())  # not asked: the agent is not


def test_resolve_a_typo_suggests_the_name(engine: Engine, demo: Demo) -> None:
    name = demo.dev()
    with pytest.raises(UsageError) as typo:
        engine.resolve(name[:-1] + "x")
    assert f"did you mean {name}" in typo.value.fix
    with pytest.raises(UsageError) as role:
        engine.resolve(f"{name}/Developr")
    assert f"did you mean {name}/Developer?" in role.value.fix


def test_wrong_code_then_the_right_one_then_no_more_prompts(
    engine: Engine, demo: Demo, prompts: Prompts
) -> None:
    code = demo.code()
    prompts.codes += [wrong(code), code]
    session = engine.login()
    assert session.expiration is not None and session.expiration > time.time() + 11 * 3600
    assert prompts.errors[0] is None
    assert prompts.errors[1] is not None and "AWS refused the MFA code" in prompts.errors[1]
    assert [c["outcome"] for c in demo.calls("GetSessionToken")][-1] == "ok"
    assert len(demo.calls("GetSessionToken")) == 2
    # two targets, no further prompt: the session is the agent's now
    dev = engine.credentials(engine.resolve(demo.dev()))
    prod = engine.credentials(engine.resolve(demo.prod()))
    assert dev.access_key_id != prod.access_key_id
    assert len(prompts.errors) == 2 and len(demo.calls("GetSessionToken")) == 2
    assert len(demo.calls("AssumeRole")) == 2
    # held: asking again costs no call
    assert engine.credentials(engine.resolve(demo.dev())) == dev
    assert len(demo.calls("AssumeRole")) == 2


def test_prepare_gives_the_environment_and_a_capped_notice(
    engine: Engine, demo: Demo, prompts: Prompts
) -> None:
    login(engine, demo, prompts)
    target = engine.resolve(demo.prod())
    base = {"PATH": "/usr/bin", "AWS_PROFILE": "other", "AWS_SESSION_TOKEN": "stale"}
    base |= {"JUMPSHELL_TARGET": "elsewhere", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "old"}
    ready = engine.prepare(target, base)
    env = ready.env
    assert (ready.target, ready.token, ready.notices) == (target, None, ())
    assert env["PATH"] == "/usr/bin"
    assert "AWS_PROFILE" not in env and "AWS_CONTAINER_AUTHORIZATION_TOKEN" not in env
    held = engine.credentials(target)
    assert env["AWS_ACCESS_KEY_ID"] == held.access_key_id
    assert env["AWS_SESSION_TOKEN"] == held.session_token
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == target.region
    assert env["JUMPSHELL_TARGET"] == target.name
    assert env["JUMPSHELL_ACCOUNT_ID"] == target.account_id
    assert env["JUMPSHELL_PRODUCTION"] == "1"
    assert engine.prepare(target, base, region="eu-west-1").env["AWS_REGION"] == "eu-west-1"
    # two hours from an MFA session: AWS's chaining cap makes it one, and the Engine says so
    longer = engine.prepare(engine.resolve(demo.dev()), base, duration=7200)
    (notice,) = longer.notices
    assert "capped to 1h" in notice
    expires = calendar.timegm(time.strptime(longer.env["AWS_CREDENTIAL_EXPIRATION"], ISO))
    assert time.time() + 3000 < expires <= time.time() + 3600
    # the notice belongs to that result, not to the next
    assert engine.prepare(engine.resolve(demo.dev()), base).notices == ()


def test_refresh_token_serves_until_revoked(engine: Engine, demo: Demo, prompts: Prompts) -> None:
    login(engine, demo, prompts)
    target = engine.resolve(demo.dev())
    ready = engine.prepare(target, {"AWS_ACCESS_KEY_ID": "AKIASTALE"}, refresh=True)
    other = engine.prepare(engine.resolve(demo.prod()), {}, refresh=True)
    env = ready.env
    assert ready.token and env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] == ready.token
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & set(env)
    url = env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
    status, served = _fetch(url, ready.token)
    assert status == 200
    assert served["AccessKeyId"] == engine.credentials(target).access_key_id
    assert engine.whoami(env).refreshing == f"token good for {target.name} only"

    engine.revoke(ready.token)
    status, refused = _fetch(url, ready.token)
    assert status == 403 and "AccessKeyId" not in refused
    assert engine.whoami(env).refreshing == "token revoked or unknown"
    assert other.token and _fetch(url, other.token)[0] == 200  # only that token ended
    engine.revoke(other.token)


def test_status_and_whoami(engine: Engine, demo: Demo, prompts: Prompts) -> None:
    (before,) = engine.status()
    assert (before.jump, before.user_name) == ("default", demo.info.jump.user_name)
    assert (before.mfa_expiration, before.roles, before.agent_problem) == (None, (), None)
    login(engine, demo, prompts)
    target = engine.resolve(demo.dev())
    creds = engine.credentials(target)
    (after,) = engine.status()
    assert after.mfa_expiration is not None and after.mfa_expiration > time.time() + 11 * 3600
    assert after.roles == ((target.name, target.role_arn, creds.expiration),)
    assert not after.kept

    me = engine.whoami(engine.prepare(target, {}).env)
    assert (me.target, me.account_id, me.production) == (target.name, target.account_id, False)
    assert me.sessions == (after,) and me.refreshing is None
    assert [j.user_name for j in me.jumps] == [demo.info.jump.user_name]
    outside = engine.whoami({})
    assert (outside.target, outside.account_id, outside.production) == (None, None, False)


def test_logout_then_credentials_need_a_new_login(
    engine: Engine, demo: Demo, prompts: Prompts
) -> None:
    login(engine, demo, prompts)
    target = engine.resolve(demo.dev())
    engine.credentials(target)
    engine.logout()
    (status,) = engine.status()
    assert (status.mfa_expiration, status.roles) == (None, ())
    prompts.codes.append(demo.code())
    engine.credentials(target)
    assert prompts.errors == [None, None]  # asked once more, after the logout
    assert len(demo.calls("GetSessionToken")) == 2
    assert len(demo.calls("AssumeRole")) == 2  # the role credentials went with the session


def test_audit_has_every_call_and_no_secret(engine: Engine, demo: Demo, prompts: Prompts) -> None:
    code = demo.code()
    prompts.codes += [wrong(code), code]
    session = engine.login()
    creds = engine.credentials(engine.resolve(demo.dev()))
    entries = list(engine.audit())
    assert [(e["action"], e["outcome"]) for e in entries] == [
        ("GetSessionToken", "refused"),
        ("GetSessionToken", "ok"),
        ("AssumeRole", "ok"),
    ]
    assert entries[-1]["role_arn"] == engine.resolve(demo.dev()).role_arn
    assert list(engine.audit(since=3600)) == entries
    text = json.dumps(entries)
    secrets = (demo.info.jump.secret_access_key, session.secret_access_key, creds.session_token)
    for secret in (*secrets, session.session_token, creds.secret_access_key):
        assert secret and secret not in text


def test_remove_key_then_login_fails_until_it_is_added(
    engine: Engine, demo: Demo, prompts: Prompts
) -> None:
    assert engine.remove_key() is True
    assert engine.remove_key() is False  # nothing left to remove
    with pytest.raises(JumpshellError) as missing:
        engine.login()
    assert "key add" in missing.value.render()
    assert demo.calls("GetSessionToken") == [] and prompts.errors == []
    jump = demo.info.jump
    engine.add_key("default", Credentials(jump.access_key_id, jump.secret_access_key))
    assert [c["action"] for c in demo.aws.calls()] == ["GetCallerIdentity"]  # checked first
    login(engine, demo, prompts)
    assert [c["outcome"] for c in demo.calls("GetSessionToken")] == ["ok"]
