"""Talks to the session agent over its Unix socket; lean enough for the warm path."""

from __future__ import annotations

import json
import os
import socket
import sys

from jumpshell import paths

TYPE_CHECKING = False  # `import typing` costs ~4 ms on the warm path
if TYPE_CHECKING:
    from typing import Any

TIMEOUT = 30.0


class AgentUnavailable(Exception):
    """No agent answered (none running, or it died)."""


def call(request: dict[str, Any], path: str | None = None, timeout: float = TIMEOUT) -> Any:
    """Send one request, return the `result` of the answer; raise AgentUnavailable if none."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path or paths.agent_socket())
        sock.sendall(json.dumps(request).encode() + b"\n")
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError as exc:
        raise AgentUnavailable(str(exc)) from None
    finally:
        sock.close()
    if not chunks:
        raise AgentUnavailable("the agent closed the connection")
    answer = json.loads(b"".join(chunks))
    if "error" in answer:
        raise AgentUnavailable(answer["error"])
    return answer.get("result")


def ensure(idle_timeout: int = 43200) -> None:
    """Start the agent unless one answers; concurrent callers start only one."""
    try:
        call({"op": "ping"}, timeout=5)
        return
    except AgentUnavailable:
        pass
    import fcntl
    import subprocess

    runtime = paths.private_dir(paths.runtime_dir())
    with open(os.path.join(runtime, "agent.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            call({"op": "ping"}, timeout=5)
            return
        except AgentUnavailable:
            pass
        from jumpshell.environment import CONFLICTING

        read_end, write_end = os.pipe()
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jumpshell.agent",
                "--idle",
                str(idle_timeout),
                "--ready-fd",
                str(write_end),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(write_end,),
            start_new_session=True,
            close_fds=True,
            cwd="/",
            env={k: v for k, v in os.environ.items() if k not in CONFLICTING},
        )
        os.close(write_end)
        with os.fdopen(read_end, "rb") as ready:
            line = ready.readline()  # the agent writes one line once it listens, or dies
        if not line.startswith(b"ok"):
            raise AgentUnavailable(line.decode(errors="replace").strip() or "agent did not start")
