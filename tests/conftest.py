"""Fixtures: the local AWS, an isolated keyring, HOME/XDG/runtime dirs; agents ended at teardown."""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jumpshell import agentclient
from jumpshell.localaws import LocalAWS, WorldInfo, demo_world

BIN = Path(sys.executable).parent

# pytest started with `&` from a script inherits SIGINT ignored, and so would every jumpshell
# it starts (an ignored signal stays ignored across exec): the tests that press Ctrl-C would
# hang. A handler of our own is reset to the default at exec, as under a terminal.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def require(binary: str) -> str:
    """Path of a binary the test needs; skip without it, fail under JUMPSHELL_REQUIRE_ALL."""
    path = shutil.which(binary, path=f"{BIN}:{os.environ.get('PATH', '')}")
    if path:
        return path
    if os.environ.get("JUMPSHELL_REQUIRE_ALL") == "1":
        pytest.fail(f"{binary} is required (JUMPSHELL_REQUIRE_ALL=1) but not installed")
    pytest.skip(f"{binary} is not installed")


def require_root() -> None:
    """Tests that act as another uid need root; skip, or fail under JUMPSHELL_REQUIRE_ALL."""
    if os.getuid() == 0:
        return
    if os.environ.get("JUMPSHELL_REQUIRE_ALL") == "1":
        pytest.fail("root is required to test another uid (JUMPSHELL_REQUIRE_ALL=1)")
    pytest.skip("needs root to act as another uid")


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


def wait_for_exit(pid: int, timeout: float = 10.0) -> bool:
    """Wait for a process that is not our child to end (pidfd: an event, not a poll)."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
        return bool(ready)
    finally:
        os.close(fd)


def start_agent(env: dict[str, str], idle: float) -> subprocess.Popen[bytes]:
    """An agent started by hand (as agentclient.ensure does, with any --idle), once it listens."""
    read_end, write_end = os.pipe()
    agent = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jumpshell.agent",
            "--idle",
            str(idle),
            "--ready-fd",
            str(write_end),
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        pass_fds=(write_end,),
        start_new_session=True,
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as ready:
        assert ready.readline().startswith(b"ok")  # it writes once it listens, or dies: EOF
    return agent


def stop_agent(socket_path: str) -> None:
    """End the agent behind `socket_path`, and make sure it is gone."""
    try:
        pid = agentclient.call({"op": "ping"}, path=socket_path, timeout=2)["pid"]
    except agentclient.AgentUnavailable:
        return
    try:
        agentclient.call({"op": "lock"}, path=socket_path, timeout=2)
    except agentclient.AgentUnavailable:
        pass
    if not wait_for_exit(pid):
        os.kill(pid, 9)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """HOME, XDG dirs, runtime dir, keyring and ~/.aws all in temp; agents ended afterwards."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "JUMPSHELL_")) or name == "PYTHON_KEYRING_BACKEND":
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    for sub in ("config", "state", "data", "cache", "aws"):
        (home / sub).mkdir(parents=True)
    runtime = tempfile.mkdtemp(prefix="js-run-")  # short: Unix socket paths max out at 107 bytes
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", runtime)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "aws" / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "aws" / "credentials"))
    monkeypatch.setenv("PATH", f"{BIN}:{os.environ.get('PATH', '')}")
    yield home
    stop_agent(os.path.join(runtime, "jumpshell", "agent.sock"))
    shutil.rmtree(runtime, ignore_errors=True)


@dataclass
class Demo:
    """The demo world seeded into the local AWS, configured and keyed for this test."""

    aws: LocalAWS
    info: WorldInfo
    env: dict[str, str]
    home: Path

    @property
    def config(self) -> Path:
        return Path(self.env["JUMPSHELL_CONFIG"])

    def dev(self) -> str:
        """A non-production account with a Developer role."""
        return next(
            a.name for a in self.info.accounts if not a.production and "Developer" in a.roles
        )

    def prod(self) -> str:
        """A production account other than payments-prod (each asks to confirm)."""
        return next(
            a.name for a in self.info.accounts if a.production and a.name != "payments-prod"
        )

    def code(self) -> str:
        return self.aws.totp(self.info.jump.mfa_serial)

    def js(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return js(*args, env=self.env, **kwargs)

    def login(self) -> None:
        done = self.js("login", "--mfa-code", self.code())
        assert done.returncode == 0, done.stderr

    def calls(self, action: str) -> list[dict[str, Any]]:
        return [c for c in self.aws.calls() if c.get("action") == action]

    def append_config(self, text: str) -> None:
        with self.config.open("a") as handle:
            handle.write(text)

    def set_jump(self, line: str) -> None:
        """Add a line to the [jump] table."""
        text = self.config.read_text().replace("[jump]\n", f"[jump]\n{line}\n", 1)
        self.config.write_text(text)


def js(
    *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The installed `jumpshell` entry point as a subprocess (no TTY: setsid detaches it)."""
    return subprocess.run(
        [str(BIN / "jumpshell"), *args],
        env=env,
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        start_new_session=True,
        check=False,
    )


@pytest.fixture
def demo(local_aws: LocalAWS, isolated: Path) -> Demo:
    """The demo world, its config and the jump user's key in the isolated keyring."""
    from jumpshell.cli.demo import prepare

    info = local_aws.seed(demo_world())
    env = prepare(str(isolated / "demo"), local_aws.url, info, own_dirs=False)
    return Demo(local_aws, info, env, isolated)


def endpoint_status(url: str, token: str) -> int | str:
    """The credential endpoint's HTTP status for `token`, or "refused" when nothing listens
    (or it stopped listening as we connected: closing drops the connections it has not read)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"Authorization": token})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except ConnectionResetError:
        return "refused"
    except urllib.error.URLError as exc:
        assert isinstance(exc.reason, ConnectionRefusedError | ConnectionResetError), exc
        return "refused"
