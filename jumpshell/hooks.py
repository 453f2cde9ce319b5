"""`on_enter` hooks: which run for a target, their environment (no credential), and the runner.

Lean: the warm path (cli/fast.py) imports it when the agent's answer carries hooks, so it
spawns with os.posix_spawn and waits on a pidfd; no subprocess, signal or dataclasses here.
"""

from __future__ import annotations

import os

from jumpshell.envclass import env_class

TYPE_CHECKING = False  # `import typing` costs ~4 ms on the warm path
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from jumpshell.config import Account, Config, Hook
    from jumpshell.targets import Target

SAY_AFTER = 2.0  # a wait longer than this says what it waits for
_SIGKILL = 9  # `signal` would import enum (~3 ms); SIGKILL is 9 on every POSIX system


def _account(config: Config, target: Target) -> Account | None:
    return next((a for a in config.accounts if a.name == target.account_name), None)


def target_class(config: Config, target: Target) -> str:
    """The environment class of `target`'s account (an id not in the config: by its flag)."""
    account = _account(config, target)
    tags = account.tags if account is not None else {}
    return env_class(target.account_name, tags, target.production)


def for_target(config: Config, target: Target) -> tuple[Hook, ...]:
    """The hooks entering `target` runs, in order: every target's, its class's, its account's."""
    hooks = config.hooks
    if not (hooks.on_enter or hooks.by_class or hooks.by_account):
        return ()  # the usual case, without a walk over the accounts
    by_class = hooks.by_class.get(target_class(config, target), ()) if hooks.by_class else ()
    return (*hooks.on_enter, *by_class, *hooks.by_account.get(target.account_name, ()))


def extras(config: Config, target: Target) -> dict[str, str]:
    """What a hook gets besides the target's JUMPSHELL_* variables."""
    return {
        "JUMPSHELL_ENV_CLASS": target_class(config, target),
        "JUMPSHELL_USER": target.jump.user_name,
    }


def environment(
    env: Mapping[str, str], drop: Iterable[str], extra: Mapping[str, str]
) -> dict[str, str]:
    """A hook's environment: the command's, less every credential variable in `drop`."""
    dropped = set(drop)
    result = {k: v for k, v in env.items() if k not in dropped}
    result.update(extra)
    return result


def run(
    hooks: Sequence[tuple[str, float, bool, str]],
    env: Mapping[str, str],
    say: Callable[[str], None],
) -> tuple[list[str], str | None]:
    """Run each (command, timeout, required, where) in turn; (warnings, the failure that blocks).

    A hook reads /dev/null and writes to our stderr (stdout may be a pipe the command
    feeds), in a process group of its own so that a timeout ends its children too.
    """
    warnings: list[str] = []
    for command, timeout, required, where in hooks:
        problem = _run_one(command, timeout, where, env, say)
        if problem is None:
            continue
        line = f"the on_enter hook at {where} {problem}"
        if required:
            return warnings, line
        warnings.append(f"{line}; going on (it is not required)")
    return warnings, None


def _run_one(
    command: str, timeout: float, where: str, env: Mapping[str, str], say: Callable[[str], None]
) -> str | None:
    """None if it exited 0, else what went wrong."""
    try:
        pid = os.posix_spawn(
            "/bin/sh",
            ["/bin/sh", "-c", command],
            dict(env),
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_DUP2, 2, 1),
            ],
            setpgroup=0,
        )
    except OSError as exc:
        return f"could not start ({exc.strerror})"
    try:
        status = _wait(pid, timeout, where, say)
    except BaseException:  # Ctrl-C: the hook is in its own group, so end it before going
        _kill(pid)
        raise
    if status is None:
        return f"took longer than {timeout:g} s and was ended"
    code = os.waitstatus_to_exitcode(status)
    if code == 0:
        return None
    return f"exited {code}" if code > 0 else f"was killed by signal {-code}"


def _wait(pid: int, timeout: float, where: str, say: Callable[[str], None]) -> int | None:
    """The wait status of `pid`, or None once `timeout` has passed (it is then killed)."""
    import select
    import time

    start = time.monotonic()
    pidfd = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None
    said = False
    try:
        while True:
            waited = time.monotonic() - start
            if waited >= timeout:
                _kill(pid)
                return None
            if not said and waited >= SAY_AFTER:
                say(f"jumpshell: waiting for the on_enter hook at {where} (up to {timeout:g} s)")
                said = True
            step = min(timeout, SAY_AFTER if not said else timeout) - waited
            if pidfd is not None:
                select.select([pidfd], [], [], max(step, 0))
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            if pidfd is None:  # no pidfd (not Linux): look again soon
                time.sleep(min(max(step, 0), 0.02))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def _kill(pid: int) -> None:
    """End the hook and anything it started, and reap it."""
    try:
        os.killpg(pid, _SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
