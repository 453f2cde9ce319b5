"""The only importer of boto3/botocore: STS and IAM with explicit credentials, errors mapped."""

from __future__ import annotations

import os
from typing import Any

import boto3
import botocore.config
import botocore.configprovider
import botocore.exceptions
import botocore.parsers
import botocore.session

from jumpshell.creds import Credentials
from jumpshell.errors import AuthError, JumpshellError, UnreachableError, UsageError

CHAINING_CAP = 3600
_RETRIES = botocore.config.Config(
    retries={"mode": "standard", "total_max_attempts": 3},
    connect_timeout=5,
    read_timeout=20,
)

_ONCE = botocore.config.Config(
    retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=10
)


class WrongMfaCode(AuthError):
    """AWS refused the MFA one-time code."""


class SessionExpired(AuthError):
    """The credentials used for the call have expired (server side)."""


class Refused(AuthError):
    """AccessDenied for an AssumeRole."""


class Aws:
    """STS and IAM against AWS, or whatever `AWS_ENDPOINT_URL` names."""

    def __init__(self) -> None:
        self.endpoint = os.environ.get("AWS_ENDPOINT_URL_STS") or os.environ.get("AWS_ENDPOINT_URL")

    def _client(self, service: str, creds: Credentials, region: str, config: Any = _RETRIES) -> Any:
        core = botocore.session.Session()
        # Never an ambient AWS_PROFILE: the jump account gets the keyring's key, nothing else.
        core.get_component("config_store").set_config_provider(
            "profile", botocore.configprovider.ConstantProvider(None)
        )
        session = boto3.session.Session(
            botocore_session=core,
            aws_access_key_id=creds.access_key_id,
            aws_secret_access_key=creds.secret_access_key,
            aws_session_token=creds.session_token,
            region_name=region,
        )
        return session.client(service, config=config)

    def _call(self, what: str, action: Any) -> Any:
        try:
            return action()
        except botocore.exceptions.ClientError as exc:
            raise _client_error(what, exc) from exc
        except (
            botocore.exceptions.EndpointConnectionError,
            botocore.exceptions.ConnectTimeoutError,
            botocore.exceptions.ReadTimeoutError,
        ) as exc:
            url = getattr(exc, "kwargs", {}).get("endpoint_url") or self.endpoint or "AWS"
            raise UnreachableError(
                f"cannot reach {url}", "check your network, or AWS_ENDPOINT_URL"
            ) from exc
        except botocore.parsers.ResponseParserError as exc:
            raise UnreachableError(
                f"{what}: the endpoint sent a response that is not AWS's", "check AWS_ENDPOINT_URL"
            ) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise UnreachableError(
                f"{what} failed: {exc}", "try again; --debug shows more"
            ) from exc

    def get_session_token(
        self, key: Credentials, serial: str, code: str, duration: int, region: str
    ) -> Credentials:
        """GetSessionToken with MFA: the MFA session."""
        client = self._client("sts", key, region)
        answer = self._call(
            "GetSessionToken",
            lambda: client.get_session_token(
                SerialNumber=serial, TokenCode=code, DurationSeconds=duration
            ),
        )
        return _creds(answer["Credentials"])

    def assume_role(
        self,
        session: Credentials,
        role_arn: str,
        session_name: str,
        duration: int,
        region: str,
        external_id: str | None = None,
        source_identity: str | None = None,
    ) -> Credentials:
        """AssumeRole from the MFA session."""
        client = self._client("sts", session, region)
        params: dict[str, Any] = {
            "RoleArn": role_arn,
            "RoleSessionName": session_name,
            "DurationSeconds": duration,
        }
        if external_id:
            params["ExternalId"] = external_id
        if source_identity:
            params["SourceIdentity"] = source_identity
        answer = self._call(f"AssumeRole {role_arn}", lambda: client.assume_role(**params))
        return _creds(answer["Credentials"])

    def simulate(
        self, creds: Credentials, source_arn: str, action: str, resource: str, region: str
    ) -> str | None:
        """iam:SimulatePrincipalPolicy with an MFA context: allowed, implicitDeny, explicitDeny.

        None when it cannot be asked (no permission to simulate, or unsupported): it only
        sharpens an error message, so it never raises.
        """
        client = self._client("iam", creds, region, _ONCE)
        context = [
            {
                "ContextKeyName": "aws:MultiFactorAuthPresent",
                "ContextKeyValues": ["true"],
                "ContextKeyType": "boolean",
            },
            {
                "ContextKeyName": "aws:MultiFactorAuthAge",
                "ContextKeyValues": ["60"],
                "ContextKeyType": "numeric",
            },
        ]
        try:
            answer = client.simulate_principal_policy(
                PolicySourceArn=source_arn,
                ActionNames=[action],
                ResourceArns=[resource],
                ContextEntries=context,
            )
            return str(answer["EvaluationResults"][0]["EvalDecision"])
        except Exception:  # only a sharper message hangs on it; never fail because of it
            return None

    def caller_identity(self, creds: Credentials, region: str) -> dict[str, str]:
        """GetCallerIdentity: Account, Arn, UserId."""
        client = self._client("sts", creds, region)
        answer = self._call("GetCallerIdentity", client.get_caller_identity)
        return {k: answer[k] for k in ("Account", "Arn", "UserId")}

    def create_access_key(self, creds: Credentials, user_name: str, region: str) -> Credentials:
        """iam:CreateAccessKey for the jump user."""
        client = self._client("iam", creds, region)
        answer = self._call("CreateAccessKey", lambda: client.create_access_key(UserName=user_name))
        key = answer["AccessKey"]
        return Credentials(key["AccessKeyId"], key["SecretAccessKey"])

    def list_access_keys(self, creds: Credentials, user_name: str, region: str) -> list[str]:
        """iam:ListAccessKeys: the ids of the jump user's keys (AWS allows two)."""
        client = self._client("iam", creds, region)
        answer = self._call("ListAccessKeys", lambda: client.list_access_keys(UserName=user_name))
        return [str(k["AccessKeyId"]) for k in answer.get("AccessKeyMetadata", [])]

    def delete_access_key(
        self, creds: Credentials, user_name: str, key_id: str, region: str
    ) -> None:
        """iam:DeleteAccessKey."""
        client = self._client("iam", creds, region)
        self._call(
            "DeleteAccessKey",
            lambda: client.delete_access_key(UserName=user_name, AccessKeyId=key_id),
        )


