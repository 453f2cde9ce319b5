"""Every wait has an end and says what it waits for: locks, mfa_command, slow STS, the agent."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jumpshell import agentclient, paths
from tests.conftest import BIN, Demo, js

PY = sys.executable


def _popen(demo: Demo, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN / "jumpshell"), *args],
        env={**demo.env, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@contextmanager
def _signalled(path: Path) -> Iterator[int]:
    """The read end of a fifo, opened without blocking: readable once a writer speaks."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        yield fd
    finally:
        os.close(fd)


def _wait_readable(fd: int, timeout: float = 30) -> None:
    assert select.select([fd], [], [], timeout)[0], "no signal within the timeout"


def _blocking_mfa_command(demo: Demo, tmp_path: Path, started: Path, code: Path) -> None:
    """mfa_command that says it started (on `started`), then prints what `code` gives it."""
    script = tmp_path / "code.py"
    script.write_text(
        f"with open({str(started)!r}, 'w') as f:\n    f.write('x')\n"
        f"print(open({str(code)!r}).read().strip())\n"
    )
    demo.set_jump(f'mfa_command = "{PY} {script}"')


def _stderr_line(proc: subprocess.Popen[str], words: str, timeout: float = 30) -> str:
    """Read `proc`'s stderr until a line holding `words` (an event: the line arrives)."""
    assert proc.stderr is not None
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not select.select([proc.stderr], [], [], end - time.monotonic())[0]:
            break
        line = proc.stderr.readline()
        if words in line:
            return line
        assert line, f"stderr ended without {words!r}"
    raise AssertionError(f"no {words!r} on stderr within {timeout} s")


def test_a_held_login_lock_is_named_and_its_wait_ends(demo: Demo, tmp_path: Path) -> None:
    started, code = _fifo(tmp_path / "started"), _fifo(tmp_path / "code")
    _blocking_mfa_command(demo, tmp_path, started, code)
    with _signalled(started) as ready:
        holder = _popen(demo, "login")
        _wait_readable(ready)  # the holder has the login lock and waits on its mfa_command
    try:
        done = js("run", demo.dev(), "--", "true", env={**demo.env, "JUMPSHELL_LOCK_TIMEOUT": "3"})
        assert done.returncode == 4, done.stderr
        name = f"jumpshell login (pid {holder.pid})"
        assert f"jumpshell: waiting for {name} to finish logging in" in done.stderr
        assert f"{name} has been logging in" in done.stderr and f"kill {holder.pid}" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        with open(code, "w") as feed:
            feed.write(demo.code())
        holder.communicate(timeout=60)
    assert holder.returncode == 0


def test_a_waiter_says_what_it_waits_for_then_reuses_the_session(
    demo: Demo, tmp_path: Path
) -> None:
    started, code = _fifo(tmp_path / "started"), _fifo(tmp_path / "code")
    _blocking_mfa_command(demo, tmp_path, started, code)
    with _signalled(started) as ready:
        holder = _popen(demo, "login")
        _wait_readable(ready)
    waiter = _popen(demo, "run", demo.dev(), "--", "true")
    try:
        line = _stderr_line(waiter, "waiting for")
        assert f"jumpshell login (pid {holder.pid}) to finish logging in" in line
    finally:
        with open(code, "w") as feed:
            feed.write(demo.code())
    assert holder.wait(timeout=60) == 0
    assert waiter.wait(timeout=60) == 0
    assert len(demo.calls("GetSessionToken")) == 1


