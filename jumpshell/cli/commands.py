"""Subcommands: each builds its input, calls the Engine, renders the result."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Mapping

from jumpshell.cli import tty
from jumpshell.cli.common import _local, _notices, _region, confirm, enter, make_engine
from jumpshell.cli.parser import build
from jumpshell.config import parse_duration
from jumpshell.engine import Engine, Prepared, TargetRow
from jumpshell.errors import (
    EXIT_CANCELLED,
    EXIT_UNREACHABLE,
    JumpshellError,
    UsageError,
)
from jumpshell.verbs import expand

Handler = Callable[[argparse.Namespace, list[str]], int]


def main(argv: list[str]) -> int:
    """Parse, dispatch, and render any expected error as one line."""
    command: list[str] = []
    # `jumpshell TARGET` / `jumpshell TARGET -- CMD`, as ssh HOST: argparse would refuse them
    argv = expand(argv, "shell" if "shell" in _handlers() else "run")
    verb = next((a for a in argv if not a.startswith("-")), "")
    if verb in ("run", "demo") and "--" in argv:
        split = argv.index("--")
        argv, command = argv[:split], argv[split + 1 :]
    args = build().parse_args(argv)
    try:
        handler = _handlers().get(args.command or "", _help)
        return handler(args, command)
    except JumpshellError as exc:
        if args.debug:
            traceback.print_exc()
        tty.say(f"jumpshell: {exc.render()}")
        return exc.exit_code
    except KeyboardInterrupt:
        tty.say("jumpshell: cancelled")
        return EXIT_CANCELLED
    except BrokenPipeError:  # `jumpshell list | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _handlers() -> dict[str, Handler]:
    from jumpshell.cli import demo, pick, setup, shell, theme, tmux

    return {
        "shell": shell.cmd_shell,
        "switch": shell.cmd_switch,
        "init": setup.cmd_init,
        "key": setup.cmd_key,
        "login": cmd_login,
        "logout": cmd_logout,
        "lock": cmd_lock,
        "status": cmd_status,
        "run": cmd_run,
        "env": cmd_env,
        "credential-process": cmd_credential_process,
        "list": cmd_list,
        "whoami": cmd_whoami,
        "audit": cmd_audit,
        "demo": demo.cmd_demo,
        "theme": theme.cmd_theme,
        "pick": pick.cmd_pick,
        "tmux": tmux.cmd_tmux,
    }


def _help(args: argparse.Namespace, command: list[str]) -> int:
    """`jumpshell` alone: the picker at a terminal, else the help."""
    if sys.stdin.isatty() and sys.stdout.isatty():
        from jumpshell.cli.pick import cmd_pick

        return cmd_pick(argparse.Namespace(print=False), command)
    build().print_help()
    return 0


def _duration(text: str | None) -> int | None:
    return parse_duration(text, "--duration") if text else None


def _prepare(
    args: argparse.Namespace, refresh: bool = False, base: Mapping[str, str] = os.environ
) -> tuple[Engine, Prepared]:
    engine = make_engine(args.mfa_code)
    region, duration = _region(args.region), _duration(args.duration)  # before any prompt
    target = engine.resolve(args.target)
    confirm(target, args.yes)
    prepared = engine.prepare(target, base, region, duration, refresh)
    _notices(prepared.notices)
    return engine, prepared


def cmd_run(args: argparse.Namespace, command: list[str]) -> int:
    """run TARGET -- CMD: exec CMD as the role (or wait on it to revoke a refresh token)."""
    from jumpshell.cli.fanout import cmd_each, fanning
    from jumpshell.launch import exec_command, run_command

    if fanning(args):  # run --each SELECTOR... -- CMD
        return cmd_each(args, command)
    if args.target is None:
        raise UsageError("run needs a target", "e.g. jumpshell run prod -- aws s3 ls")
    if not command:  # as `aws-vault exec`: no command opens the shell
        from jumpshell.cli.shell import cmd_shell

        return cmd_shell(args, command)
    engine, prepared = _prepare(args, args.refresh)
    if prepared.token is None:
        enter(engine, prepared, "run")
        return exec_command(command, prepared.env)
    try:
        enter(engine, prepared, "run")
        return run_command(command, prepared.env)
    finally:
        engine.revoke(prepared.token)


def cmd_env(args: argparse.Namespace, command: list[str]) -> int:
    """env TARGET: the environment in shell syntax."""
    from jumpshell.envformat import render
    from jumpshell.environment import CONFLICTING, JUMPSHELL_VARS

    _, prepared = _prepare(args, base={})  # the target's whole environment, as warm `env` prints
    print(render(prepared.env, [*CONFLICTING, *JUMPSHELL_VARS], args.format))
    return 0


def cmd_credential_process(args: argparse.Namespace, command: list[str]) -> int:
    """credential-process TARGET: JSON for a ~/.aws/config profile."""
    from jumpshell.envformat import credential_process

    _, prepared = _prepare(args, base={})
    print(credential_process(prepared.env))
    return 0


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
        print(
            json.dumps(
                [
                    {
                        "jump": s.jump,
                        "user_name": s.user_name,
                        "mfa_expiration": s.mfa_expiration,
                        "kept_in_keyring": s.kept,
                        "agent_problem": s.agent_problem,
                        "roles": [
                            {"target": t, "role_arn": a, "expiration": e} for t, a, e in s.roles
                        ],
                    }
                    for s in statuses
                ],
                indent=2,
            )
        )
        return 0
    problem = next((s.agent_problem for s in statuses if s.agent_problem), None)
    if problem:  # what it holds is unknown: "no MFA session" would be a guess
        tty.say(f"jumpshell: {problem} (`jumpshell lock` ends it; then log in again)")
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
        for target, arn, expiration in s.roles:
            print(f"  {target:<32} {arn}  {_left(expiration - time.time())} left")
    if os.environ.get("JUMPSHELL_TARGET"):  # inside a jumpshell shell (or `run`): say which
        from jumpshell.cli.shell import shell_lines
        from jumpshell.engine import Whoami

        me = Whoami(tuple(statuses), (), os.environ["JUMPSHELL_TARGET"], None, False, None)
        for line in shell_lines(me, os.environ):
            print(line)
    return EXIT_UNREACHABLE if problem else 0


def cmd_list(args: argparse.Namespace, command: list[str]) -> int:
    accounts: dict[str, list[TargetRow]] = {}
    for row in make_engine().targets():
        accounts.setdefault(row.account, []).append(row)
    rows = [
        {
            "name": first.account,
            "id": first.account_id,
            "roles": [r.role for r in roles],
            "region": first.region,
            "jump": first.jump,
            "production": first.production,
            "tags": dict(first.tags),
        }
        for first, roles in ((roles[0], roles) for roles in accounts.values())
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max((len(name) for name in accounts), default=4)
    for name, (first, *rest) in accounts.items():
        flag = "PROD" if first.production else "    "
        roles = ", ".join(r.role for r in (first, *rest))
        print(f"{flag} {name:<{width}}  {first.account_id}  {first.region:<14} {roles}")
    return 0


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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
