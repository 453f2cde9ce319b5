"""`init` and `key`: write a starter config; add, rotate and remove the jump user's key."""

from __future__ import annotations

import argparse
import os
import re
import sys

from jumpshell import paths
from jumpshell.cli import tty
from jumpshell.credentials import Credentials
from jumpshell.errors import UsageError
from jumpshell.keycheck import check_shape


def cmd_init(args: argparse.Namespace, command: list[str]) -> int:
    """Write a starter config with tomli-w (asks on a TTY, else takes flags)."""
    import tomli_w

    path = paths.config_file()
    if os.path.exists(path) and not args.force:
        raise UsageError(f"{path} already exists", "edit it, or pass --force to overwrite")
    interactive = tty.has_tty() and sys.stdin.isatty()
    values: dict[str, str] = {}
    found = _aws_jump()  # an aws-vault user's jump profile: its mfa_serial is the default
    if found is not None and found[1]:
        values["_mfa_serial"] = found[1]
    for name, question in (
        ("account_id", "Jump account id (12 digits)"),
        ("user_name", "Your IAM user name"),
        ("mfa_serial", "MFA device ARN"),
        ("region", "Region"),
    ):
        value = getattr(args, name)
        if value is not None:
            problem = _problem(name, value)
            if problem:
                raise UsageError(f"--{name.replace('_', '-')} {problem[0]}", problem[1])
        elif interactive:
            value = _ask(name, question, _default(name, values))
        else:
            value = _default(name, values)
        if value is None:
            raise UsageError(f"init needs --{name.replace('_', '-')}", "or run it in a terminal")
        values[name] = value
    values.pop("_mfa_serial", None)
    if found is not None:  # its role profiles become targets at once (README: Switching)
        values["aws_profile"] = found[0]
    document = {
        "jump": {**values, "session_duration": "12h"},
        "defaults": {"role_duration": "1h", "theme": "default"},
        "account": [],
    }
    text = tomli_w.dumps(document) + _EXAMPLE
    from jumpshell.configfile import parse

    parse(text.replace("account = []\n", ""), path)  # never write a config we would refuse
    fd = paths.open_private(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, own_dir=False)
    with os.fdopen(fd, "w") as handle:
        handle.write(text.replace("account = []\n", ""))
    print(f"wrote {path}; next: jumpshell {_next_key(found)}")
    return 0


def _aws_jump() -> tuple[str, str | None] | None:
    """(profile, its mfa_serial) when the role profiles of ~/.aws/config all start at one
    profile that is no role itself: the jump user of an aws-vault, Granted or awsume user."""
    from jumpshell import awsconfig
    from jumpshell.errors import ConfigError

    try:
        profiles = awsconfig.read(paths.aws_config_file())
    except ConfigError:
        return None
    sources = set()
    for name in profiles:
        source = awsconfig.resolved(profiles, name).get("source_profile")
        if not isinstance(source, str):
            continue
        it = awsconfig.resolved(profiles, source)
        if "role_arn" not in it and "credential_process" not in it:  # no role, no jumpshell
            sources.add(source)
    if len(sources) != 1 or next(iter(sources)) not in profiles:
        return None
    jump = sources.pop()
    serial = awsconfig.resolved(profiles, jump).get("mfa_serial")
    good = isinstance(serial, str) and _problem("mfa_serial", serial) is None
    return jump, str(serial) if good else None


def _next_key(found: tuple[str, str | None] | None) -> str:
    """key import when ~/.aws/credentials holds the jump profile's key, else key add."""
    from jumpshell import credentialsfile
    from jumpshell.errors import JumpshellError

    if found is None:
        return "key add"
    try:
        credentialsfile.read_key(found[0])
    except JumpshellError:
        return f"key add (the jump profile is aws_profile = {found[0]!r}: `jumpshell list`)"
    return f"key import (the jump profile is aws_profile = {found[0]!r}: `jumpshell list`)"


def _default(name: str, values: dict[str, str]) -> str | None:
    serial = values.get("_mfa_serial", "")  # the AWS config's jump profile's, if this user's
    if name == "mfa_serial" and f":{values.get('account_id')}:mfa/" in serial:
        return serial
    if name == "mfa_serial" and "account_id" in values:
        return f"arn:aws:iam::{values['account_id']}:mfa/{values.get('user_name', '')}"
    return "us-east-1" if name == "region" else None


