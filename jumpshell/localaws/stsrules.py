"""STS's rules that GetSessionToken and AssumeRole share: messages, validation, TOTP, MFA."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from jumpshell.localaws.auth import Principal, Store, iam_backend
from jumpshell.localaws.responses import AWSError

MFA_FAILED = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
MFA_BOTH = (
    "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code."
)
CHAINING = (
    "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
    "role chaining."
)
MAX_SESSION = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
SESSION_NAME = r"[\w+=,.@-]*"
ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role(/(?:[^/]+/)*)([\w+=,.@-]+)$")


STEP = 30  # seconds per TOTP code


def code_at(seed: str, step: int) -> str:
    """RFC 6238: the code of the device with `seed` at 30-second step `step`."""
    import pyotp

    return str(pyotp.TOTP(seed).at(step * STEP))


def totp_step(seed: str, code: str, now: float) -> int | None:
    """The step (`now` // 30, or one either side) whose code `code` is, if any."""
    current = int(now // STEP)
    return next((s for s in (current, current - 1, current + 1) if code_at(seed, s) == code), None)


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _constraint(value: str, member: str, rule: str) -> str:
    return f"Value '{value}' at '{member}' failed to satisfy constraint: Member must {rule}"


def _validation(problems: list[str]) -> None:
    if problems:
        count = len(problems)
        head = f"{count} validation error{'s' if count > 1 else ''} detected: "
        raise AWSError(400, "ValidationError", head + "; ".join(problems))


def _length(value: str, member: str, low: int, high: int) -> list[str]:
    if len(value) < low:
        return [_constraint(value, member, f"have length greater than or equal to {low}")]
    if len(value) > high:
        return [_constraint(value, member, f"have length less than or equal to {high}")]
    return []


def _duration(params: dict[str, str], default: int, high: int) -> int:
    raw = params.get("DurationSeconds")
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AWSError(
            400, "ValidationError", f"Invalid value for DurationSeconds: {raw}"
        ) from None
    if value < 900:
        _validation(
            [_constraint(raw, "durationSeconds", "have value greater than or equal to 900")]
        )
    if value > high:
        _validation(
            [_constraint(raw, "durationSeconds", f"have value less than or equal to {high}")]
        )
    return value


def credentials(made: Principal) -> dict[str, object]:
    return {
        "AccessKeyId": made.access_key_id,
        "SecretAccessKey": made.secret,
        "SessionToken": made.token,
        "Expiration": iso(made.expiration or 0),
    }


def policy_docs(holder: Any) -> list[str]:
    """Inline and attached managed policy documents of a user, group or role."""
    docs = [str(d) for d in holder.policies.values()]
    for managed in holder.managed_policies.values():
        for version in managed.versions:
            if version.version_id == managed.default_version_id:
                docs.append(str(version.document))
    return docs


def check_mfa(
    store: Store, now: float, caller: Principal, params: dict[str, str], record: dict[str, Any]
) -> bool:
    """Whether an MFA device and code were given (and are right); AWSError if wrong."""
    serial, code = params.get("SerialNumber"), params.get("TokenCode")
    record["serial_number"] = serial
    if serial is None and code is None:
        return False
    if serial is None or code is None:
        raise AWSError(403, "AccessDenied", MFA_BOTH)
    problems = _length(serial, "serialNumber", 9, 256) + _length(code, "tokenCode", 6, 6)
    if not re.fullmatch(r"\d*", code):
        problems.append(
            _constraint(code, "tokenCode", r"satisfy regular expression pattern: [\d]*")
        )
    _validation(problems)
    backend = iam_backend(caller.account_id, caller.partition)
    user = backend.users.get(caller.user_name) if backend is not None else None
    device = backend.virtual_mfa_devices.get(serial) if backend is not None else None
    if user is None or device is None or serial not in user.mfa_devices:
        raise AWSError(403, "AccessDenied", MFA_FAILED)
    step = totp_step(device.base32_string_seed, code, now)
    if step is None or not store.use_mfa_step(serial, step):
        raise AWSError(403, "AccessDenied", MFA_FAILED)  # wrong, or used already
    return True


def _session_name(value: str, field: str) -> list[str]:
    """Problems with a RoleSessionName or SourceIdentity: its length and its characters."""
    problems = _length(value, field, 2, 64)
    if not re.fullmatch(SESSION_NAME, value):
        pattern = f"satisfy regular expression pattern: {SESSION_NAME}"
        problems.append(_constraint(value, field, pattern))
    return problems


def validate_assume(params: dict[str, str]) -> tuple[str, str]:
    """RoleArn and RoleSessionName, checked as AWS checks them."""
    arn, name = params.get("RoleArn", ""), params.get("RoleSessionName", "")
    problems = _length(arn, "roleArn", 20, 2048) + _session_name(name, "roleSessionName")
    source = params.get("SourceIdentity")
    if source is not None:
        problems += _session_name(source, "sourceIdentity")
    external = params.get("ExternalId")
    if external is not None:
        problems += _length(external, "externalId", 2, 1224)
    _validation(problems)
    return arn, name


def role_duration(params: dict[str, str]) -> int:
    """The requested role session length: default 3600, 900 to 43200."""
    return _duration(params, 3600, 43200)


def session_duration(params: dict[str, str]) -> int:
    """The requested GetSessionToken length: default 43200, 900 to 129600."""
    return _duration(params, 43200, 129600)
