"""The installed `jumpshell` command's warm path: neither `json` nor `re`, and a quiet end.

Each import is a few ms of a warm `credential-process` (the AWS SDKs run one per client) or
`env`, where the whole budget over Python's own start is ~3 ms.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from jumpshell.envformat import credential_process
from tests.conftest import BIN, Demo, js

AVOIDED = {"json", "re", "warnings"}  # warnings: os.execvpe's PATH lookup imports it
# An editable install's import hook loads `re` and `warnings` while `site` runs, so a later
# import would go unseen: this sitecustomize (run at the end of `site`) forgets them again,
# and any import of them after start-up shows in -X importtime's output.
FORGET = f"""import sys
for name in [n for n in sys.modules if n.split(".")[0] in {sorted(AVOIDED)}]:
    del sys.modules[name]
"""


def _imported_after_startup(demo: Demo | dict[str, str], tmp_path: Path, *args: str) -> set[str]:
    """Modules the command imports once Python's start-up (`site`) is done (in the demo's
    environment, or the one given)."""
    (tmp_path / "sitecustomize.py").write_text(FORGET)
    base = demo if isinstance(demo, dict) else demo.env
    env = {**base, "PYTHONPROFILEIMPORTTIME": "1", "PYTHONPATH": str(tmp_path)}
    done = js(*args, env=env)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    after_site = next(i for i, line in enumerate(lines) if line.endswith("| site"))
    return {line.rsplit("|", 1)[1].strip() for line in lines[after_site + 1 :]}


@pytest.mark.parametrize(
    "verb", [["credential-process"], ["env"], ["env", "--format", "fish"], ["run"]]
)
def test_warm_commands_import_neither_json_nor_re_nor_warnings(
    demo: Demo, tmp_path: Path, verb: list[str]
) -> None:
    demo.login()
    target = demo.dev()
    warmed = demo.js("run", target, "--", "true")
    assert warmed.returncode == 0, warmed.stderr
    args = [verb[0], target, *verb[1:]]
    if verb[0] == "run":
        args += ["--", "true"]
    imported = _imported_after_startup(demo, tmp_path, *args)
    assert "jumpshell.agentclient" in imported  # it did take the warm path
    assert not imported & {*AVOIDED, "argparse", "tomllib", "jumpshell.cli.commands"}


def test_warm_run_finds_and_refuses_commands_as_execvp_does(demo: Demo, tmp_path: Path) -> None:
    """The warm path's own PATH lookup: by name, by path, the target env's PATH; 127 and 126."""
    demo.login()
    target = demo.dev()
    assert demo.js("run", target, "--", "true").returncode == 0
    tool = tmp_path / "bin" / "js-probe"
    tool.parent.mkdir()
    tool.write_text('#!/bin/sh\necho "probe $AWS_ACCESS_KEY_ID $1"\n')
    tool.chmod(0o755)
    env = {**demo.env, "PATH": f"/nonexistent:{tool.parent}:{demo.env['PATH']}"}
    by_name = js("run", target, "--", "js-probe", "x", env=env)
    assert by_name.returncode == 0 and by_name.stdout.startswith("probe ASIA")
    by_path = js("run", target, "--", str(tool), "y", env=demo.env)
    assert by_path.returncode == 0 and by_path.stdout.rstrip().endswith(" y")
    missing = js("run", target, "--", "js-no-such-command", env=env)
    assert missing.returncode == 127 and missing.stderr.startswith("jumpshell: ")
    tool.chmod(0o644)
    refused = js("run", target, "--", str(tool), env=env)
    assert refused.returncode == 126 and refused.stderr.startswith("jumpshell: ")


@pytest.mark.parametrize("verb", ["credential-process", "env"])
def test_warm_output_to_a_closed_pipe_ends_quietly(demo: Demo, verb: str) -> None:
    """`jumpshell env X | head -0`: the reader had all it wanted; no traceback, exit 0."""
    demo.login()
    target = demo.dev()
    assert demo.js("run", target, "--", "true").returncode == 0
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [str(BIN / "jumpshell"), verb, target],
            env=demo.env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize(
    "value",
    ['a"b', "back\\slash", "tab\there\nnew", "é ü 日本 \U0001f511", "\x00\x1f\x7f", "\udcff", ""],
)
def test_credential_process_output_is_the_json_of_its_values(value: str) -> None:
    sets = {
        "AWS_ACCESS_KEY_ID": f"AKIA{value}",
        "AWS_SECRET_ACCESS_KEY": value,
        "AWS_SESSION_TOKEN": value * 3,
        "AWS_CREDENTIAL_EXPIRATION": "2026-11-30T12:00:00+00:00",
    }
    out = credential_process(sets)
    assert json.loads(out) == {
        "Version": 1,
        "AccessKeyId": sets["AWS_ACCESS_KEY_ID"],
        "SecretAccessKey": value,
        "SessionToken": value * 3,
        "Expiration": "2026-11-30T12:00:00+00:00",
    }
    assert out.isascii()  # as json.dumps writes it: the SDKs read it as ASCII or UTF-8
