"""The local AWS's data: world specs to seed, and the frozen facts a seeded world hands back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PolicyDoc = dict[str, Any]


@dataclass(frozen=True)
class AccountInfo:
    """One member account as seeded: its name, 12-digit id, tags, roles and OU path."""

    name: str
    id: str
    tags: dict[str, str]
    production: bool
    roles: tuple[str, ...]
    region: str
    ou: str


@dataclass(frozen=True)
class JumpUser:
    """The IAM user of the jump account, its long-lived key and its virtual MFA device."""

    account_id: str
    user_name: str
    access_key_id: str
    secret_access_key: str
    mfa_serial: str
    mfa_seed: str


@dataclass(frozen=True)
class WorldInfo:
    """What a test needs of a seeded world: the jump user and the member accounts."""

    jump: JumpUser
    accounts: tuple[AccountInfo, ...]

    def account(self, name: str) -> AccountInfo:
        """The account called `name` (KeyError if there is none)."""
        for account in self.accounts:
            if account.name == name:
                return account
        raise KeyError(name)


@dataclass(frozen=True)
class RoleSpec:
    """A role to create: trust policy, MaxSessionDuration and identity policies."""

    name: str
    trust: PolicyDoc
    max_session: int = 3600
    policies: tuple[PolicyDoc, ...] = ()
    managed: tuple[PolicyDoc, ...] = ()


@dataclass(frozen=True)
class AccountSpec:
    """A member account to create, with its roles and S3 buckets."""

    name: str
    id: str
    tags: dict[str, str] = field(default_factory=dict)
    production: bool = False
    region: str = "us-east-1"
    ou: str = "/"
    roles: tuple[RoleSpec, ...] = ()
    buckets: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupSpec:
    """A group of the jump account the jump user belongs to, with its policies."""

    name: str
    policies: tuple[PolicyDoc, ...] = ()
    managed: tuple[PolicyDoc, ...] = ()


@dataclass(frozen=True)
class World:
    """A whole world to seed: the jump account and user, its groups, the member accounts."""

    jump_account_id: str = "111111111111"
    user_name: str = "alice"
    mfa: bool = True
    user_policies: tuple[PolicyDoc, ...] = ()
    user_managed: tuple[PolicyDoc, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    accounts: tuple[AccountSpec, ...] = ()
    organization: bool = True
