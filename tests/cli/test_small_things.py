"""What a daily user notices: `env --unset`, list's header on a terminal, status columns
that line up, status --json times in ISO 8601, and `init` checking each answer as typed."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path

import pexpect
import pytest

from tests.conftest import BIN, Demo, require

ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
# the shell evals `env TARGET` and then `env --unset`, as a user would, then prints its
# environment NUL-separated (no value can break that)
SHELLS = {
    "sh": (["-c", 'eval "$1" && eval "$2" && exec env -0', "sh"], "sh"),
    "bash": (["--norc", "--noprofile", "-c", 'eval "$1" && eval "$2" && exec env -0', "b"], "sh"),
    "fish": (
        [
            "--no-config",
            "-c",
            "printf %s $argv[1] | source; and printf %s $argv[2] | source; and exec env -0",
        ],
        "fish",
    ),
}


def _spawn(env: dict[str, str] | None, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        str(BIN / "jumpshell"),
        list(args),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(24, 200),
    )


@pytest.mark.parametrize("shell", SHELLS)
def test_env_unset_leaves_the_target(demo: Demo, shell: str) -> None:
    demo.login()
    args, fmt = SHELLS[shell]
    target = demo.dev()
    sets = json.loads(demo.js("env", target, "--format", "json").stdout)
    enter = demo.js("env", target, "--format", fmt).stdout
    leave = demo.js("env", "--unset", "--format", fmt)
    assert leave.returncode == 0, leave.stderr
    done = subprocess.run(
        [require(shell), *args, enter, leave.stdout],
        env=demo.env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    left = {item.split(b"=", 1)[0].decode() for item in done.stdout.split(b"\0") if item}
    assert sets and not set(sets) & left, set(sets) & left
    for argv in (["env", "--unset", target], ["env", "--unset", "--format", "json"]):
        refused = demo.js(*argv)  # it takes no target, and only a shell can unset
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr


def test_list_has_a_header_on_a_terminal_only(demo: Demo) -> None:
    child = _spawn(demo.env, "list")
    child.expect(pexpect.EOF)
    child.close()
    lines = child.before.replace("\r", "").splitlines()
    header, first = lines[0], lines[1]
    assert header.split() == ["ACCOUNT", "ID", "REGION", "ROLES"], header
    account_id = re.search(r"[0-9]{12}", first)
    assert account_id and header.index("ID") == account_id.start(), (header, first)
    assert header.index("REGION") == account_id.end() + 2, (header, first)
    piped = demo.js("list").stdout.splitlines()
    assert "ACCOUNT" not in piped[0] and re.search(r"[0-9]{12}", piped[0])


def test_status_columns_line_up(demo: Demo) -> None:
    demo.login()
    for target in (demo.dev(), "payments-prod"):  # Developer and ReadOnly: ARNs of two lengths
        assert demo.js("run", target, "--yes", "--", "true").returncode == 0
    rows = [line for line in demo.js("status").stdout.splitlines() if line.startswith("  ")]
    assert len(rows) == 2 and len({len(row.split()[1]) for row in rows}) == 2, rows
    assert len({row.index("arn:") for row in rows}) == 1, rows
    assert len({row.rindex(" left") for row in rows}) == 1, rows


def test_status_json_times_are_iso_8601(demo: Demo) -> None:
    demo.login()
    target = demo.dev()
    shown = json.loads(demo.js("env", target, "--format", "json").stdout)
    (status,) = json.loads(demo.js("status", "--json").stdout)
    assert ISO.fullmatch(status["mfa_expiration"]), status
    (role,) = status["roles"]
    assert role["expiration"] == shown["AWS_CREDENTIAL_EXPIRATION"]


def test_init_checks_each_answer_as_it_is_typed(isolated: Path) -> None:
    child = _spawn(None, "init")
    for question, bad, problem, good in (
        ("Jump account id", "12345", "is not a 12-digit AWS account id", "111111111111"),
        ("Your IAM user name", "al ice", "is not an IAM user name", "alice"),
        ("MFA device ARN", "mfa/alice", "is not an MFA device ARN", ""),
        ("Region", "mars", "is not an AWS region name", "eu-west-1"),
    ):
        child.expect(question)
        child.sendline(bad)
        child.expect(problem)
        child.expect(question)  # asked again
        child.sendline(good)
    child.expect("wrote ")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = (isolated / "config" / "jumpshell" / "config.toml").read_text()
    assert 'account_id = "111111111111"' in text and 'user_name = "alice"' in text
    assert 'mfa_serial = "arn:aws:iam::111111111111:mfa/alice"' in text  # Enter: the default
    assert 'region = "eu-west-1"' in text


def test_a_fresh_init_then_jumpshell_says_how_to_add_targets(isolated: Path) -> None:
    """`jumpshell init` then `jumpshell` at a terminal: what to add, and where, in the
    table's real name ([[account]]) and the aws-vault user's way (aws_profile)."""
    done = subprocess.run(
        [str(BIN / "jumpshell"), "init", "--account-id", "111111111111", "--user-name", "alice"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    config = isolated / "config" / "jumpshell" / "config.toml"
    for argv in ((), ("list",)):
        child = _spawn(None, *argv)
        child.expect(pexpect.EOF)
        child.close()
        said = " ".join(child.before.split())
        assert f"{config} has no targets" in said, said
        assert "[[account]]" in said and 'aws_profile = "NAME"' in said, said
        assert child.exitstatus == (2 if not argv else 0)


def test_init_finds_the_aws_vault_users_jump_profile(demo: Demo) -> None:
    """An aws-vault user's ~/.aws/config: init sets aws_profile to the profile their role
    profiles start at (so they are targets at once), takes its mfa_serial, and says to
    `key import` when ~/.aws/credentials holds its key."""
    serial = f"arn:aws:iam::{demo.info.jump.account_id}:mfa/alice-yubikey"
    role = "arn:aws:iam::{}:role/Developer".format
    Path(demo.env["AWS_CONFIG_FILE"]).write_text(
        f"[profile work]\nmfa_serial = {serial}\n\n"
        f"[profile dev]\nsource_profile = work\nrole_arn = {role('200000000003')}\n\n"
        f"[profile chained]\nsource_profile = dev\nrole_arn = {role('200000000006')}\n"
    )
    Path(demo.env["AWS_SHARED_CREDENTIALS_FILE"]).write_text(
        "[work]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    )
    jump = demo.info.jump
    done = demo.js("init", "--force", "--account-id", jump.account_id, "--user-name", "alice")
    assert done.returncode == 0, done.stderr
    assert "next: jumpshell key import" in done.stdout, done.stdout
    data = tomllib.loads(demo.config.read_text())
    assert data["jump"]["aws_profile"] == "work"
    assert data["jump"]["mfa_serial"] == serial
    listed = demo.js("list")
    assert listed.returncode == 0 and "dev" in listed.stdout, listed.stderr
