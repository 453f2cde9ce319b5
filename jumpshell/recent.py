"""Which targets were used, how often and when, and the favourites: the picker's order.

One small JSON file in the state dir, `picks.json` (0600, replaced atomically so a reader sees
the old file or the new one): {"used": {name: [count, last epoch]}, "favourites": [names]}.
Never fails a command: an unreadable file is an empty history, an unwritable dir no history.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass

from jumpshell import paths
from jumpshell.errors import JumpshellError

KEEP = 1000  # names remembered; the least recent go first past this
_DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Use:
    """How often a target was chosen, and when last (epoch seconds)."""

    count: int
    last: float


@dataclass(frozen=True)
class Picks:
    """What the file holds."""

    used: Mapping[str, Use]
    favourites: frozenset[str]


def picks_file() -> str:
    return os.path.join(paths.state_dir(), "picks.json")


def load() -> Picks:
    """The history and favourites; empty when the file is missing or not ours to read."""
    try:
        with open(picks_file(), "rb") as handle:
            data = json.loads(handle.read())
        used = {str(name): Use(int(pair[0]), float(pair[1])) for name, pair in data["used"].items()}
        return Picks(used, frozenset(str(name) for name in data["favourites"]))
    except (OSError, JumpshellError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        return Picks({}, frozenset())


def record(name: str, now: float | None = None) -> Picks:
    """Count one use of `name`, now."""
    picks = load()
    used = dict(picks.used)
    before = used.get(name, Use(0, 0.0))
    used[name] = Use(before.count + 1, time.time() if now is None else now)
    if len(used) > KEEP:
        used = dict(sorted(used.items(), key=lambda item: -item[1].last)[:KEEP])
    return _save(Picks(used, picks.favourites))


def toggle_favourite(name: str) -> Picks:
    """Make `name` a favourite, or no longer one."""
    picks = load()
    favourites = picks.favourites ^ {name}
    return _save(Picks(picks.used, favourites))


def frecency(use: Use | None, now: float) -> float:
    """Uses weighted by how recent the last one was: a use today counts 4, this week 2,
    this month 1, older 0.5 (Firefox's buckets, coarser)."""
    if use is None:
        return 0.0
    age = now - use.last
    weight = 4.0 if age < _DAY else 2.0 if age < 7 * _DAY else 1.0 if age < 30 * _DAY else 0.5
    return use.count * weight


def _save(picks: Picks) -> Picks:
    data = {
        "used": {name: [use.count, use.last] for name, use in picks.used.items()},
        "favourites": sorted(picks.favourites),
    }
    with contextlib.suppress(OSError, JumpshellError):
        paths.replace_private(picks_file(), json.dumps(data, separators=(",", ":")).encode())
    return picks