def _creds(raw: dict[str, Any]) -> Credentials:
    return Credentials(
        raw["AccessKeyId"],
        raw["SecretAccessKey"],
        raw.get("SessionToken"),
        raw["Expiration"].timestamp(),
    )


def _client_error(what: str, exc: botocore.exceptions.ClientError) -> JumpshellError:
    error = exc.response.get("Error", {})
    code, message = error.get("Code", ""), error.get("Message", "")
    if code == "AccessDenied" and "MultiFactorAuthentication" in message:
        return WrongMfaCode(
            "AWS refused the MFA code",
            "check it; AWS takes each code once, so after a used one wait for the next",
        )
    if code in ("InvalidClientTokenId", "SignatureDoesNotMatch"):
        return AuthError(
            f"AWS does not accept the jump user's access key ({code})",
            "store a working key with `jumpshell key add`",
        )
    if code == "ExpiredToken":
        return SessionExpired("the MFA session has expired", "run `jumpshell login`")
    if code == "AccessDenied" and what.startswith("AssumeRole"):
        return Refused(f"AWS refused {what}: {message}", "")
    if code in ("Throttling", "ThrottlingException", "RequestLimitExceeded"):
        return UnreachableError(
            f"AWS is throttling {what} (still refused after retries)", "wait a minute and try again"
        )
    if code == "ValidationError" and "role chaining" in message:
        return UsageError(
            "AWS caps roles assumed from an MFA session at 1 hour", "use --duration 1h or less"
        )
    if code in ("InternalFailure", "ServiceUnavailable", "InternalError"):
        return UnreachableError(f"AWS failed {what} ({code})", "try again shortly")
    if code == "AccessDenied":
        return AuthError(f"AWS refused {what}: {message}", "ask an administrator for access")
    if code == "LimitExceeded" and what == "CreateAccessKey":
        return AuthError(
            "the jump user already has two access keys, AWS's limit, so no new one can be made",
            "`jumpshell key rotate --delete-unknown` deletes the one that is not stored",
        )
    return AuthError(f"{what} failed: {code}: {message}", "see --debug for details")
