"""Checks on what the agent is asked to store: types, required fields and sizes.

A malformed entry once made forgetting fail half way, so nothing enters the agent's
store unchecked; a refusal is an error answer that names the field. The AssumeRole
parameters and endpoints are checked where they are typed (assumeparams.py).
"""

from __future__ import annotations

from typing import Any

from jumpshell.credentials import Credentials

MAX_TEXT = 2048  # ids, names, ARNs
MAX_SECRET = 8192  # a session token is ~1 KiB; AWS allows growth
MAX_ENTRIES = 4096  # tokens held at once (role credentials: agentstore.MAX_ROLES)


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


def pid(request: dict[str, Any]) -> int:
    """The pid a token serves: a positive int."""
    value = request.get("pid")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 2**22:
        raise BadRequest("pid must be the positive pid of the process the token serves")
    return value
