"""`jumpshell shell`: real bash, zsh and fish in a pty; the prefix, the user's rc, the role."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pexpect

from tests.conftest import BIN, Demo, endpoint_status, require
from tests.shells.conftest import ALIAS, MINE, open_shell, user_rc

DEMO = "\x1b[1;30;46m[demo]\x1b[0m "  # every shell of the demo world says so


def _role(demo: Demo, account_name: str) -> str:
    account = demo.info.account(account_name)
    return f"arn:aws:sts::{account.id}:assumed-role/{account.roles[0]}/{demo.info.jump.user_name}"


def test_production_prefix_title_alias_prompt_role_and_exit_code(demo: Demo, shell: str) -> None:
    demo.login()
    account = demo.info.account(demo.prod())
    hop = f"{account.name}:{account.roles[0]}"
    session = open_shell(demo, shell, account.name, "--yes")
    first = session.prompt()
    # exact escapes: title (OSC 0), the demo tag, production bold white on red, then theirs
    assert f"\x1b]0;jumpshell: {hop}\x07" in first
    assert f"{DEMO}\x1b[1;97;41m[PROD {hop}]\x1b[0m {MINE}" in first
    assert session.run("hi", f"({ALIAS})\r\n") == ALIAS  # their alias, and their prompt above
    assert session.arn() == _role(demo, account.name)  # refreshing: the agent's endpoint
    assert session.value("$AWS_ACCESS_KEY_ID") == ""
    assert session.value("$JUMPSHELL_CHAIN") == hop
    assert session.exit(7) == 7


def test_static_non_production_prefix_and_role(demo: Demo, shell: str) -> None:
    demo.login()
    target = demo.dev()  # payments-staging: staging by its name
    session = open_shell(demo, shell, target, "--static")
    hop = f"{target}:Developer"
    assert f"{DEMO}\x1b[1;30;43m[STG {hop}]\x1b[0m {MINE}" in session.prompt()  # default theme
    assert session.arn() == _role(demo, target)
    assert session.value("$AWS_ACCESS_KEY_ID").startswith("ASIA")
    assert session.value("$AWS_CONTAINER_AUTHORIZATION_TOKEN") == ""
    assert session.value("$AWS_CREDENTIAL_EXPIRATION")
    assert session.exit() == 0


def test_no_color_keeps_the_labels(demo: Demo, shell: str) -> None:
    demo.login()
    account = demo.info.account(demo.prod())
    session = open_shell(demo, shell, account.name, "--yes", NO_COLOR="1")
    first = session.prompt()
    assert f"[demo] [PROD {account.name}:{account.roles[0]}] {MINE}" in first
    tail = first.rsplit("\x07", 1)[-1]  # after the title: zsh draws its own escapes before
    assert tail.endswith(f"[demo] [PROD {account.name}:{account.roles[0]}] {MINE}")
    assert "\x1b[1;97;41m" not in first  # (fish resets colours itself before a prompt)
    assert session.exit() == 0


def test_token_dies_with_the_shell_and_no_secret_in_argv(demo: Demo, shell: str) -> None:
    demo.login()
    session = open_shell(demo, shell, demo.dev())
    session.prompt()
    token = session.value("$AWS_CONTAINER_AUTHORIZATION_TOKEN")
    url = session.value("$AWS_CONTAINER_CREDENTIALS_FULL_URI")
    horizon = session.value("$AWS_CREDENTIAL_EXPIRATION")
    assert token and url and horizon  # the MFA session's end: the shell's real horizon
    assert endpoint_status(url, token) == 200
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        assert token.encode() not in argv
    rc_dirs = Path(os.environ["XDG_RUNTIME_DIR"], "jumpshell", "shells")
    assert list(rc_dirs.iterdir()) == []  # the rc removed itself once read
    assert session.exit() == 0
    deadline = time.monotonic() + 10  # the agent's pidfd watch revokes it: an event, not a timer
    while endpoint_status(url, token) not in (
        403,
        "refused",
    ):  # refused, or no endpoint once no token lives
        assert time.monotonic() < deadline, "the token outlived its shell"
        time.sleep(0.05)


def test_confirm_asks_before_the_shell_opens(demo: Demo, isolated: Path) -> None:
    user_rc(isolated, "bash")
    demo.login()
    session = open_shell(demo, require("bash"), "payments-prod")  # confirm = true
    session.child.expect_exact("is PRODUCTION. Type its name to go on: ")
    session.child.sendline("payments-dev")
    session.child.expect_exact("jumpshell: not confirmed")
    session.child.expect(pexpect.EOF)
    session.child.close()
    assert session.child.exitstatus == 130


def test_run_without_a_command_opens_the_shell(demo: Demo, isolated: Path) -> None:
    user_rc(isolated, "bash")
    demo.login()
    env = {**demo.env, "SHELL": require("bash"), "TERM": "xterm"}
    child = pexpect.spawn(
        str(BIN / "jumpshell"), ["run", demo.dev()], env=env, encoding="utf-8", timeout=30
    )
    child.expect_exact(f"[STG {demo.dev()}:Developer]\x1b[0m {MINE}")  # the default theme
    child.sendline("exit 5")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 5


def test_rc_files_hold_no_secret_and_are_private(demo: Demo, isolated: Path) -> None:
    """Each shell's rc as written (before the shell reads and removes it)."""
    from jumpshell import themes
    from jumpshell.shells import Prompt, for_path, rcdir
    from jumpshell.shells.prompt import Hop

    secrets = {
        "AWS_SECRET_ACCESS_KEY": "s3cr3t-key-value",
        "AWS_SESSION_TOKEN": "s3ss10n-token-value",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": "t0ken-value",
    }
    for name in ("bash", "zsh", "fish", "sh"):
        env = dict(secrets)
        rc_dir = rcdir.make()
        argv = for_path(f"/usr/bin/{name}").launch(
            f"/usr/bin/{name}",
            env,
            Prompt.of(themes.load("default"), [Hop("a", "R", "dev")], True),
            rc_dir,
        )
        assert os.stat(rc_dir).st_mode & 0o777 == 0o700
        for path in Path(rc_dir).iterdir():
            assert path.stat().st_mode & 0o777 == 0o600
            assert not any(v in path.read_text() for v in secrets.values()), path
        assert not any(v in " ".join(argv) for v in secrets.values())
        rcdir.remove(rc_dir)


def test_bare_target_opens_the_same_shell(demo: Demo, isolated: Path) -> None:
    """`jumpshell TARGET`, as `ssh HOST`: the shell `jumpshell shell TARGET` opens."""
    user_rc(isolated, "bash")
    demo.login()
    env = {**demo.env, "SHELL": require("bash"), "TERM": "xterm"}
    child = pexpect.spawn(
        str(BIN / "jumpshell"), [demo.dev()], env=env, encoding="utf-8", timeout=30
    )
    child.expect_exact(f"[STG {demo.dev()}:Developer]\x1b[0m {MINE}")
    child.sendline("echo $JUMPSHELL_TARGET")
    child.expect_exact(f"{demo.dev()}/Developer")
    child.sendline("exit 3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
