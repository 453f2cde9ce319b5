"""MFA once across processes, the agent's guarantees, key management, init, and no secret leaks."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from jumpshell import agentclient
from tests.conftest import BIN, Demo, js, require_root, start_agent, wait_for_exit


def _socket() -> str:
    return os.path.join(os.environ["XDG_RUNTIME_DIR"], "jumpshell", "agent.sock")


def test_eight_concurrent_runs_log_in_once(demo: Demo, tmp_path: Path) -> None:
    counter = tmp_path / "count"
    script = tmp_path / "code.py"
    script.write_text(
        "import sys, pyotp\n"
        f"open({str(counter)!r}, 'a').write('x')\n"
        f"print(pyotp.TOTP({demo.info.jump.mfa_seed!r}).now())\n"
    )
    demo.set_jump(f'mfa_command = "{sys.executable} {script}"')
    target = demo.dev()
    runs = [
        subprocess.Popen(
            [str(BIN / "jumpshell"), "run", target, "--", "true"],
            env=demo.env,
            stdin=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        for _ in range(8)
    ]
    codes = [run.wait(timeout=60) for run in runs]
    assert codes == [0] * 8, [r.stderr.read() for r in runs if r.stderr]
    logins = [
        e
        for e in map(json.loads, demo.js("audit", "--json").stdout.splitlines())
        if e["action"] == "GetSessionToken"
    ]
    assert len(logins) == 1
    assert counter.read_text() == "x"
    assert len(demo.calls("GetSessionToken")) == 1


def test_agent_socket_and_dir_are_private(demo: Demo) -> None:
    demo.login()
    sock = _socket()
    assert stat.S_IMODE(os.stat(sock).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(sock)).st_mode) == 0o700


NOBODY = 65534


def test_agent_refuses_another_uid(demo: Demo) -> None:
    require_root()
    demo.login()
    sock = _socket()
    os.chmod(os.path.dirname(os.path.dirname(sock)), 0o755)  # even with the file modes opened up
    os.chmod(os.path.dirname(sock), 0o755)
    os.chmod(sock, 0o666)
    pid = os.fork()
    if pid == 0:  # the child becomes nobody and asks, in plain bytes, for the sessions
        code = 1
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as raw:
                raw.settimeout(5)
                try:
                    raw.connect(sock)
                except OSError:
                    os._exit(8)  # blocked by the file modes, not by the agent
                try:  # 9: closed without an answer (before or after our request arrived)
                    raw.sendall(b'{"op": "status"}\n')
                    code = 9 if raw.recv(65536) == b"" else 7
                except (BrokenPipeError, ConnectionResetError):
                    code = 9
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 9
    assert agentclient.call({"op": "status"}, path=sock)["mfa"]  # we still may


def test_a_runtime_dir_of_another_user_gets_no_session(demo: Demo) -> None:
    """Where /tmp/jumpshell-UID was made by someone else, with their socket in it."""
    require_root()
    planted = Path(tempfile.mkdtemp(prefix="planted-", dir="/tmp"))
    os.chmod(planted, 0o777)
    os.chown(planted, NOBODY, NOBODY)
    heard = planted / "heard"
    ready_read, ready_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # nobody's fake agent: records whatever a client sends it
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
                server.bind(str(planted / "agent.sock"))
                os.chmod(planted / "agent.sock", 0o777)
                server.listen()
                os.write(ready_write, b"ok")
                while True:
                    conn, _ = server.accept()
                    with conn, heard.open("ab") as log:
                        conn.settimeout(2)
                        try:
                            while chunk := conn.recv(65536):
                                log.write(chunk)
                        except OSError:
                            pass
        finally:
            os._exit(0)
    os.close(ready_write)
    try:
        assert os.read(ready_read, 2) == b"ok"
        env = dict(demo.env, JUMPSHELL_RUNTIME_DIR=str(planted))
        login = js("login", "--mfa-code", demo.code(), env=env)
        run = js("run", demo.dev(), "--", "true", env=env)
        told = heard.read_bytes() if heard.exists() else b""
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready_read)
        shutil.rmtree(planted, ignore_errors=True)
    assert login.returncode == 2 and "is not a directory of yours" in login.stderr
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert told == b""  # not a byte: the client saw whose socket it was before sending


def test_agent_idle_timeout_wipes_it(demo: Demo) -> None:
    """The agent's own --idle (the config's floor is 15 minutes): a timer ends it, no poll."""
    agent = start_agent(demo.env, idle=1)
    demo.login()
    assert agentclient.call({"op": "ping"}, path=_socket())["pid"] == agent.pid
    assert agent.wait(timeout=10) == 0
    assert not os.path.exists(_socket())


def test_killed_agent_loses_only_the_session(demo: Demo) -> None:
    demo.login()
    pid = agentclient.call({"op": "ping"}, path=_socket())["pid"]
    os.kill(pid, signal.SIGKILL)
    assert wait_for_exit(pid)
    done = demo.js("run", demo.dev(), "--", "true", timeout=20)
    assert done.returncode == 3 and "MFA code is needed" in done.stderr
    assert demo.js("run", demo.dev(), "--mfa-code", demo.code(), "--", "true").returncode == 0


def _kept(demo: Demo) -> str | None:
    """The keyring entry keep_session writes, read with keyring itself (the test's backend)."""
    import keyring

    jump = demo.info.jump
    value: str | None = keyring.get_password(
        "jumpshell", f"{jump.account_id}:{jump.user_name}:mfa-session"
    )
    return value


def test_keep_session_survives_an_agent_restart_and_logout_ends_it(demo: Demo) -> None:
    demo.set_jump("keep_session = true")
    demo.login()
    assert _kept(demo)
    pid = agentclient.call({"op": "ping"}, path=_socket())["pid"]
    os.kill(pid, signal.SIGKILL)  # as a reboot would
    assert wait_for_exit(pid)
    status = json.loads(demo.js("status", "--json").stdout)[0]
    assert status["kept_in_keyring"] and status["mfa_expiration"]
    done = demo.js("run", demo.dev(), "--", "true")
    assert done.returncode == 0, done.stderr
    assert len(demo.calls("GetSessionToken")) == 1
    assert demo.js("logout").returncode == 0
    assert _kept(demo) is None
    assert demo.js("run", demo.dev(), "--", "true").returncode == 3


def test_lock_removes_kept_sessions(demo: Demo) -> None:
    demo.set_jump("keep_session = true")
    demo.login()
    assert demo.js("lock").returncode == 0
    assert _kept(demo) is None


def test_without_keep_session_nothing_is_kept(demo: Demo) -> None:
    demo.login()
    assert _kept(demo) is None


def test_lock_stops_the_agent(demo: Demo) -> None:
    demo.login()
    pid = agentclient.call({"op": "ping"}, path=_socket())["pid"]
    assert demo.js("lock").returncode == 0
    assert wait_for_exit(pid)


def test_key_rotate_replaces_the_key_and_deletes_the_old(demo: Demo) -> None:
    demo.login()
    done = demo.js("key", "rotate")
    assert done.returncode == 0, done.stderr
    old = demo.info.jump.access_key_id
    assert f"{old} deleted" in done.stdout
    demo.js("logout")
    assert demo.js("login", "--mfa-code", demo.code()).returncode == 0
    import boto3

    iam = boto3.client(
        "iam",
        endpoint_url=demo.aws.url,
        region_name="us-east-1",
        aws_access_key_id=old,
        aws_secret_access_key=demo.info.jump.secret_access_key,
    )
    with pytest.raises(Exception, match="InvalidClientTokenId"):
        iam.list_access_keys(UserName=demo.info.jump.user_name)


def test_key_rotate_that_aws_refuses_keeps_the_old_key(demo: Demo) -> None:
    import boto3

    demo.login()
    iam = boto3.client(
        "iam",
        endpoint_url=demo.aws.url,
        region_name="us-east-1",
        aws_access_key_id=demo.info.jump.access_key_id,
        aws_secret_access_key=demo.info.jump.secret_access_key,
    )
    spare = iam.create_access_key(UserName=demo.info.jump.user_name)["AccessKey"]
    done = demo.js("key", "rotate")
    assert done.returncode == 3, done.stderr
    assert "already has two access keys" in done.stderr and "Traceback" not in done.stderr
    assert spare["SecretAccessKey"] not in done.stderr
    keys = iam.list_access_keys(UserName=demo.info.jump.user_name)["AccessKeyMetadata"]
    assert {k["AccessKeyId"] for k in keys} == {
        demo.info.jump.access_key_id,
        spare["AccessKeyId"],
    }
    demo.js("logout")
    assert demo.js("login", "--mfa-code", demo.code()).returncode == 0


def test_init_writes_a_config_that_loads(isolated: Path) -> None:
    done = js("init", "--account-id", "123456789012", "--user-name", "bob")
    assert done.returncode == 0, done.stderr
    path = isolated / "config" / "jumpshell" / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert 'mfa_serial = "arn:aws:iam::123456789012:mfa/bob"' in path.read_text()
    assert js("list").returncode == 0
    again = js("init", "--account-id", "123456789012", "--user-name", "bob")
    assert again.returncode == 2 and "--force" in again.stderr


def test_init_leaves_the_dir_it_writes_into_as_it_was(isolated: Path) -> None:
    """JUMPSHELL_CONFIG in a shared dir (sticky and world-writable, as /tmp is): `init` wrote
    there through the helper that closes jumpshell's own dirs, and as root closed /tmp."""
    shared = isolated / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    env = dict(os.environ, JUMPSHELL_CONFIG=str(shared / "jumpshell.toml"))
    done = js("init", "--account-id", "123456789012", "--user-name", "bob", env=env)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert stat.S_IMODE((shared / "jumpshell.toml").stat().st_mode) == 0o600


def test_a_sticky_runtime_dir_is_refused_not_closed(demo: Demo) -> None:
    """XDG_RUNTIME_DIR=/tmp-like: the runtime dir is refused in one line, and left as it was."""
    shared = demo.home / "sharedrun"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    env = dict(demo.env, JUMPSHELL_RUNTIME_DIR=str(shared))
    done = js("login", "--mfa-code", demo.code(), env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("jumpshell: ") and "shared directory" in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777


def test_no_secret_leaks_to_files_argv_or_audit(demo: Demo) -> None:
    demo.login()
    scan = (
        "import os, glob\n"
        "secrets = [os.environ['AWS_SECRET_ACCESS_KEY'], os.environ['AWS_SESSION_TOKEN'], "
        "os.environ['JUMP_SECRET']]\n"
        "for path in glob.glob('/proc/[0-9]*/cmdline'):\n"
        "    try: argv = open(path, 'rb').read().decode(errors='replace')\n"
        "    except OSError: continue\n"
        "    assert not any(s in argv for s in secrets), path\n"
        "print(os.environ['AWS_SECRET_ACCESS_KEY'])\n"
    )
    env = dict(demo.env, JUMP_SECRET=demo.info.jump.secret_access_key)
    done = js("run", demo.dev(), "--", sys.executable, "-c", scan, env=env)
    assert done.returncode == 0, done.stderr
    role_secret = done.stdout.strip()
    jump = demo.info.jump
    mfa = agentclient.call(
        {"op": "mfa_get", "jump_id": f"aws:{jump.account_id}:{jump.user_name}"}, path=_socket()
    )
    secrets = [role_secret, jump.secret_access_key, mfa["SecretAccessKey"], mfa["SessionToken"]]
    said = [demo.js(*verb) for verb in (["status"], ["status", "--json"], ["whoami"], ["audit"])]
    for answer in [done, *said]:
        assert answer.returncode == 0, answer.stderr
        assert not any(s in answer.stdout + answer.stderr for s in secrets[1:])
    assert (demo.home / "state" / "jumpshell" / "audit.jsonl").stat().st_size > 0
    keyring_file = Path(os.environ["XDG_DATA_HOME"]) / "python_keyring"
    for path in demo.home.rglob("*"):
        if path.is_file() and keyring_file not in path.parents:
            text = path.read_bytes().decode(errors="replace")
            assert not any(s in text for s in secrets), path
    for path in Path(os.environ["XDG_RUNTIME_DIR"]).rglob("*"):
        if path.is_file():
            assert not any(s in path.read_text(errors="replace") for s in secrets), path


def test_agent_ends_when_its_runtime_dir_is_removed(demo: Demo) -> None:
    demo.login()
    pid = agentclient.call({"op": "ping"}, path=_socket())["pid"]
    os.unlink(_socket())
    assert wait_for_exit(pid, timeout=30)


def test_a_session_ending_on_another_day_names_the_day(demo: Demo) -> None:
    text = demo.config.read_text()
    demo.config.write_text(text.replace('session_duration = "12h"', 'session_duration = "36h"'))
    done = demo.js("login", "--mfa-code", demo.code())
    assert done.returncode == 0, done.stderr
    day = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d"
    assert re.search(rf"valid until {day} .*\(35h59m\)", done.stdout), done.stdout
