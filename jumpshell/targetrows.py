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
    source: str = ""  # where the account is defined: "" the config, else "FILE:LINE"


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
                    account.source,
                )
            )
    return found


def to_wire(found: list[TargetRow]) -> list[list[Any]]:
    """Rows as JSON-able lists, one per account (its roles in order, each with its expiry):
    a third of the size of one list per row, for the agent's answer and the cache alike."""
    accounts: list[list[Any]] = []
    for r in found:
        if r.default or not accounts or accounts[-1][0] != r.account:
            tags = [list(pair) for pair in r.tags]
            accounts.append(
                [
                    r.account,
                    r.account_id,
                    r.region,
                    r.jump,
                    r.production,
                    r.environment,
                    tags,
                    [],
                    r.source,
                ]
            )
        accounts[-1][7].append([r.role, r.expires])
    return accounts


def from_wire(data: object) -> list[TargetRow]:
    """Inverse of `to_wire`; ValueError on anything that is not exactly that shape."""
    if not isinstance(data, list):
        raise ValueError("rows must be a list")
    found: list[TargetRow] = []
    for item in data:
        found.extend(_account(item))
    return found


def _account(item: object) -> list[TargetRow]:
    if not isinstance(item, list) or len(item) != 9:
        raise ValueError("an account is a list of 9 fields")
    account, account_id, region, jump, prod, env, tags, roles, source = item
    if not all(isinstance(v, str) for v in (account, account_id, region, jump, source)):
        raise ValueError("an account's names are strings")
    if not isinstance(prod, bool) or (env is not None and not isinstance(env, str)):
        raise ValueError("an account's production is a boolean, its environment a string")
    if not isinstance(tags, list) or not all(
        isinstance(t, list) and len(t) == 2 and all(isinstance(s, str) for s in t) for t in tags
    ):
        raise ValueError("an account's tags are [key, value] pairs of strings")
    if not isinstance(roles, list) or not roles:
        raise ValueError("an account has a list of roles")
    pairs = tuple((k, v) for k, v in tags)
    found = []
    for index, entry in enumerate(roles):
        if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[0], str):
            raise ValueError("a role is [name, expiry]")
        role, expires = entry
        if expires is not None and (
            isinstance(expires, bool) or not isinstance(expires, int | float)
        ):
            raise ValueError("a role's expiry is a number or null")
        held = None if expires is None else float(expires)
        name = f"{account}/{role}"
        found.append(
            TargetRow(
                name,
                account,
                account_id,
                role,
                region,
                jump,
                prod,
                env,
                pairs,
                index == 0,
                held,
                source,
            )
        )
    return found
