"""What the agent holds (Store), and the watch that ends tokens with the process they serve."""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from jumpshell.assumeparams import AssumeParams, AwsEndpoint
from jumpshell.config import Config
from jumpshell.configfile import load
from jumpshell.credentials import Credentials

ROLE_MIN_VALID = 300  # role credentials are reused until 5 minutes before expiry


@dataclass(frozen=True)
class Token:
    """A credential-endpoint token: the role it serves and the process it serves it to."""

    params: AssumeParams
    pid: int
    pidfd: int | None  # None where the kernel has no pidfd: checked on each use instead


class Store:
    """Everything the agent holds, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mfa: dict[str, Credentials] = {}
        # the endpoint each MFA session was made against: refreshes go there
        self.mfa_endpoints: dict[str, AwsEndpoint | None] = {}
        self.roles: dict[str, tuple[Credentials, AssumeParams]] = {}
        self.tokens: dict[str, Token] = {}
        self.configs: dict[str, tuple[tuple[int, int], Config]] = {}
        self.last_activity = time.monotonic()
        self.closing: list[int] = []  # pidfds of revoked tokens, closed by the holder watch
        self.tokens_changed: Callable[[], object] = lambda: None

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
        """Drop the MFA session(s) and every role credential and token that came from them.

        Nothing in here can raise on what was stored, so forgetting never stops half way.
        """
        with self.lock:
            if jump_id is None:
                self.mfa.clear()
                self.mfa_endpoints.clear()
                self.roles.clear()
                gone = list(self.tokens)
            else:
                self.mfa.pop(jump_id, None)
                self.mfa_endpoints.pop(jump_id, None)
                for key in [k for k, v in self.roles.items() if v[1].jump_id == jump_id]:
                    del self.roles[key]
                gone = [k for k, v in self.tokens.items() if v.params.jump_id == jump_id]
        self.revoke(*gone)

    def revoke(self, *tokens: str) -> None:
        """End tokens; the endpoint closes when the last one goes."""
        with self.lock:
            for token in tokens:
                entry = self.tokens.pop(token, None)
                if entry is not None and entry.pidfd is not None:
                    self.closing.append(entry.pidfd)
        self.tokens_changed()


def alive(pid: int) -> bool:
    """Whether `pid` still runs (where there is no pidfd to wait on)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class HolderWatch:
    """Revokes a token when the process it serves ends: a thread waiting on their pidfds."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.wake_r, self.wake_w = socket.socketpair()
        self.wake_r.setblocking(False)
        threading.Thread(target=self._loop, daemon=True, name="holders").start()

    def wake(self) -> None:
        with contextlib.suppress(OSError):
            self.wake_w.send(b"x")

    def _loop(self) -> None:
        poller = select.poll()
        poller.register(self.wake_r, select.POLLIN)
        watched: dict[int, str] = {}
        while True:
            with self.store.lock:
                closing, self.store.closing = self.store.closing, []
                wanted = {t.pidfd: k for k, t in self.store.tokens.items() if t.pidfd is not None}
            for fd in closing:  # unregistered before closed: never poll a reused fd number
                if fd in watched:
                    poller.unregister(fd)
                    del watched[fd]
                os.close(fd)
            for fd in set(wanted) - set(watched):
                poller.register(fd, select.POLLIN)
            watched.update(wanted)
            ended = []
            for fd, _ in poller.poll():
                if fd == self.wake_r.fileno():
                    with contextlib.suppress(OSError):
                        self.wake_r.recv(4096)
                elif fd in watched:
                    poller.unregister(fd)
                    ended.append(watched.pop(fd))
            if ended:
                self.store.revoke(*ended)
