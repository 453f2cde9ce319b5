"""Talks to the session agent over its Unix socket; lean enough for the warm path."""

from __future__ import annotations

import _socket  # the C module: `socket` would pull in enum and selectors (~5 ms)
import os
import sys

from jumpshell import paths

TYPE_CHECKING = False  # `import typing` costs ~4 ms on the warm path
if TYPE_CHECKING:
    from typing import Any

TIMEOUT = 30.0
# A warm request starts with NUL; every other request is a JSON line. "env2": answers carry
# the on_enter hooks, and an older agent takes it for bad JSON: a miss, so hooks never go unrun.
WARM = b"\0env2"
WARM_SHELL = b"\0shell1"  # the warm `shell`: env, a token bound to the pid, prompt, hooks
WARM_SESSION = b"\0session1"  # the warm `credential-process --session`: the MFA session
MISS = b"miss"
# what the warm `credential-process --session` answers, in this order
SESSION_FIELDS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
)


class AgentUnavailable(Exception):
    """No agent answered (none running, or it died)."""


def _exchange(data: bytes, path: str | None, timeout: float) -> bytes:
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path or paths.agent_socket())
        _check_peer(sock)
        sock.sendall(data)
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
    return b"".join(chunks)


def _check_peer(sock: _socket.socket) -> None:
    """The agent must run as us: never hand a session to another user's socket."""
    peercred = getattr(_socket, "SO_PEERCRED", None)
    if peercred is None:  # no SO_PEERCRED here: the 0700 runtime dir is the guard
        return
    raw = sock.getsockopt(_socket.SOL_SOCKET, peercred, 12)  # struct ucred: pid, uid, gid
    uid = int.from_bytes(raw[4:8], sys.byteorder)
    if uid != os.getuid():
        raise AgentUnavailable(f"the agent socket belongs to uid {uid}, not to you")


def peer_pid(path: str | None = None) -> int | None:
    """The pid of the agent listening on the socket (from the kernel, even if it is hung).

    None when no agent listens; AgentUnavailable if the socket is another user's.
    """
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    sock.settimeout(2)
    try:
        sock.connect(path or paths.agent_socket())
        _check_peer(sock)
        peercred = getattr(_socket, "SO_PEERCRED", None)
        if peercred is None:
            return None
        raw = sock.getsockopt(_socket.SOL_SOCKET, peercred, 12)
        return int.from_bytes(raw[0:4], sys.byteorder)
    except OSError:
        return None
    finally:
        sock.close()


def call(request: dict[str, Any], path: str | None = None, timeout: float = TIMEOUT) -> Any:
    """Send one request, return the `result` of the answer; raise AgentUnavailable if none."""
    import json

    answer = json.loads(_exchange(json.dumps(request).encode() + b"\n", path, timeout))
    if "error" in answer:
        raise AgentUnavailable(answer["error"])
    return answer.get("result")


def encode_warm(fields: list[str]) -> bytes:
    """NUL-separated fields: no JSON needed on either side (env names and values hold no NUL)."""
    return "\0".join(fields).encode("utf-8", "surrogateescape")


def decode_warm(data: bytes) -> list[str]:
    return data.decode("utf-8", "surrogateescape").split("\0")


def env_endpoint(environ: Any) -> tuple[str, str]:
    """The STS endpoint and CA bundle botocore takes from `environ` ('' for AWS's own).

    Role credentials and MFA sessions are held with the endpoint they came from, and only
    handed to a command that resolves the same one.
    """
    ca_bundle = environ.get("AWS_CA_BUNDLE") or ""
    if environ.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "").lower() == "true":
        return "", ca_bundle
    url = environ.get("AWS_ENDPOINT_URL_STS") or environ.get("AWS_ENDPOINT_URL") or ""
    return url, ca_bundle


Hook = tuple[str, float, bool, str]  # (command, timeout, required, where): hooks.run's


def warm_env(
    config: str, target: str, region: str | None, path: str | None = None, timeout: float = 5
) -> tuple[dict[str, str], list[str], bool, list[Hook], dict[str, str]] | None:
    """The agent's ready environment for `target`, or None on a miss:
    (set, unset, confirm, on_enter hooks, what the hooks' environment adds).

    The warm path's own wire format, so that `jumpshell run` imports neither json nor socket.
    """
    parts = _warm_ask(WARM, [config, target, region or ""], path, timeout)
    if parts is None:
        return None
    confirm, unset_count = parts[0] == "1", int(parts[1])
    unset = parts[2 : 2 + unset_count]
    hooks, hook_env, at = _hooks(parts, 2 + unset_count)
    sets = dict(item.split("=", 1) for item in parts[at:])
    return sets, unset, confirm, hooks, hook_env


