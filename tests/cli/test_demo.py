"""`jumpshell demo` as a new user meets it: the installed CLI starting its own local AWS."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pexpect

from tests.conftest import BIN, js, wait_for_exit

WRONG = "import sys; print(f'{(int(sys.argv[1]) + 500000) % 1000000:06d}')"
PING = "from jumpshell import agentclient; print(agentclient.call({'op': 'ping'})['pid'])"
INSIDE = f"""
set -e
echo "config=$JUMPSHELL_CONFIG"
if jumpshell login --mfa-code "$(python3 -c "{WRONG}" "$(jumpshell demo code)")"; then
  echo "wrong code accepted"; exit 1
fi
jumpshell login --mfa-code "$(jumpshell demo code)"
echo "agent=$(python3 -c "{PING}")"
jumpshell list --json > "$OUT/list.json"
jumpshell run payments-dev -- aws sts get-caller-identity --query Account --output text
exit 7
"""


def test_demo_runs_a_command_in_its_own_world_and_leaves_nothing(
    isolated: Path, tmp_path: Path
) -> None:
    env = {
        "HOME": str(isolated),
        "PATH": f"{BIN}:/usr/bin:/bin",
        "OUT": str(tmp_path),
        "XDG_CONFIG_HOME": str(isolated / "config"),
        "XDG_STATE_HOME": str(isolated / "state"),
        "XDG_DATA_HOME": str(isolated / "data"),
    }
    done = js("demo", "--", "sh", "-c", INSIDE, env=env, timeout=120)
    assert done.returncode == 7, done.stderr  # the command's own exit code
    assert "AWS refused the MFA code" in done.stderr
    assert "Traceback" not in done.stderr
    accounts = json.loads((tmp_path / "list.json").read_text())
    assert len(accounts) >= 40
    dev = next(a for a in accounts if a["name"] == "payments-dev")
    assert done.stdout.strip().splitlines()[-1] == dev["id"]
    config = re.search(r"^config=(.+)$", done.stdout, re.M)
    agent = re.search(r"^agent=(\d+)$", done.stdout, re.M)
    assert config and agent
    assert not Path(config.group(1)).exists()  # the demo's temp folder is gone
    assert wait_for_exit(int(agent.group(1)))  # and its agent with it
    left = [p for p in isolated.rglob("*") if p.is_file()]
    assert left == [], left  # nothing in the user's own config, state, keyring or ~/.aws


def _code(url: str, serial: str) -> str:
    query = urllib.parse.urlencode({"serial": serial})
    with urllib.request.urlopen(f"{url}/_localaws/code?{query}", timeout=5) as answer:
        body = answer.read().decode()
    return str(json.loads(body)["code"])


def test_demo_shell_wrong_code_right_code_production_and_a_refusal(isolated: Path) -> None:
    env = {
        "HOME": str(isolated),
        "PATH": f"{BIN}:/usr/bin:/bin",
        "SHELL": "/bin/bash",
        "TERM": "dumb",
        "PS1": "demo$ ",
    }
    child = pexpect.spawn(
        str(BIN / "jumpshell"),
        ["demo"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 160),
    )
    child.expect(r"a local AWS at (http://127\.0\.0\.1:\d+) with (\d+) accounts")
    url, count = child.match.group(1), int(child.match.group(2))
    child.expect(r"jump account\s+(\d{12}) \(user (\w+)\)")
    serial = f"arn:aws:iam::{child.match.group(1)}:mfa/{child.match.group(2)}"
    assert count >= 40
    child.sendline("bash --norc --noprofile")  # a shell with a known prompt, in the demo's env
    child.sendline("export PS1='demo$ '")
    child.expect_exact("demo$ ")

    child.sendline("jumpshell login")
    child.expect("MFA code for")
    wrong = f"{(int(_code(url, serial)) + 500000) % 1000000:06d}"
    child.sendline(wrong)
    child.expect("AWS refused the MFA code")
    child.expect("MFA code for")
    child.sendline(_code(url, serial))
    child.expect("MFA session for alice valid until")

    child.sendline("jumpshell run payments-prod -- sh -c 'echo as-$JUMPSHELL_ACCOUNT'")
    child.expect("PRODUCTION. Type its name")
    child.sendline("payments-prod")
    child.expect("as-payments-prod")

    child.sendline("jumpshell run sandbox-locked/Untrusted -- true; echo rc=$?")
    child.expect("does not let alice in")
    child.expect("rc=3")

    child.sendline("exit")  # the inner bash
    child.sendline("exit")  # the demo's shell
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
