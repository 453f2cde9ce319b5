"""The Credentials value: temporary AWS keys with their expiry; never shows its secrets in repr."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass(frozen=True)
class Credentials:
    """Temporary (or long-lived, with no token) AWS credentials."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)
    expiration: float | None = None  # epoch seconds

    def remaining(self, now: float | None = None) -> float:
        """Seconds until expiry (infinite for long-lived keys)."""
        if self.expiration is None:
            return float("inf")
        return self.expiration - (time.time() if now is None else now)

    def valid_for(self, seconds: float) -> bool:
        """True if still valid `seconds` from now."""
        return self.remaining() > seconds

    @property
    def expiration_iso(self) -> str:
        """Expiry as ISO 8601 UTC (`2026-01-01T12:00:00Z`)."""
        if self.expiration is None:
            return ""
        return iso(self.expiration)

    def to_dict(self) -> dict[str, object]:
        """For the agent protocol (kept in memory and on the socket only)."""
        return {
            "AccessKeyId": self.access_key_id,
            "SecretAccessKey": self.secret_access_key,
            "SessionToken": self.session_token,
            "Expiration": self.expiration,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Credentials:
        """Inverse of `to_dict`."""
        expiration = data.get("Expiration")
        return cls(
            access_key_id=str(data["AccessKeyId"]),
            secret_access_key=str(data["SecretAccessKey"]),
            session_token=str(data["SessionToken"]) if data.get("SessionToken") else None,
            expiration=float(expiration) if isinstance(expiration, int | float) else None,
        )


def iso(epoch: float) -> str:
    """Epoch seconds -> ISO 8601 UTC with a Z."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
