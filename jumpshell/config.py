"""The user's config: frozen dataclasses, `load` and `parse` (the checks are in configcheck.py)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from jumpshell.errors import ConfigError

DEFAULT_JUMP = "default"
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


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
    source_profile: str | None = None
    partition: str = "aws"
    source_identity: bool = False
    keep_session: bool = False
    endpoint_url: str | None = None  # STS endpoint; else AWS_ENDPOINT_URL(_STS), else AWS's


@dataclass(frozen=True)
class Defaults:
    """Settings every account inherits."""

    role_duration: int = 3600
    theme: str = "default"
    region: str | None = None
    agent_idle_timeout: int = 43200


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Config:
    """The whole parsed config."""

    path: str
    jumps: dict[str, JumpConfig]
    defaults: Defaults
    accounts: tuple[Account, ...]
    warnings: tuple[str, ...] = ()

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


def parse_duration(value: object, where: str) -> int:
    """'1d', '12h', '90m', '1h30m', '3600s' or an int of seconds -> seconds."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str):
        match = _DURATION.match(value.strip())
        if match and any(match.groups()):
            d, h, m, s = (int(g or 0) for g in match.groups())
            if seconds := d * 86400 + h * 3600 + m * 60 + s:
                return seconds
    raise ConfigError(
        f"{where}: bad duration {value!r}", 'write it like "1d", "1h", "90m" or "3600s"'
    )


def load(path: str) -> Config:
    """Read and validate the config at `path`."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise ConfigError(
            f"no config at {path}", "run `jumpshell init` or set JUMPSHELL_CONFIG"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "check its permissions") from None
    text = raw.decode("utf-8", errors="replace")
    return parse(text, path)


def parse(text: str, path: str = "config.toml") -> Config:
    """Parse config text; `path` only names the file in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        where = f"{path}:{line.group(1)}" if line else path
        reason = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise ConfigError(
            f"{where}: invalid TOML: {reason}", "fix the syntax on that line"
        ) from None
    from jumpshell.configcheck import build

    return build(data, path, text)
