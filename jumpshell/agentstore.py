"""What the agent holds (Store), and the watch that ends tokens with the process they serve."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
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
from jumpshell.targetcache import FileId, unchanged

ROLE_MIN_VALID = 300  # role credentials are reused until 5 minutes before expiry
MAX_ROLES = 20000  # role credentials held at once: a 10,000-account org, a role or two each
MAX_CONFIGS = 4  # parsed configs held (one per config path): each can be tens of MB
PARSE_WAIT = 60.0  # how long a request waits on another's parse of the same file
SWEEP_EVERY = 60.0  # a full sweep of expired role credentials at least this often


class _Parse:
    """One parse of one file identity in flight; every asker of that identity waits on it."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.config: Config | None = None
        self.error: BaseException | None = None


@dataclass(frozen=True)
class Token:
    """A credential-endpoint token: the role it serves and the process it serves it to."""

    params: AssumeParams
    pid: int
    pidfd: int | None  # None where the kernel has no pidfd: checked on each use instead
    digest: bytes  # token_id of the token: what a presented token is compared with


def token_id(token: str) -> bytes:
    """What a token is held under: its SHA-256, never the token itself.

    A dict lookup compares keys byte by byte, so its timing would leak how much of a
    guessed key matches a held one. Keyed by digest, what it compares is a hash the caller
    cannot steer (matching a digest's prefix says nothing of the token's); the last
    comparison is hmac.compare_digest all the same.
    """
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()


