"""SSH-style: `jumpshell TARGET -- CMD` is `run`, warm and cold; verbs win over aliases."""

from __future__ import annotations

import argparse
import sys

import pytest

from jumpshell.cli.parser import build
from jumpshell.verbs import VERBS, expand
from tests.cli.test_hooks import TARGET, _warm
from tests.conftest import Demo

PY = sys.executable
WHO = (
    "import sys, boto3; print(boto3.client('sts').get_caller_identity()['Arn']); "
    "sys.exit(int(sys.argv[1]))"
)
BEING_BUILT = {"shell", "switch", "theme"}  # verbs other branches add; VERBS has them already


def test_verbs_are_the_parsers_verbs() -> None:
    subs = next(a for a in build()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(subs.choices) <= set(VERBS)
    assert set(VERBS) - set(subs.choices) <= BEING_BUILT


@pytest.mark.parametrize(
    ("argv", "expanded"),
    [
        (["prod", "--", "ls"], ["run", "prod", "--", "ls"]),
        (
            ["prod", "--region", "eu-west-1", "--", "ls"],
            ["run", "prod", "--region", "eu-west-1", "--", "ls"],
        ),
        (["--debug", "prod", "--", "ls"], ["--debug", "run", "prod", "--", "ls"]),
        (["prod"], ["shell", "prod"]),
        (["status"], ["status"]),
        (["run", "prod", "--", "ls"], ["run", "prod", "--", "ls"]),
        (["--version"], ["--version"]),
        ([], []),
    ],
)
def test_expand(argv: list[str], expanded: list[str]) -> None:
    assert expand(argv, "shell") == expanded


def test_target_then_command_is_run_cold_and_warm(demo: Demo) -> None:
    demo.login()
    cold, cold_full, _ = _warm(demo, TARGET, "--", PY, "-c", WHO, "5")
    warm, warm_full, _ = _warm(demo, TARGET, "--", PY, "-c", WHO, "6")
    run, _, _ = _warm(demo, "run", TARGET, "--", PY, "-c", WHO, "6")
    assert (cold_full, warm_full) == (True, False)
    assert (cold.returncode, warm.returncode, run.returncode) == (5, 6, 6)
    assert cold.stdout == warm.stdout == run.stdout
    assert f":assumed-role/{demo.info.account(TARGET).roles[0]}/" in run.stdout
    debug = demo.js("--debug", TARGET, "--", "sh", "-c", "exit 3")
    assert debug.returncode == 3, debug.stderr


def test_a_verb_wins_over_an_alias_and_the_alias_is_warned_about(demo: Demo) -> None:
    text = demo.config.read_text()
    demo.config.write_text(text.replace(f'name = "{TARGET}"', 'name = "status"', 1))
    line = text.splitlines().index(f'name = "{TARGET}"') + 1
    demo.login()
    status = demo.js("status")
    assert status.returncode == 0 and status.stdout.startswith("default: ")  # the verb
    assert status.stderr == (
        f"jumpshell: warning: {demo.config}:{line}: account name 'status' is also a jumpshell "
        "verb; `jumpshell status` runs the verb (write `jumpshell shell status`, or rename it)\n"
    )
    assert demo.js("run", "status", "--", "true").returncode == 0
    warm, full, _ = _warm(demo, "run", "status", "--", "true")
    assert (warm.returncode, full) == (0, False)  # the warning does not cost the warm path


def test_a_word_that_is_no_verb_is_a_target(demo: Demo) -> None:
    """`jumpshell nope -- true` is `run nope -- true`: an unknown target, one line, exit 2."""
    done = demo.js("nope", "--", "true")
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert done.stderr.startswith("jumpshell: unknown target 'nope' (")
