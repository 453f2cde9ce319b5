"""The agent's container-credentials endpoint on 127.0.0.1, built for hostile clients.

Any local user can reach a loopback port, so the endpoint reads requests in one selector
loop (an idle connection costs a file descriptor, never a thread), caps the connections it
keeps open (dropping the oldest still-idle one first), gives each a few seconds to send
its request, and reads at most a few KiB of request line and headers.
"""

from __future__ import annotations

import contextlib
import json
import selectors
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

READ_TIMEOUT = 5.0  # seconds a client has to send its whole request
MAX_CONNECTIONS = 64  # open at once; an SDK needs one at a time
MAX_HEAD = 8192  # request line and headers: an SDK sends a few hundred bytes
WORKERS = 4

# token -> (status, body); the agent's answer to one GET with that Authorization header
Answer = Callable[[str], tuple[int, dict[str, str]]]

REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
}


@dataclass
class _Pending:
    """A connection still sending its request."""

    sock: socket.socket
    deadline: float
    data: bytearray = field(default_factory=bytearray)


class Endpoint:
    """Serves `answer(token)` at http://127.0.0.1:PORT/creds until `close()`."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1024)  # a flood waits in the kernel's queue, not in our fds
        self.listener.setblocking(False)
        self.port: int = self.listener.getsockname()[1]
        self.pending: dict[int, _Pending] = {}  # in accept order: the first is the oldest
        self.serving = 0  # connections handed to a worker
        self.lock = threading.Lock()
        self.workers = ThreadPoolExecutor(WORKERS, thread_name_prefix="endpoint")
        self.selector = selectors.DefaultSelector()
        self.wake_r, self.wake_w = socket.socketpair()
        self.selector.register(self.listener, selectors.EVENT_READ)
        self.selector.register(self.wake_r, selectors.EVENT_READ)
        self.closed = False
        self.thread = threading.Thread(target=self._loop, daemon=True, name="endpoint")
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/creds"

    def close(self) -> None:
        """Stop listening and drop every connection (the last token is gone)."""
        self.closed = True
        with contextlib.suppress(OSError):
            self.wake_w.send(b"x")

    def _loop(self) -> None:
        try:
            while not self.closed:
                timeout = None
                if self.pending:
                    first = next(iter(self.pending.values()))
                    timeout = max(0.0, first.deadline - time.monotonic())
                for key, _ in self.selector.select(timeout):
                    if key.fileobj is self.listener:
                        self._accept()
                    elif key.fileobj is not self.wake_r:
                        self._read(key.fd)
                self._expire()
        finally:
            for fd in list(self.pending):
                self._drop(fd)
            self.selector.close()
            for sock in (self.listener, self.wake_r, self.wake_w):
                sock.close()
            self.workers.shutdown(wait=False)

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of fds for a moment: the queue keeps it
                return
            with self.lock:
                busy = len(self.pending) + self.serving
            if busy >= MAX_CONNECTIONS:
                if not self.pending:  # every slot is being answered: this one waits its turn
                    sock.close()
                    continue
                self._drop(next(iter(self.pending)))  # the oldest idle one goes first
            sock.setblocking(False)
            self.pending[sock.fileno()] = _Pending(sock, time.monotonic() + READ_TIMEOUT)
            self.selector.register(sock, selectors.EVENT_READ)

    def _read(self, fd: int) -> None:
        conn = self.pending[fd]
        try:
            chunk = conn.sock.recv(MAX_HEAD + 1 - len(conn.data))
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(fd)
            return
        conn.data += chunk
        end = conn.data.find(b"\r\n\r\n")
        if end < 0:
            if len(conn.data) > MAX_HEAD:
                self._hand_over(fd, lambda: (431, {"message": "request too large"}))
            return
        head = bytes(conn.data[:end])
        self._hand_over(fd, lambda: self._route(head))

    def _hand_over(self, fd: int, reply: Callable[[], tuple[int, dict[str, str]]]) -> None:
        conn = self.pending.pop(fd)
        self.selector.unregister(conn.sock)
        with self.lock:
            self.serving += 1
        self.workers.submit(self._serve, conn.sock, reply)

    def _serve(self, sock: socket.socket, reply: Callable[[], tuple[int, dict[str, str]]]) -> None:
        try:
            try:
                status, body = reply()
            except Exception:  # the endpoint outlives any failure of one refresh
                status, body = 500, {"message": "the agent could not get credentials"}
            data = json.dumps(body).encode()
            head = (
                f"HTTP/1.1 {status} {REASONS.get(status, '')}\r\n"
                "Content-Type: application/json\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
            )
            sock.settimeout(READ_TIMEOUT)
            with contextlib.suppress(OSError):
                sock.sendall(head.encode() + data)
        finally:
            sock.close()
            with self.lock:
                self.serving -= 1

    def _route(self, head: bytes) -> tuple[int, dict[str, str]]:
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return 400, {"message": "bad request line"}
        if parts[0] != "GET":
            return 405, {"message": "only GET"}
        if parts[1].split("?")[0] != "/creds":
            return 404, {"message": "not found"}
        token = ""
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "authorization":
                token = value.strip()
        return self.answer(token)

    def _expire(self) -> None:
        now = time.monotonic()
        for fd in [fd for fd, c in self.pending.items() if c.deadline <= now]:
            self._drop(fd)

    def _drop(self, fd: int) -> None:
        conn = self.pending.pop(fd)
        self.selector.unregister(conn.sock)
        conn.sock.close()
