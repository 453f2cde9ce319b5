"""The warm `jumpshell shell TARGET` (and `jumpshell TARGET`, `run TARGET` with no command).

The agent answers one request with all the full path (cli/shell.py) would build: the ready
environment with a refresh token bound to this pid, the chain, the prompt's segments and
title, and the on_enter hooks. This writes the rc (shells/, lean) and execs the shell from
this very process, so the token's pid is the shell's. Any miss (no agent, nothing held, a
confirm to ask, an option not known here) returns None: the full path does it, and says why.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # `import typing` costs ~4 ms on the warm path
if TYPE_CHECKING:
    from collections.abc import Callable

    from jumpshell.agentclient import Hook, WarmShell

    # fast.enter: (hooks, env, unset, hook_env, entry) -> an exit code if they block
    Enter = Callable[[list[Hook], dict[str, str], list[str], dict[str, str], str], int | None]

_FLAGS = {"--static": "s", "--yes": "y"}


def parse(args: list[str]) -> tuple[str, str | None, str] | None:
    """`shell TARGET [--static] [--yes] [--region R]` -> (target, region, flags), else None.

    `run TARGET` with no command is the shell too, without --static (run has none).
    """
    if len(args) < 2 or args[1].startswith("-"):
        return None
    region, flags, rest = None, "", args[2:]
    while rest:
        if rest[0] in _FLAGS and not (args[0] == "run" and rest[0] == "--static"):
            flags += _FLAGS[rest.pop(0)]
        elif rest[0] == "--region" and len(rest) > 1 and region is None:
            region = rest[1]
            rest = rest[2:]
        else:
            return None
    if region is not None and not (region.isascii() and region.replace("-", "").isalnum()):
        return None  # the full path refuses it with one line
    return args[1], region, flags


def warm(args: list[str], enter: Enter) -> int | None:
    """Exec the shell from the agent's answer; an exit code; None: take the full path.

    `enter` runs the on_enter hooks (fast.enter, handed in: fast imports this module).
    """
    parsed = parse(args)
    if parsed is None:
        return None
    target, region, flags = parsed
    if not os.environ.get("NO_COLOR"):  # shells/prompt.color_wanted
        flags += "c"
    from jumpshell import agentclient, paths

    try:
        answer = agentclient.warm_shell(
            paths.config_file(),
            target,
            region,
            flags,
            os.environ.get("JUMPSHELL_CHAIN", ""),
            "demo" if os.environ.get("JUMPSHELL_DEMO_URL") else "",  # shells/prompt.tag
        )
    except agentclient.AgentUnavailable:
        return None
    if answer is None:
        return None
    try:
        return _open(answer, enter)
    finally:
        _revoke(answer.token)  # reached only when no shell took the token over


def _open(answer: WarmShell, enter: Enter) -> int | None:
    """What cmd_shell does once prepared: the rc, the hooks, exec; None: take the full path.

    The rc is written before the hooks run, so that a failure to write it (a runtime dir
    that is not ours) goes to the full path, which says it, without running them twice.
    """
    from jumpshell.segment import Segment
    from jumpshell.shells import Prompt, for_path, rcdir

    env = {k: v for k, v in os.environ.items() if k not in answer.unset}
    env.update(answer.sets)
    prepared = dict(env)  # the hooks' base, as the full path's: no chain, nothing of the rc
    env["JUMPSHELL_CHAIN"] = answer.chain
    path = os.environ.get("SHELL") or "/bin/sh"
    prompt = Prompt(tuple(Segment(text, sgr) for text, sgr in answer.segments), answer.title)
    try:
        rc_dir = rcdir.make()
    except Exception:  # noqa: BLE001 - the full path says what is wrong, in one line
        return None
    try:
        try:
            argv = for_path(path).launch(path, env, prompt, rc_dir)
        except OSError:
            return None
        if answer.hooks:
            code = enter(answer.hooks, prepared, answer.unset, answer.hook_env, "shell")
            if code is not None:
                return code
        return _exec(argv, env)
    finally:
        rcdir.remove(rc_dir)  # reached only when no shell took it over


def _exec(argv: list[str], env: dict[str, str]) -> int:
    """Become the shell (cli/shell.py's _exec); 2 and its one line if it cannot start."""
    from jumpshell.procs import restore_exec_signals

    sys.stdout.flush()
    sys.stderr.flush()
    restore_exec_signals()
    try:
        os.execve(argv[0], argv, env)
    except OSError as exc:
        sys.stderr.write(
            f"jumpshell: cannot start the shell {argv[0]}: {exc.strerror} "
            "(set SHELL to a shell you have)\n"
        )
    return 2


def _revoke(token: str) -> None:
    """End a token no shell will hold (the agent's pid watch would, once this process ends)."""
    if not token:
        return
    from jumpshell import agentclient

    try:
        agentclient.call({"op": "token_revoke", "token": token}, timeout=5)
    except agentclient.AgentUnavailable:
        pass
