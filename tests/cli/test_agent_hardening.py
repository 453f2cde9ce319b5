"""The agent against hostile neighbours and bad clients: limits, validation, tokens that die."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jumpshell import agentclient
from tests.conftest import BIN, Demo, endpoint_status, require_root, start_agent, wait_for_exit

PY = sys.executable
HOLD = "import os, sys; print(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'], flush=True); "
HOLD += "print(os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN'], flush=True); sys.stdin.read()"


def _socket() -> str:
    return os.path.join(os.environ["XDG_RUNTIME_DIR"], "jumpshell", "agent.sock")


def _agent_pid() -> int:
    pid: int = agentclient.call({"op": "ping"}, path=_socket(), timeout=5)["pid"]
    return pid


@contextmanager
def _refreshing(demo: Demo) -> Iterator[tuple[subprocess.Popen[str], str, str]]:
    """A `run --refresh` whose command holds on until its stdin closes: (job, url, token)."""
    argv = [str(BIN / "jumpshell"), "run", demo.dev(), "--refresh", "--", PY, "-c", HOLD]
    job = subprocess.Popen(
        argv, env=demo.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert job.stdout is not None and job.stdin is not None
    url, token = job.stdout.readline().strip(), job.stdout.readline().strip()
    try:
        yield job, url, token
    finally:
        job.stdin.close()
        job.wait(timeout=20)


def _raw(data: bytes, timeout: float = 15) -> bytes:
    """Send `data` on the agent's socket as a client would; what comes back before it closes."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(_socket())
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before it all went: what it said is still to be read
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:  # it closed with our bytes unread: ended early all the same
            return b"reset"
        return b"".join(chunks)


# Connects one by one, each only once the agent has taken the last ones off its listen queue
# (/proc/net/tcp shows that queue's length; nothing signals it), so every connection is one
# the agent really accepted, never a SYN dropped or parked in the queue; then holds them all.
HOLDER = """
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])

def queued():
    with open("/proc/net/tcp") as table:  # listeners come first: only a few lines are read
        for line in table:
            fields = line.split()
            if fields[1].endswith(":%04X" % port) and fields[3] == "0A":
                return int(fields[4].split(":")[1], 16)
    raise SystemExit("nothing listens on the port")

def drained(limit):
    deadline = time.monotonic() + 3
    while queued() > limit:
        if time.monotonic() > deadline:
            return False  # the agent accepts no more
        time.sleep(0.001)
    return True

held = []
while len(held) < count and drained(2):
    sock = socket.socket()
    sock.settimeout(3)
    sock.connect(("127.0.0.1", port))
    held.append(sock)  # kept: a socket nobody references is closed
drained(0)
print("held", len(held), "accepted", len(held) - queued(), flush=True)
sys.stdin.read()
"""


