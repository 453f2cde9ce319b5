"""Subcommands: each builds its input, calls the Engine, renders the result."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import traceback
from collections.abc import Callable, Mapping
from typing import NoReturn

from jumpshell.cli import tty
from jumpshell.cli.common import (
    NO_TARGETS,
    _notices,
    _region,
    confirm,
    enter,
    make_engine,
    remember,
)
from jumpshell.cli.parser import build
from jumpshell.config import parse_duration
from jumpshell.engine import Engine, Prepared, TargetRow
from jumpshell.errors import (
    EXIT_CANCELLED,
    JumpshellError,
    UsageError,
)
from jumpshell.provider import CHAINING_CAP
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
    parser = build()
    args, extra = parser.parse_known_args(argv)
    if extra:
        _refuse_extra(parser, args, argv, extra)
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
    from jumpshell.cli import (
        complete,
        demo,
        importing,
        pick,
        sessions,
        setup,
        shell,
        theme,
        tmux,
    )

    return {
        "shell": shell.cmd_shell,
        "switch": shell.cmd_switch,
        "init": setup.cmd_init,
        "key": setup.cmd_key,
        "login": sessions.cmd_login,
        "logout": sessions.cmd_logout,
        "lock": sessions.cmd_lock,
        "status": sessions.cmd_status,
        "run": cmd_run,
        "env": cmd_env,
        "credential-process": cmd_credential_process,
        "list": cmd_list,
        "whoami": sessions.cmd_whoami,
        "audit": sessions.cmd_audit,
        "demo": demo.cmd_demo,
        "theme": theme.cmd_theme,
        "pick": pick.cmd_pick,
        "tmux": tmux.cmd_tmux,
        "completions": complete.cmd_completions,
        "help": cmd_help,
        "import": importing.cmd_import,
    }


def _refuse_extra(
    parser: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str], extra: list[str]
) -> NoReturn:
    """Words argparse has no place for: a command written without `--` says to add it."""
    from jumpshell.cli.helptext import find

    if args.command in ("run", "shell") and not extra[0].startswith("-"):
        start = argv.index(extra[0], argv.index(args.target) + 1)
        kept = argv[:start] + [word for word in argv[start:] if word not in extra]
        kept[kept.index(args.command)] = "run"
        written = shlex.join(["jumpshell", *kept, "--", *extra])
        what = "a command after the target needs -- before it"
        parser.exit(2, f"jumpshell: {what} (write: {written})\n")
    find(parser, [args.command] if args.command else []).error(
        f"unrecognized arguments: {' '.join(extra)}"
    )


def cmd_help(args: argparse.Namespace, command: list[str]) -> int:
    """help [VERB [ACTION]]: the help of that verb, as `VERB --help` prints it."""
    parser = build()
    from jumpshell.cli.helptext import find

    find(parser, args.verb).print_help()
    return 0


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
    asked = confirm(target, args.yes, engine, offer_yes=args.command != "credential-process")
    prepared = engine.prepare(target, base, region, duration, refresh)
    if asked:
        remember(engine, target)
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
    """env TARGET: the environment in shell syntax; env --unset: what takes it away."""
    from jumpshell.envformat import render
    from jumpshell.environment import CONFLICTING, JUMPSHELL_VARS, SET

    if args.unset:
        if args.target is not None or args.format not in ("sh", "fish"):
            raise UsageError(
                "env --unset takes no target and prints sh or fish",
                'eval "$(jumpshell env --unset)", or jumpshell env --unset --format fish | source',
            )
        print(render({}, SET, args.format))
        return 0
    if args.target is None:
        raise UsageError("env needs a target", 'e.g. eval "$(jumpshell env prod)"')
    _, prepared = _prepare(args, base={})  # the target's whole environment, as warm `env` prints
    print(render(prepared.env, [*CONFLICTING, *JUMPSHELL_VARS], args.format))
    return 0


def cmd_credential_process(args: argparse.Namespace, command: list[str]) -> int:
    """credential-process TARGET: JSON for a ~/.aws/config profile; `--session`: the jump
    user's MFA session itself, for the source_profile of the profiles a user keeps."""
    from jumpshell.envformat import credential_process

    if args.session == (args.target is not None):
        raise UsageError(
            "credential-process takes a TARGET or --session",
            "e.g. credential_process = jumpshell credential-process --session",
        )
    if args.session:
        session = make_engine(args.mfa_code).session(args.jump)
        sets = {
            "AWS_ACCESS_KEY_ID": session.access_key_id,
            "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
            "AWS_SESSION_TOKEN": session.session_token or "",
            "AWS_CREDENTIAL_EXPIRATION": session.expiration_iso,
        }
        print(credential_process(sets))
        return 0
    _, prepared = _prepare(args, base={})
    print(credential_process(prepared.env))
    return 0


def cmd_list(args: argparse.Namespace, command: list[str]) -> int:
    engine = make_engine()
    if args.skipped:  # the profiles of ~/.aws/config that are not targets, and why
        for line in engine.config.skipped:
            print(line)
        return 0
    accounts: dict[str, list[TargetRow]] = {}
    for row in engine.targets():
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
            "source": first.source or engine.config.path,
        }
        for first, roles in ((roles[0], roles) for roles in accounts.values())
    ]
    if engine.config.skipped:
        tty.say(
            f"jumpshell: {len(engine.config.skipped)} AWS config profile(s) are not targets "
            "(`jumpshell list --skipped` says why)"
        )
    _say_capped(engine)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not accounts:
        tty.say(f"jumpshell: {engine.config.path} has no targets ({NO_TARGETS})")
    width = max((len(name) for name in accounts), default=4)
    if sys.stdout.isatty():  # a header for the eye; pipes get the rows alone, for cut and awk
        width = max(width, len("ACCOUNT"))
        print(f"{'':4} {'ACCOUNT':<{width}}  {'ID':<12}  {'REGION':<14} ROLES")
    for name, (first, *rest) in accounts.items():
        flag = "PROD" if first.production else "    "
        roles = ", ".join(r.role for r in (first, *rest))
        source = f"  ({first.source})" if first.source else ""  # the config's own: no note
        print(f"{flag} {name:<{width}}  {first.account_id}  {first.region:<14} {roles}{source}")
    return 0


def _say_capped(engine: Engine) -> None:
    """Name the accounts asking for role sessions over 1h: `run` caps them without a word
    (aws-vault users' duration_seconds = 43200 would be a note on every command)."""
    default = engine.config.defaults.role_duration
    over = [a.name for a in engine.config.accounts if (a.role_duration or default) > CHAINING_CAP]
    if over:
        more = f" and {len(over) - 3} more" if len(over) > 3 else ""
        tty.say(
            f"jumpshell: note: {', '.join(over[:3])}{more} ask for role sessions over 1h; AWS "
            "caps a role assumed from an MFA session (role chaining) at 1h, so they get 1h "
            "(nothing to change; `run --refresh` outlives it)"
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