def warm_session(
    config: str, jump: str, path: str | None = None, timeout: float = 5
) -> dict[str, str] | None:
    """The MFA session the agent holds for the config's jump `jump` at this command's
    endpoint, as SESSION_FIELDS (what envformat.credential_process writes), or None."""
    values = _warm_ask(WARM_SESSION, [config, jump], path, timeout)
    if values is None or len(values) != len(SESSION_FIELDS):
        return None
    return dict(zip(SESSION_FIELDS, values, strict=True))


def _warm_ask(
    kind: bytes, fields: list[str], path: str | None, timeout: float, after: tuple[str, ...] = ()
) -> list[str] | None:
    """One warm request of `kind`: `fields`, this command's endpoint, then `after`; the
    answer's fields, or None on a miss (or fields a line of the wire cannot carry)."""
    fields = [*fields, *env_endpoint(os.environ), *after]
    if any("\0" in f or "\n" in f for f in fields):
        return None
    answer = _exchange(kind + b"\0" + encode_warm(fields) + b"\n", path, timeout)
    if not answer.startswith(b"ok\0"):
        return None
    return decode_warm(answer[3:])


def _hooks(parts: list[str], at: int) -> tuple[list[Hook], dict[str, str], int]:
    """The on_enter hooks and their environment's additions at `parts[at]`; the next index."""
    hooks: list[Hook] = []
    for _ in range(int(parts[at])):
        command, seconds, required, where = parts[at + 1 : at + 5]
        hooks.append((command, float(seconds), required == "1", where))
        at += 4
    at += 1
    hook_env: dict[str, str] = {}
    if hooks:
        count = int(parts[at])
        hook_env = dict(item.split("=", 1) for item in parts[at + 1 : at + 1 + count])
        at += 1 + count
    return hooks, hook_env, at


class WarmShell:
    """The agent's answer to the warm `shell` (a plain class: no dataclasses on this path)."""

    __slots__ = ("chain", "hook_env", "hooks", "segments", "sets", "title", "token", "unset")

    def __init__(self, parts: list[str]) -> None:
        count = int(parts[0])
        self.unset = parts[1 : 1 + count]
        self.hooks, self.hook_env, at = _hooks(parts, 1 + count)
        count = int(parts[at])
        flat = parts[at + 1 : at + 1 + 2 * count]
        self.segments = [(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)]
        at += 1 + 2 * count
        self.title, self.chain, self.token = parts[at : at + 3]
        self.sets = dict(item.split("=", 1) for item in parts[at + 3 :])


def warm_shell(
    config: str,
    target: str,
    region: str | None,
    flags: str,
    chain: str,
    tag: str,
    path: str | None = None,
) -> WarmShell | None:
    """The warm `shell`'s answer, or None on a miss. `flags`: s(tatic), y(es), c(olour);
    `chain`: the JUMPSHELL_CHAIN this shell nests in; `tag`: the prompt's own label.

    A refresh token in the answer is bound to this process's pid: exec the shell from it.
    """
    after = (str(os.getpid()), flags, chain, tag)
    parts = _warm_ask(WARM_SHELL, [config, target, region or ""], path, 5, after)
    return None if parts is None else WarmShell(parts)


AGENT_START_WAIT = 30.0  # an agent is listening within a second or two; then it has an end


def ensure(idle_timeout: int = 43200, progress: Any = None) -> None:
    """Start the agent unless one answers; concurrent callers start only one."""
    try:
        call({"op": "ping"}, timeout=5)
        return
    except AgentUnavailable:
        pass
    from jumpshell import waits

    runtime = paths.private_dir(paths.runtime_dir())
    if len(os.fsencode(paths.agent_socket())) > 107:
        raise AgentUnavailable(
            f"its socket path {paths.agent_socket()} is longer than a Unix socket allows"
        )
    timeout = waits.seconds("JUMPSHELL_LOCK_TIMEOUT", AGENT_START_WAIT)
    lock = os.path.join(runtime, "agent.lock")
    try:
        with waits.locked(lock, timeout, progress, "start the session agent"):
            try:
                call({"op": "ping"}, timeout=5)
                return
            except AgentUnavailable:
                pass
            _start(idle_timeout, timeout)
    except waits.LockTimeout as exc:
        raise AgentUnavailable(
            f"{exc.name()} has been starting it for {exc.waited:.0f} s (holding {lock})"
        ) from None


def _start(idle_timeout: int, timeout: float) -> None:
    """Start `python -m jumpshell.agent` and wait (with an end) until it listens."""
    import select
    import subprocess

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
        # the agent writes one line once it listens, or dies (EOF)
        if not select.select([ready], [], [], timeout)[0]:
            raise AgentUnavailable(f"the agent did not start listening within {timeout:g} s")
        line = ready.readline()
    if not line.startswith(b"ok"):
        raise AgentUnavailable(line.decode(errors="replace").strip() or "agent did not start")
