"""Append-only JSONL log of every STS call jumpshell makes; never a secret."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from typing import Any

from jumpshell import paths
from jumpshell.credentials import iso

FIELDS = (
    "action",
    "jump",
    "target",
    "role_arn",
    "session_name",
    "source_identity",
    "expiration",
    "outcome",
    "side",
    "error",
)


def record(**entry: Any) -> None:
    """Append one line; unknown fields are dropped so a secret cannot slip in by keyword."""
    line = {"time": iso(time.time())}
    line.update({k: v for k, v in entry.items() if k in FIELDS and v is not None})
    data = (json.dumps(line, sort_keys=True) + "\n").encode()
    fd = paths.open_private(paths.audit_file())
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def read(since_epoch: float | None = None) -> Iterator[dict[str, Any]]:
    """The log's entries, oldest first, optionally only those after `since_epoch`."""
    import calendar

    try:
        handle = open(paths.audit_file(), encoding="utf-8")
    except FileNotFoundError:
        return
    with handle:
        for raw in handle:
            try:
                entry = json.loads(raw)
            except ValueError:
                continue
            if since_epoch is not None:
                stamp = calendar.timegm(time.strptime(entry["time"], "%Y-%m-%dT%H:%M:%SZ"))
                if stamp < since_epoch:
                    continue
            yield entry
