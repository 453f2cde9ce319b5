"""The user's config as values: frozen dataclasses, durations, regions (reading: configfile.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jumpshell.errors import ConfigError

DEFAULT_JUMP = "default"
# What botocore's endpoint data calls regions in every partition: us-east-1, us-gov-west-1,
# cn-north-1, us-isob-east-1, eu-isoe-west-1, eusc-de-east-1 (botocore itself takes any host label)
REGION = re.compile(r"[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}", re.ASCII)
# ASCII digits only, and few of them: int() of 5,000 digits raises, and no duration needs more
_DURATION = re.compile(r"(?:([0-9]{1,9})d)?(?:([0-9]{1,9})h)?(?:([0-9]{1,9})m)?(?:([0-9]{1,9})s)?")
_MAX_SECONDS = 10 * 365 * 86400  # beyond any session, and small enough for every timer API


@dataclass(frozen=True)
class JumpConfig:
    """One jump account and the IAM user in it."""

    name: str
    account_id: str
    user_name: str
    mfa_serial: str
    region: str = "us-east-1"
    session_duration: int = 43200
    mfa_command: str | None = None
    mfa_prompt: str = "terminal"  # where a code is asked without a terminal: mfa.PROMPTS
    source_profile: str | None = None
    partition: str = "aws"
    source_identity: bool = False
    keep_session: bool = False
    keyring: str = "os"  # "os": the OS keyring; "file": an encrypted file with a passphrase
    endpoint_url: str | None = None  # STS endpoint; else AWS_ENDPOINT_URL(_STS), else AWS's
    aws_config: bool = False  # ~/.aws/config's role profiles from aws_profile are targets too
    aws_profile: str | None = None  # the profile that stands for this jump user there


@dataclass(frozen=True)
class Defaults:
    """Settings every account inherits."""

    role_duration: int = 3600
    theme: str = "default"
    region: str | None = None
    agent_idle_timeout: int = 43200
    # how long a production confirmation holds; None: as long as the role credentials it
    # unlocked (a role session, 1h at most from an MFA session)
    confirm_for: int | None = None
    picker_return: bool = True  # the picker comes back when the shell it opened exits


@dataclass(frozen=True, slots=True)  # slots: half the cost of making 10,000 of them
class Account:
    """One account reachable from a jump account."""

    name: str
    id: str
    roles: tuple[str, ...]
    region: str
    jump: str = DEFAULT_JUMP
    production: bool = False
    confirm: bool = False
    external_id: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    source_identity: bool | None = None
    role_duration: int | None = None
    color: str | None = None  # SGR parameters for its prompt prefix, over the theme's class colour
    source: str = ""  # where it was defined: "" the config, else e.g. "~/.aws/config:12"
    role_session_name: str | None = None  # else the jump's user name
    via: str | None = None  # an account whose role this one's is assumed from (AWS config chains)


@dataclass(frozen=True)
class Hook:
    """One `on_enter` command: run by /bin/sh when a shell, a `run` or a pane enters a target."""

    command: str
    timeout: int = 10  # seconds; then its process group is killed
    required: bool = False  # a failure blocks the entry instead of warning
    where: str = ""  # the config's file:line, to name it in messages (never the command)


@dataclass(frozen=True)
class Hooks:
    """The config's `on_enter` hooks: for every target, per environment class, per account."""

    on_enter: tuple[Hook, ...] = ()
    by_class: dict[str, tuple[Hook, ...]] = field(default_factory=dict)
    by_account: dict[str, tuple[Hook, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """The whole parsed config."""

    path: str
    jumps: dict[str, JumpConfig]
    defaults: Defaults
    accounts: tuple[Account, ...]
    warnings: tuple[str, ...] = ()
    hooks: Hooks = field(default_factory=Hooks)
    # accounts named like a verb (`jumpshell audit` runs the verb); each has one warning,
    # which need not cost the warm path: `run audit -- CMD` is not ambiguous
    verb_aliases: tuple[str, ...] = ()
    # other files its targets came from, as (path, mtime_ns, size, inode) stat'ed before the
    # read (targetcache.FileId's fields; inode 0: absent): caches stay keyed on all of them
    sources: tuple[tuple[str, int, int, int], ...] = ()
    skipped: tuple[str, ...] = ()  # "profile NAME: why jumpshell cannot serve it"
    # [[production_rule]]s as (name pattern, tags, confirm): the AWS config's targets too
    production_rules: tuple[tuple[str | None, dict[str, str], bool], ...] = ()

    def jump(self, name: str = DEFAULT_JUMP) -> JumpConfig:
        """The jump account called `name`."""
        try:
            return self.jumps[name]
        except KeyError:
            known = ", ".join(sorted(self.jumps)) or "none"
            raise ConfigError(
                f"{self.path}: no jump account named {name!r} (known: {known})",
                "add a [jump] or [jumps.NAME] table",
            ) from None


def parse_duration(value: object, where: str | Callable[[], str]) -> int:
    """'1d', '12h', '90m', '1h30m', '3600s' or an int of seconds -> seconds.

    `where` names the value in the error; a function is called only then (a config's
    file:line is worth finding only for a bad value).
    """
    seconds = 0
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value
    elif isinstance(value, str):
        text = value.strip()
        text = text + "s" if text.isascii() and text.isdigit() else text
        match = _DURATION.fullmatch(text)
        if match and any(match.groups()):
            d, h, m, s = (int(g or 0) for g in match.groups())
            seconds = d * 86400 + h * 3600 + m * 60 + s
    if 0 < seconds <= _MAX_SECONDS:
        return seconds
    place = where if isinstance(where, str) else where()
    raise ConfigError(
        f"{place}: bad duration {shown(value)}", 'write it like "1d", "1h", "90m" or "3600s"'
    )


def shown(value: object, limit: int = 40) -> str:
    """repr(value), cut short: a message quotes what was wrong, not 5,000 characters of it."""
    if isinstance(value, int) and value.bit_length() > 64:
        return "a number too long"  # repr() itself raises past Python's 4,300-digit limit
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 4]}..."