def _open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def _hold(port: str, count: int) -> subprocess.Popen[str]:
    """`nobody` holding `count` idle connections the agent accepted, until its stdin closes."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    setpriv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.Popen(
        [*setpriv, PY, "-c", HOLDER, port, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_NOFILE, (max(soft, count + 100), max(hard, count + 100))
        ),
    )


def test_idle_connections_from_another_user_leave_the_agent_answering(demo: Demo) -> None:
    """The issue's report: `nobody` holds idle connections to the endpoint of an agent limited
    to 1,024 fds; before, it ran out of them (run hung, status found no session)."""
    require_root()
    demo.login()
    assert demo.js("run", demo.dev(), "--", "true").returncode == 0
    agent = _agent_pid()
    prlimit = ["prlimit", f"--pid={agent}", "--nofile=1024:1024"]  # a desktop's usual limit
    subprocess.run(prlimit, check=True)
    with (
        _refreshing(demo) as (_job, url, token),
        _hold(url.split(":")[2].split("/")[0], 2000) as holder,
    ):
        assert holder.stdout is not None and holder.stdin is not None
        held = holder.stdout.readline().split()
        assert endpoint_status(url, token) == 200  # the endpoint itself still serves its token
        refresh = demo.js("run", demo.dev(), "--refresh", "--", "true", timeout=10)
        assert refresh.returncode == 0, refresh.stderr
        warm = demo.js("run", demo.dev(), "--", "true", timeout=10)
        assert warm.returncode == 0, warm.stderr
        status = json.loads(demo.js("status", "--json", timeout=10).stdout)[0]
        assert status["mfa_expiration"] and status["roles"]
        assert _open_fds(agent) < 150  # capped: never a descriptor per idle connection
        assert held == ["held", "2000", "accepted", "2000"]  # it never stopped accepting
        holder.stdin.close()


def test_a_huge_line_on_the_socket_is_refused_early(demo: Demo) -> None:
    demo.login()
    pid = _agent_pid()
    answer = _raw(b"x" * (4 << 20))  # no newline, no EOF: the agent must not wait for more
    assert b"longer than 1 MiB" in answer or answer == b"reset"  # not a hang: it ended
    rss = next(
        int(line.split()[1])
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    assert rss < 200_000  # KiB: the 4 MiB were never kept whole
    assert _agent_pid() == pid


def test_a_stalled_client_is_dropped(demo: Demo) -> None:
    demo.login()
    assert _raw(b'{"op": "ping"', timeout=15) == b""  # half a request, then silence
    assert _agent_pid()


def test_malformed_role_put_is_refused_and_lock_forgets_everything(demo: Demo) -> None:
    demo.login()
    assert demo.js("run", demo.dev(), "--", "true").returncode == 0
    creds = {"AccessKeyId": "ASIA", "SecretAccessKey": "s", "SessionToken": "t"}
    bad = [
        {"op": "role_put", "key": "x", "credentials": creds, "meta": {}},
        {"op": "role_put", "key": "x", "credentials": "nope", "meta": {}},
        {"op": "role_put", "key": ["x"], "credentials": creds},
        {"op": "mfa_put", "jump_id": "j", "credentials": {"AccessKeyId": 1}},
        {"op": "token_new", "meta": {"key": "x"}, "pid": os.getpid()},
        {"op": "mfa_put", "jump_id": "j" * 100_000, "credentials": creds},
    ]
    for request in bad:
        answer = json.loads(_raw(json.dumps(request).encode() + b"\n"))
        assert answer.get("error", "").startswith("BadRequest"), request
    pid = _agent_pid()
    status = json.loads(demo.js("status", "--json").stdout)[0]
    assert status["roles"] and status["mfa_expiration"]
    assert demo.js("logout").returncode == 0
    status = json.loads(demo.js("status", "--json").stdout)[0]
    assert status["roles"] == [] and status["mfa_expiration"] is None
    done = demo.js("lock")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert wait_for_exit(pid)


def test_lock_kills_an_agent_that_does_not_stop_and_logout_says_it_failed(demo: Demo) -> None:
    demo.login()
    pid = _agent_pid()
    os.kill(pid, signal.SIGSTOP)  # hung: it accepts nothing and answers nothing
    try:
        logout = demo.js("logout", timeout=30)
        assert logout.returncode != 0
        assert logout.stderr.count("\n") == 1 and "did not confirm the logout" in logout.stderr
        assert "forgotten" not in logout.stdout
        lock = demo.js("lock", timeout=30)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert lock.returncode == 0, lock.stderr
    assert f"(pid {pid}) did not confirm the lock, so it was killed" in lock.stderr
    assert wait_for_exit(pid, timeout=1)


def test_a_killed_holder_takes_its_token_with_it(demo: Demo) -> None:
    """`kill -9` on jumpshell: nobody revokes, yet the agent sees its holder end."""
    demo.login()
    with _refreshing(demo) as (job, url, token):
        assert endpoint_status(url, token) == 200
        job.kill()
        job.wait(timeout=10)
        deadline = time.monotonic() + 10
        while (
            endpoint_status(url, token) == 200
        ):  # the agent's own pidfd watch, not a client's revoke
            assert time.monotonic() < deadline, "the token outlived its holder"
            time.sleep(0.05)
        assert endpoint_status(url, token) in (403, "refused")


def test_agent_does_not_idle_out_while_a_token_lives(demo: Demo) -> None:
    agent = start_agent(demo.env, idle=1)
    demo.login()
    with _refreshing(demo) as (_job, url, token):
        assert not wait_for_exit(agent.pid, timeout=3)  # three idle timeouts, and it stays
        assert endpoint_status(url, token) == 200
    assert agent.wait(timeout=10) == 0  # its token gone, the idle timer ends it


def test_agent_idle_timeout_has_a_floor(demo: Demo) -> None:
    text = demo.config.read_text().replace(
        "[defaults]\n", '[defaults]\nagent_idle_timeout = "2s"\n'
    )
    demo.config.write_text(text)
    done = demo.js("list")
    assert done.returncode == 2
    assert "agent_idle_timeout must be 15m or more" in done.stderr


def test_whoami_in_a_refreshing_command_shows_the_token_scope(demo: Demo) -> None:
    demo.login()
    target = demo.dev()
    script = f'echo "$AWS_CONTAINER_AUTHORIZATION_TOKEN"; {BIN / "jumpshell"} whoami'
    done = demo.js("run", target, "--refresh", "--", "sh", "-c", script)
    assert done.returncode == 0, done.stderr
    token, shown = done.stdout.split("\n", 1)
    scope = f"credentials: refreshing from the agent, token good for {target}/Developer only"
    assert scope in shown.splitlines()
    assert len(token) > 20 and token not in shown + done.stderr


def test_idle_clients_flooding_the_socket_do_not_starve_a_warm_run(demo: Demo) -> None:
    """Same-user clients that connect and say nothing: each would hold one of the 64 slots
    for the whole read timeout, the rest of the flood filling the listen queue ahead of run."""
    demo.login()
    assert demo.js("run", demo.dev(), "--", "true").returncode == 0
    flood: list[socket.socket] = []
    try:
        for _ in range(400):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.setblocking(False)
            flood.append(sock)
            try:
                sock.connect(_socket())
            except BlockingIOError:
                break  # the listen queue is full: as flooded as it gets
        start = time.monotonic()
        warm = demo.js("run", demo.dev(), "--", "true", timeout=15)
        assert warm.returncode == 0, warm.stderr
        assert time.monotonic() - start < 3, f"{len(flood)} idle clients held run up"
    finally:
        for sock in flood:
            sock.close()
