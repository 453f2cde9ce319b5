"""Production confirmation that lasts: asked once on /dev/tty for the role credentials it
unlocks (or confirm_for), remembered by the agent alone, forgotten by logout and lock."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pexpect

from tests.conftest import BIN, Demo

PROD = "payments-prod"  # confirm = true (the demo's production rule)
CALLS = 4
# what the AWS CLI does: a new process per call, each running credential_process with
# stdout and stderr piped, so the question can only reach the user on /dev/tty
SDK = """
import boto3
for call in range({calls}):
    arn = boto3.Session(profile_name="prod").client("sts").get_caller_identity()["Arn"]
    print(f"call {{call}}: {{arn}}", flush=True)
"""


def _profile(demo: Demo) -> None:
    Path(demo.env["AWS_CONFIG_FILE"]).write_text(
        f"[profile prod]\ncredential_process = {BIN / 'jumpshell'} credential-process {PROD}\n"
        "region = us-east-1\n"
    )


def _sdk_in_a_terminal(demo: Demo, calls: int, answer: str | None) -> tuple[int, str]:
    """CALLS separate boto3 sessions in a pty; `answer` typed at each confirmation asked."""
    child = pexpect.spawn(
        sys.executable,
        ["-c", SDK.format(calls=calls)],
        env=demo.env,
        encoding="utf-8",
        timeout=60,
        dimensions=(24, 200),
    )
    screen = io.StringIO()
    child.logfile_read = screen
    while True:
        found = child.expect(["Type its name to go on: ", pexpect.EOF])
        if found == 1:
            break
        assert answer is not None, screen.getvalue()
        child.sendline(answer)
    child.close()
    text = screen.getvalue()
    assert child.exitstatus == 0, text
    return text.count("is PRODUCTION"), text


def test_a_production_profile_asks_once_for_n_calls(demo: Demo) -> None:
    demo.login()
    _profile(demo)
    asked, text = _sdk_in_a_terminal(demo, CALLS, PROD)
    assert asked == 1, text
    account = next(a.id for a in demo.info.accounts if a.name == PROD)
    assert text.count(f"arn:aws:sts::{account}:assumed-role/") == CALLS, text
    # remembered by the agent: a call with no terminal at all goes through too (warm path)
    assert demo.js("credential-process", PROD).returncode == 0


def test_with_no_terminal_it_says_how_to_confirm_and_never_suggests_yes(demo: Demo) -> None:
    demo.login()
    refused = demo.js("credential-process", PROD)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert "no terminal to ask on" in refused.stderr
    assert f"jumpshell run {PROD}/ReadOnly -- true" in refused.stderr
    assert "--yes" not in refused.stderr  # never taught to put --yes into ~/.aws/config
    assert "--yes" in demo.js("run", PROD, "--", "true").stderr  # run may offer it


def test_logout_and_lock_forget_the_confirmation(demo: Demo) -> None:
    demo.login()
    _profile(demo)
    assert _sdk_in_a_terminal(demo, 1, PROD)[0] == 1
    assert demo.js("credential-process", PROD).returncode == 0
    assert demo.js("logout").returncode == 0
    demo.login()
    assert demo.js("credential-process", PROD).returncode == 2  # asks again: no terminal
    assert _sdk_in_a_terminal(demo, 1, PROD)[0] == 1
    assert demo.js("lock").returncode == 0
    demo.login()
    assert demo.js("credential-process", PROD).returncode == 2


def test_confirm_for_is_checked_with_its_line(demo: Demo) -> None:
    text = demo.config.read_text()
    demo.config.write_text(text.replace("[defaults]\n", '[defaults]\nconfirm_for = "10s"\n', 1))
    done = demo.js("list")
    assert done.returncode == 2
    line = demo.config.read_text().splitlines().index('confirm_for = "10s"') + 1
    assert f"{demo.config}:{line}: confirm_for must be 1m..36h" in done.stderr
