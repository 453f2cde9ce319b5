"""sts:AssumeRole: the role must exist, the caller's policies and the role's trust allow it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jumpshell.localaws import policy
from jumpshell.localaws.auth import Principal, Store, iam_backend
from jumpshell.localaws.responses import AWSError
from jumpshell.localaws.stsrules import (
    CHAINING,
    MAX_SESSION,
    ROLE_ARN,
    check_mfa,
    credentials,
    iso,
    policy_docs,
    role_duration,
    validate_assume,
)


def _refuse(
    caller: Principal, action: str, arn: str, side: str, record: dict[str, Any]
) -> AWSError:
    record["refused"] = side
    message = f"User: {caller.arn} is not authorized to perform: {action} on resource: {arn}"
    return AWSError(403, "AccessDenied", message)


def find_role(arn: str) -> Any | None:
    """Moto's role behind a role ARN (partition and path included), or None."""
    match = ROLE_ARN.match(arn)
    if not match:
        return None
    partition, account_id = match.group(1), match.group(2)
    backend = iam_backend(account_id, partition)
    if backend is None:
        return None
    for role in list(backend.roles.values()):
        if role.arn == arn:
            return role
    return None


def identity_documents(caller: Principal) -> list[str]:
    """The caller's identity policies: a user's own and its groups', or a role's."""
    backend = iam_backend(caller.account_id, caller.partition)
    if backend is None:
        return []
    if caller.kind == "role":
        role = find_role(caller.role_arn or "")
        return policy_docs(role) if role is not None else []
    user = backend.users.get(caller.user_name)
    if user is None:
        return []
    docs = policy_docs(user)
    for group in list(backend.groups.values()):
        if user in group.users:
            docs.extend(policy_docs(group))
    return docs


def candidates(caller: Principal) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Principal names that match the caller: (specific ARNs, account-wide names)."""
    account = (caller.account_id, f"arn:{caller.partition}:iam::{caller.account_id}:root")
    specific = (caller.principal_arn, caller.arn) if caller.kind == "role" else (caller.arn,)
    return specific, account


def context(caller: Principal, params: dict[str, str], now: float, mfa: bool) -> dict[str, Any]:
    """The request context that trust and identity conditions see."""
    found: dict[str, Any] = {
        "aws:principalarn": caller.principal_arn,
        "aws:principalaccount": caller.account_id,
        "aws:userid": caller.user_id,
        "aws:epochtime": str(int(now)),
        "aws:currenttime": iso(now),
        "sts:rolesessionname": params.get("RoleSessionName", ""),
        "aws:principaltype": {"user": "User", "session": "User", "role": "AssumedRole"}[
            caller.kind
        ],
    }
    if caller.user_name:
        found["aws:username"] = caller.user_name
    if caller.temporary or mfa:
        found["aws:multifactorauthpresent"] = "true" if (caller.mfa_present or mfa) else "false"
    mfa_time = now if mfa else caller.mfa_time
    if mfa_time is not None and (caller.mfa_present or mfa):
        found["aws:multifactorauthage"] = str(int(now - mfa_time))
    if caller.issued is not None:
        found["aws:tokenissuetime"] = iso(caller.issued)
    for param, key in (("ExternalId", "sts:externalid"), ("SourceIdentity", "sts:sourceidentity")):
        if params.get(param) is not None:
            found[key] = params[param]
    if caller.source_identity:
        found["aws:sourceidentity"] = caller.source_identity
        found.setdefault("sts:sourceidentity", caller.source_identity)
    return found


def authorize(
    caller: Principal,
    role: Any,
    arn: str,
    ctx: dict[str, Any],
    params: dict[str, str],
    record: dict[str, Any],
) -> None:
    """Raise AccessDenied unless identity policies and the trust policy both allow."""
    specific, account = candidates(caller)
    trust_doc = [role.assume_role_policy_document]
    actions = ["sts:AssumeRole"]
    if params.get("SourceIdentity") is not None:
        actions.append("sts:SetSourceIdentity")
    for action in actions:
        everyone = policy.Request(action, arn, specific + account, ctx)
        if policy.evaluate(trust_doc, everyone, trust=True) != "allow":
            raise _refuse(caller, "sts:AssumeRole", arn, "trust", record)
    named = policy.Request("sts:AssumeRole", arn, specific, ctx)
    by_name = policy.evaluate(trust_doc, named, trust=True) == "allow"
    same_account = role.account_id == caller.account_id
    verdict = policy.evaluate(
        identity_documents(caller), policy.Request("sts:AssumeRole", arn, (), ctx)
    )
    if verdict == "deny" or (verdict != "allow" and not (same_account and by_name)):
        raise _refuse(caller, "sts:AssumeRole", arn, "identity", record)


def assume_role(
    store: Store,
    clock: Callable[[], float],
    caller: Principal,
    params: dict[str, str],
    record: dict[str, Any],
) -> dict[str, object]:
    """AssumeRole for `caller`: validation, authorization, duration limits, credentials."""
    arn, session = validate_assume(params)
    record.update(role_arn=arn, session_name=session, source_identity=params.get("SourceIdentity"))
    seconds = role_duration(params)
    mfa = (
        check_mfa(store, clock(), caller, params, record)
        if params.get("SerialNumber") or params.get("TokenCode")
        else False
    )
    now = clock()
    role = find_role(arn)
    if role is None:
        raise _refuse(caller, "sts:AssumeRole", arn, "missing-role", record)
    authorize(caller, role, arn, context(caller, params, now, mfa), params, record)
    if caller.temporary and seconds > 3600:
        raise AWSError(400, "ValidationError", CHAINING)
    if seconds > int(role.max_session_duration or 3600):
        raise AWSError(400, "ValidationError", MAX_SESSION)
    source = params.get("SourceIdentity") or caller.source_identity
    assumed = f"arn:{role.partition}:sts::{role.account_id}:assumed-role/{role.name}/{session}"
    made = store.issue(
        Principal(
            kind="role", account_id=role.account_id, partition=role.partition, arn=assumed,
            user_id=f"{role.id}:{session}", access_key_id="", secret="", expiration=now + seconds,
            role_arn=role.arn, role_name=role.name, session_name=session,
            mfa_present=caller.mfa_present or mfa, mfa_time=now if mfa else caller.mfa_time,
            source_identity=source, issued=now,
        )
    )  # fmt: skip
    record["issued_key"] = made.access_key_id
    return {
        "Credentials": credentials(made),
        "AssumedRoleUser": {"AssumedRoleId": made.user_id, "Arn": assumed},
        "PackedPolicySize": None,
        "SourceIdentity": source,
    }
