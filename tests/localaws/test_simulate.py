"""iam:SimulatePrincipalPolicy: the caller's own policies, judged as AssumeRole judges them."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from jumpshell.localaws import LocalAWS, WorldBuilder, WorldInfo, demo_world
from tests.localaws.helpers import client, mfa_session, refused, role_arn

ALICE = "arn:aws:iam::111111111111:user/alice"
MFA = [
    {"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["true"],
     "ContextKeyType": "boolean"},
]  # fmt: skip


@pytest.fixture
def demo(local_aws: LocalAWS) -> WorldInfo:
    return local_aws.seed(demo_world())


def decide(aws: LocalAWS, creds: dict[str, Any], source: str, *resources: str) -> list[str]:
    answer = client(aws, "iam", creds).simulate_principal_policy(
        PolicySourceArn=source,
        ActionNames=["sts:AssumeRole"],
        ResourceArns=list(resources),
        ContextEntries=MFA,
    )
    return [r["EvalDecision"] for r in answer["EvaluationResults"]]


def test_decisions_follow_the_users_policies(local_aws: LocalAWS, demo: WorldInfo) -> None:
    session = mfa_session(local_aws, demo)
    arns = [
        role_arn(demo, "payments-prod", "ReadOnly"),  # the group allows every role
        role_arn(demo, "security", "BreakGlass"),  # the group denies this one
        role_arn(demo, "sandbox-locked", "Untrusted"),  # allowed here: trust refuses it
    ]
    assert decide(local_aws, session, ALICE, *arns) == ["allowed", "explicitDeny", "allowed"]


def test_nothing_allowed_is_an_implicit_deny(local_aws: LocalAWS) -> None:
    world = (
        WorldBuilder(assume_any=False)
        .user_policy(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "iam:SimulatePrincipalPolicy",
                        "Resource": "arn:aws:iam::111111111111:user/${aws:username}",
                    }
                ],
            }
        )  # fmt: skip
        .account("dev")
        .role("dev", "Developer")
        .build()
    )
    info = local_aws.seed(world)
    session = mfa_session(local_aws, info)
    assert decide(local_aws, session, ALICE, role_arn(info, "dev", "Developer")) == ["implicitDeny"]


def test_simulating_needs_its_own_permission(local_aws: LocalAWS) -> None:
    info = local_aws.seed(WorldBuilder().account("dev").role("dev", "Developer").build())
    session = mfa_session(local_aws, info)
    call = partial(decide, local_aws, session, ALICE, role_arn(info, "dev", "Developer"))
    code, message, status = refused(call)
    assert (code, status) == ("AccessDenied", 403)
    assert message.endswith(f"iam:SimulatePrincipalPolicy on resource: {ALICE}")


def test_a_policy_variable_limits_it_to_oneself(local_aws: LocalAWS, demo: WorldInfo) -> None:
    session = mfa_session(local_aws, demo)
    bob = "arn:aws:iam::111111111111:user/bob"
    code, _, status = refused(partial(decide, local_aws, session, bob, "*"))
    assert (code, status) == ("AccessDenied", 403)


def test_an_unknown_user_is_no_such_entity(local_aws: LocalAWS) -> None:
    world = WorldBuilder().user_policy(
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "iam:SimulatePrincipalPolicy",
                        "Resource": "*"}]}
    ).build()  # fmt: skip
    info = local_aws.seed(world)
    session = mfa_session(local_aws, info)
    bob = "arn:aws:iam::111111111111:user/bob"
    code, message, status = refused(partial(decide, local_aws, session, bob, "*"))
    assert (code, message, status) == (
        "NoSuchEntity",
        "The user with name bob cannot be found.",
        404,
    )
