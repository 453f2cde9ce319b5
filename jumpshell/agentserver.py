"""The agent's Unix socket: one request per connection, checked peers, bounded clients.

Each connection carries one JSON line (`{"op": ...}` -> `{"result": ...}`) or one of the warm
path's NUL-separated requests (agentclient.warm_env, warm_shell, warm_session). The ops
themselves are agent.Agent's.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from jumpshell import agentclient, paths
from jumpshell.agentstore import Store

READ_TIMEOUT = 5.0  # seconds a client of the socket has to send its request line
MAX_REQUEST = 1 << 20  # bytes in one request line
MAX_CLIENTS = 64  # served at once; the rest wait in the listen queue
SOCKET_CHECK = 1.0  # seconds between checks that the socket is still ours


class Ops(Protocol):
    """What the socket serves: agent.Agent."""

    def handle(self, request: dict[str, Any]) -> Any: ...


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """The Unix socket server; refuses peers of another uid (SO_PEERCRED).

    At most MAX_CLIENTS are served at once, so a same-user flood never makes the agent run
    out of threads or fds. When every slot is taken, the oldest client still silent is cut
    off (a client sends its request at once), so clients that say nothing cannot hold the
    slots for their read timeout while a `run` waits in the listen queue behind them.
    """

    daemon_threads = True
    request_queue_size = 128
    agent: Ops

    def __init__(self, path: str) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CLIENTS)
        self.silent: dict[int, socket.socket] = {}  # request line not read yet; oldest first
        self.silent_lock = threading.Lock()
        super().__init__(path, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (EPIPE) is its own business: print nothing."""

    def verify_request(self, request: Any, client_address: Any) -> bool:
        if not hasattr(socket, "SO_PEERCRED"):
            return True  # the 0700 dir and 0600 socket still guard it
        raw = request.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", raw)
        return bool(uid == os.getuid())

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self._cut_oldest_silent()
            self.slots.acquire()  # every slot busy answering: those end on their own
        with self.silent_lock:
            self.silent[id(request)] = request
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.heard(request)
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.heard(request)
            self.slots.release()

    def heard(self, request: socket.socket) -> None:
        """`request` has sent its line (or gone): it is no longer one to cut off."""
        with self.silent_lock:
            self.silent.pop(id(request), None)

    def _cut_oldest_silent(self) -> None:
        with self.silent_lock:
            if not self.silent:
                return
            oldest = self.silent.pop(next(iter(self.silent)))
        with contextlib.suppress(OSError):
            oldest.shutdown(socket.SHUT_RD)  # its reader sees the end at once; writing still works


class Handler(socketserver.StreamRequestHandler):
    """One JSON request line in, one JSON answer out."""

    server: Server
    timeout = READ_TIMEOUT  # a stalled client is dropped, not waited on for ever

    def handle(self) -> None:
        try:
            line = self.rfile.readline(MAX_REQUEST + 1)
        except TimeoutError:
            return
        finally:
            self.server.heard(self.request)
        if len(line) > MAX_REQUEST:  # refused unread: memory never grows past the cap
            self.wfile.write(b'{"error": "BadRequest: request longer than 1 MiB"}\n')
            return
        warm = (
            (agentclient.WARM, self._warm),
            (agentclient.WARM_SHELL, self._warm_shell),
            (agentclient.WARM_SESSION, self._warm_session),
        )
        for kind, answer_to in warm:  # the warm requests: NUL-separated, no json
            if line.startswith(kind + b"\0"):
                self.wfile.write(answer_to(line[len(kind) + 1 :].rstrip(b"\n")))
                return
        try:
            request = json.loads(line)
            answer = {"result": self.server.agent.handle(request)}
        except Exception as exc:  # the agent must outlive any bad request
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        self.wfile.write(json.dumps(answer).encode() + b"\n")

    def _warm(self, body: bytes) -> bytes:
        """The warm `env` request in its NUL-separated form (agentclient.warm_env)."""
        try:
            config, target, region, url, ca_bundle = agentclient.decode_warm(body)
            request = {
                "op": "env",
                "config": config,
                "target": target,
                "region": region or None,
                "endpoint": (url, ca_bundle),
            }
            answer = self.server.agent.handle(request)
        except Exception:  # a miss sends the client down the full path, which reports it
            return agentclient.MISS
        if not answer:
            return agentclient.MISS
        fields = ["1" if answer["confirm"] else "0", *_unset_and_hooks(answer)]
        fields += [f"{k}={v}" for k, v in answer["set"].items()]
        return b"ok\0" + agentclient.encode_warm(fields)

    def _warm_session(self, body: bytes) -> bytes:
        """The warm `credential-process --session` (agentclient.warm_session): the MFA
        session's four fields, or a miss. Secrets: to this same-uid peer's socket only."""
        try:
            config, jump, url, ca_bundle = agentclient.decode_warm(body)
            request = {
                "op": "session_env",
                "config": config,
                "jump": jump,
                "endpoint": (url, ca_bundle),
            }
            answer = self.server.agent.handle(request)
        except Exception:  # a miss sends the client down the full path, which reports it
            return agentclient.MISS
        if not answer:
            return agentclient.MISS
        fields = [answer[name] for name in agentclient.SESSION_FIELDS]
        if any("\0" in field for field in fields):  # a NUL would shift the fields after it
            return agentclient.MISS
        return b"ok\0" + agentclient.encode_warm(fields)

    def _warm_shell(self, body: bytes) -> bytes:
        """The warm `shell` request (agentclient.warm_shell): the `shell` op, NUL-separated."""
        try:
            config, target, region, url, ca_bundle, pid, flags, chain, tag = (
                agentclient.decode_warm(body)
            )
            request = {
                "op": "shell",
                "config": config,
                "target": target,
                "region": region or None,
                "endpoint": (url, ca_bundle),
                "pid": int(pid),
                "static": "s" in flags,
                "yes": "y" in flags,
                "color": "c" in flags,
                "chain": chain,
                "tag": tag,
            }
            answer = self.server.agent.handle(request)
        except Exception:  # a miss sends the client down the full path, which reports it
            return agentclient.MISS
        if not answer:
            return agentclient.MISS
        fields = _unset_and_hooks(answer)
        fields += [str(len(answer["segments"]))]
        fields += [part for segment in answer["segments"] for part in segment]
        fields += [answer["title"], answer["chain"], answer["token"]]
        fields += [f"{k}={v}" for k, v in answer["set"].items()]
        if any("\0" in field for field in fields):  # a NUL would shift every field after it
            if answer["token"]:
                self.server.agent.handle({"op": "token_revoke", "token": answer["token"]})
            return agentclient.MISS
        return b"ok\0" + agentclient.encode_warm(fields)


