"""Policy evaluation: wildcards, Not* elements, condition operators, principals."""

from __future__ import annotations

from typing import Any

import pytest

from jumpshell.localaws.policy import Request, arn_match, evaluate, glob_match

ROLE = "arn:aws:iam::222222222222:role/Dev"


def doc(effect: str = "Allow", **statement: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": effect, **statement}]}


def test_wildcards() -> None:
    assert glob_match("arn:aws:iam::*:role/D?v", ROLE)
    assert not glob_match("arn:aws:iam::*:role/D?", ROLE)
    assert glob_match("STS:assume*", "sts:AssumeRole", ignore_case=True)
    assert arn_match("arn:aws:iam::*:role/*", ROLE)
    assert not arn_match("arn:aws:iam::111111111111:*", ROLE)


def test_action_resource_and_their_negations() -> None:
    request = Request("sts:AssumeRole", ROLE)
    assert evaluate([doc(Action="sts:*", Resource="*")], request) == "allow"
    assert evaluate([doc(NotAction="iam:*", Resource=ROLE)], request) == "allow"
    assert evaluate([doc(Action="sts:*", NotResource=ROLE)], request) == "implicit"
    both = [doc(Action="*", Resource="*"), doc("Deny", Action="sts:AssumeRole", Resource=ROLE)]
    assert evaluate(both, request) == "deny"


CONTEXT = {
    "aws:multifactorauthpresent": "true",
    "aws:multifactorauthage": "120",
    "sts:externalid": "abc",
    "aws:principalarn": "arn:aws:iam::111111111111:user/alice",
    "aws:currenttime": "2027-03-01T12:00:00Z",
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"Bool": {"aws:MultiFactorAuthPresent": "true"}}, True),
        ({"Bool": {"aws:MultiFactorAuthPresent": False}}, False),
        ({"Bool": {"aws:Missing": "true"}}, False),
        ({"BoolIfExists": {"aws:Missing": "true"}}, True),
        ({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, True),
        ({"NumericLessThanEquals": {"aws:MultiFactorAuthAge": "120"}}, True),
        ({"NumericGreaterThan": {"aws:MultiFactorAuthAge": "120"}}, False),
        ({"NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": "120"}}, True),
        ({"NumericLessThanIfExists": {"aws:Missing": "1"}}, True),
        ({"StringEquals": {"sts:ExternalId": ["x", "abc"]}}, True),
        ({"StringNotEquals": {"sts:ExternalId": "abc"}}, False),
        ({"StringNotEquals": {"aws:Missing": "abc"}}, True),
        ({"StringLike": {"sts:ExternalId": "a?c"}}, True),
        ({"StringNotLike": {"sts:ExternalId": "a*"}}, False),
        ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/*"}}, True),
        ({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:user/bob"}}, False),
        ({"Null": {"aws:Missing": "true"}}, True),
        ({"Null": {"sts:ExternalId": "true"}}, False),
        ({"Null": {"sts:ExternalId": "false"}}, True),
        ({"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}, True),
        ({"DateLessThan": {"aws:CurrentTime": "2026-01-01"}}, False),
        ({"DateGreaterThanEquals": {"aws:CurrentTime": "1767225600"}}, True),  # 2026-01-01
        ({"DateNotEquals": {"aws:CurrentTime": "2027-03-01T12:00:00Z"}}, False),
        ({"DateEquals": {"aws:CurrentTime": "not a date"}}, False),
        ({"DateLessThanIfExists": {"aws:Missing": "2026-01-01"}}, True),
        ({"StringLikeNoSuchOperator": {"sts:ExternalId": "*"}}, False),
    ],
)
def test_condition_operators(condition: dict[str, Any], expected: bool) -> None:
    request = Request("sts:AssumeRole", ROLE, (), CONTEXT)
    verdict = evaluate([doc(Action="sts:AssumeRole", Resource="*", Condition=condition)], request)
    assert (verdict == "allow") is expected


def test_trust_principals() -> None:
    alice = ("arn:aws:iam::111111111111:user/alice", "111111111111")
    request = Request("sts:AssumeRole", ROLE, alice)
    assert evaluate([doc(Action="sts:AssumeRole", Principal="*")], request, trust=True) == "allow"
    by_account = doc(Action="sts:AssumeRole", Principal={"AWS": "111111111111"})
    assert evaluate([by_account], request, trust=True) == "allow"
    other = doc(Action="sts:AssumeRole", Principal={"AWS": ["999999999999"]})
    assert evaluate([other], request, trust=True) == "implicit"
    service = doc(Action="sts:AssumeRole", Principal={"Service": "ec2.amazonaws.com"})
    assert evaluate([service], request, trust=True) == "implicit"
    not_bob = doc(Action="sts:AssumeRole", NotPrincipal={"AWS": "arn:aws:iam::1:user/bob"})
    assert evaluate([not_bob], request, trust=True) == "allow"
