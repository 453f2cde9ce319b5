"""`key add` checks before it replaces, `key rotate` never strands a key, no silent plaintext."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BIN, Demo, js


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("jumpshell: ") and "Traceback" not in stderr
    return lines[0]


def _error_line(stderr: str) -> str:
    """The one error line among `key rotate`'s progress lines."""
    return _one_line("\n".join(x for x in stderr.splitlines() if x.startswith("jumpshell:")))


def _iam(demo: Demo, key_id: str | None = None, secret: str | None = None) -> Any:
    import boto3

    return boto3.client(
        "iam",
        endpoint_url=demo.aws.url,
        region_name="us-east-1",
        aws_access_key_id=key_id or demo.info.jump.access_key_id,
        aws_secret_access_key=secret or demo.info.jump.secret_access_key,
    )


def _keys(demo: Demo, key_id: str | None = None, secret: str | None = None) -> set[str]:
    answer = _iam(demo, key_id, secret).list_access_keys(UserName=demo.info.jump.user_name)
    return {k["AccessKeyId"] for k in answer["AccessKeyMetadata"]}


def _login_works(demo: Demo) -> None:
    demo.js("logout")
    done = demo.js("login", "--mfa-code", demo.code())
    assert done.returncode == 0, done.stderr


# -- 6: key add checks before it replaces ------------------------------------------------
def test_key_add_refuses_another_users_key(demo: Demo) -> None:
    iam = _iam(demo)
    iam.create_user(UserName="mallory")
    other = iam.create_access_key(UserName="mallory")["AccessKey"]
    key = f"{other['AccessKeyId']}\n{other['SecretAccessKey']}\n"
    done = demo.js("key", "add", input=key)
    assert done.returncode == 3
    line = _one_line(done.stderr)
    assert "user/mallory" in line and "unchanged" in line
    assert other["SecretAccessKey"] not in done.stderr
    _login_works(demo)


def test_key_add_refuses_a_key_that_does_not_exist(demo: Demo) -> None:
    done = demo.js("key", "add", input=f"AKIA{'Q' * 16}\n{'s' * 40}\n")
    assert done.returncode == 3
    assert "does not accept that key" in _one_line(done.stderr)
    _login_works(demo)


def test_key_add_no_check_says_what_it_skipped(demo: Demo) -> None:
    jump = demo.info.jump
    done = demo.js("key", "add", "--no-check", input=f"{jump.access_key_id}\n{'x' * 40}\n")
    assert done.returncode == 0, done.stderr
    assert "--no-check skipped" in done.stdout


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"AKIA\xff\xfeQQQQQQQQQQQQ\nsecret\n", "not UTF-8"),
        (b"AKIAQQQQQQQQQQQQQQQQ\n" + b"s" * 40 + b"\nextra\n", "exactly two lines"),
        (b"AKIAQQQQQQQQQQQQQQQQ " + b"s" * 40 + b"\n", "exactly two lines"),
        (b"AKIAQQQQQQQQQQQQQQQQ\nssssssss ssssssssssss\n", "whitespace inside"),
        (b"AKIAQQQQQQQQQQQQQQQQ\n" + "s\u00e9".encode() * 20 + b"\n", "characters AWS"),
    ],
)
def test_key_add_rejects_junk_with_one_line(demo: Demo, data: bytes, words: str) -> None:
    done = subprocess.run(
        [str(BIN / "jumpshell"), "key", "add"],
        input=data,
        env=demo.env,
        capture_output=True,
        timeout=60,
        start_new_session=True,
        check=False,
    )
    stderr = done.stderr.decode()
    assert done.returncode == 2
    assert words in _one_line(stderr)
    assert "ssssssss" not in stderr
    _login_works(demo)


# -- 7: key rotate never strands a key ---------------------------------------------------
def test_rotate_names_the_unknown_key_and_deletes_it_on_request(demo: Demo) -> None:
    demo.login()
    spare = _iam(demo).create_access_key(UserName=demo.info.jump.user_name)["AccessKey"]
    old = demo.info.jump.access_key_id
    done = demo.js("key", "rotate")
    assert done.returncode == 3
    line = _error_line(done.stderr)
    assert spare["AccessKeyId"] in line and f"{old} is stored and works" in line
    assert "--delete-unknown" in line

    done = demo.js("key", "rotate", "--delete-unknown")
    assert done.returncode == 0, done.stderr
    assert f"deleted {spare['AccessKeyId']}" in done.stdout and f"{old} deleted" in done.stdout
    _login_works(demo)
    assert len(demo.calls("GetSessionToken")) == 2
    new = demo.calls("GetSessionToken")[-1]["access_key_id"]
    assert new != old and done.stdout.count(str(new)) == 1