def serve(
    socket_path: str,
    idle_timeout: float,
    make_ops: Callable[[Store, Server], Ops],
    ready_fd: int | None = None,
) -> None:
    """Listen on `socket_path` until locked, stopped or idle for `idle_timeout` seconds;
    `make_ops` builds what answers (agent.Agent), given the store and this server."""
    paths.private_dir(os.path.dirname(socket_path))
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    old_umask = os.umask(0o177)
    try:
        server = Server(socket_path)
    finally:
        os.umask(old_umask)
    os.chmod(socket_path, 0o600)
    inode = os.stat(socket_path).st_ino
    store = Store()
    server.agent = make_ops(store, server)
    stopped = threading.Event()
    threading.Thread(
        target=_idle_watch,
        args=(server, store, idle_timeout, socket_path, inode, stopped),
        daemon=True,
    ).start()
    if ready_fd is not None:
        os.write(ready_fd, b"ok\n")
        os.close(ready_fd)
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        stopped.set()
        store.forget(None)
        server.server_close()
        with contextlib.suppress(OSError):
            if os.stat(socket_path).st_ino == inode:  # never a newer agent's socket
                os.unlink(socket_path)


def _idle_watch(
    server: Server,
    store: Store,
    idle_timeout: float,
    socket_path: str,
    inode: int,
    stopped: threading.Event,
) -> None:
    """End the agent when idle too long (never while a token lives), or when its socket is gone.

    A timer: it wakes when the idle time would be up, and once a second to see that its
    socket is still its own (`inode`: a removed runtime dir must not leave an agent behind).
    """
    while True:
        if store.tokens:  # a refreshing command may ask at any time: that counts as use
            store.last_activity = time.monotonic()
        left = idle_timeout - (time.monotonic() - store.last_activity)
        try:
            orphaned = os.stat(socket_path).st_ino != inode
        except FileNotFoundError:
            orphaned = True
        if left <= 0 or orphaned:
            server.shutdown()
            return
        store.sweep()  # expired role credentials go, so memory stays bounded
        if stopped.wait(min(left, SOCKET_CHECK)):
            return


def _unset_and_hooks(answer: dict[str, Any]) -> list[str]:
    """The warm answers' shared middle: the variables to unset, then the on_enter hooks and
    what their environment adds (agentclient._hooks reads it back)."""
    unset, found = answer["unset"], answer["hooks"]
    fields = [str(len(unset)), *unset, str(len(found))]
    for command, timeout, required, where in found:
        fields += [command, str(timeout), "1" if required else "0", where]
    if found:
        fields += [str(len(answer["hook_env"]))]
        fields += [f"{k}={v}" for k, v in answer["hook_env"].items()]
    return fields
