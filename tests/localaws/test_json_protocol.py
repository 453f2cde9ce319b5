"""STS over the awsJson protocol, as a botocore that picks JSON for STS would speak it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

from jumpshell.localaws import LocalAWS, WorldBuilder, WorldInfo, trust
from tests.localaws.helpers import NO_RETRY


@pytest.fixture
def json_sts_models(tmp_path: Path) -> Path:
    """botocore's own STS model with its protocol switched to awsJson 1.0."""
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    version = loader.determine_latest_version("sts", "service-2")
    model: dict[str, Any] = loader.load_service_model("sts", "service-2", version)
    model["metadata"].update(
        protocol="json",
        protocols=["json"],
        jsonVersion="1.0",
        targetPrefix="AWSSecurityTokenServiceV20110615",
        awsQueryCompatible={},
    )
    folder = tmp_path / "models" / "sts" / version
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_text(json.dumps(model))
    return tmp_path / "models"


def json_sts(aws: LocalAWS, models: Path, key: str, secret: str, token: str | None = None) -> Any:
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, str(models))
    client = session.create_client(
        "sts",
        region_name="us-east-1",
        endpoint_url=aws.url,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=NO_RETRY,
    )
    assert client.meta.service_model.protocol == "json"
    return client


@pytest.fixture
def world(local_aws: LocalAWS) -> WorldInfo:
    builder = WorldBuilder().account("dev").role("dev", "Developer")
    return local_aws.seed(builder.role("dev", "Elsewhere", trust("999999999999")).build())


def test_session_token_and_assume_role_over_json(
    local_aws: LocalAWS, world: WorldInfo, json_sts_models: Path
) -> None:
    jump = world.jump
    sts = json_sts(local_aws, json_sts_models, jump.access_key_id, jump.secret_access_key)
    code = local_aws.totp(jump.mfa_serial)
    session = sts.get_session_token(SerialNumber=jump.mfa_serial, TokenCode=code)["Credentials"]
    assert session["Expiration"].tzinfo is not None  # an epoch number, parsed as a timestamp
    chained = json_sts(
        local_aws,
        json_sts_models,
        session["AccessKeyId"],
        session["SecretAccessKey"],
        session["SessionToken"],
    )
    arn = f"arn:aws:iam::{world.account('dev').id}:role/Developer"
    answer = chained.assume_role(RoleArn=arn, RoleSessionName="alice", DurationSeconds=3600)
    assert answer["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Developer/alice")
    assert [c["action"] for c in local_aws.calls()] == ["GetSessionToken", "AssumeRole"]


def test_refusals_keep_their_codes_over_json(
    local_aws: LocalAWS, world: WorldInfo, json_sts_models: Path
) -> None:
    jump = world.jump
    sts = json_sts(local_aws, json_sts_models, jump.access_key_id, jump.secret_access_key)
    with pytest.raises(ClientError) as wrong:
        sts.get_session_token(SerialNumber=jump.mfa_serial, TokenCode="000000")
    error: Any = wrong.value.response
    assert error["Error"]["Code"] == "AccessDenied"
    assert "invalid MFA one time pass code" in error["Error"]["Message"]
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    code = local_aws.totp(jump.mfa_serial)
    creds = sts.get_session_token(SerialNumber=jump.mfa_serial, TokenCode=code)["Credentials"]
    chained = json_sts(
        local_aws,
        json_sts_models,
        creds["AccessKeyId"],
        creds["SecretAccessKey"],
        creds["SessionToken"],
    )
    arn = f"arn:aws:iam::{world.account('dev').id}:role/Developer"
    with pytest.raises(ClientError) as capped:
        chained.assume_role(RoleArn=arn, RoleSessionName="alice", DurationSeconds=7200)
    assert capped.value.response["Error"]["Code"] == "ValidationError"
    assert "1 hour session limit" in capped.value.response["Error"]["Message"]
    elsewhere = f"arn:aws:iam::{world.account('dev').id}:role/Elsewhere"
    with pytest.raises(ClientError) as untrusted:
        chained.assume_role(RoleArn=elsewhere, RoleSessionName="alice")
    assert untrusted.value.response["Error"]["Code"] == "AccessDenied"