def test_rotate_with_delete_throttled_says_the_new_key_is_stored(demo: Demo) -> None:
    demo.login()
    demo.aws.set_fault_scope(True)
    demo.aws.throttle(next_n=10, action="DeleteAccessKey")
    old = demo.info.jump.access_key_id
    done = demo.js("key", "rotate")
    assert done.returncode == 4
    line = _error_line(done.stderr)
    assert "is stored and works" in line and f"--access-key-id {old}" in line
    demo.aws.clear_faults()
    _login_works(demo)
    new = demo.calls("GetSessionToken")[-1]["access_key_id"]
    assert new != old and f"new key {new} is stored" in line


def _wait_for_line(process: subprocess.Popen[bytes], words: str, timeout: float = 30) -> str:
    """Read the process's stderr until a line with `words` (a select with a deadline)."""
    assert process.stderr is not None
    deadline, seen = time.monotonic() + timeout, b""
    fd = process.stderr.fileno()
    while words.encode() not in seen:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(left, 0))
        assert ready, f"no {words!r} within {timeout}s: {seen!r}"
        chunk = os.read(fd, 4096)
        assert chunk, f"stderr ended before {words!r}: {seen!r}"
        seen += chunk
    return seen.decode()


@pytest.mark.parametrize(
    ("action", "words"),
    [("CreateAccessKey", "creating a new access key"), ("GetCallerIdentity", "checking")],
)
def test_ctrl_c_during_rotate_leaves_only_the_stored_key(
    demo: Demo, action: str, words: str
) -> None:
    demo.login()
    demo.aws.set_fault_scope(True)
    demo.aws.set_latency(3000, action)
    process = subprocess.Popen(
        [str(BIN / "jumpshell"), "key", "rotate"],
        env=demo.env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    seen = _wait_for_line(process, words)
    os.kill(process.pid, signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 130, seen + rest.decode()
    old = demo.info.jump.access_key_id
    assert f"{old} is still stored and works" in seen + rest.decode()
    demo.aws.clear_faults()
    assert _keys(demo) == {old}
    _login_works(demo)


# -- 8: the key never lands in a plaintext store by accident ----------------------------
def _stored_files(home: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in (home / "data").rglob("*") if p.is_file())


def test_a_file_keyring_picked_silently_is_refused(demo: Demo) -> None:
    env = {k: v for k, v in demo.env.items() if k != "PYTHON_KEYRING_BACKEND"}
    jump = demo.info.jump
    done = js("key", "add", input=f"{jump.access_key_id}\n{jump.secret_access_key}\n", env=env)
    assert done.returncode == 5
    line = _one_line(done.stderr)
    assert "by itself" in line and 'keyring = "file"' in line
    assert "PYTHON_KEYRING_BACKEND" in line


def test_an_explicit_plaintext_keyring_stores_with_a_warning(demo: Demo) -> None:
    jump = demo.info.jump
    done = demo.js("key", "add", input=f"{jump.access_key_id}\n{jump.secret_access_key}\n")
    assert done.returncode == 0, done.stderr
    line = _one_line(done.stderr)
    assert "warning" in line and "plain text" in line and "PYTHON_KEYRING_BACKEND" in line


def _with_passphrase(demo: Demo, *args: str, input: str = "") -> subprocess.CompletedProcess[str]:
    read, write = os.pipe()
    os.write(write, b"correct horse battery\n")
    os.close(write)
    env = dict(demo.env, JUMPSHELL_KEYRING_PASSPHRASE_FD=str(read))
    env.pop("PYTHON_KEYRING_BACKEND")  # keyring = "file" needs no keyring backend choice
    try:
        return subprocess.run(
            [str(BIN / "jumpshell"), *args],
            env=env,
            input=input,
            capture_output=True,
            text=True,
            timeout=60,
            start_new_session=True,
            check=False,
            pass_fds=(read,),
        )
    finally:
        os.close(read)


def test_file_keyring_keeps_the_key_encrypted_and_login_uses_it(demo: Demo) -> None:
    demo.set_jump('keyring = "file"')
    jump = demo.info.jump
    done = _with_passphrase(
        demo, "key", "add", input=f"{jump.access_key_id}\n{jump.secret_access_key}\n"
    )
    assert done.returncode == 0, done.stderr
    path = demo.home / "data" / "jumpshell" / "keyring.cfg"
    assert path.stat().st_mode & 0o777 == 0o600
    assert jump.secret_access_key not in _stored_files(demo.home)
    done = _with_passphrase(demo, "login", "--mfa-code", demo.code())
    assert done.returncode == 0, done.stderr
    assert demo.calls("GetSessionToken")[-1]["access_key_id"] == jump.access_key_id
