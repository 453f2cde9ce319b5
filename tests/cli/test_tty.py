"""Prompts on a real terminal (pexpect pty): MFA retries, hidden key entry, production confirm."""

from __future__ import annotations

import io
import sys

import pexpect
import pytest

from tests.conftest import BIN, Demo


def _spawn(demo: Demo, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        str(BIN / "jumpshell"),
        list(args),
        env=demo.env,
        encoding="utf-8",
        timeout=30,
        dimensions=(24, 120),
    )


def _wrong(code: str) -> str:
    return str((int(code) + 500000) % 1000000).zfill(6)


def test_wrong_code_asks_again_then_the_right_one_works(demo: Demo) -> None:
    child = _spawn(demo, "login")
    child.expect(f"MFA code for {demo.info.jump.mfa_serial}")
    child.sendline(_wrong(demo.code()))
    child.expect("AWS refused the MFA code")
    child.expect("MFA code for")
    child.sendline(demo.code())
    child.expect("MFA session for alice valid until")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    outcomes = [c["outcome"] for c in demo.calls("GetSessionToken")]
    assert outcomes[-1] == "ok" and len(outcomes) == 2


def test_three_wrong_codes_give_up_with_exit_3(demo: Demo) -> None:
    child = _spawn(demo, "login")
    for _ in range(3):
        child.expect("MFA code for")
        child.sendline(_wrong(demo.code()))
    child.expect("AWS refused the MFA code")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3


def test_key_add_prompts_hide_the_secret(demo: Demo) -> None:
    assert demo.js("key", "remove").returncode == 0
    child = _spawn(demo, "key", "add")
    screen = io.StringIO()
    child.logfile_read = screen
    child.expect("Access key id: ")
    child.sendline(demo.info.jump.access_key_id)
    child.expect("Secret access key")
    child.sendline(demo.info.jump.secret_access_key)
    child.expect("stored the access key")
    child.expect(pexpect.EOF)
    assert demo.info.jump.secret_access_key not in screen.getvalue()
    assert demo.info.jump.access_key_id in screen.getvalue()  # the id is echoed, the secret not
    child.close()
    assert child.exitstatus == 0
    assert demo.js("login", "--mfa-code", demo.code()).returncode == 0


def test_production_confirm_on_a_terminal(demo: Demo) -> None:
    demo.login()
    child = _spawn(demo, "run", "payments-prod", "--", "sh", "-c", "echo in-$JUMPSHELL_ACCOUNT")
    child.expect("PRODUCTION. Type its name")
    child.sendline("payments-prod")
    child.expect("in-payments-prod")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    # payments-prod's confirmation now holds for its role credentials: another one asks
    wrong = _spawn(demo, "run", demo.prod(), "--", "true")
    wrong.expect("Type its name")
    wrong.sendline("payments-dev")
    wrong.expect(pexpect.EOF)
    wrong.close()
    assert wrong.exitstatus == 130


def test_a_typo_at_the_prompt_asks_again_without_calling_aws(demo: Demo) -> None:
    child = _spawn(demo, "login")
    child.expect("MFA code for")
    child.sendline("12345")
    child.expect("an MFA code is 6 digits")
    child.expect("MFA code for")
    child.sendline(demo.code())
    child.expect("MFA session for alice")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert [c["outcome"] for c in demo.calls("GetSessionToken")] == ["ok"]


COUNT_INTERRUPTS = """
import signal, sys
count = 0
def interrupted(signum, frame):
    global count
    count += 1
signal.signal(signal.SIGINT, interrupted)
print("ready", flush=True)
sys.stdin.readline()
print("interrupts", count, flush=True)
"""


@pytest.mark.parametrize("refresh", [False, True])
def test_ctrl_c_reaches_the_command(demo: Demo, refresh: bool) -> None:
    demo.login()
    flags = ["--refresh"] if refresh else []
    child = _spawn(demo, "run", demo.dev(), *flags, "--", sys.executable, "-c", COUNT_INTERRUPTS)
    child.expect("ready")
    child.sendintr()
    child.sendline("")
    child.expect(r"interrupts (\d+)")
    assert child.match.group(1) == "1"
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
