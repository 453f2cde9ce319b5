"""`TargetRow`: one role of one account as every listing shows it; the rows of a config, and
their wire form (the agent's `targets` answer and the rows cache file share it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jumpshell.config import Config
from jumpshell.targets import role_arn, role_name

ENVIRONMENT_TAGS = ("environment", "env", "stage")  # the tag that names an environment class


@dataclass(frozen=True, slots=True)  # slots: a 10,000-account org has 30,000 of them
class TargetRow:
    """One role of one account, as every listing shows it (`list`, the picker, completions)."""

    name: str  # "prod/Admin": what a command takes
    account: str
    account_id: str
    role: str
    region: str
    jump: str
    production: bool
    environment: str | None  # the account's environment class, from its tags
    tags: tuple[tuple[str, str], ...]
    default: bool  # the account's first role, what `prod` alone means
    expires: float | None = None  # held role credentials' expiry, if the agent holds them


def rows(config: Config, expiries: Mapping[str, float] | None = None) -> list[TargetRow]:
    """Every target of `config`, one row per role; `expiries` by role ARN (held credentials)."""
    expiries = expiries or {}
    found = []
    for account in config.accounts:
        partition = config.jump(account.jump).partition
        tags = tuple(sorted(account.tags.items()))
        env = next((account.tags[k] for k in ENVIRONMENT_TAGS if k in account.tags), None)
        for index, entry in enumerate(account.roles):
            found.append(
                TargetRow(
                    f"{account.name}/{role_name(entry)}",
                    account.name,
                    account.id,
                    role_name(entry),
                    account.region,
                    account.jump,
                    account.production,
                    env,
                    tags,
                    index == 0,
                    expiries.get(role_arn(partition, account.id, entry)) if expiries else None,
                )
            )
    return found


def to_wire(found: list[TargetRow]) -> list[list[Any]]:
    """Rows as JSON-able lists, fields in TargetRow's order."""
    return [
        [
            r.name,
            r.account,
            r.account_id,
            r.role,
            r.region,
            r.jump,
            r.production,
            r.environment,
            [list(pair) for pair in r.tags],
            r.default,
            r.expires,
        ]
        for r in found
    ]


def from_wire(data: object) -> list[TargetRow]:
    """Inverse of `to_wire`; ValueError on anything that is not exactly that shape."""
    if not isinstance(data, list):
        raise ValueError("rows must be a list")
    return [_row(item) for item in data]


def _row(item: object) -> TargetRow:
    if not isinstance(item, list) or len(item) != 11:
        raise ValueError("a row is a list of 11 fields")
    name, account, account_id, role, region, jump, prod, env, tags, default, expires = item
    if not all(isinstance(v, str) for v in (name, account, account_id, role, region, jump)):
        raise ValueError("a row's names are strings")
    if not isinstance(prod, bool) or not isinstance(default, bool):
        raise ValueError("a row's flags are booleans")
    if env is not None and not isinstance(env, str):
        raise ValueError("a row's environment is a string or null")
    if expires is not None and (isinstance(expires, bool) or not isinstance(expires, int | float)):
        raise ValueError("a row's expiry is a number or null")
    if not isinstance(tags, list) or not all(
        isinstance(t, list) and len(t) == 2 and all(isinstance(s, str) for s in t) for t in tags
    ):
        raise ValueError("a row's tags are [key, value] pairs of strings")
    pairs = tuple((k, v) for k, v in tags)
    held = None if expires is None else float(expires)
    return TargetRow(name, account, account_id, role, region, jump, prod, env, pairs, default, held)
