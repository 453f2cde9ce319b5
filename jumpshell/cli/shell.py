"""`shell`, `switch`: the user's own shell as a target, and moving it to another in place."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from jumpshell.cli.common import (
    _local,
    _notices,
    _region,
    confirm,
    enter,
    make_engine,
    remember,
)
from jumpshell.engine import Engine, Prepared, Whoami
from jumpshell.errors import UsageError
from jumpshell.procs import restore_exec_signals

if TYPE_CHECKING:
    from jumpshell.themes import Theme

TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN"


def cmd_shell(args: argparse.Namespace, command: list[str]) -> int:
    """shell TARGET: exec the user's shell as the target (refreshing unless --static)."""
    from jumpshell.shells import Prompt, for_path, prompt, rcdir

    engine = make_engine(args.mfa_code)
    region = _region(args.region)
    target = engine.resolve(args.target)
    asked = confirm(target, args.yes, engine)
    prepared = engine.prepare(
        target, os.environ, region, refresh=not getattr(args, "static", False)
    )
    if asked:
        remember(engine, target)
    _notices(prepared.notices)
    try:
        enter(engine, prepared, "shell")
    except BaseException:
        _revoke(engine, prepared)
        raise
    chain = prompt.chain(engine.config, os.environ, target, nest=True)
    env = dict(prepared.env)
    env["JUMPSHELL_CHAIN"] = prompt.chain_text(chain)
    path = os.environ.get("SHELL") or "/bin/sh"
    shell = for_path(path)
    rc_dir = rcdir.make()
    try:
        look = Prompt.of(_theme(engine), chain, prompt.color_wanted(env), prompt.tag(env))
        argv = shell.launch(path, env, look, rc_dir)
        _exec(argv, env)
    except BaseException:
        rcdir.remove(rc_dir)
        _revoke(engine, prepared)
        raise
    raise AssertionError("unreachable")  # pragma: no cover


def _exec(argv: list[str], env: dict[str, str]) -> None:
    """Become the shell: same pid, so the agent's watch on the token follows it."""
    sys.stdout.flush()
    sys.stderr.flush()
    restore_exec_signals()
    try:
        os.execve(argv[0], argv, env)
    except OSError as exc:
        raise UsageError(
            f"cannot start the shell {argv[0]}: {exc.strerror}", "set SHELL to a shell you have"
        ) from None


def _duration(text: str | None) -> int | None:
    from jumpshell.config import parse_duration

    return parse_duration(text, "--duration") if text else None


def _revoke(engine: Engine, prepared: Prepared) -> None:
    if prepared.token is not None:
        try:
            engine.revoke(prepared.token)
        except Exception:  # the agent ends it with this process anyway (its pid watch)
            pass


def cmd_switch(args: argparse.Namespace, command: list[str]) -> int:
    """switch TARGET: what the shell's `jumpshell` function evals to move it in place."""
    from jumpshell.envformat import render
    from jumpshell.environment import CONFLICTING, JUMPSHELL_VARS
    from jumpshell.shells import Prompt, for_path, prompt

    if not args.emit or not args.shell_pid:
        raise UsageError(
            "switch works inside a jumpshell shell, which defines it",
            "open one with `jumpshell shell TARGET`, then `jumpshell switch OTHER` moves it",
        )
    engine = make_engine(args.mfa_code)
    region, duration = _region(args.region), _duration(args.duration)
    target = engine.resolve(args.target)
    asked = confirm(target, args.yes, engine)
    old = os.environ.get(TOKEN)
    refresh = old is not None  # a --static shell stays static
    prepared = engine.prepare(target, {}, region, duration, refresh, args.shell_pid)
    if asked:
        remember(engine, target)
    _notices(prepared.notices)
    if old:
        try:
            engine.revoke(old)
        except Exception:  # the shell has its new token; the old one dies with the shell
            pass
    chain = prompt.chain(engine.config, os.environ, target, nest=False)
    sets = dict(prepared.env, JUMPSHELL_CHAIN=prompt.chain_text(chain))
    shell = for_path(args.emit)
    text = render(sets, [*CONFLICTING, *JUMPSHELL_VARS], shell.env_format)
    color, tag = prompt.color_wanted(os.environ), prompt.tag(os.environ)
    variables = shell.variables(Prompt.of(_theme(engine), chain, color, tag))
    print(f"{text}\n{variables}")
    return 0


def _theme(engine: Engine) -> Theme:
    from jumpshell import themes

    return themes.load(engine.config.defaults.theme)


def shell_lines(me: Whoami, environ: Mapping[str, str]) -> list[str]:
    """`whoami`/`status` in a target's environment: what set it up, its target, and when its
    keys change. A jumpshell shell sets JUMPSHELL_CHAIN, its own target the last hop; `run`
    and `env` set the target's variables alone (a `run` inside a shell keeps the shell's
    chain, whose last hop then names another target): that is a command's environment."""
    from jumpshell.shells import prompt

    if not me.target:
        return []
    chain = environ.get("JUMPSHELL_CHAIN")
    here = f"{environ.get('JUMPSHELL_ACCOUNT', '')}:{environ.get('JUMPSHELL_ROLE', '')}"
    hops = prompt.chain_names(environ)
    chain = chain if hops and hops[-1] == here else None
    if chain:
        lines = [f"this shell: {me.target} (chain {chain})"]
    else:
        lines = [f"this environment: {me.target} (set by `jumpshell run` or `env`, not a shell)"]
    if environ.get(TOKEN):
        held = [e for s in me.sessions for t, _, e in s.roles if t == me.target]
        if held:
            # the SDKs ask the endpoint again about 15 minutes before the keys they hold end
            when = _local(min(held) - 900)
            lines.append(f"credentials refresh from the agent next at about {when}")
        until = environ.get("AWS_CREDENTIAL_EXPIRATION")
        if until:
            lines.append(f"they refresh until the MFA session ends ({until})")
    elif environ.get("AWS_CREDENTIAL_EXPIRATION"):
        fix = "open the shell without --static" if chain else "`run --refresh` gives keys that do"
        lines.append(
            f"static credentials until {environ['AWS_CREDENTIAL_EXPIRATION']}: they do not "
            f"refresh ({fix})"
        )
    return lines
