"""The warm `jumpshell shell`: one answer from the agent, and the very shell the full path opens."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.conftest import Demo, endpoint_status, js
from tests.shells.conftest import Session, open_shell

# Never on the warm path (each is ms of it); `typing`, `re` and the rest are loaded by an
# editable install's import hook while `site` runs, so this sitecustomize (run at the end of
# `site`) forgets them, and an import of them later shows in -X importtime's output.
AVOIDED = ("argparse", "tomllib", "boto3", "json", "re", "typing", "dataclasses", "tempfile")
FORGET = f"""import sys
for name in [n for n in sys.modules if n.split(".")[0] in {sorted(AVOIDED)}]:
    del sys.modules[name]
"""
IMPORT_LINE = re.compile(r"import time:[^\r\n]*\r?\n")
PROD_HOP = "payments-prod:Admin"


def _hold(demo: Demo, *targets: str) -> None:
    """The agent holds these roles (a `run` assumed them): `shell` can be warm."""
    for target in targets:
        done = demo.js("run", target, "--yes", "--", "true")
        assert done.returncode == 0, done.stderr


def _open(
    demo: Demo, shell: str, args: list[str], extra: dict[str, str], dump: Path
) -> tuple[Session, str, list[str], dict[str, str]]:
    """The shell, its first prompt's bytes less the import lines, the modules imported
    after `site`, and its environment."""
    session = open_shell(demo, shell, *args, **extra)
    first = session.prompt()
    lines = IMPORT_LINE.findall(first)
    after_site = next(i for i, line in enumerate(lines) if line.rstrip().endswith("| site"))
    imported = [line.rsplit("|", 1)[1].strip() for line in lines[after_site + 1 :]]
    session.child.sendline(f"env -0 > {dump}")
    session.prompt()
    env = dict(item.split("=", 1) for item in dump.read_text().split("\0") if item)
    return session, IMPORT_LINE.sub("", first), imported, env


CASES = {
    "refreshing": ([], {}),
    "static": (["--static"], {}),
    "production": (["--yes"], {}),  # payments-prod asks to confirm: --yes, as the full path
    "nested": ([], {"JUMPSHELL_CHAIN": PROD_HOP}),  # inside a production shell
}


@pytest.mark.parametrize("case", CASES)
def test_warm_shell_is_the_full_paths_shell(
    demo: Demo, shell: str, tmp_path: Path, case: str
) -> None:
    """Same prompt bytes, environment (but the token's value) and chain; no argparse,
    tomllib or boto3 on the way."""
    demo.login()
    target = "payments-prod" if case == "production" else demo.dev()
    _hold(demo, target)
    options, nested = CASES[case]
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(FORGET)
    extra = {"PYTHONPROFILEIMPORTTIME": "1", "PYTHONPATH": str(tmp_path / "site"), **nested}
    # both open at once: the endpoint (its port) lives while a token does
    full_shell, full_prompt, full_imports, full = _open(
        demo, shell, [target, *options, "--debug"], extra, tmp_path / "full"
    )
    warm_shell, warm_prompt, warm_imports, warm = _open(
        demo, shell, [target, *options], extra, tmp_path / "warm"
    )
    assert warm_shell.exit(3) == 3 and full_shell.exit() == 0
    assert "jumpshell.cli.commands" in full_imports  # --debug: the full path
    assert "jumpshell.cli.fastshell" in warm_imports
    assert not {*warm_imports} & {*AVOIDED, "jumpshell.cli.commands", "jumpshell.themes"}
    assert warm_prompt == full_prompt  # the title, the theme's prefix, the user's own prompt
    token = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
    assert (token in warm) == (token in full) == (case != "static")
    assert warm.get(token) != full.get(token) or case == "static"  # one per shell
    unlike = {token, "_"}  # `_`: the last command each shell ran
    assert {k: v for k, v in warm.items() if k not in unlike} == {
        k: v for k, v in full.items() if k not in unlike
    }
    hop = warm["JUMPSHELL_TARGET"].replace("/", ":")  # account/role
    assert hop.startswith(f"{target}:")
    assert warm["JUMPSHELL_CHAIN"] == (f"{PROD_HOP} > {hop}" if nested else hop)
    assert warm["AWS_CREDENTIAL_EXPIRATION"]


def test_warm_token_dies_with_the_shell(demo: Demo, shell: str) -> None:
    demo.login()
    _hold(demo, demo.dev())
    session = open_shell(demo, shell, demo.dev(), PYTHONPROFILEIMPORTTIME="1")
    first = session.prompt()
    assert "jumpshell.cli.fastshell" in first and "jumpshell.cli.commands" not in first
    token = session.value("$AWS_CONTAINER_AUTHORIZATION_TOKEN")
    url = session.value("$AWS_CONTAINER_CREDENTIALS_FULL_URI")
    assert endpoint_status(url, token) == 200
    rc_dirs = Path(os.environ["XDG_RUNTIME_DIR"], "jumpshell", "shells")
    assert list(rc_dirs.iterdir()) == []  # the rc removed itself once read
    assert session.exit(4) == 4
    deadline = time.monotonic() + 10  # the agent's pidfd watch revokes it: an event, not a timer
    while endpoint_status(url, token) not in (
        403,
        "refused",
    ):  # refused, or no endpoint once no token lives
        assert time.monotonic() < deadline, "the token outlived its shell"
        time.sleep(0.05)


@pytest.mark.parametrize("verb", [[], ["run"]])
def test_bare_target_and_run_without_a_command_are_warm_too(demo: Demo, verb: list[str]) -> None:
    """`jumpshell TARGET` and `jumpshell run TARGET` open the shell: warm as `shell` is."""
    demo.login()
    _hold(demo, demo.dev())
    env = {**demo.env, "SHELL": "/bin/sh", "PYTHONPROFILEIMPORTTIME": "1"}
    done = js(*verb, demo.dev(), env=env, input="echo $JUMPSHELL_CHAIN\nexit 6\n")
    assert done.returncode == 6, done.stderr
    assert f"{demo.dev()}:Developer" in done.stdout
    assert "jumpshell.cli.fastshell" in done.stderr
    assert "jumpshell.cli.commands" not in done.stderr


def test_a_12h_role_duration_is_warm_too(demo: Demo) -> None:
    """A config's duration over AWS's chaining cap is capped without a word, warm as cold."""
    text = demo.config.read_text().replace('role_duration = "1h"', 'role_duration = "12h"')
    demo.config.write_text(text)
    demo.login()
    _hold(demo, demo.dev())
    env = {**demo.env, "SHELL": "/bin/sh", "PYTHONPROFILEIMPORTTIME": "1"}
    done = js(demo.dev(), env=env, input="exit 6\n")
    assert done.returncode == 6, done.stderr
    assert "jumpshell.cli.fastshell" in done.stderr
    assert "jumpshell.cli.commands" not in done.stderr and "capped" not in done.stderr


def test_warm_shell_runs_the_hooks_as_the_full_path(demo: Demo, tmp_path: Path) -> None:
    """Once per entry, the full path's environment (no credential, JUMPSHELL_ENTRY=shell)."""
    from tests.cli.test_hooks import _entries, _recorder

    record, log = _recorder(tmp_path, "all")
    demo.append_config(f'\n[hooks]\non_enter = "{record}"\n')
    demo.login()
    _hold(demo, demo.dev())
    log.unlink()  # the `run` that warmed it ran the hook too
    env = {**demo.env, "SHELL": "/bin/sh", "PYTHONPROFILEIMPORTTIME": "1"}
    for args in ([demo.dev(), "--debug"], [demo.dev()]):
        done = js("shell", *args, env=env, input="exit 0\n")
        assert done.returncode == 0, done.stderr
    assert "jumpshell.cli.fastshell" in done.stderr  # the second: warm
    (_, full), (_, warm) = _entries(log)
    assert warm == full and warm["JUMPSHELL_ENTRY"] == "shell"
    assert not any(k.startswith(("AWS_ACCESS", "AWS_SECRET", "AWS_CONTAINER")) for k in warm)
