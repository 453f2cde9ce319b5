"""Every expected failure is one stderr line with a fix and the documented exit code."""

from __future__ import annotations

import socket

import pytest

from tests.conftest import Demo, js


def _one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("jumpshell: ") and "Traceback" not in stderr
    return lines[0]


def test_no_config(isolated: object) -> None:
    done = js("list")
    assert done.returncode == 2
    assert "jumpshell init" in _one_line(done.stderr)


def test_toml_syntax_error_names_the_line(demo: Demo) -> None:
    demo.config.write_text('[jump]\naccount_id = "1\n')
    done = demo.js("list")
    assert done.returncode == 2
    assert f"{demo.config}:2: invalid TOML" in _one_line(done.stderr)


def test_no_key_in_keyring(demo: Demo) -> None:
    assert demo.js("key", "remove").returncode == 0
    done = demo.js("login", "--mfa-code", demo.code())
    assert done.returncode == 2
    assert "run `jumpshell key add`" in _one_line(done.stderr)


@pytest.mark.parametrize(
    ("key_id", "words"),
    [("ASIAEXAMPLEEXAMPLE12", "temporary key"), ("nonsense", "not an access key id")],
)
def test_key_add_refuses_what_is_not_a_long_lived_key(demo: Demo, key_id: str, words: str) -> None:
    done = demo.js("key", "add", input=f"{key_id}\n{'s' * 40}\n")
    assert done.returncode == 2
    assert words in _one_line(done.stderr) and "s" * 40 not in done.stderr
    assert demo.js("login", "--mfa-code", demo.code()).returncode == 0  # the old key is kept


def test_no_usable_keyring_backend(demo: Demo) -> None:
    env = dict(demo.env, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    done = js("login", "--mfa-code", demo.code(), env=env)
    assert done.returncode == 5
    assert "PYTHON_KEYRING_BACKEND" in _one_line(done.stderr)


def test_wrong_secret_says_key_add(demo: Demo) -> None:
    key_id = demo.info.jump.access_key_id
    done = demo.js("key", "add", "--no-check", input=f"{key_id}\n{'x' * 40}\n")
    assert done.returncode == 0, done.stderr
    done = demo.js("login", "--mfa-code", demo.code())
    assert done.returncode == 3
    assert "jumpshell key add" in _one_line(done.stderr)


def test_unreachable_endpoint_names_the_url(demo: Demo) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    done = js("login", "--mfa-code", demo.code(), env=dict(demo.env, AWS_ENDPOINT_URL=url))
    assert done.returncode == 4
    assert url in _one_line(done.stderr)


def test_throttling_after_retries(demo: Demo) -> None:
    demo.aws.throttle(next_n=10)
    done = demo.js("login", "--mfa-code", demo.code())
    assert done.returncode == 4
    assert "throttling" in _one_line(done.stderr)
    assert len(demo.calls("GetSessionToken")) == 3


def test_throttling_that_clears_is_retried(demo: Demo) -> None:
    demo.aws.throttle(next_n=1)
    assert demo.js("login", "--mfa-code", demo.code()).returncode == 0


def test_expired_mfa_session_logs_in_again(demo: Demo) -> None:
    demo.login()
    demo.aws.set_clock_offset(13 * 3600)  # the MFA session (12h) is over on AWS's side
    done = demo.js("run", demo.dev(), "--mfa-code", demo.code(), "--", "true")
    assert done.returncode == 0, done.stderr
    assert len(demo.calls("GetSessionToken")) == 2


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback(demo: Demo, where: str) -> None:
    run = ["run", "nope-nope", "--debug"] if where == "after" else ["--debug", "run", "nope-nope"]
    done = demo.js(*run, "--", "true")
    assert done.returncode == 2
    assert "Traceback" in done.stderr
    plain = demo.js("run", "nope-nope", "--", "true")
    assert plain.returncode == 2 and "Traceback" not in plain.stderr


def test_an_option_a_verb_lacks_is_refused_warm_or_cold(demo: Demo) -> None:
    demo.login()
    assert demo.js("run", demo.dev(), "--", "true").returncode == 0  # the role is held
    for verb in (["credential-process", demo.dev()], ["run", demo.dev()]):
        done = demo.js(*verb, "--format", "json", *(["--", "true"] if verb[0] == "run" else []))
        assert done.returncode == 2, (verb, done.stdout)
        assert "unrecognized arguments: --format" in done.stderr


@pytest.mark.parametrize(
    "args",
    # (`jumpshell nope` is SSH-style now, a target: tests/cli/test_ssh_style.py)
    [["env", "x", "--format", "xml"], ["--nope"], ["key"], ["run", "x", "--frob", "--", "true"]],
)
def test_command_line_mistakes_are_one_line(demo: Demo, args: list[str]) -> None:
    done = demo.js(*args)
    assert done.returncode == 2
    assert done.stderr.startswith("jumpshell: ") and "--help" in _one_line(done.stderr)
