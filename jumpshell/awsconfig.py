"""~/.aws/config as a source of targets: the role profiles that start at a jump user's profile.

The file is read by botocore's own loader (botocore.configloader: the same INI dialect, the
same `[profile NAME]`/`[default]` rules, nested `s3 =` blocks), imported only here and only
when a jump has `aws_config` on: never on the warm path. `include_profile` is aws-vault's
(botocore ignores it): the named profile's settings fill in what the profile leaves unset.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, replace

from jumpshell import paths
from jumpshell.assumeparams import MAX_VIA
from jumpshell.config import REGION, Account, Config, JumpConfig
from jumpshell.errors import ConfigError
from jumpshell.targetcache import FileId

_ROLE_ARN = re.compile(r"arn:[\w-]+:iam::([0-9]{12}):role/[!-~]+", re.ASCII)
_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}", re.ASCII)
_EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}", re.ASCII)  # STS's own rule for ExternalId
_SSO_KEYS = ("sso_start_url", "sso_session", "sso_account_id", "sso_role_name")
# what makes a profile a source of credentials: never taken from [default] by another profile
_OWN_KEYS = frozenset(
    (
        "role_arn",
        "source_profile",
        "credential_source",
        "credential_process",
        "web_identity_token_file",
        "aws_access_key_id",
        "aws_secret_access_key",
        "aws_session_token",
        "include_profile",
        "parent_profile",
        *_SSO_KEYS,
        "sso_region",
        "sso_registration_scopes",
    )
)
Profiles = Mapping[str, Mapping[str, object]]
MAX_INCLUDES = 32  # include_profile links followed from one profile
_WAIT = "its source_profile is a role profile not yet made a target"  # compared by identity


@dataclass(frozen=True)
class Found:
    """What the file gives: targets as accounts, and every profile it cannot serve, with why."""

    accounts: tuple[Account, ...]
    skipped: tuple[str, ...]


def read(path: str) -> Profiles:
    """The profiles of the file at `path` as botocore sees them ({} if there is none)."""
    import botocore.exceptions
    from botocore.configloader import build_profile_map, raw_config_parse

    try:
        profiles: Profiles = build_profile_map(raw_config_parse(path))["profiles"]
    except botocore.exceptions.ConfigNotFound:
        return {}
    except botocore.exceptions.ConfigParseError as exc:
        reason = str(exc.kwargs.get("error", "")).splitlines()[0:1] or ["not INI"]
        raise ConfigError(
            f"{path}: the AWS config cannot be parsed ({reason[0][:80]}): none of its "
            "profiles are targets",
            "fix it (the AWS CLI refuses it too), or set aws_config = false under [jump]",
        ) from None
    return profiles


def resolved(profiles: Profiles, name: str) -> dict[str, object]:
    """A profile as aws-vault reads it: its own settings, then its include_profile chain's
    (parent_profile, the older name, too), then [default]'s for what is still unset, except
    the keys that say where credentials come from (botocore itself reads none of these)."""
    chain: list[str] = []
    seen: set[str] = set()
    settings: dict[str, object] = {}
    # a loop of includes ends where it repeats; a chain of thousands (a hostile or generated
    # file) ends at MAX_INCLUDES, else each profile costs the whole chain, on every command
    while name in profiles and name not in seen and len(chain) < MAX_INCLUDES:
        chain.append(name)
        seen.add(name)
        for key, value in profiles[name].items():
            settings.setdefault(key, value)
        own = profiles[name]
        name = str(own.get("include_profile") or own.get("parent_profile", ""))
    if "default" not in chain:
        for key, value in profiles.get("default", {}).items():
            if key not in _OWN_KEYS:
                settings.setdefault(key, value)
    if chain and settings.get("source_profile") == chain[0]:
        del settings["source_profile"]  # aws-vault ignores a source_profile naming itself
    return settings


def targets(config: Config, profiles: Profiles, path: str) -> Found:
    """The role profiles of `profiles` whose chain of source_profiles starts at a jump's
    aws_profile: directly, or through other role profiles (up to MAX_VIA of them)."""
    starts = {j.aws_profile: j for j in config.jumps.values() if j.aws_config and j.aws_profile}
    starts.update(_session_profiles(config, profiles))
    taken = {a.name for a in config.accounts}
    lines = _header_lines(path)
    made: dict[str, Account] = {}
    why: dict[str, str] = {}
    todo = [n for n in profiles if n not in starts]  # not the jump user itself
    for _ in range(MAX_VIA + 1):  # each round adds one more link to the chains it can make
        waiting = []
        for name in todo:
            settings = resolved(profiles, name)
            account, reason = _account(config, starts, made, profiles, name, settings)
            if reason is _WAIT:
                waiting.append(name)
            elif account is not None and name in taken:
                why[name] = f"the config has an account named {name!r}, which wins"
            elif account is not None:
                where = f"{path}:{lines[name]}" if name in lines else path
                made[name] = _same_account(config, replace(account, source=where))
            elif reason is not None:
                why[name] = reason
            # else: no credentials of its own (a region, an output format): not a target
        if len(waiting) == len(todo):
            break
        todo = waiting
    for name in todo:  # a chain through a profile that is no target, or too long, or a loop
        source = str(resolved(profiles, name).get("source_profile"))
        why[name] = _other_source(starts, profiles, source, source in why)
    skipped = (
        f"{path}:{lines[n]}: profile {n!r}: {why[n]}"
        if n in lines
        else f"{path}: profile {n!r}: {why[n]}"  # repr: never a control character raw
        for n in profiles
        if n in why
    )
    accounts = tuple(made[n] for n in profiles if n in made)  # in the file's order
    return Found(accounts, tuple(skipped))


def _session_profiles(config: Config, profiles: Profiles) -> dict[str, JumpConfig]:
    """Profiles that run `jumpshell credential-process --session [--jump NAME]`: the README's
    three-line change points role profiles' source_profile at one, and they stay targets
    (their chain starts at that jump user's MFA session, as at its own profile)."""
    found: dict[str, JumpConfig] = {}
    for name, profile in profiles.items():
        command = profile.get("credential_process")
        if not isinstance(command, str) or "role_arn" in profile:
            continue
        try:
            words = shlex.split(command)
        except ValueError:
            continue
        if not words or os.path.basename(words[0]) != "jumpshell":
            continue
        if "credential-process" not in words or "--session" not in words:
            continue
        jump = "default"
        for i, word in enumerate(words):
            if word == "--jump" and i + 1 < len(words):
                jump = words[i + 1]
            elif word.startswith("--jump="):
                jump = word.split("=", 1)[1]
        if jump in config.jumps and config.jumps[jump].aws_config:
            found[name] = config.jumps[jump]
    return found


def _same_account(config: Config, account: Account) -> Account:
    """A profile into an account the config lists is that account: its production flag, its
    confirmation and its tags (its environment class) hold for the profile too; and the
    production rules that match the profile's name hold, as for an [[account]]."""
    known = next((a for a in config.accounts if a.id == account.id and not a.source), None)
    if known is not None:
        account = replace(
            account,
            production=known.production,
            confirm=known.confirm,
            tags=dict(known.tags),
            source_identity=known.source_identity,
            color=known.color,
        )
    return _by_rules(config, account)


def _by_rules(config: Config, account: Account) -> Account:
    """Production by the rules that match the profile's name (tag rules held for the account
    it shares an id with): they only ever add production, never take it away."""
    for pattern, tags, confirm in config.production_rules:
        if not tags and pattern is not None and fnmatch.fnmatchcase(account.name, pattern):
            return replace(account, production=True, confirm=account.confirm or confirm)
    return account


def _account(
    config: Config,
    starts: Mapping[str, JumpConfig],
    made: Mapping[str, Account],
    profiles: Profiles,
    name: str,
    settings: Mapping[str, object],
) -> tuple[Account | None, str | None]:
    """(the target, None), or (None, why it cannot be one), or (None, None): no credentials,
    or (None, _WAIT): its source_profile is a role profile that is not (yet) a target."""
    text = {k: v for k, v in settings.items() if isinstance(v, str)}
    why = _unservable(text)
    if why is not None or "role_arn" not in text:
        return None, why
    source = text.get("source_profile")
    if source is None and "credential_process" in text:  # the README's trap
        return None, (
            "role_arn beside credential_process: the AWS CLI ignores credential_process here "
            "(move it to a profile of its own, and name that one as source_profile)"
        )
    if source is None:
        how = text.get("credential_source", "no source_profile")
        return None, f"its role is assumed from {how}, not from a jump user"
    via = made.get(source)
    jump = starts.get(source) or (config.jumps[via.jump] if via else None)
    if jump is None:
        if "role_arn" in resolved(profiles, source):
            return None, _WAIT
        return None, _other_source(starts, profiles, source, False)
    if via is not None and _links(made, source) > MAX_VIA:  # the agent takes no longer chain
        return None, f"chained through more than {MAX_VIA} role profiles"
    arn = text["role_arn"].strip()
    found = _ROLE_ARN.fullmatch(arn)
    if found is None:
        return None, f"role_arn {arn[:60]!r} is not a role ARN"
    if "/" in name or not name.isprintable() or name.startswith("-"):
        # a leading '-' reads as an option in `jumpshell NAME`, tmux panes, the picker's exec
        return None, "its name has a '/', an invisible character or a leading '-'"
    try:
        external_id, duration, session, region = _options(text)
    except ValueError as exc:
        return None, str(exc)
    return Account(
        name,
        found.group(1),
        (arn,),
        region or config.defaults.region or jump.region,
        jump.name,
        external_id=external_id,
        role_duration=duration,
        role_session_name=session,
        via=None if via is None else source,
    ), None


def _links(made: Mapping[str, Account], name: str | None) -> int:
    """How many role profiles the chain ending at the target `name` assumes, itself too."""
    count = 0
    while name is not None and name in made and count <= MAX_VIA:  # made ones never loop
        count += 1
        name = made[name].via
    return count


def _unservable(text: Mapping[str, str]) -> str | None:
    if any(k in text for k in _SSO_KEYS):
        return "AWS IAM Identity Center (SSO): sign in with `aws sso login`"
    if "web_identity_token_file" in text:
        return "web identity (OIDC): AssumeRoleWithWebIdentity, not a jump user"
    if "credential_process" in text and "role_arn" not in text:
        words = text["credential_process"].split(maxsplit=1) or ["(empty)"]  # `=` and no more
        program = os.path.basename(words[0])
        if program == "jumpshell":  # a target of ours already: no warning on every `list`
            return None
        shown = program[:40] if program.isprintable() else repr(program[:40])
        return f"credential_process of another tool ({shown})"
    if "aws_access_key_id" in text and "role_arn" not in text:
        return "a long-lived key of its own (`jumpshell key import --profile NAME` moves a jump's)"
    return None


def _other_source(
    starts: Mapping[str, JumpConfig], profiles: Profiles, source: str, skipped: bool
) -> str:
    jumps = ", ".join(sorted(starts)) or "none"
    if source not in profiles:
        return f"its source_profile {source!r} is not in the file"
    if skipped:
        return f"chained through role profile {source!r}, which is not a target (see its line)"
    if "role_arn" in resolved(profiles, source):
        return (
            f"chained through role profile {source!r} in a loop, or through more than "
            f"{MAX_VIA} role profiles"
        )
    return f"its source_profile {source!r} is not a jump user's profile ({jumps})"


def _options(text: Mapping[str, str]) -> tuple[str | None, int | None, str | None, str | None]:
    """(external_id, duration_seconds, role_session_name, region), checked (ValueError)."""
    duration = None
    if "duration_seconds" in text:
        value = text["duration_seconds"].strip()
        if not (value.isascii() and value.isdigit() and 900 <= int(value) <= 43200):
            raise ValueError(f"duration_seconds {value[:20]!r} is not 900..43200")
        duration = int(value)
    session = text.get("role_session_name")
    if session is not None and not _SESSION_NAME.fullmatch(session):
        raise ValueError("role_session_name is not 2-64 of letters, digits or +=,.@_-")
    region = text.get("region")
    if region is not None and not REGION.fullmatch(region):
        raise ValueError(f"region {region[:30]!r} is not an AWS region name")
    external_id = text.get("external_id")
    if external_id is not None and not _EXTERNAL_ID.fullmatch(external_id):
        raise ValueError("external_id is not 2-1224 of letters, digits or +=,.@:/_-")
    return external_id, duration, session, region


def _header_lines(path: str) -> dict[str, int]:
    """profile name -> the line of its header, for messages and `list`'s source column."""
    lines: dict[str, int] = {}
    if not os.path.isfile(path):  # botocore reads none but a file: a FIFO would block here
        return lines
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                header = re.fullmatch(r"\s*\[\s*(?:profile\s+)?([^\]]*?)\s*\]\s*", line)
                if header:
                    lines.setdefault(header.group(1), number)
    except OSError:
        pass
    return lines


def merge(config: Config) -> Config:
    """`config` with the AWS config's targets after its own, if any jump has aws_config on."""
    if not any(j.aws_config for j in config.jumps.values()):
        return config
    path = paths.aws_config_file()
    ident = FileId.now(path).key()  # before the read: an edit racing it leaves a stale one
    try:
        found = targets(config, read(path), path)
    except ConfigError as exc:  # the config's own targets still work: said, not fatal
        warnings = (*config.warnings, f"{exc.message} ({exc.fix})")
        return replace(config, sources=(*config.sources, ident), warnings=warnings)
    return replace(
        config,
        accounts=config.accounts + found.accounts,
        sources=(*config.sources, ident),
        skipped=config.skipped + found.skipped,
    )
