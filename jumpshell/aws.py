"""The only importer of boto3/botocore: STS and IAM with explicit credentials, errors mapped."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
import botocore.config
import botocore.configprovider
import botocore.exceptions
import botocore.parsers
import botocore.session

from jumpshell.credentials import Credentials
from jumpshell.errors import AuthError, JumpshellError, UnreachableError, UsageError

READ_TIMEOUT = 20.0  # an STS answer slower than this is a stuck endpoint, not a slow one
ATTEMPTS = 3
# botocore would retry a read timeout too (3 x 20 s of silence): _call retries throttling,
# AWS's own failures and a refused connection itself, never a read timeout
_RETRIES = botocore.config.Config(
    retries={"mode": "standard", "total_max_attempts": 1},
    connect_timeout=5,
    read_timeout=READ_TIMEOUT,
)
_RETRY_CODES = {
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalFailure",
    "ServiceUnavailable",
    "InternalError",
}

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
    """STS and IAM against AWS, or the endpoint given (by default, this environment's)."""

    def __init__(
        self,
        endpoint: tuple[str, str] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        from jumpshell.agentclient import env_endpoint

        url, ca_bundle = endpoint if endpoint is not None else env_endpoint(os.environ)
        self.endpoint = url or None  # None: AWS's own endpoints
        self.ca_bundle = ca_bundle or None
        self.progress = progress  # says what a call slower than 2 s waits for
        from jumpshell.waits import seconds

        self.read_timeout = seconds("JUMPSHELL_STS_TIMEOUT", READ_TIMEOUT)
        self._sts: dict[tuple[str, str | None, str], Any] = {}
        self._sts_lock = threading.Lock()

    def at(self, url: str, ca_bundle: str) -> Aws:
        """The same, at another endpoint ('' for AWS's own)."""
        return Aws((url, ca_bundle), self.progress)

    def _client(self, service: str, creds: Credentials, region: str, config: Any = _RETRIES) -> Any:
        core = botocore.session.Session()
        # the keys are always given: the shared credentials file is never needed, so one the
        # AWS CLI cannot parse (or hostile) must not stop a login
        core.set_config_variable("credentials_file", os.devnull)
        store = core.get_component("config_store")
        # Never an ambient AWS_PROFILE: the jump account gets the keyring's key, nothing else.
        store.set_config_provider("profile", botocore.configprovider.ConstantProvider(None))
        # The endpoint and CA bundle are the ones given, never the environment of whichever
        # process runs this (the agent's is that of the shell that happened to start it).
        store.set_config_provider(
            "ignore_configured_endpoint_urls", botocore.configprovider.ConstantProvider(True)
        )
        store.set_config_provider(
            "ca_bundle", botocore.configprovider.ConstantProvider(self.ca_bundle)
        )
        if config is _RETRIES:
            config = config.merge(botocore.config.Config(read_timeout=self.read_timeout))
        try:
            session = boto3.session.Session(
                botocore_session=core,
                aws_access_key_id=creds.access_key_id,
                aws_secret_access_key=creds.secret_access_key,
                aws_session_token=creds.session_token,
                region_name=region,
            )
            return session.client(service, config=config, endpoint_url=self._url(service))
        except botocore.exceptions.ConfigParseError as exc:  # ~/.aws/config, read by botocore
            raise UsageError(
                f"{exc.kwargs.get('path', 'the AWS config')} cannot be parsed (the AWS CLI "
                "refuses it too)",
                "fix it, or point AWS_CONFIG_FILE at a good one",
            ) from None

    def _sts_client(self, creds: Credentials, region: str) -> Any:
        """One STS client per MFA session and region: the agent assumes many roles from one
        session, at once, and a client costs ~80 ms of CPU to build (clients are thread-safe)."""
        key = (creds.access_key_id, creds.session_token, region)
        with self._sts_lock:
            if key not in self._sts:
                if len(self._sts) >= 16:  # sessions of past logins: let them go
                    self._sts.clear()
                self._sts[key] = self._client("sts", creds, region)
            return self._sts[key]

    def _url(self, service: str) -> str | None:
        """STS at the session's endpoint; IAM and the rest beside it, as botocore would."""
        if service == "sts" or self.endpoint is None:
            return self.endpoint
        specific = os.environ.get(f"AWS_ENDPOINT_URL_{service.upper()}")
        return specific or os.environ.get("AWS_ENDPOINT_URL") or self.endpoint

    def _call(self, what: str, action: Any, client: Any = None) -> Any:
        """Run `action`, retrying what AWS says to retry; say so when it takes over 2 s."""
        url = client.meta.endpoint_url if client is not None else self.endpoint or "AWS"
        service = f"AWS {client.meta.service_model.service_id} " if client is not None else ""
        timer = None
        if self.progress is not None:
            timer = threading.Timer(
                2.0, self.progress, [f"waiting for {service}{what} at {url}..."]
            )
            timer.daemon = True
            timer.start()
        try:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    return self._once(what, action, url)
                except _Retry as retry:
                    if attempt == ATTEMPTS:
                        raise retry.error from retry.__cause__
                    time.sleep(0.2 * 2**attempt)  # backing off as AWS asks, not a test wait
        finally:
            if timer is not None:
                timer.cancel()

    def _once(self, what: str, action: Any, url: str) -> Any:
        try:
            return action()
        except botocore.exceptions.ClientError as exc:
            error = _client_error(what, exc)
            if exc.response.get("Error", {}).get("Code", "") in _RETRY_CODES:
                raise _Retry(error) from exc
            raise error from exc
        except botocore.exceptions.ReadTimeoutError as exc:
            raise UnreachableError(
                f"{url} did not answer {what} within {self.read_timeout:g} s",
                "the endpoint is slow or stuck: try again later, or check AWS_ENDPOINT_URL",
            ) from exc
        except (
            botocore.exceptions.EndpointConnectionError,
            botocore.exceptions.ConnectTimeoutError,
        ) as exc:
            url = getattr(exc, "kwargs", {}).get("endpoint_url") or url
            error = UnreachableError(
                f"cannot reach {url}", "check your network, or AWS_ENDPOINT_URL"
            )
            raise _Retry(error) from exc
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
            client,
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
        client = self._sts_client(session, region)
        params: dict[str, Any] = {
            "RoleArn": role_arn,
            "RoleSessionName": session_name,
            "DurationSeconds": duration,
        }
        if external_id:
            params["ExternalId"] = external_id
        if source_identity:
            params["SourceIdentity"] = source_identity
        answer = self._call(f"AssumeRole {role_arn}", lambda: client.assume_role(**params), client)
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
        answer = self._call("GetCallerIdentity", client.get_caller_identity, client)
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


class _Retry(Exception):
    """A failure worth another attempt; `error` is what to raise when none are left."""

    def __init__(self, error: JumpshellError) -> None:
        super().__init__(error.message)
        self.error = error


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
