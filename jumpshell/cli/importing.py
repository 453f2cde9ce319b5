"""`key import` and `import aws-config`: what an aws-vault, Granted or awsume user brings along."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from typing import TYPE_CHECKING

from jumpshell import paths
from jumpshell.cli import tty
from jumpshell.errors import CancelledError, UsageError

if TYPE_CHECKING:
    from jumpshell.config import Account, Config

NO_TERMINAL = "no terminal to confirm on"


def _can_ask() -> bool:
    return tty.has_tty() and sys.stdin.isatty()


def _agreed(question: str, yes: bool) -> bool:
    """--yes, else y on the terminal; no terminal and no --yes: no (nothing is done)."""
    if yes:
        return True
    if not _can_ask():
        return False
    return tty.ask(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def cmd_key_import(args: argparse.Namespace, command: list[str]) -> int:
    """Keyring first, read back; only then, and only if agreed, the plaintext copy goes."""
    from jumpshell import credentialsfile
    from jumpshell.app import build_engine
    from jumpshell.keycheck import check_shape

    engine = build_engine(tty.front_end())
    jump = engine.config.jump(args.jump)
    profile = args.profile or jump.aws_profile or "default"  # aws_profile: else source_profile
    where = credentialsfile.path()
    key = check_shape(credentialsfile.read_key(profile, where))
    warning = engine.import_key(jump.name, key)  # checked with AWS, stored, read back
    if warning:
        tty.say(f"jumpshell: warning: {warning}")
    print(f"stored the access key {key.access_key_id} of profile {profile!r} in the keyring")
    if not _agreed(f"Delete it from {where} (a 0600 backup is kept)?", args.yes):
        # the import is done (exit 0); only the optional delete waits for a yes
        why = "" if args.yes or _can_ask() else f"{NO_TERMINAL}: "
        print(f"{why}{where} still holds it: delete it there, or run `jumpshell key import --yes`")
    else:
        backup = credentialsfile.remove_key(profile, where)
        print(f"deleted it from {where} (backup: {backup}, delete it once all works)")
    if jump.source_profile:
        print(
            f"next: in [jump], replace source_profile = {jump.source_profile!r} with "
            f"aws_profile = {jump.source_profile!r} (the key now comes from the keyring)"
        )
    return 0


def cmd_import(args: argparse.Namespace, command: list[str]) -> int:
    """import aws-config: the AWS config's targets as [[account]] tables in the config."""
    from jumpshell.app import load_config

    if args.source != "aws-config":
        raise UsageError(f"cannot import {args.source!r}", "jumpshell import aws-config")
    path = args.file or paths.aws_config_file()
    if not os.path.isfile(path):  # a mistyped --file is not "nothing to import"
        raise UsageError(f"there is no AWS config file {path}", "pass --file PATH to one")
    config = load_config(tty.front_end())
    if not any(j.aws_profile for j in config.jumps.values()):  # else: "nothing", and no why
        raise UsageError(
            "no jump names its profile in the AWS config, so no profile there is a target",
            'add aws_profile = "NAME" under [jump]: the profile your role profiles name as '
            "source_profile",
        )
    text = account_tables(config, path)
    if not text:
        print("no AWS config profile to import (`jumpshell list --skipped` says why)")
        return 0
    print(text, end="")  # shown even when not written: the tables can be pasted by hand
    if not (args.yes or _can_ask()):  # a script, a pipe: a usage matter, not a cancel
        raise UsageError(NO_TERMINAL, "pass --yes")
    if not _agreed(f"Append these to {config.path} (and set aws_config = false)?", args.yes):
        raise CancelledError("nothing written", "pass --yes, or answer y at a terminal")
    aws_off(config.path, text)
    print(f"wrote {config.path}: these targets come from it now (aws_config = false)")
    return 0


def aws_off(path: str, tables: str) -> None:
    """Append `tables` to the config at `path` and turn aws_config off in every jump table:
    checked whole before it is written, then replaced by rename (its mode kept). A symlinked
    config (a dotfiles repo's) is written where it points: the link stays a link."""
    from jumpshell.configfile import parse
    from jumpshell.errors import ConfigError

    path = os.path.realpath(path)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    text = re.sub(r"(?m)^(\s*aws_config\s*=\s*)true\b", r"\1false", text)
    text = _insert_off(text)
    parse(text + tables, path)  # never write a config that would be refused
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        mode = os.stat(path).st_mode & 0o777
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text.rstrip("\n") + "\n" + tables)
            handle.flush()
            os.fsync(handle.fileno())  # whole on disk before the rename makes it the config
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise ConfigError(
                f"cannot write {path}: {exc.strerror or exc} (it is unchanged)",
                "make its directory writable, or paste the tables above into it yourself",
            ) from None
        raise


def _insert_off(text: str) -> str:
    """`aws_config = false` under each [jump]/[jumps.NAME] header whose table lacks it."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    table: list[str] | None = None
    for line in [*lines, "[end-of-file]\n"]:
        if line.lstrip().startswith("["):
            if table is not None:
                has = any(re.match(r"\s*aws_config\s*=", t) for t in table[1:])
                out.extend(table[:1] + ([] if has else ["aws_config = false\n"]) + table[1:])
                table = None
            if re.match(r"\s*\[\s*(jump|jumps\.[^\]]+)\s*\]\s*(#.*)?$", line):
                table = [line]
                continue
        if table is not None:
            table.append(line)
        else:
            out.append(line)
    return "".join(out[:-1])


def account_tables(config: Config, file: str | None = None) -> str:
    """The `[[account]]` tables (TOML) of the AWS config's targets that the config lacks,
    from every jump with an aws_profile, aws_config on or not ("" when there are none)."""
    from dataclasses import replace

    import tomli_w

    from jumpshell import awsconfig

    path = file or paths.aws_config_file()
    own = tuple(a for a in config.accounts if not a.source)  # not those the AWS config gave
    jumps = {n: replace(j, aws_config=bool(j.aws_profile)) for n, j in config.jumps.items()}
    found = awsconfig.targets(
        replace(config, jumps=jumps, accounts=own), awsconfig.read(path), path
    )
    tables = [_table(a) for a in found.accounts]
    if not tables:
        return ""
    return f"\n# from {path} by `jumpshell import aws-config`\n" + tomli_w.dumps(
        {"account": tables}
    )


def _table(account: Account) -> dict[str, object]:
    table: dict[str, object] = {
        "name": account.name,
        "id": account.id,
        "roles": list(account.roles),
        "region": account.region,
    }
    optional = {
        "jump": account.jump if account.jump != "default" else None,
        "external_id": account.external_id,
        "role_duration": account.role_duration,
        "role_session_name": account.role_session_name,
        "production": account.production or None,
        "confirm": account.confirm or None,
        "tags": dict(account.tags) or None,
        "via": account.via,
        # the account may be listed already, as the profile's role's account: a shortcut
        # to one role may share its id
        "shortcut": True,
    }
    table.update({k: v for k, v in optional.items() if v is not None})
    return table
