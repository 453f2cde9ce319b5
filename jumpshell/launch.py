"""Run a command with an environment: exec it, or wait for it when something must follow."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence

from jumpshell.errors import UsageError

EXIT_NOT_FOUND = 127


def exec_command(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Replace this process with `argv` (signals and exit code are then the command's own)."""
    try:
        os.execvpe(argv[0], list(argv), dict(env))
    except FileNotFoundError:
        raise UsageError(
            f"command not found: {argv[0]}", "check the command after --", EXIT_NOT_FOUND
        ) from None
    except PermissionError:
        raise UsageError(f"cannot execute {argv[0]}", "check its permissions", 126) from None
    raise AssertionError("unreachable")  # pragma: no cover


def run_command(argv: Sequence[str], env: Mapping[str, str]) -> int:
    """Run `argv` as a child, forwarding SIGINT/SIGTERM/SIGHUP; its code (128+N on a signal)."""
    try:
        child = subprocess.Popen(list(argv), env=dict(env))
    except FileNotFoundError:
        raise UsageError(
            f"command not found: {argv[0]}", "check the command after --", EXIT_NOT_FOUND
        ) from None
    forwarded = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, lambda n, _f: child.send_signal(n)) for s in forwarded}
    try:
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code
