"""AssumeRole: identity and trust policies, conditions, durations, names, refusals."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from jumpshell.localaws import (
    LocalAWS,
    WorldBuilder,
    WorldInfo,
    allow_assume,
    demo_world,
    deny_assume,
    trust,
)
from tests.localaws.helpers import assume, client, mfa_session, refused, role_arn, user_creds

JUMP = "111111111111"
CHAINING = (
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
    "role chaining."
)


def denied(caller: str, arn: str) -> str:
    return f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {arn}"


def last_refusal(aws: LocalAWS) -> Any:
    return aws.calls()[-1]["refused"]


@pytest.fixture
def demo(local_aws: LocalAWS) -> WorldInfo:
    return local_aws.seed(demo_world())


def test_demo_world_has_40_accounts_and_its_refusals_refuse(
    local_aws: LocalAWS, demo: WorldInfo
) -> None:
    assert len(demo.accounts) >= 40
    assert len({a.id for a in demo.accounts}) == len(demo.accounts)
    assert any(a.production for a in demo.accounts) and all(
        a.production == (a.tags["environment"] == "prod") for a in demo.accounts
    )
    session = mfa_session(local_aws, demo)
    alice = "arn:aws:iam::111111111111:user/alice"
    for account, role, side in [
        ("sandbox-locked", "Untrusted", "trust"),
        ("billing", "Vendor", "trust"),
        ("security", "BreakGlass", "identity"),
        ("payments-dev", "NoSuchRole", "missing-role"),
    ]:
        arn = role_arn(demo, account, role)
        code, message, status = refused(partial(assume, local_aws, session, arn))
        assert (code, message, status) == ("AccessDenied", denied(alice, arn), 403)
        assert last_refusal(local_aws) == side
    vendor = role_arn(demo, "billing", "Vendor")
    assert assume(local_aws, session, vendor, ExternalId="jumpshell-demo")["Credentials"]
    short = role_arn(demo, "security", "ShortSession")
    assert assume(local_aws, session, short, DurationSeconds=3600)["Credentials"]


def test_mfa_condition_needs_an_mfa_session(local_aws: LocalAWS, demo: WorldInfo) -> None:
    arn = role_arn(demo, "data-dev", "Developer")
    code, message, _ = refused(lambda: assume(local_aws, user_creds(demo), arn))
    assert code == "AccessDenied" and last_refusal(local_aws) == "trust"
    no_mfa = client(local_aws, "sts", user_creds(demo)).get_session_token()["Credentials"]
    assert refused(lambda: assume(local_aws, no_mfa, arn))[0] == "AccessDenied"
    answer = assume(local_aws, mfa_session(local_aws, demo), arn)
    assert answer["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Developer/alice")


def test_trust_without_mfa_condition_takes_the_plain_key(local_aws: LocalAWS) -> None:
    world = (
        WorldBuilder(JUMP)
        .account("dev")
        .role("dev", "Open", trust(JUMP, mfa=False))
        .role("dev", "Strict", trust(JUMP, mfa=True))
        .build()
    )
    info = local_aws.seed(world)
    assert assume(local_aws, user_creds(info), role_arn(info, "dev", "Open"))["Credentials"]
    strict = role_arn(info, "dev", "Strict")
    assert refused(lambda: assume(local_aws, user_creds(info), strict))[0] == "AccessDenied"


def test_trust_with_if_exists_and_age_conditions(local_aws: LocalAWS) -> None:
    doc = trust(JUMP, mfa=False)
    doc["Statement"][0]["Condition"] = {
        "BoolIfExists": {"aws:MultiFactorAuthPresent": "true"},
        "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"},
    }
    info = local_aws.seed(WorldBuilder(JUMP).account("dev").role("dev", "Fresh", doc).build())
    arn = role_arn(info, "dev", "Fresh")
    session = mfa_session(local_aws, info)
    assert assume(local_aws, session, arn)["Credentials"]
    local_aws.set_clock_offset(3700)  # the MFA is now more than an hour old
    assert refused(lambda: assume(local_aws, session, arn))[0] == "AccessDenied"
    assert last_refusal(local_aws) == "trust"


def test_trust_with_a_date_condition_follows_the_server_clock(local_aws: LocalAWS) -> None:
    from datetime import UTC, datetime

    opens = datetime.fromtimestamp(local_aws.faults.now() + 3600, UTC).isoformat()
    doc = trust(JUMP)
    doc["Statement"][0]["Condition"]["DateGreaterThan"] = {"aws:CurrentTime": opens}
    info = local_aws.seed(WorldBuilder(JUMP).account("dev").role("dev", "Later", doc).build())
    arn = role_arn(info, "dev", "Later")
    session = mfa_session(local_aws, info)
    assert refused(lambda: assume(local_aws, session, arn))[0] == "AccessDenied"
    local_aws.set_clock_offset(2 * 3600)  # the window has opened (the MFA session still holds)
    assert assume(local_aws, session, arn)["Credentials"]


def test_trust_naming_the_user_arn_and_another_account(local_aws: LocalAWS) -> None:
    alice = f"arn:aws:iam::{JUMP}:user/alice"
    world = (
        WorldBuilder(JUMP)
        .account("dev")
        .role("dev", "ForAlice", trust(alice))
        .role("dev", "ForBob", trust(f"arn:aws:iam::{JUMP}:user/bob"))
        .role("dev", "Anyone", trust("*"))
        .role("dev", "Elsewhere", trust("222233334444"))
        .build()
    )
    info = local_aws.seed(world)
    session = mfa_session(local_aws, info)
    assert assume(local_aws, session, role_arn(info, "dev", "ForAlice"))["Credentials"]
    assert assume(local_aws, session, role_arn(info, "dev", "Anyone"))["Credentials"]
    for role in ("ForBob", "Elsewhere"):
        arn = role_arn(info, "dev", role)
        assert refused(partial(assume, local_aws, session, arn))[0] == "AccessDenied"


def test_identity_policy_is_needed_and_deny_wins(local_aws: LocalAWS) -> None:
    world = (
        WorldBuilder(JUMP, assume_any=False)
        .user_policy(allow_assume("arn:aws:iam::*:role/Dev*"))
        .group("no-admin", deny_assume("arn:aws:iam::*:role/DevAdmin"), managed=True)
        .account("dev")
        .role("dev", "Developer")
        .role("dev", "DevAdmin")
        .role("dev", "Ops")
        .build()
    )
    info = local_aws.seed(world)
    session = mfa_session(local_aws, info)
    assert assume(local_aws, session, role_arn(info, "dev", "Developer"))["Credentials"]
    for role in ("DevAdmin", "Ops"):
        arn = role_arn(info, "dev", role)
        assert refused(partial(assume, local_aws, session, arn))[0] == "AccessDenied"
        assert last_refusal(local_aws) == "identity"


def test_identity_policy_with_not_resource_and_conditions(local_aws: LocalAWS) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:Assume?ole",
                "NotResource": "arn:aws:iam::*:role/Secret",
                "Condition": {"StringLike": {"sts:RoleSessionName": "alice*"}},
            }
        ],
    }
    world = (
        WorldBuilder(JUMP, assume_any=False)
        .user_policy(policy, managed=True)
        .account("dev")
        .role("dev", "Developer")
        .role("dev", "Secret")
        .build()
    )
    info = local_aws.seed(world)
    session = mfa_session(local_aws, info)
    dev = role_arn(info, "dev", "Developer")
    assert assume(local_aws, session, dev, RoleSessionName="alice-1")["Credentials"]
    assert refused(lambda: assume(local_aws, session, dev, RoleSessionName="bob"))[0] == (
        "AccessDenied"
    )
    secret = role_arn(info, "dev", "Secret")
    assert refused(lambda: assume(local_aws, session, secret))[0] == "AccessDenied"


def test_external_id(local_aws: LocalAWS) -> None:
    doc = trust(JUMP, mfa=False, external_id="abc-123")
    info = local_aws.seed(WorldBuilder(JUMP).account("v").role("v", "Vendor", doc).build())
    arn = role_arn(info, "v", "Vendor")
    key = user_creds(info)
    assert refused(lambda: assume(local_aws, key, arn))[0] == "AccessDenied"
    assert refused(lambda: assume(local_aws, key, arn, ExternalId="wrong-1"))[0] == "AccessDenied"
    assert assume(local_aws, key, arn, ExternalId="abc-123")["Credentials"]


def test_source_identity_needs_set_source_identity(local_aws: LocalAWS) -> None:
    both = trust(JUMP, mfa=False, actions=("sts:AssumeRole", "sts:SetSourceIdentity"))
    world = (
        WorldBuilder(JUMP)
        .account("dev")
        .role("dev", "Plain", trust(JUMP, mfa=False))
        .role("dev", "Tracked", both)
        .build()
    )
    info = local_aws.seed(world)
    key = user_creds(info)
    plain = role_arn(info, "dev", "Plain")
    assert assume(local_aws, key, plain)["Credentials"]
    code, _, _ = refused(lambda: assume(local_aws, key, plain, SourceIdentity="alice"))
    assert code == "AccessDenied" and last_refusal(local_aws) == "trust"
    tracked = assume(local_aws, key, role_arn(info, "dev", "Tracked"), SourceIdentity="alice")
    assert tracked["SourceIdentity"] == "alice"
    assert local_aws.calls()[-1]["source_identity"] == "alice"


def test_durations_role_maximum_and_chaining_cap(local_aws: LocalAWS) -> None:
    world = (
        WorldBuilder(JUMP)
        .account("dev")
        .role("dev", "Long", trust(JUMP, mfa=False), max_session=43200)
        .role("dev", "Short", trust(JUMP, mfa=False), max_session=3600)
        .build()
    )
    info = local_aws.seed(world)
    key, long, short = (
        user_creds(info),
        role_arn(info, "dev", "Long"),
        role_arn(info, "dev", "Short"),
    )
    made = assume(local_aws, key, long, DurationSeconds=7200)["Credentials"]
    left = made["Expiration"].timestamp() - local_aws.faults.now()
    assert 7200 - 60 < left <= 7200
    assert refused(lambda: assume(local_aws, key, short, DurationSeconds=7200)) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        400,
    )
    session = client(local_aws, "sts", key).get_session_token()["Credentials"]
    assert refused(lambda: assume(local_aws, session, long, DurationSeconds=7200)) == (
        "ValidationError",
        CHAINING,
        400,
    )
    code, message, _ = refused(lambda: assume(local_aws, session, long, DurationSeconds=899))
    assert code == "ValidationError" and "durationSeconds" in message
    default = assume(local_aws, session, long)["Credentials"]
    assert 3540 < default["Expiration"].timestamp() - local_aws.faults.now() <= 3600


def test_role_chaining(local_aws: LocalAWS) -> None:
    hop = allow_assume("arn:aws:iam::*:role/Target")
    world = (
        WorldBuilder(JUMP)
        .account("a")
        .account("b")
        .role("a", "Hop", trust(JUMP), policies=(hop,))
        .role("a", "Stuck", trust(JUMP))
        .role("b", "Target", trust(role_arn_of("a", "Hop"), mfa=True))
        .build()
    )
    info = local_aws.seed(world)
    session = mfa_session(local_aws, info)
    first = assume(local_aws, session, role_arn(info, "a", "Hop"))["Credentials"]
    target = role_arn(info, "b", "Target")
    second = assume(local_aws, first, target, RoleSessionName="hop2")
    assert second["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Target/hop2")
    assert refused(lambda: assume(local_aws, first, target, DurationSeconds=3601))[1] == CHAINING
    stuck = assume(local_aws, session, role_arn(info, "a", "Stuck"))["Credentials"]
    assert refused(lambda: assume(local_aws, stuck, target))[0] == "AccessDenied"
    assert last_refusal(local_aws) == "trust"
    calls = [c for c in local_aws.calls() if c["outcome"] == "ok" and c["action"] == "AssumeRole"]
    assert str(calls[1]["caller_arn"]).endswith(":assumed-role/Hop/alice")


def role_arn_of(account_name: str, role: str) -> str:
    """The ARN a builder gives role `role` in the first (a) or second (b) account."""
    number = {"a": 1, "b": 2}[account_name]
    return f"arn:aws:iam::{200000000000 + number:012d}:role/{role}"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("bad name!", r"satisfy regular expression pattern: [\w+=,.@-]*"),
        ("a", "have length greater than or equal to 2"),
        ("x" * 65, "have length less than or equal to 64"),
    ],
)
def test_role_session_name_is_validated(
    local_aws: LocalAWS, demo: WorldInfo, name: str, fragment: str
) -> None:
    arn = role_arn(demo, "data-dev", "Developer")
    code, message, status = refused(
        lambda: assume(local_aws, mfa_session(local_aws, demo), arn, RoleSessionName=name)
    )
    assert (code, status) == ("ValidationError", 400)
    assert message == (
        f"1 validation error detected: Value '{name}' at 'roleSessionName' "
        f"failed to satisfy constraint: Member must {fragment}"
    )


def test_other_partitions(local_aws: LocalAWS) -> None:
    gov = "arn:aws-us-gov:iam::111111111111:root"
    world = (
        WorldBuilder(JUMP, assume_any=False)
        .user_policy(allow_assume("arn:aws-us-gov:iam::*:role/*"))
        .account("gov", region="us-gov-west-1")
        .role("gov", "Developer", trust([JUMP, gov], mfa=False))
        .build()
    )
    info = local_aws.seed(world)
    arn = f"arn:aws-us-gov:iam::{info.account('gov').id}:role/Developer"
    answer = assume(local_aws, user_creds(info), arn)
    assert answer["AssumedRoleUser"]["Arn"].startswith("arn:aws-us-gov:sts::")
    me = client(local_aws, "sts", answer["Credentials"]).get_caller_identity()
    assert me["Arn"] == answer["AssumedRoleUser"]["Arn"]
