"""AssumeParams: everything needed to assume a target's role again (no secret), and its wire form.

The provider builds one per AssumeRole; the agent keeps it beside the role credentials and
each refresh token, to assume the role again from the MFA session it holds. `from_wire` is
where the agent checks what a client sends it: nothing enters its store unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jumpshell.agentcheck import MAX_TEXT, BadRequest, number, text

_TEXT = ("key", "target", "role_arn", "jump", "jump_id", "session_name", "user_arn", "region")
_OPTIONAL = ("source_identity", "external_id")
_KNOWN = {*_TEXT, *_OPTIONAL, "duration", "endpoint", "via"}
MAX_VIA = 4  # role profiles chained through others: a few hops at most (and no loop)
MAX_EXTRA = 16  # fields beyond the known ones (a newer client's): small scalars, then ignored


@dataclass(frozen=True)
class AwsEndpoint:
    """Where STS and IAM calls go: an endpoint URL and CA bundle ('' for AWS's own)."""

    url: str = ""
    ca_bundle: str = ""

    def to_wire(self) -> dict[str, str]:
        return {"url": self.url, "ca_bundle": self.ca_bundle}

    @classmethod
    def from_wire(cls, value: object) -> AwsEndpoint:
        """Inverse of `to_wire`; BadRequest unless exactly {url, ca_bundle}, both strings."""
        if (
            not isinstance(value, dict)
            or set(value) != {"url", "ca_bundle"}
            or not all(isinstance(v, str) and len(v) <= MAX_TEXT for v in value.values())
        ):
            raise BadRequest("endpoint must be an object of url and ca_bundle strings")
        return cls(value["url"], value["ca_bundle"])


@dataclass(frozen=True)
class AssumeParams:
    """One AssumeRole of one target through one jump user, its duration already capped."""

    key: str  # Target.cache_key: what the role credentials are held under
    target: str
    role_arn: str
    jump: str  # the jump's name
    jump_id: str  # provider.jump_id: the MFA session it is assumed from
    session_name: str
    user_arn: str  # the jump user, for iam:SimulatePrincipalPolicy when AWS refuses
    source_identity: str | None
    external_id: str | None
    duration: int
    region: str
    endpoint: AwsEndpoint  # where the MFA session was made: refreshes go there, and only there
    # the role assumed first, whose credentials this one is assumed with (an AWS config
    # profile whose source_profile is another role profile); None: from the MFA session
    via: AssumeParams | None = None

    def audit_fields(self) -> dict[str, str | None]:
        """What each AssumeRole audit entry says of it."""
        return {
            "jump": self.jump,
            "target": self.target,
            "role_arn": self.role_arn,
            "session_name": self.session_name,
            "source_identity": self.source_identity,
        }

    def to_wire(self) -> dict[str, Any]:
        """For the agent's JSON protocol (the `meta` field)."""
        wire: dict[str, Any] = {k: getattr(self, k) for k in (*_TEXT, *_OPTIONAL, "duration")}
        wire["endpoint"] = self.endpoint.to_wire()
        if self.via is not None:
            wire["via"] = self.via.to_wire()
        return wire

    @classmethod
    def from_wire(cls, value: object, depth: int = 0) -> AssumeParams:
        """Inverse of `to_wire`: every field typed and sized, or BadRequest naming it."""
        if not isinstance(value, dict):
            raise BadRequest("meta must be an object")
        _check_extra(value)
        via = value.get("via")
        if via is not None and depth >= MAX_VIA:
            raise BadRequest(f"meta chains more than {MAX_VIA} roles through others")
        made = cls(
            **{k: text(value, k) for k in _TEXT},
            **{k: text(value, k, optional=True) for k in _OPTIONAL},
            duration=int(number(value, "duration", 900, 43200)),
            endpoint=AwsEndpoint.from_wire(value.get("endpoint")),
            via=None if via is None else cls.from_wire(via, depth + 1),
        )
        if made.via is not None and (made.via.jump_id, made.via.endpoint) != (
            made.jump_id,
            made.endpoint,
        ):
            raise BadRequest("meta's via must start at the same MFA session and endpoint")
        return made


def _check_extra(value: dict[str, Any]) -> None:
    """Unknown fields are dropped, but only a few small scalars are taken at all."""
    extra = [k for k in value if k not in _KNOWN]
    if len(extra) > MAX_EXTRA or any(
        len(str(k)) > 64 or not isinstance(value[k], str | int | float | bool | type(None))
        for k in extra
    ):
        raise BadRequest("meta has unknown fields that are not small scalars")
    for k in extra:
        if isinstance(value[k], str):
            text(value, k, optional=True)
