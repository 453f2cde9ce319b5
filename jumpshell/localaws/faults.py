"""Faults on request (latency, throttling, 500/503, clock offset) and the record of calls."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from jumpshell.localaws.responses import AWSError

FAILURES = {
    500: ("InternalFailure", "An internal error occurred. Please try again.", "Receiver"),
    503: ("ServiceUnavailable", "Service is unavailable. Please try again.", "Receiver"),
}


@dataclass
class Throttle:
    """Throttle the next `next_n` calls, or a `fraction` of calls, of `action` (or all)."""

    next_n: int | None = None
    fraction: float | None = None
    action: str | None = None


@dataclass
class Faults:
    """The faults in force; thread-safe; `apply` is called once per affected request."""

    latency_ms: int = 0
    latency_by_action: dict[str, int] = field(default_factory=dict)
    throttles: list[Throttle] = field(default_factory=list)
    fail_status: int = 0
    fail_next: int = 0
    clock_offset: float = 0.0
    all_services: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def clear(self, clock: bool = True) -> None:
        """No latency, throttling or failures; also the clock offset unless `clock` is false."""
        with self.lock:
            self.latency_ms, self.fail_status, self.fail_next = 0, 0, 0
            self.latency_by_action.clear()
            self.throttles.clear()
            self.all_services = False
            if clock:
                self.clock_offset = 0.0

    def now(self) -> float:
        """The server clock: wall time shifted by the clock offset."""
        return time.time() + self.clock_offset

    def set_latency(self, ms: int, action: str | None = None) -> None:
        with self.lock:
            if action:
                self.latency_by_action[action] = int(ms)
            else:
                self.latency_ms = int(ms)

    def throttle(self, next_n: int | None, fraction: float | None, action: str | None) -> None:
        if next_n is None and fraction is None:
            raise ValueError("throttle needs next_n or fraction")
        with self.lock:
            self.throttles.append(Throttle(next_n, fraction, action))

    def fail(self, status: int, next_n: int) -> None:
        if status not in FAILURES:
            raise ValueError("fail takes status 500 or 503")
        with self.lock:
            self.fail_status, self.fail_next = status, int(next_n)

    def delay(self, action: str) -> float:
        """Seconds of latency to add to a call of `action`."""
        with self.lock:
            return self.latency_by_action.get(action, self.latency_ms) / 1000.0

    def _throttled(self, action: str) -> bool:
        for rule in self.throttles:
            if rule.action and rule.action != action:
                continue
            if rule.next_n is not None and rule.next_n > 0:
                rule.next_n -= 1
                return True
            if rule.fraction is not None and random.random() < rule.fraction:
                return True
        return False

    def check(self, action: str) -> None:
        """Raise the injected error this call gets, if any (consumes a counted fault)."""
        with self.lock:
            if self.fail_next > 0:
                self.fail_next -= 1
                code, message, kind = FAILURES[self.fail_status]
                raise AWSError(self.fail_status, code, message, kind)
            if self._throttled(action):
                raise AWSError(400, "Throttling", "Rate exceeded")

    def describe(self) -> dict[str, Any]:
        with self.lock:
            return {
                "latency_ms": self.latency_ms,
                "latency_by_action": dict(self.latency_by_action),
                "throttles": [t.__dict__ for t in self.throttles],
                "fail_status": self.fail_status,
                "fail_next": self.fail_next,
                "clock_offset": self.clock_offset,
                "all_services": self.all_services,
            }


class Record:
    """Every STS call: times, action, caller, target role, outcome, refused side."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[dict[str, Any]] = []

    def add(self, call: dict[str, Any]) -> None:
        with self._lock:
            self._calls.append(call)

    def all(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(c) for c in self._calls]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()
