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

# An editable install's import hook loads `re` while `site` runs, so a later `import re` would
# go unseen: this sitecustomize (run at the end of `site`) forgets `re` and `json` again, and
# any import of them after start-up shows in -X importtime's output.
FORGET = """import sys
for name in [n for n in sys.modules if n.split(".")[0] in ("re", "json")]:
    del sys.modules[name]
"""


def _imported_after_startup(demo: Demo, tmp_path: Path, *args: str) -> set[str]:
    """Modules the command imports once Python's start-up (`site`) is done."""
    (tmp_path / "sitecustomize.py").write_text(FORGET)
    env = {**demo.env, "PYTHONPROFILEIMPORTTIME": "1", "PYTHONPATH": str(tmp_path)}
    done = js(*args, env=env)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    after_site = next(i for i, line in enumerate(lines) if line.endswith("| site"))
    return {line.rsplit("|", 1)[1].strip() for line in lines[after_site + 1 :]}


@pytest.mark.parametrize(
    "verb", [["credential-process"], ["env"], ["env", "--format", "fish"], ["run"]]
)
def test_warm_commands_import_neither_json_nor_re(
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
    assert not imported & {"json", "re", "argparse", "tomllib", "jumpshell.cli.commands"}


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
