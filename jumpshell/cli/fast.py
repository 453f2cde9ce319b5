"""The `jumpshell` entry point: the warm path (agent holds the role) before anything heavy loads.

`run`, `env` and `credential-process` ask the agent for a ready environment (and `run` runs
the on_enter hooks its answer carries); `credential-process --session` asks for the MFA
session. `jumpshell TARGET -- CMD` is `run`. `shell` (and `jumpshell TARGET`, `run TARGET`
with no command) is cli/fastshell.py's. On any miss (no agent, no cached credentials, a
production confirm, an option this parser does not know) they fall through to the full
argparse front end, which does the cold work.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # `import typing` costs ~4 ms on the warm path
if TYPE_CHECKING:
    from typing import NoReturn

_FAST = ("run", "env", "credential-process")


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args and args[0] == "__complete":  # the shell completions, per Tab: nothing else loads
        from jumpshell.cli.complete import main as complete

        return complete(args[1:])
    if args and args[0] not in _FAST and args[0] != "shell":
        from jumpshell.verbs import expand  # `jumpshell TARGET [-- CMD]`: shell or run, warm too

        args = expand(args, "shell")
    if args and (args[0] == "shell" or (args[0] == "run" and "--" not in args)):
        from jumpshell.cli.fastshell import warm  # `run TARGET` with no command: the shell

        code = warm(args, enter)
        if code is not None:
            return code
    elif args and args[0] in _FAST:
        code = _warm(args)
        if code is not None:
            return code
    from jumpshell.cli.commands import main as full

    return full(args)


def _parse(args: list[str]) -> tuple[str, dict[str, str], list[str]] | None:
    """`VERB TARGET [--region R] [--format F] [-- CMD...]`, or None to use the full parser."""
    if len(args) < 2 or args[1].startswith("-"):
        return None
    options: dict[str, str] = {}
    rest = args[2:]
    known = ("--region", "--format") if args[0] == "env" else ("--region",)
    while rest and rest[0] in known and len(rest) > 1:
        options[rest[0][2:]] = rest[1]
        rest = rest[2:]
    if args[0] == "run":
        if len(rest) < 2 or rest[0] != "--":
            return None
        return args[1], options, rest[1:]
    return (args[1], options, []) if not rest else None


def _session_jump(args: list[str]) -> str | None:
    """`credential-process --session [--jump NAME]` (either order): NAME ('default' without
    it), or None for any other spelling, which the full parser reads."""
    rest = args[1:]
    if "--session" not in rest:
        return None
    rest.remove("--session")
    if not rest:
        return "default"
    if len(rest) == 2 and rest[0] == "--jump" and not rest[1].startswith("-"):
        return rest[1]
    return None


def _warm_session(jump: str) -> None:
    """Print the MFA session the agent holds for `jump` and end; return on a miss."""
    from jumpshell import agentclient, paths

    try:
        sets = agentclient.warm_session(paths.config_file(), jump)
    except agentclient.AgentUnavailable:
        return
    if sets is not None:
        from jumpshell.envformat import credential_process

        _emit(credential_process(sets))


def _warm(args: list[str]) -> int | None:
    if args[0] == "credential-process" and (jump := _session_jump(args)) is not None:
        _warm_session(jump)
        return None  # a miss: the full path logs in, or says why it cannot
    parsed = _parse(args)
    if parsed is None:
        return None
    target, options, command = parsed
    region = options.get("region", "x")
    if not (region.isascii() and region.replace("-", "").isalnum()):
        return None  # the full path refuses it with one line (the agent would hand it on)
    from jumpshell import agentclient, paths

    try:
        answer = agentclient.warm_env(paths.config_file(), target, options.get("region"))
    except agentclient.AgentUnavailable:
        return None
    if answer is None or answer[2]:
        return None
    sets, unset, _confirm, hooks, hook_env = answer
    if args[0] == "credential-process":
        from jumpshell.envformat import credential_process

        _emit(credential_process(sets))
    if args[0] == "env":
        from jumpshell.envformat import FORMATS, render

        fmt = options.get("format", "sh")
        if fmt not in FORMATS:
            return None
        _emit(render(sets, unset, fmt))
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(sets)
    if hooks:
        code = enter(hooks, env, unset, hook_env, "run")
        if code is not None:
            return code
    _execvpe(command, env)
    return None  # not found or not runnable: the full path reports it with the right exit code


def enter(
    hooks: list[tuple[str, float, bool, str]],
    env: dict[str, str],
    unset: list[str],
    hook_env: dict[str, str],
    entry: str,
) -> int | None:
    """Run the on_enter hooks as the full path's `enter` does (`entry`: run or shell); an
    exit code if they block."""
    from jumpshell import hooks as runner

    def say(line: str) -> None:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    # every variable the agent unsets, but the JUMPSHELL_* ones, selects credentials
    drop = [name for name in unset if not name.startswith("JUMPSHELL_")]
    extra = {**hook_env, "JUMPSHELL_ENTRY": entry}
    try:
        warnings, failure = runner.run(hooks, runner.environment(env, drop, extra), say)
    except KeyboardInterrupt:
        say("jumpshell: cancelled")
        return 130
    for warning in warnings:
        say(f"jumpshell: {warning}")
    if failure is not None:
        say(f"jumpshell: {failure} (it is required = true: fix it, or make it optional)")
        return 2
    return None


def _execvpe(command: list[str], env: dict[str, str]) -> None:
    """`os.execvpe`, less the `import warnings` of its PATH lookup (~0.5 ms of a warm run).

    Returns only if no PATH entry could be run.
    """
    from jumpshell.procs import restore_exec_signals

    restore_exec_signals()
    if os.sep in command[0]:
        candidates = [command[0]]
    else:
        path = env.get("PATH", os.defpath).split(os.pathsep)
        candidates = [os.path.join(directory, command[0]) for directory in path]
    for candidate in candidates:
        try:
            os.execve(candidate, command, env)
        except OSError:
            continue  # as execvp does: the next PATH entry


def _emit(text: str) -> NoReturn:
    """Print `text` and end the process here, as the full path would end it.

    Nothing is left to clean up, and skipping the interpreter's teardown is ~1 ms of the
    warm path's ~3 ms over Python's start. A reader that closed early (`| head`) had all
    it wanted: exit 0, quietly, as the full path does.
    """
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    os._exit(0)
