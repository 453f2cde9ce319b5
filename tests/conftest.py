"""Shared fixtures: the local AWS, an isolated keyring, HOME/XDG/runtime dirs, agents ended at teardown."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from jumpshell.localaws import LocalAWS


def require(binary: str) -> str:
    """Path of a binary the test needs; skip without it, fail under JUMPSHELL_REQUIRE_ALL."""
    path = shutil.which(binary)
    if path:
        return path
    if os.environ.get("JUMPSHELL_REQUIRE_ALL") == "1":
        pytest.fail(f"{binary} is required (JUMPSHELL_REQUIRE_ALL=1) but not installed")
    pytest.skip(f"{binary} is not installed")


@pytest.fixture(scope="session")
def local_aws_server() -> Iterator[LocalAWS]:
    """One local AWS for the whole session, on 127.0.0.1 and a free port."""
    server = LocalAWS()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def local_aws(local_aws_server: LocalAWS) -> Iterator[LocalAWS]:
    """The session's local AWS with its state, faults and clock reset for this test."""
    local_aws_server.reset()
    yield local_aws_server
    local_aws_server.reset()
