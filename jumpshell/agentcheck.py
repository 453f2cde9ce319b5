"""Checks on what the agent is asked to store: types, required fields and sizes.

A malformed entry once made forgetting fail half way, so nothing enters the agent's
store unchecked; a refusal is an error answer that names the field.
"""

from __future__ import annotations

from typing import Any

from jumpshell.credentials import Credentials

MAX_TEXT = 2048  # ids, names, ARNs
MAX_SECRET = 8192  # a session token is ~1 KiB; AWS allows growth
MAX_ENTRIES = 4096  # role credentials or tokens held at once
MAX_EXTRA = 16  # meta keys beyond the known ones (scalars only)

META_TEXT = ("key", "target", "role_arn", "jump", "jump_id", "session_name", "user_arn")
META_OPTIONAL = ("source_identity", "external_id", "region")


class BadRequest(ValueError):
    """A request the agent refuses to act on."""


def text(request: dict[str, Any], key: str, limit: int = MAX_TEXT, optional: bool = False) -> Any:
    """`request[key]` as a non-empty string of at most `limit` characters."""
    value = request.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or len(value) > limit:
        raise BadRequest(f"{key} must be a non-empty string of at most {limit} characters")
    return value


def number(request: dict[str, Any], key: str, low: float, high: float) -> float:
    value = request.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise BadRequest(f"{key} must be a number in {low}..{high}")
    return float(value)


def credentials(request: dict[str, Any]) -> Credentials:
    """The `credentials` field, every part typed and sized."""
    value = request.get("credentials")
    if not isinstance(value, dict):
        raise BadRequest("credentials must be an object")
    text(value, "AccessKeyId", 128)
    text(value, "SecretAccessKey", 256)
    text(value, "SessionToken", MAX_SECRET, optional=True)
    if value.get("Expiration") is not None:
        number(value, "Expiration", 0, 2**40)
    return Credentials.from_dict(value)


def meta(request: dict[str, Any]) -> dict[str, Any]:
    """The `meta` field (credentials.assume_meta): what a refresh needs to assume again."""
    value = request.get("meta")
    if not isinstance(value, dict):
        raise BadRequest("meta must be an object")
    for key in META_TEXT:
        text(value, key)
    for key in META_OPTIONAL:
        text(value, key, optional=True)
    number(value, "duration", 900, 43200)
    if "endpoint" in value:
        endpoint(value)
    known = {*META_TEXT, *META_OPTIONAL, "duration", "endpoint"}
    extra = [k for k in value if k not in known]
    if len(extra) > MAX_EXTRA or any(
        len(str(k)) > 64 or not isinstance(value[k], str | int | float | bool | type(None))
        for k in extra
    ):
        raise BadRequest("meta has unknown fields that are not small scalars")
    for k in extra:
        if isinstance(value[k], str):
            text(value, k, optional=True)
    return dict(value)


def endpoint(request: dict[str, Any], optional: bool = False) -> dict[str, str] | None:
    """The `endpoint` field: {url, ca_bundle}, each a string ('' for AWS's own)."""
    value = request.get("endpoint")
    if value is None and optional:
        return None
    if (
        not isinstance(value, dict)
        or set(value) != {"url", "ca_bundle"}
        or not all(isinstance(v, str) and len(v) <= MAX_TEXT for v in value.values())
    ):
        raise BadRequest("endpoint must be an object of url and ca_bundle strings")
    return {"url": value["url"], "ca_bundle": value["ca_bundle"]}


def pid(request: dict[str, Any]) -> int:
    """The pid a token serves: a positive int."""
    value = request.get("pid")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 2**22:
        raise BadRequest("pid must be the positive pid of the process the token serves")
    return value
