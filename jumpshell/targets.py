"""Targets: parse `prod`, `prod/ReadOnly`, `222222222222/Admin` or a role ARN; suggest on a typo."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from jumpshell.config import Account, Config, JumpConfig
from jumpshell.errors import UsageError

_ROLE_ARN = re.compile(r"^arn:(aws[\w-]*):iam::(\d{12}):role/(.+)$")


@dataclass(frozen=True)
class Target:
    """A resolved target: one role in one account, with everything needed to assume it."""

    name: str
    account_name: str
    account_id: str
    role_name: str
    role_arn: str
    region: str
    jump: JumpConfig  # the jump user it is assumed through
    production: bool = False
    confirm: bool = False
    external_id: str | None = None
    source_identity: bool = False
    role_duration: int = 3600  # AssumeRole DurationSeconds before the chaining cap
    role_session_name: str | None = None  # else the jump's user name
    via: Target | None = None  # the target whose credentials assume this one (else the jump's)

    @property
    def cache_key(self) -> str:
        """Identifies the role credentials this target uses."""
        own = f"{self.jump.name}|{self.role_arn}|{self.external_id or ''}"
        return own if self.via is None else f"{own}|via {self.via.cache_key}"


def role_arn(partition: str, account_id: str, role: str) -> str:
    """A role entry (name, path/name or full ARN) -> its ARN."""
    if role.startswith("arn:"):
        return role
    return f"arn:{partition}:iam::{account_id}:role/{role.lstrip('/')}"


def role_name(role: str) -> str:
    """The bare role name of a role entry or ARN."""
    return role.rsplit("/", 1)[-1]


def resolve(config: Config, text: str) -> Target:
    """Resolve a target string against the config."""
    text = text.strip()
    arn = _ROLE_ARN.match(text)
    if arn:
        partition, account_id, path = arn.groups()
        account = _by_id(config, account_id)
        return _target(config, account, account_id, text, partition)
    head, _, role = text.partition("/")
    if re.fullmatch(r"\d{12}", head):
        account = _by_id(config, head)
        if account is None and not role:
            raise UsageError(f"account {head} is not in the config", f"name a role: {head}/ROLE")
        chosen = role or (account.roles[0] if account else "")
        partition = config.jump(account.jump if account else "default").partition
        return _target(config, account, head, role_arn(partition, head, chosen), partition)
    account = next((a for a in config.accounts if a.name == head), None)
    if account is None:
        raise UsageError(f"unknown target {text!r}", _suggest(config, head))
    partition = config.jump(account.jump).partition
    if not role:
        return _target(
            config,
            account,
            account.id,
            role_arn(partition, account.id, account.roles[0]),
            partition,
        )
    for entry in account.roles:
        if role_name(entry).lower() == role_name(role).lower() or entry == role:
            return _target(
                config, account, account.id, role_arn(partition, account.id, entry), partition
            )
    names = [role_name(r) for r in account.roles]
    close = difflib.get_close_matches(role, names, n=1, cutoff=0.5)
    fix = f"did you mean {head}/{close[0]}?" if close else f"{head} has roles: {', '.join(names)}"
    raise UsageError(f"account {head!r} has no role {role!r}", fix)


def _by_id(config: Config, account_id: str) -> Account | None:
    return next((a for a in config.accounts if a.id == account_id), None)


def _target(
    config: Config, account: Account | None, account_id: str, arn: str, partition: str
) -> Target:
    name = role_name(arn)
    if account is None:
        jump = config.jump()
        return Target(
            name=f"{account_id}/{name}",
            account_name=account_id,
            account_id=account_id,
            role_name=name,
            role_arn=arn,
            region=config.defaults.region or jump.region,
            jump=jump,
            source_identity=jump.source_identity,
            role_duration=config.defaults.role_duration,
        )
    jump = config.jump(account.jump)
    source_identity = (
        account.source_identity if account.source_identity is not None else jump.source_identity
    )
    return Target(
        name=f"{account.name}/{name}",
        account_name=account.name,
        account_id=account.id,
        role_name=name,
        role_arn=arn,
        region=account.region,
        jump=jump,
        production=account.production,
        confirm=account.confirm,
        external_id=account.external_id,
        source_identity=source_identity,
        role_duration=account.role_duration or config.defaults.role_duration,
        role_session_name=account.role_session_name,
        via=None if account.via is None else _via(config, account.via),
    )


def _via(config: Config, name: str) -> Target:
    """The target an account's role is assumed from: awsconfig makes only chains that end
    at a jump and never loop, each link an account of the config."""
    account = next(a for a in config.accounts if a.name == name)
    partition = config.jump(account.jump).partition
    return _target(
        config, account, account.id, role_arn(partition, account.id, account.roles[0]), partition
    )


def _suggest(config: Config, name: str) -> str:
    aliases = [a.name for a in config.accounts]
    close = difflib.get_close_matches(name, aliases, n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(close) + "?"
    return "run `jumpshell list` to see the accounts"
