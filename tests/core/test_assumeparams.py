"""AssumeParams on the agent's wire: built typed, read back the same, the bad refused."""

from __future__ import annotations

from typing import Any

import pytest

from jumpshell.agentcheck import BadRequest
from jumpshell.assumeparams import AssumeParams, AwsEndpoint
from jumpshell.configfile import parse
from jumpshell.provider import assume_params, jump_id
from jumpshell.targets import resolve

CONFIG = parse(
    """
[jump]
account_id = "111111111111"
user_name = "alice"
mfa_serial = "arn:aws:iam::111111111111:mfa/alice"
source_identity = true
endpoint_url = "https://sts.example"

[[account]]
name = "prod"
id = "222222222222"
roles = ["Admin"]
external_id = "ext"
""",
    "c.toml",
)


def _params() -> AssumeParams:
    return assume_params(resolve(CONFIG, "prod"), 900)


def test_built_from_a_target_and_its_jump() -> None:
    params = _params()
    assert params.jump_id == jump_id(CONFIG.jump()) and params.jump == "default"
    assert params.user_arn == "arn:aws:iam::111111111111:user/alice"
    assert (params.source_identity, params.external_id) == ("alice", "ext")
    assert params.endpoint.url == "https://sts.example"
    assert list(params.audit_fields()) == [
        "jump",
        "target",
        "role_arn",
        "session_name",
        "source_identity",
    ]


def test_the_wire_form_comes_back_the_same() -> None:
    params = _params()
    wire = params.to_wire()
    assert wire["endpoint"] == {"url": "https://sts.example", "ca_bundle": ""}
    assert AssumeParams.from_wire(wire) == params
    assert AssumeParams.from_wire({**wire, "newer_field": "x"}) == params  # ignored


@pytest.mark.parametrize(
    "change",
    [
        {"key": ""},
        {"role_arn": 5},
        {"target": "t" * 5000},
        {"duration": 60},
        {"duration": "900"},
        {"duration": True},
        {"external_id": ["x"]},
        {"endpoint": None},
        {"endpoint": {"url": "x"}},
        {"endpoint": {"url": "x", "ca_bundle": 1}},
        {"extra": {"nested": 1}},
        {f"x{i}": i for i in range(17)},
    ],
)
def test_what_is_bad_is_refused(change: dict[str, Any]) -> None:
    with pytest.raises(BadRequest):
        AssumeParams.from_wire({**_params().to_wire(), **change})


def test_missing_fields_and_non_objects_are_refused() -> None:
    wire = _params().to_wire()
    for field in set(wire) - {"source_identity", "external_id"}:  # those two may be absent
        with pytest.raises(BadRequest):
            AssumeParams.from_wire({k: v for k, v in wire.items() if k != field})
    with pytest.raises(BadRequest):
        AssumeParams.from_wire(["not", "an", "object"])
    assert AwsEndpoint.from_wire({"url": "", "ca_bundle": ""}) == AwsEndpoint()


def test_a_chain_on_the_wire_is_capped_and_starts_at_one_session() -> None:
    from dataclasses import replace

    from jumpshell.assumeparams import MAX_VIA

    chain = _params()
    for _ in range(MAX_VIA):
        chain = replace(_params(), key=f"k{id(chain)}", via=chain)
    assert AssumeParams.from_wire(chain.to_wire()) == chain  # MAX_VIA links: taken
    with pytest.raises(BadRequest, match="chains more than"):
        AssumeParams.from_wire(replace(_params(), via=chain).to_wire())
    other = replace(_params(), via=replace(_params(), jump_id="aws:999999999999:mallory"))
    with pytest.raises(BadRequest, match="same MFA session"):
        AssumeParams.from_wire(other.to_wire())