def _problem(name: str, value: str) -> tuple[str, str] | None:
    """What is wrong with an answer for [jump] `name` (what, how to write it), or None."""
    from jumpshell.config import REGION, shown
    from jumpshell.configfields import MFA_SERIAL, USER_NAME

    checks = {
        "account_id": (r"[0-9]{12}", "is not a 12-digit AWS account id", "e.g. 111111111111"),
        "user_name": (
            USER_NAME,
            "is not an IAM user name",
            "2 to 64 letters, digits or +=,.@_- (your IAM user's name)",
        ),
        "mfa_serial": (
            MFA_SERIAL,
            "is not an MFA device ARN",
            "e.g. arn:aws:iam::111111111111:mfa/alice (IAM > your user > MFA)",
        ),
        "region": (REGION.pattern, "is not an AWS region name", "e.g. us-east-1 or eu-west-1"),
    }
    pattern, what, fix = checks[name]
    return None if re.fullmatch(pattern, value, re.ASCII) else (f"{shown(value)} {what}", fix)


def _ask(name: str, question: str, default: str | None) -> str:
    """Ask until the answer is one the config takes (Enter takes the default shown)."""
    shown_default = f" [{default}]" if default else ""
    while True:
        value = tty.ask(f"{question}{shown_default}: ") or default
        if value is None:
            tty.say("jumpshell: an answer is needed (Ctrl-C to stop)")
            continue
        problem = _problem(name, value)
        if problem is None:
            return value
        tty.say(f"jumpshell: {problem[0]} ({problem[1]})")


_EXAMPLE = """
# Add one table per account you reach from the jump account:
# [[account]]
# name = "prod"
# id = "222222222222"
# roles = ["Admin", "ReadOnly"]   # the first is the default
# region = "eu-west-1"
# production = true
# confirm = true
"""


def cmd_key(args: argparse.Namespace, command: list[str]) -> int:
    from jumpshell.app import build_engine

    action = args.key_command
    if action == "import":
        from jumpshell.cli.importing import cmd_key_import

        return cmd_key_import(args, command)
    engine = build_engine(tty.front_end(), getattr(args, "mfa_code", None))
    jump = engine.config.jump(args.jump)
    if jump.source_profile and action != "remove":
        raise UsageError(
            f"jump {jump.name} takes its key from source_profile {jump.source_profile!r}",
            "manage it in ~/.aws/credentials",
        )
    if action == "add":
        key = _read_key()
        warning = engine.add_key(jump.name, key, check=not args.no_check)
        _warn(warning)
        checked = (
            "unchecked: --no-check skipped asking AWS whose key it is"
            if args.no_check
            else f"AWS confirms it is {jump.user_name}'s"
        )
        print(f"stored the access key {key.access_key_id} ({checked}); next: jumpshell login")
    elif action == "rotate":
        done = engine.rotate_key(jump.name, args.delete_unknown, say=tty.say)
        _warn(done.warning)
        for key_id in done.deleted_unknown:
            print(f"deleted {key_id}, a key of {jump.user_name} that was not stored")
        stored = f"{done.new} stored and works, {done.old} deleted"
        print(f"rotated {jump.user_name}'s access key: {stored}")
    else:
        removed = engine.remove_key(jump.name)
        print("removed the stored access key" if removed else "no access key was stored")
    return 0


def _warn(warning: str | None) -> None:
    if warning:
        tty.say(f"jumpshell: warning: {warning}")


def _stdin_lines() -> tuple[str, str]:
    """Exactly two lines of UTF-8 on stdin, one field each: key id, then secret."""
    raw = sys.stdin.buffer.read(65536)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            "stdin is not UTF-8 text", "give two lines: access key id, then secret access key"
        ) from None
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) != 2:
        raise UsageError(
            f"expected exactly two lines on stdin, got {len(lines)}",
            "access key id, then secret access key, nothing else",
        )
    key_id, secret = (line.strip() for line in lines)
    for name, value in (("access key id", key_id), ("secret access key", secret)):
        if not value or any(c.isspace() for c in value):
            raise UsageError(
                f"the {name} line is empty or has whitespace inside",
                "one field per line: access key id, then secret access key",
            )
    return key_id, secret


def _read_key() -> Credentials:
    """Hidden prompts on a TTY; else two lines on stdin: key id, then secret."""
    if sys.stdin.isatty():
        key_id = tty.ask("Access key id: ")
        secret = tty.ask_hidden("Secret access key (hidden): ")
    else:
        key_id, secret = _stdin_lines()
    return check_shape(Credentials(key_id, secret))
