"""Run a command with an environment: exec it, or wait for it when something must follow."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jumpshell import hooks
from jumpshell.config import Hook
from jumpshell.errors import UsageError
from jumpshell.procs import restore_exec_signals

EXIT_NOT_FOUND = 127


def exec_command(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Replace this process with `argv` (signals and exit code are then the command's own)."""
    restore_exec_signals()
    try:
        os.execvpe(argv[0], list(argv), dict(env))
    except (FileNotFoundError, PermissionError) as exc:
        raise _unrunnable(argv[0], exc) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _unrunnable(command: str, exc: OSError) -> UsageError:
    """A command that cannot be started, said the same way by exec and by a child's start."""
    if isinstance(exc, FileNotFoundError):
        return UsageError(
            f"command not found: {command}", "check the command after --", EXIT_NOT_FOUND
        )
    return UsageError(f"cannot execute {command}", "check its permissions", 126)


def run_command(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Run `argv` as a child and wait; its code (128+N on a signal).

    Ctrl-C and Ctrl-\\ reach the child from the terminal itself (the whole foreground
    process group gets them), so we only ignore them here: forwarding them too would
    hand the child two interrupts, and terraform takes a second one as "stop now".
    SIGTERM and SIGHUP are sent to us alone, so those are forwarded.
    """
    child = start(argv, env)
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGQUIT)}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        previous[sig] = signal.signal(sig, lambda n, _f: child.send_signal(n))
    try:
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code


def start(argv: Sequence[str], env: Mapping[str, str], **popen: Any) -> subprocess.Popen[bytes]:
    """`argv` started as a child (run_command's, and the picker's `r` with its output piped);
    a missing or unrunnable command said as exec_command says it."""
    try:
        return subprocess.Popen(list(argv), env=dict(env), **popen)
    except (FileNotFoundError, PermissionError) as exc:
        raise _unrunnable(argv[0], exc) from None


def run_hooks(
    found: Sequence[Hook], env: Mapping[str, str], say: Callable[[str], None]
) -> tuple[str, ...]:
    """Run `on_enter` hooks (Engine.enter_hooks, Engine.hook_env); their warnings, to show.

    `say` gets the line a hook still running after 2 s earns. A required hook that fails
    raises UsageError (exit 2): the entry does not happen.
    """
    specs = [(h.command, float(h.timeout), h.required, h.where) for h in found]
    warnings, failure = hooks.run(specs, env, say)
    if failure is not None:
        raise UsageError(failure, "it is required = true: fix it, or make it optional")
    return tuple(warnings)
