"""`jumpshell env` read back by real shells: sh, bash, zsh (`--format sh`) and fish."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import Demo, require

# Account names are free text but '/' and control characters: what a shell must not read.
ODD_NAME = "it's \"odd\" $HOME `id` $(id) \\ \\' ; & | * ~ !x ünï"
# Left behind in the caller's shell; `env` must remove them.
STALE = {"AWS_PROFILE": "stale", "AWS_SESSION_TOKEN": "stale", "JUMPSHELL_TARGET": "stale"}

# Each shell reads the text as the README says (sh: eval; fish: `| source`) and, only if
# that succeeded (a script goes on with `&&`/`and`), prints its environment NUL-separated,
# which no value can break.
SH = 'eval "$1" && exec env -0'
SHELLS = {
    "sh": (["-c", SH, "sh"], "sh"),
    "bash": (["--norc", "--noprofile", "-c", SH, "bash"], "sh"),
    "zsh": (["-f", "-c", SH, "zsh"], "sh"),
    "fish": (["--no-config", "-c", "printf %s $argv[1] | source; and exec env -0"], "fish"),
}


def _read_back(demo: Demo, shell: str, text: str) -> dict[str, str]:
    args, _ = SHELLS[shell]
    done = subprocess.run(
        [require(shell), *args, text],
        env={**demo.env, **STALE},
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    pairs = (item.split(b"=", 1) for item in done.stdout.split(b"\0") if item)
    return {k.decode(): v.decode() for k, v in pairs}


def _odd_account(demo: Demo) -> str:
    """Rename a second developer account to ODD_NAME (ids are unique, so not a copy)."""
    other = [
        a.name
        for a in demo.info.accounts
        if not a.production and "Developer" in a.roles and a.name != demo.dev()
    ][0]
    text = demo.config.read_text()
    assert text.count(f'name = "{other}"') == 1
    demo.config.write_text(text.replace(f'name = "{other}"', f"name = {json.dumps(ODD_NAME)}"))
    return f"{ODD_NAME}/Developer"


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_env_read_back_by_a_real_shell(demo: Demo, shell: str) -> None:
    demo.login()
    targets = [f"{demo.dev()}/Developer", _odd_account(demo)]
    for target in targets:
        wanted = json.loads(demo.js("env", target, "--format", "json").stdout)
        text = demo.js("env", target, "--format", SHELLS[shell][1])
        assert text.returncode == 0, text.stderr
        got = _read_back(demo, shell, text.stdout)
        assert {k: got.get(k) for k in wanted} == wanted
        assert "AWS_PROFILE" not in got and "AWS_SECRET_ACCESS_KEY" in wanted
    odd = json.loads(demo.js("env", targets[1], "--format", "json").stdout)
    assert odd["JUMPSHELL_ACCOUNT"] == ODD_NAME
