"""One AssumeRole, wherever it runs (a command, or the agent for it): its outcome, its audit
entry, and a refusal's diagnosis (which side refused, from iam:SimulatePrincipalPolicy)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from jumpshell import audit, waits
from jumpshell.assumeparams import AssumeParams
from jumpshell.credentials import Credentials
from jumpshell.errors import AuthError, JumpshellError, UnreachableError, UsageError

if TYPE_CHECKING:
    from jumpshell.aws import Aws


@dataclass(frozen=True)
class Failure:
    """An AssumeRole that gave no credentials: what to say, audit and exit with; no secret.

    The agent answers with it, so that the command that asked writes the audit entry and
    raises the error, exactly as it would had it called AWS itself.
    """

    kind: Literal["refused", "denied", "expired", "failed"]  # audited: all but "failed"
    message: str
    fix: str
    exit_code: int
    audit_error: str  # the audit entry's `error`
    side: str | None = None  # who refused, from diagnose(): identity, trust, unknown

    def error(self) -> JumpshellError:
        kind = _BY_EXIT.get(self.exit_code, JumpshellError)
        return kind(self.message, self.fix, self.exit_code)

    def to_wire(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in _FAILURE_FIELDS}

    @classmethod
    def from_wire(cls, value: object) -> Failure:
        """Inverse of `to_wire`; BadRequest unless every field is there and typed."""
        from jumpshell.agentcheck import BadRequest, number

        if (
            not isinstance(value, dict)
            or value.get("kind") not in _KINDS
            or not all(isinstance(value.get(k), str) for k in ("message", "fix", "audit_error"))
            or not isinstance(value.get("side"), str | type(None))
        ):
            raise BadRequest("failure must be an object of a known kind and its texts")
        return cls(
            value["kind"],
            value["message"],
            value["fix"],
            int(number(value, "exit_code", 1, 255)),
            value["audit_error"],
            value["side"],
        )


_BY_EXIT: dict[int, type[JumpshellError]] = {2: UsageError, 3: AuthError, 4: UnreachableError}
_KINDS = ("refused", "denied", "expired", "failed")
_FAILURE_FIELDS = ("kind", "message", "fix", "exit_code", "audit_error", "side")


STS_READ_TIMEOUT = 20.0  # aws.READ_TIMEOUT, without importing boto3 to know it
STS_ATTEMPTS = 3  # aws.ATTEMPTS


def flight_seconds(read_timeout: float | None) -> float:
    """The longest one AssumeRole can take: every attempt timing out, then a diagnosis."""
    return STS_ATTEMPTS * (read_timeout or STS_READ_TIMEOUT) + 15


def sts_timeout() -> float | None:
    """This command's JUMPSHELL_STS_TIMEOUT, for the agent's calls on its behalf."""
    return waits.seconds("JUMPSHELL_STS_TIMEOUT", 0) or None


def record(params: AssumeParams, outcome: Credentials | Failure) -> None:
    """The audit entry of one AssumeRole (a failure that never reached AWS's verdict has none)."""
    entry = params.audit_fields()
    if isinstance(outcome, Credentials):
        audit.record(action="AssumeRole", outcome="ok", expiration=outcome.expiration_iso, **entry)
    elif outcome.kind != "failed":
        error, side = outcome.audit_error, outcome.side
        audit.record(action="AssumeRole", outcome="refused", error=error, side=side, **entry)


def try_assume(aws: Aws, session: Credentials, params: AssumeParams) -> Credentials | Failure:
    """AssumeRole for `params`; a refusal says which sides must allow it. Not audited."""
    from jumpshell.aws import Refused, SessionExpired

    try:
        return aws.assume_role(
            session,
            params.role_arn,
            params.session_name,
            params.duration,
            params.region,
            params.external_id,
            params.source_identity,
        )
    except Refused:
        side, message, fix = diagnose(aws, session, params)
        full = f"AWS refused AssumeRole on {params.role_arn}: {message}"
        return Failure("refused", full, fix, 3, message, side)
    except JumpshellError as exc:
        kind: Literal["denied", "expired", "failed"] = "failed"
        if isinstance(exc, AuthError):
            kind = "expired" if isinstance(exc, SessionExpired) else "denied"
        return Failure(kind, exc.message, exc.fix, exc.exit_code, exc.message)


@dataclass(frozen=True)
class _Caller:
    """Who calls AssumeRole, as a refusal names it: the jump user, or the role before this
    one in a chain (an AWS config profile from another role profile), whose policy it is."""

    arn: str  # what iam:SimulatePrincipalPolicy asks about
    name: str  # "alice", or "the role to-hub/Hub"
    intro: str  # name, saying on first mention that a chained role is the caller
    owner: str  # "a policy of {owner}": "alice's", or the intro
    home: str  # "the jump account", or "account 222222222222"
    let_in: str  # what the trust policy must name
    mfa: bool  # an MFA session calls (a chained role session carries no MFA of its own)


def _caller(params: AssumeParams) -> _Caller:
    via = params.via
    if via is None:
        user = params.user_arn.rsplit("/", 1)[1]
        let_in = f"the jump account or {user}"
        return _Caller(params.user_arn, user, user, f"{user}'s", "the jump account", let_in, True)
    account = via.role_arn.split(":")[4]
    name = f"the role {via.target}"
    intro = f"{name} (the link before it in the chain, which assumes it)"
    return _Caller(via.role_arn, name, intro, intro, f"account {account}", via.role_arn, False)


def diagnose(aws: Aws, session: Credentials, params: AssumeParams) -> tuple[str, str, str]:
    """Which side refused: AWS never says, so ask iam:SimulatePrincipalPolicy about ours."""
    who, role = _caller(params), params.role_arn
    account = role.split(":")[4]
    decision = aws.simulate(session, who.arn, "sts:AssumeRole", role, params.region)
    if decision == "explicitDeny":
        return (
            "identity",
            f"a policy of {who.owner} in {who.home} denies it",
            f"an explicit Deny wins over any Allow: ask {who.home}'s administrator",
        )
    if decision == "implicitDeny":
        return (
            "identity",
            f"no policy of {who.owner} in {who.home} allows sts:AssumeRole on it",
            f"ask {who.home}'s administrator to grant it to {who.name}",
        )
    conditions = ["MFA"] if who.mfa else []
    if params.external_id:
        conditions.append("the external_id")
    if params.source_identity:
        conditions.append("sts:SetSourceIdentity, as source_identity is on")
    needs = ", ".join(conditions)
    if decision == "allowed":
        hint = "" if params.external_id else "; a role for a third party may want external_id"
        return (
            "trust",
            f"the role does not exist, or its trust policy in {account} does not let "
            f"{who.intro} in",
            f"{who.name}'s own policy allows it; check the role's name, then ask {account}'s "
            f"administrator to let {who.let_in} in{f', with {needs}' if needs else ''}{hint}",
        )
    return (
        "unknown",
        "AWS does not say which side refused" + ("" if who.mfa else f"; {who.intro} asked"),
        f"check the role's name; both {who.name}'s identity policy in {who.home} and the "
        f"role's trust policy must allow it"
        + (f", and the trust policy's conditions must hold: {needs}" if needs else ""),
    )


_AT: dict[tuple[str, str, float | None], Aws] = {}
_AT_LOCK = threading.Lock()


def aws_at(params: AssumeParams, read_timeout: float | None = None) -> Aws:
    """AWS at the endpoint the MFA session of `params` came from (never the agent's own
    environment's), with the asking command's STS read timeout if it set one.

    Kept for the agent's life: its STS clients (one per MFA session) serve every role.
    """
    from jumpshell.aws import Aws

    key = (params.endpoint.url, params.endpoint.ca_bundle, read_timeout)
    with _AT_LOCK:
        if key not in _AT:
            if len(_AT) >= 16:  # endpoints and timeouts of long ago
                _AT.clear()
            _AT[key] = aws = Aws(key[:2])
            if read_timeout is not None:
                aws.read_timeout = read_timeout
        return _AT[key]
