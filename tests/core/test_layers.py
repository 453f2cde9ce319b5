"""The layers' contracts bite: lint-imports fails on a copy of the package that breaks one.

grimp finds the package by importing it, so the copy goes first on PYTHONPATH (ahead of
the editable install) and is what gets analysed; --no-cache keeps the real tree's cache out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import BIN

ROOT = Path(__file__).resolve().parents[2]


def _contracts() -> dict[str, str]:
    """contract id -> its name, as lint-imports prints it."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        linter = tomllib.load(handle)["tool"]["importlinter"]
    return {c["id"]: c["name"] for c in linter["contracts"]}


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(
        ROOT / "jumpshell", tmp_path / "jumpshell", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def _add_import(tree: Path, module: str, line: str) -> None:
    """Put `line` among the imports at the top of `module` (after the __future__ one)."""
    path = tree / "jumpshell" / module
    text = path.read_text()
    future = "from __future__ import annotations\n"
    assert future in text, f"{module} changed shape: place the import elsewhere"
    path.write_text(text.replace(future, f"{future}\n{line}\n", 1))


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(BIN / "lint-imports"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _broken(output: str) -> set[str]:
    """The ids of the contracts lint-imports reports BROKEN."""
    return {key for key, name in _contracts().items() if f"{name} BROKEN" in output}


def test_the_unmodified_copy_keeps_every_contract(tmp_path: Path) -> None:
    done = _lint(_copy(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract", "reported"),
    [
        ("targets.py", "import boto3", "boto", "jumpshell.targets -> boto3"),
        ("config.py", "import keyring", "keyring", "jumpshell.config -> keyring"),
        (
            "engine.py",
            "from jumpshell.cli import tty",
            "frontends",
            "jumpshell.engine -> jumpshell.cli.tty",
        ),
        (
            "provider.py",
            "import jumpshell.localaws",
            "frontends",
            "jumpshell.provider -> jumpshell.localaws",
        ),
        (
            "localaws/world.py",
            "from jumpshell import errors",
            "localaws",
            "jumpshell.localaws.world -> jumpshell.errors",
        ),
        # config already imports errors: a two-module circle
        ("errors.py", "from jumpshell import config", "circles", ".errors -> .config"),
    ],
)
def test_a_violation_breaks_its_contract(
    tmp_path: Path, module: str, line: str, contract: str, reported: str
) -> None:
    tree = _copy(tmp_path)
    _add_import(tree, module, line)
    done = _lint(tree)
    assert done.returncode != 0
    assert contract in _broken(done.stdout), done.stdout
    assert reported in done.stdout  # the import itself is named, for the one who broke it
