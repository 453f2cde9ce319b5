"""The session agent: MFA sessions and role credentials in memory behind a 0600 Unix socket.

It also answers the warm path (`env` op: target -> ready environment), and serves the
container-credentials endpoint that keeps long-running shells and jobs fresh.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets as pysecrets
import socket
import socketserver
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from jumpshell import agentclient, paths
from jumpshell.config import Config, load
from jumpshell.creds import Credentials
from jumpshell.environment import CONFLICTING, JUMPSHELL_VARS, target_env
from jumpshell.errors import JumpshellError
from jumpshell.targets import resolve

ROLE_MIN_VALID = 300  # role credentials are reused until 5 minutes before expiry
MFA_MIN_VALID = 60


class Store:
    """Everything the agent holds, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mfa: dict[str, Credentials] = {}
        # the endpoint (url, CA bundle) each MFA session was made against (issue 10, item 4)
        self.mfa_endpoints: dict[str, Any] = {}
        self.roles: dict[str, tuple[Credentials, dict[str, Any]]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.configs: dict[str, tuple[tuple[int, int], Config]] = {}
        self.last_activity = time.monotonic()

    def config(self, path: str) -> Config:
        stat = os.stat(path)
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self.lock:
            cached = self.configs.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        config = load(path)
        with self.lock:
            self.configs[path] = (stamp, config)
        return config

    def role(self, key: str, min_valid: float = ROLE_MIN_VALID) -> Credentials | None:
        with self.lock:
            entry = self.roles.get(key)
        return entry[0] if entry and entry[0].valid_for(min_valid) else None

    def forget(self, jump_id: str | None) -> None:
        """Drop the MFA session(s) and every role credential and token that came from them."""
        with self.lock:
            for key in [k for k in self.mfa if jump_id is None or k == jump_id]:
                del self.mfa[key]
            for key in [k for k, v in self.roles.items() if jump_id in (None, v[1]["jump_id"])]:
                del self.roles[key]
            for key in [k for k, v in self.tokens.items() if jump_id in (None, v["jump_id"])]:
                del self.tokens[key]


class Agent:
    """Request handlers; each op takes the request dict and returns a JSON-able result."""

    def __init__(self, store: Store, server: Server) -> None:
        self.store = store
        self.server = server
        self.endpoint: ThreadingHTTPServer | None = None
        self.refresh_locks: dict[str, threading.Lock] = {}

    def handle(self, request: dict[str, Any]) -> Any:
        op = request.get("op")
        handler = getattr(self, f"op_{op}", None)
        if handler is None:
            raise ValueError(f"unknown op {op!r}")
        self.store.last_activity = time.monotonic()
        return handler(request)

    def op_ping(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"pid": os.getpid()}

    def op_mfa_get(self, request: dict[str, Any]) -> dict[str, Any] | None:
        with self.store.lock:
            creds = self.store.mfa.get(request["jump_id"])
            made_at = self.store.mfa_endpoints.get(request["jump_id"])
            if "endpoint" in request and made_at != request["endpoint"]:
                return None  # made against another endpoint: that command logs in itself
        return creds.to_dict() if creds and creds.valid_for(MFA_MIN_VALID) else None

    def op_mfa_put(self, request: dict[str, Any]) -> None:
        with self.store.lock:
            self.store.mfa[request["jump_id"]] = Credentials.from_dict(request["credentials"])
            self.store.mfa_endpoints[request["jump_id"]] = request.get("endpoint")

    def op_role_get(self, request: dict[str, Any]) -> dict[str, Any] | None:
        if "endpoint" in request and not self._same_endpoint(request["key"], request["endpoint"]):
            return None
        creds = self.store.role(request["key"], request.get("min_valid", ROLE_MIN_VALID))
        return creds.to_dict() if creds else None

    def op_role_put(self, request: dict[str, Any]) -> None:
        creds = Credentials.from_dict(request["credentials"])
        with self.store.lock:
            self.store.roles[request["key"]] = (creds, request["meta"])

    def op_env(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The warm path: resolve a target and hand back its environment if creds are held."""
        try:
            config = self.store.config(request["config"])
            target = resolve(config, request["target"])
        except (OSError, JumpshellError):
            return None  # the full path reports it properly
        if config.warnings:
            return None  # the full path says them (a typo in the config is worth the ms)
        url, ca_bundle = request.get("endpoint") or ("", "")
        here = {"url": config.jump(target.jump).endpoint_url or url, "ca_bundle": ca_bundle}
        if not self._same_endpoint(target.cache_key, here):
            return None
        creds = self.store.role(target.cache_key)
        if creds is None:
            return None
        env = target_env(target, creds, {}, region=request.get("region"))
        return {
            "set": env,
            "unset": [*CONFLICTING, *JUMPSHELL_VARS],
            "confirm": target.production and target.confirm,
        }

    def _same_endpoint(self, key: str, endpoint: Any) -> bool:
        """Role credentials serve only commands at the endpoint they came from."""
        with self.store.lock:
            entry = self.store.roles.get(key)
        return entry is None or entry[1].get("endpoint") == endpoint

    def op_logout(self, request: dict[str, Any]) -> None:
        self.store.forget(request.get("jump_id"))

    def op_roles_clear(self, request: dict[str, Any]) -> None:
        """Drop role credentials but keep MFA sessions (benchmarks, `logout --roles`)."""
        with self.store.lock:
            self.store.roles.clear()

    def op_lock(self, request: dict[str, Any]) -> None:
        self.store.forget(None)
        threading.Thread(target=self.server.shutdown, daemon=True).start()

    def op_stop(self, request: dict[str, Any]) -> None:
        self.op_lock(request)

    def op_status(self, request: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            mfa = {k: v.expiration for k, v in self.store.mfa.items() if v.valid_for(0)}
            roles = [
                {
                    "key": k,
                    "target": meta.get("target"),
                    "role_arn": meta.get("role_arn"),
                    "jump_id": meta.get("jump_id"),
                    "expiration": creds.expiration,
                }
                for k, (creds, meta) in self.store.roles.items()
                if creds.valid_for(0)
            ]
            tokens = len(self.store.tokens)
        return {"pid": os.getpid(), "mfa": mfa, "roles": roles, "refreshing": tokens}

    def op_token_new(self, request: dict[str, Any]) -> dict[str, str]:
        """A token for the credential endpoint, good for one role only."""
        token = pysecrets.token_urlsafe(32)
        with self.store.lock:
            self.store.tokens[token] = request["meta"]
        return {"url": self._endpoint_url(), "token": token}

    def op_token_revoke(self, request: dict[str, Any]) -> None:
        with self.store.lock:
            self.store.tokens.pop(request["token"], None)

    def _endpoint_url(self) -> str:
        with self.store.lock:
            if self.endpoint is None:
                self.endpoint = ThreadingHTTPServer(("127.0.0.1", 0), _endpoint_handler(self))
                self.endpoint.daemon_threads = True
                threading.Thread(target=self.endpoint.serve_forever, daemon=True).start()
            port = self.endpoint.server_address[1]
        return f"http://127.0.0.1:{port}/creds"

    def fresh_credentials(self, token: str) -> Credentials:
        """The token's role credentials, assumed again from the MFA session when near expiry."""
        with self.store.lock:
            meta = self.store.tokens.get(token)
        if meta is None:
            raise PermissionError("unknown or revoked token")
        # SDKs refresh 15 minutes ahead; short sessions are reused until a third is left
        min_valid = min(900, int(meta.get("duration") or 3600) // 3)
        with self.store.lock:
            refreshing = self.refresh_locks.setdefault(meta["key"], threading.Lock())
        with refreshing:  # concurrent fetches of one role: one AssumeRole, the rest reuse it
            creds = self.store.role(meta["key"], min_valid=min_valid)
            if creds is not None:
                return creds
            with self.store.lock:
                session = self.store.mfa.get(meta["jump_id"])
                made_at = self.store.mfa_endpoints.get(meta["jump_id"])
            if session is None or not session.valid_for(MFA_MIN_VALID):
                raise PermissionError("the MFA session has ended: run `jumpshell login`")
            if made_at != meta.get("endpoint"):  # its token goes only where it came from
                raise PermissionError("the MFA session is for another endpoint: log in again")
            from jumpshell.credentials import assume_for_agent

            creds = assume_for_agent(session, meta)
            with self.store.lock:
                self.store.roles[meta["key"]] = (creds, meta)
            return creds


def _endpoint_handler(agent: Agent) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            token = self.headers.get("Authorization", "")
            agent.store.last_activity = time.monotonic()
            try:
                creds = agent.fresh_credentials(token)
                body = {
                    "AccessKeyId": creds.access_key_id,
                    "SecretAccessKey": creds.secret_access_key,
                    "Token": creds.session_token,
                    "Expiration": creds.expiration_iso,
                }
                self._reply(200, body)
            except PermissionError as exc:
                self._reply(403, {"message": str(exc)})
            except JumpshellError as exc:
                self._reply(500, {"message": exc.render()})

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # nothing to stderr, and never the Authorization header

    return Handler


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """The Unix socket server; refuses peers of another uid (SO_PEERCRED)."""

    daemon_threads = True
    agent: Agent

    def verify_request(self, request: Any, client_address: Any) -> bool:
        if not hasattr(socket, "SO_PEERCRED"):
            return True  # the 0700 dir and 0600 socket still guard it
        raw = request.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", raw)
        return bool(uid == os.getuid())


class Handler(socketserver.StreamRequestHandler):
    """One JSON request line in, one JSON answer out."""

    server: Server

    def handle(self) -> None:
        line = self.rfile.readline()
        if line.startswith(agentclient.WARM + b"\0"):
            self.wfile.write(self._warm(line[len(agentclient.WARM) + 1 :].rstrip(b"\n")))
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
        unset = answer["unset"]
        fields = ["1" if answer["confirm"] else "0", str(len(unset)), *unset]
        fields += [f"{k}={v}" for k, v in answer["set"].items()]
        return b"ok\0" + agentclient.encode_warm(fields)


def serve(socket_path: str, idle_timeout: float, ready_fd: int | None = None) -> None:
    """Listen on `socket_path` until locked, stopped or idle for `idle_timeout` seconds."""
    paths.private_dir(os.path.dirname(socket_path))
    if os.path.exists(socket_path):
        os.unlink(socket_path)
    old_umask = os.umask(0o177)
    try:
        server = Server(socket_path, Handler)
    finally:
        os.umask(old_umask)
    os.chmod(socket_path, 0o600)
    inode = os.stat(socket_path).st_ino
    store = Store()
    server.agent = Agent(store, server)
    threading.Thread(
        target=_idle_watch, args=(server, store, idle_timeout, socket_path), daemon=True
    ).start()
    if ready_fd is not None:
        os.write(ready_fd, b"ok\n")
        os.close(ready_fd)
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        store.forget(None)
        server.server_close()
        with contextlib.suppress(OSError):
            if os.stat(socket_path).st_ino == inode:  # never a newer agent's socket
                os.unlink(socket_path)


def _idle_watch(server: Server, store: Store, idle_timeout: float, socket_path: str) -> None:
    """End the agent when idle too long, or when its socket is gone (its dir was removed)."""
    inode = os.stat(socket_path).st_ino
    while True:
        left = idle_timeout - (time.monotonic() - store.last_activity)
        try:
            orphaned = os.stat(socket_path).st_ino != inode
        except FileNotFoundError:
            orphaned = True
        if left <= 0 or orphaned:
            server.shutdown()
            return
        time.sleep(min(left, 10.0))  # a timer, not a test wait


def main() -> None:
    """`python -m jumpshell.agent`: started by the first command that needs it."""
    parser = argparse.ArgumentParser(prog="jumpshell-agent")
    parser.add_argument("--idle", type=float, default=43200)
    parser.add_argument("--ready-fd", type=int)
    parser.add_argument("--socket", default=None)
    args = parser.parse_args()
    serve(args.socket or paths.agent_socket(), args.idle, args.ready_fd)


if __name__ == "__main__":
    main()
