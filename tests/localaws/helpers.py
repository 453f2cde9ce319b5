"""Helpers for the local AWS tests: boto3 clients from keys, error codes from ClientError."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from jumpshell.localaws import LocalAWS, WorldInfo

NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"}, parameter_validation=False)


def client(aws: LocalAWS, service: str, creds: Mapping[str, Any], retry: bool = False) -> Any:
    """A boto3 client for `service` at the local AWS, signed with `creds`."""
    return boto3.client(
        service,
        endpoint_url=aws.url,
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds.get("SessionToken"),
        config=None if retry else NO_RETRY,
    )


def user_creds(info: WorldInfo) -> dict[str, str]:
    """The jump user's long-lived key, shaped like STS Credentials."""
    return {
        "AccessKeyId": info.jump.access_key_id,
        "SecretAccessKey": info.jump.secret_access_key,
    }


def mfa_session(aws: LocalAWS, info: WorldInfo, **kwargs: Any) -> dict[str, Any]:
    """GetSessionToken with the right code: the MFA session's Credentials."""
    sts = client(aws, "sts", user_creds(info))
    code = aws.totp(info.jump.mfa_serial)
    answer = sts.get_session_token(SerialNumber=info.jump.mfa_serial, TokenCode=code, **kwargs)
    return dict(answer["Credentials"])


def role_arn(info: WorldInfo, account: str, role: str) -> str:
    return f"arn:aws:iam::{info.account(account).id}:role/{role}"


def assume(aws: LocalAWS, creds: Mapping[str, Any], arn: str, **kwargs: Any) -> dict[str, Any]:
    """AssumeRole with `creds`; the whole answer."""
    kwargs.setdefault("RoleSessionName", "alice")
    answer: dict[str, Any] = client(aws, "sts", creds).assume_role(RoleArn=arn, **kwargs)
    return answer


def refused(call: Callable[[], object]) -> tuple[str, str, int]:
    """(code, message, HTTP status) of the ClientError `call` raises."""
    with pytest.raises(ClientError) as caught:
        call()
    response: Any = caught.value.response
    error = response["Error"]
    return error["Code"], error["Message"], response["ResponseMetadata"]["HTTPStatusCode"]