def test_a_hanging_mfa_command_times_out_once_for_concurrent_runs(
    demo: Demo, tmp_path: Path
) -> None:
    started, never = _fifo(tmp_path / "started"), _fifo(tmp_path / "never")
    runs = tmp_path / "runs"
    script = tmp_path / "hang.py"
    script.write_text(
        f"open({str(runs)!r}, 'a').write('run\\n')\n"
        f"open({str(started)!r}, 'w').write('x')\n"
        f"open({str(never)!r}).read()\n"  # nobody ever writes: it hangs
    )
    demo.set_jump(f'mfa_command = "{PY} {script}"')
    timeout = {"JUMPSHELL_MFA_COMMAND_TIMEOUT": "8"}
    begin = time.monotonic()
    with _signalled(started) as ready:
        first = _popen(demo, "run", demo.dev(), "--", "true", **timeout)
        _wait_readable(ready)
        others = [_popen(demo, "run", demo.dev(), "--", "true", **timeout) for _ in range(2)]
        results = [p.communicate(timeout=60) for p in (first, *others)]
    elapsed = time.monotonic() - begin
    for proc, (_, err) in zip((first, *others), results, strict=True):
        assert proc.returncode == 3, err
        assert "mfa_command did not print a code within 8 s" in err and "Traceback" not in err
    assert runs.read_text().count("run") == 1  # the waiters shared the one result
    assert elapsed < 16, elapsed  # one timeout, not three


def test_a_slow_sts_call_says_what_it_waits_for(demo: Demo) -> None:
    demo.aws.set_latency(3000, "GetSessionToken")
    done = demo.js("login", "--mfa-code", demo.code())
    assert done.returncode == 0, done.stderr
    assert f"jumpshell: waiting for AWS STS GetSessionToken at {demo.aws.url}..." in done.stderr


def test_an_sts_read_timeout_is_a_slow_endpoint_not_an_unreachable_one(demo: Demo) -> None:
    demo.aws.set_latency(6000, "GetSessionToken")
    env = {**demo.env, "JUMPSHELL_STS_TIMEOUT": "2"}
    begin = time.monotonic()
    done = js("login", "--mfa-code", demo.code(), env=env)
    assert done.returncode == 4, done.stderr
    assert f"{demo.aws.url} did not answer GetSessionToken within 2 s" in done.stderr
    assert "cannot reach" not in done.stderr and "Traceback" not in done.stderr
    assert time.monotonic() - begin < 6  # not retried into a minute of silence


def test_a_held_agent_start_lock_is_named(demo: Demo) -> None:
    runtime = paths.private_dir(paths.runtime_dir())
    hold = (
        "import fcntl, os, sys\n"
        f"fd = os.open({os.path.join(runtime, 'agent.lock')!r}, os.O_RDWR | os.O_CREAT, 0o600)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "os.write(fd, f'{os.getpid()} test-holder\\n'.encode())\n"
        "print('held', flush=True)\n"
        "sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [PY, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        env = {**demo.env, "JUMPSHELL_LOCK_TIMEOUT": "3"}
        done = js("login", "--mfa-code", demo.code(), env=env)
        assert done.returncode == 2, done.stderr
        name = f"test-holder (pid {holder.pid})"
        assert f"waiting for {name} to start the session agent" in done.stderr
        assert f"{name} has been starting it for 3 s" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        holder.communicate("", timeout=10)


def test_status_says_when_the_agent_does_not_answer(demo: Demo) -> None:
    demo.login()
    pid = agentclient.call({"op": "ping"}, path=paths.agent_socket())["pid"]
    os.kill(pid, signal.SIGSTOP)
    try:
        done = demo.js("status")
    finally:
        os.kill(pid, signal.SIGCONT)
    assert done.returncode == 4, done.stderr
    assert "the session agent at" in done.stderr and "does not answer" in done.stderr
    assert "no MFA session" not in done.stdout


def test_status_says_when_the_runtime_dir_is_unusable(demo: Demo, tmp_path: Path) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    done = js("status", env={**demo.env, "XDG_RUNTIME_DIR": str(not_a_dir)})
    assert done.returncode == 4, done.stderr
    assert "the runtime dir is unusable" in done.stderr and "Traceback" not in done.stderr
    assert "no MFA session" not in done.stdout