class Store:
    """Everything the agent holds, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.mfa: dict[str, Credentials] = {}
        # the endpoint each MFA session was made against: refreshes go there
        self.mfa_endpoints: dict[str, AwsEndpoint | None] = {}
        self.roles: dict[str, tuple[Credentials, AssumeParams]] = {}
        # production confirmations: role key -> (until, jump_id). Here, not in a file: they
        # end with the agent, `logout` and `lock`, and only the socket's peer can make one
        self.confirms: dict[str, tuple[float, str]] = {}
        self.tokens: dict[bytes, Token] = {}  # by token_id: the agent keeps no token
        self.configs: dict[str, tuple[FileId, Config]] = {}  # by path, newest use last
        self.parsing: dict[FileId, _Parse] = {}
        self.parses = 0  # configs parsed since start: a burst after an edit must add one
        self.next_expiry = float("inf")  # earliest expiry of role credentials put since a sweep
        self.last_sweep = time.monotonic()
        self.last_activity = time.monotonic()
        self.closing: list[int] = []  # pidfds of revoked tokens, closed by the holder watch
        self.tokens_changed: Callable[[], object] = lambda: None

    def config(self, path: str) -> Config:
        """The config at `path`, parsed once per file identity however many ask at once.

        The file is stat'ed before it is read: an edit racing the read leaves a stale
        identity behind, so the next request parses again (never the other way round).
        """
        ident = FileId.of(path)
        with self.lock:
            cached = self.configs.pop(path, None)
            # the AWS config it also read (aws_config) is stat'ed too: an edit there counts
            if cached and cached[0] == ident and unchanged(cached[1].sources):
                self.configs[path] = cached  # to the end: the most recently used
                return cached[1]
            flight = self.parsing.get(ident)
            mine = flight is None
            if flight is None:
                flight = self.parsing[ident] = _Parse()
        if not mine:
            if not flight.done.wait(PARSE_WAIT):
                raise TimeoutError(f"the config at {path} took over {PARSE_WAIT:.0f} s to parse")
            if flight.error is not None:
                raise flight.error
            assert flight.config is not None
            return flight.config
        try:
            flight.config = load(path)
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self.lock:
                del self.parsing[ident]
                if flight.config is not None:
                    self.parses += 1
                    self.configs[path] = (ident, flight.config)
                    while len(self.configs) > MAX_CONFIGS:
                        del self.configs[next(iter(self.configs))]
            flight.done.set()
        return flight.config

    def role(self, key: str, min_valid: float = ROLE_MIN_VALID) -> Credentials | None:
        with self.lock:
            entry = self.roles.get(key)
            if entry and not entry[0].valid_for(0):
                del self.roles[key]  # expired: dropped on sight
                return None
        return entry[0] if entry and entry[0].valid_for(min_valid) else None

    def put_role(self, key: str, creds: Credentials, params: AssumeParams) -> bool:
        """Hold role credentials; False when the store is full even of live ones.

        Credentials that have already expired are not kept (nor what they replace).
        """
        with self.lock:
            if not creds.valid_for(0):
                self.roles.pop(key, None)
                return True
            if key not in self.roles and len(self.roles) >= MAX_ROLES:
                self._sweep()
                if len(self.roles) >= MAX_ROLES:
                    return False
            self.roles[key] = (creds, params)
            if creds.expiration is not None:
                self.next_expiry = min(self.next_expiry, creds.expiration)
        return True

    def confirmed(self, key: str) -> bool:
        """True while a production confirmation of the role `key` holds."""
        with self.lock:
            entry = self.confirms.get(key)
            if entry is not None and entry[0] <= time.time():
                del self.confirms[key]
                entry = None
        return entry is not None

    def confirm(self, key: str, jump_id: str, seconds: float | None) -> float | None:
        """Remember that the role `key` was confirmed: for `seconds`, else for as long as
        the role credentials held for it last (what the confirmation unlocked). Returns
        until when, or None when there is nothing to bind it to (or no room)."""
        now = time.time()
        with self.lock:
            if seconds is None:
                held = self.roles.get(key)
                until = held[0].expiration if held is not None else None
            else:
                until = now + seconds
            if until is None or until <= now:
                return None
            if key not in self.confirms and len(self.confirms) >= MAX_ROLES:
                for old in [k for k, v in self.confirms.items() if v[0] <= now]:
                    del self.confirms[old]
                if len(self.confirms) >= MAX_ROLES:
                    return None
            self.confirms[key] = (until, jump_id)
        return until

    def sweep(self, force: bool = False) -> None:
        """Drop expired role credentials: when one is due to expire, or SWEEP_EVERY seconds
        (a safety net: every path stores through put_role), or when `force`d."""
        with self.lock:
            due = time.time() >= self.next_expiry
            if force or due or time.monotonic() - self.last_sweep >= SWEEP_EVERY:
                self._sweep()

    def _sweep(self) -> None:
        """The sweep itself; the caller holds the lock. O(held), so it runs only when due."""
        now = time.time()
        for key in [k for k, v in self.roles.items() if v[0].remaining(now) <= 0]:
            del self.roles[key]
        expiries = (v[0].expiration for v in self.roles.values())
        self.next_expiry = min((e for e in expiries if e is not None), default=float("inf"))
        self.last_sweep = time.monotonic()

    def forget(self, jump_id: str | None) -> None:
        """Drop the MFA session(s) and every role credential and token that came from them.

        Nothing in here can raise on what was stored, so forgetting never stops half way.
        """
        with self.lock:
            if jump_id is None:
                self.mfa.clear()
                self.mfa_endpoints.clear()
                self.roles.clear()
                self.confirms.clear()
                gone = list(self.tokens)
            else:
                self.mfa.pop(jump_id, None)
                self.mfa_endpoints.pop(jump_id, None)
                for key in [k for k, v in self.roles.items() if v[1].jump_id == jump_id]:
                    del self.roles[key]
                for key in [k for k, v in self.confirms.items() if v[1] == jump_id]:
                    del self.confirms[key]
                gone = [k for k, v in self.tokens.items() if v.params.jump_id == jump_id]
        self.revoke(*gone)

    def token(self, token: str) -> tuple[bytes, Token] | None:
        """The entry held for `token` (and its id), compared in constant time."""
        key = token_id(token)
        with self.lock:
            entry = self.tokens.get(key)
        if entry is None or not hmac.compare_digest(entry.digest, key):
            return None
        return key, entry

    def revoke(self, *ids: bytes) -> None:
        """End tokens, by token_id; the endpoint closes when the last one goes."""
        with self.lock:
            for key in ids:
                entry = self.tokens.pop(key, None)
                if entry is not None and entry.pidfd is not None:
                    self.closing.append(entry.pidfd)
        self.tokens_changed()


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
        watched: dict[int, bytes] = {}
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
