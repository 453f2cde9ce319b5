"""The session verbs: login, logout, lock, status, whoami, audit (what is held, and since when)."""

from __future__ import annotations

import argparse
import json
import os
import time

from jumpshell.cli import tty
from jumpshell.cli.common import _local, make_engine
from jumpshell.config import parse_duration
from jumpshell.engine import SessionStatus
from jumpshell.errors import EXIT_UNREACHABLE


def cmd_login(args: argparse.Namespace, command: list[str]) -> int:
    engine = make_engine(args.mfa_code)
    session = engine.login(args.jump)
    jump = engine.config.jump(args.jump)
    print(
        f"MFA session for {jump.user_name} valid until {_local(session.expiration)} "
        f"({_left(session.remaining())})"
    )
    return 0


def cmd_logout(args: argparse.Namespace, command: list[str]) -> int:
    make_engine().logout(args.jump)
    print(f"logged out of {args.jump}: MFA session and role credentials forgotten")
    return 0


def cmd_lock(args: argparse.Namespace, command: list[str]) -> int:
    from jumpshell.app import lock

    note, kept_error = lock(tty.front_end())  # whatever the config says: screen lockers run it
    if note:
        tty.say(f"jumpshell: {note}")
    if kept_error:
        tty.say(f"jumpshell: sessions kept in the keyring are still there: {kept_error.render()}")
        print("locked: the agent's MFA sessions and role credentials are forgotten")
        return kept_error.exit_code
    print("locked: every MFA session and role credential forgotten")
    return 0


def cmd_status(args: argparse.Namespace, command: list[str]) -> int:
    statuses = make_engine().status()
    if args.json:
        print(json.dumps([_status_json(s) for s in statuses], indent=2))
        return 0
    problem = next((s.agent_problem for s in statuses if s.agent_problem), None)
    if problem:  # what it holds is unknown: "no MFA session" would be a guess
        tty.say(f"jumpshell: {problem} (`jumpshell lock` ends it; then log in again)")
    roles = [role for s in statuses for role in s.roles]
    target_width = max((len(target) for target, _, _ in roles), default=0)
    arn_width = max((len(arn) for _, arn, _ in roles), default=0)
    for s in statuses:
        state = (
            f"MFA session until {_local(s.mfa_expiration)} "
            f"({_left(s.mfa_expiration - time.time())})"
            if s.mfa_expiration
            else "MFA session unknown (the agent does not answer)"
            if s.agent_problem
            else "no MFA session (jumpshell login)"
        )
        if s.kept:
            state += ", kept in the keyring"
        print(f"{s.jump}: {s.user_name}: {state}")
        for target, arn, expiration in s.roles:  # columns line up across every jump's roles
            left = _left(expiration - time.time())
            print(f"  {target:<{target_width}}  {arn:<{arn_width}}  {left:>6} left")
    if os.environ.get("JUMPSHELL_TARGET"):  # inside a jumpshell shell (or `run`): say which
        from jumpshell.cli.shell import shell_lines
        from jumpshell.engine import Whoami

        me = Whoami(tuple(statuses), (), os.environ["JUMPSHELL_TARGET"], None, False, None)
        for line in shell_lines(me, os.environ):
            print(line)
    return EXIT_UNREACHABLE if problem else 0


def _status_json(s: SessionStatus) -> dict[str, object]:
    """One jump user's status; times in ISO 8601 UTC, as AWS_CREDENTIAL_EXPIRATION has them."""
    from jumpshell.credentials import iso

    return {
        "jump": s.jump,
        "user_name": s.user_name,
        "mfa_expiration": iso(s.mfa_expiration) if s.mfa_expiration else None,
        "kept_in_keyring": s.kept,
        "agent_problem": s.agent_problem,
        "roles": [{"target": t, "role_arn": a, "expiration": iso(e)} for t, a, e in s.roles],
    }


def cmd_whoami(args: argparse.Namespace, command: list[str]) -> int:
    me = make_engine().whoami(os.environ)
    for s, jump in zip(me.sessions, me.jumps, strict=True):
        state = (
            f"MFA session {_left(s.mfa_expiration - time.time())} left"
            if s.mfa_expiration
            else "no MFA session"
        )
        print(f"jump {s.jump}: {s.user_name} in {jump.account_id} ({state})")
    if me.target:
        print(f"target: {me.target} in {me.account_id}{' PRODUCTION' if me.production else ''}")
    if me.refreshing:
        print(f"credentials: refreshing from the agent, {me.refreshing}")
    from jumpshell.cli.shell import shell_lines

    for line in shell_lines(me, os.environ):
        print(line)
    return 0


def cmd_audit(args: argparse.Namespace, command: list[str]) -> int:
    since = parse_duration(args.since, "--since") if args.since else None
    for entry in make_engine().audit(since):
        if args.json:
            print(json.dumps(entry, sort_keys=True))
            continue
        what = entry.get("target") or entry.get("jump") or ""
        error = f"  {entry['error']}" if entry.get("error") else ""
        print(
            f"{entry['time']}  {entry.get('action', ''):<16} {entry.get('outcome', ''):<8} "
            f"{what}{error}"
        )
    return 0


def _left(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
