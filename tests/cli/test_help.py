"""Help that reads like git's: every verb's description, example and flag help; `help VERB`;
exit codes and environment variables in the top-level help; a missing `--` says to add it."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from jumpshell.cli.helptext import subparsers
from jumpshell.cli.parser import build
from tests.conftest import Demo, js

ROOT = Path(__file__).resolve().parents[2] / "jumpshell"


def _verbs(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every verb and action path under `parser`: ("run",), ("key", "add"), ..."""
    found = []
    for name, sub in subparsers(parser).items():
        found.append((*words, name))
        found += _verbs(sub, (*words, name))
    return found


VERBS = _verbs(build())


def _parser(words: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = build()
    for word in words:
        parser = subparsers(parser)[word]
    return parser


@pytest.mark.parametrize("words", VERBS, ids=" ".join)
def test_every_verb_has_a_description_an_example_and_flag_help(words: tuple[str, ...]) -> None:
    shown = js(*words, "--help")
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    description = text.split("\n\n")[1]  # after the usage paragraph
    assert not description.startswith(("positional arguments", "options")), text
    assert len(description.split()) >= 5, description
    example = re.search(r"^examples?:\n((?:  .*\n?)+)", text, re.M)  # the epilog, last
    assert example and "jumpshell " in example.group(1) and text.endswith(example.group(0)), text
    for action in _parser(words)._actions:
        if action.help == argparse.SUPPRESS or isinstance(action, argparse._SubParsersAction):
            continue
        assert action.help, f"jumpshell {' '.join(words)}: {action.option_strings or action.dest}"
    assert js("help", *words).stdout == text  # `help VERB` prints the same


def test_top_level_help_lists_exit_codes_and_every_variable_read() -> None:
    text = js("help").stdout
    assert text == js("--help").stdout
    codes = text.split("exit codes:")[1].split("\n\n")[0]
    for code in ("0", "2", "3", "4", "5", "130"):
        assert re.search(rf"^  {code} ", codes, re.M), codes
    read: set[str] = set()
    pattern = re.compile(
        r'(?:environ(?:\.get)?[\[(]|getenv\(|seconds\(|_VAR = |_FD = |TOKEN = )\s*"([A-Z_]{3,})"'
    )
    for path in ROOT.rglob("*.py"):
        if "localaws" not in path.parts:  # the server side reads its requests' WSGI environ
            read |= set(pattern.findall(path.read_text()))
    assert {"JUMPSHELL_CONFIG", "JUMPSHELL_STS_TIMEOUT", "NO_COLOR"} <= read
    environment = text.split("\nenvironment:")[1]
    unlisted = {name for name in read if name not in environment} - {"PATH"}  # every tool's
    assert not unlisted


def test_help_of_an_unknown_verb_is_one_line() -> None:
    done = js("help", "nope")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no verb 'nope'" in done.stderr
    done = js("help", "run", "x")  # a verb without actions says so, not "known: none"
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "jumpshell run has no actions: 'x' is not one" in done.stderr


def test_help_of_a_verbs_argument_is_the_verbs_help() -> None:
    """`demo code` is an argument of demo's (as `import aws-config`): its help is demo's."""
    for words in (["demo", "code"], ["import", "aws-config"]):
        done = js("help", *words)
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout == js(words[0], "--help").stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "PROD", "aws", "s3", "ls"],
        ["PROD", "aws", "s3", "ls"],
        ["run", "PROD", "--region", "eu-west-1", "aws", "s3", "ls"],
    ],
)
def test_a_command_without_dashes_says_to_add_them(demo: Demo, argv: list[str]) -> None:
    demo.login()
    name = demo.dev()
    argv = [name if word == "PROD" else word for word in argv]
    warm = demo.js("run", name, "--", "true")  # the agent holds the role: the warm path is live
    assert warm.returncode == 0, warm.stderr
    done = demo.js(*argv)
    assert done.returncode == 2
    region = " --region eu-west-1" if "--region" in argv else ""
    assert done.stderr == (
        "jumpshell: a command after the target needs -- before it "
        f"(write: jumpshell run {name}{region} -- aws s3 ls)\n"
    )
