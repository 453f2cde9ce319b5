"""`switch` moves a shell in place; `shell` inside one nests and shows the chain."""

from __future__ import annotations

from tests.conftest import Demo, endpoint_status
from tests.shells.conftest import MINE, open_shell


def _role(demo: Demo, account_name: str) -> str:
    account = demo.info.account(account_name)
    return f"arn:aws:sts::{account.id}:assumed-role/{account.roles[0]}/{demo.info.jump.user_name}"


def test_switch_moves_the_shell_in_place(demo: Demo, shell: str) -> None:
    demo.login()
    dev, prod = demo.dev(), demo.info.account(demo.prod())
    session = open_shell(demo, shell, dev)
    session.prompt()
    pid = session.value("$JUMPSHELL_TARGET")
    old = session.value("$AWS_CONTAINER_AUTHORIZATION_TOKEN")
    url = session.value("$AWS_CONTAINER_CREDENTIALS_FULL_URI")
    assert pid == f"{dev}/Developer"
    hop = f"{prod.name}:{prod.roles[0]}"
    session.child.sendline(f"jumpshell switch {prod.name} --yes")
    moved = session.prompt()
    assert f"\x1b]0;jumpshell: {hop}\x07" in moved
    assert f"\x1b[1;97;41m[PROD {hop}]\x1b[0m {MINE}" in moved
    assert session.value("$JUMPSHELL_TARGET") == f"{prod.name}/{prod.roles[0]}"
    assert session.value("$JUMPSHELL_CHAIN") == hop
    assert session.arn() == _role(demo, prod.name)
    new = session.value("$AWS_CONTAINER_AUTHORIZATION_TOKEN")
    assert new and new != old
    assert endpoint_status(url, old) == 403  # the old token is revoked, the new one serves
    assert endpoint_status(url, new) == 200
    assert session.value("$AWS_CREDENTIAL_EXPIRATION")
    assert session.exit(3) == 3


def test_nested_shell_shows_the_chain(demo: Demo, shell: str) -> None:
    demo.login()
    dev, prod = demo.dev(), demo.info.account(demo.prod())
    session = open_shell(demo, shell, prod.name, "--yes")
    session.prompt()
    session.child.sendline(f"jumpshell shell {dev}")
    inner = session.prompt()
    chain = f"{prod.name}:{prod.roles[0]} > {dev}:Developer"
    # the default theme labels each hop; production anywhere colours the whole prefix
    labelled = f"PROD {prod.name}:{prod.roles[0]} > STG {dev}:Developer"
    assert f"\x1b[1;97;41m[{labelled}]\x1b[0m {MINE}" in inner
    assert f"\x1b]0;jumpshell: {chain}\x07" in inner
    assert session.arn() == _role(demo, dev)
    whoami = session.run("jumpshell whoami", r"(this shell: [^\r]*)\r\n")
    assert whoami == f"this shell: {dev}/Developer (chain {chain})"
    session.child.sendline("exit 4")
    session.prompt()  # back in the outer shell, which is as it was
    assert session.value("$status" if shell.endswith("fish") else "$?") == "4"
    status = session.run("jumpshell status", r"(credentials refresh [^\r]*)\r\n")
    assert status.startswith("credentials refresh from the agent next at about ")
    assert session.value("$JUMPSHELL_TARGET") == f"{prod.name}/{prod.roles[0]}"
    assert session.exit() == 0
