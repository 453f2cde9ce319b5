"""The core and the CLI parser stay headless and light: a subprocess checks sys.modules.

The core is every module found by walking the package, so a module is covered the day it
is added; only the front ends, the local AWS and boto3's one owner are left out.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import jumpshell

HEAVY = ("textual", "rich", "boto3", "botocore", "keyring", "keyrings", "moto", "pexpect")
# Front ends and houses of their own; `jumpshell.__main__` runs the CLI when imported.
OUTSIDE = ("jumpshell.cli", "jumpshell.tui", "jumpshell.localaws", "jumpshell.aws")
LIGHT_FRONT_ENDS = ("jumpshell.cli.parser", "jumpshell.cli.fast")  # paid at every command
ENTRY_POINT = "jumpshell.__main__"
OWNS = {"jumpshell.shells": {"pexpect"}}  # issue 11: only shells/ imports pexpect

# Import each module in turn and name the heavy top-level modules it was the first to load.
_PROBE = """
import importlib, json, sys
heavy = set(sys.argv[2:])
loaded = {}
for name in json.loads(sys.argv[1]):
    before = {m.split(".")[0] for m in sys.modules}
    importlib.import_module(name)
    after = {m.split(".")[0] for m in sys.modules}
    loaded[name] = sorted((after - before) & heavy)
print(json.dumps(loaded))
"""


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def core_modules() -> list[str]:
    """Every module of the package a front end reaches only through the Engine."""
    names = [m.name for m in pkgutil.walk_packages(jumpshell.__path__, "jumpshell.")]
    core = [
        n
        for n in ["jumpshell", *names]
        if n != ENTRY_POINT and not any(_inside(n, p) for p in OUTSIDE)
    ]
    return sorted(core + list(LIGHT_FRONT_ENDS))


def _first_loaders(modules: list[str]) -> dict[str, list[str]]:
    """module -> the heavy modules importing it loaded (in a fresh interpreter)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(modules), *HEAVY],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result


def test_the_walk_finds_the_core() -> None:
    core = core_modules()
    # a few that the hand list of old missed, and those that must stay out
    assert {"jumpshell.engine", "jumpshell.app", "jumpshell.keystore", "jumpshell.agentapi"} <= set(
        core
    )
    assert not {"jumpshell.aws", "jumpshell.cli.commands", "jumpshell.localaws.server"} & set(core)


def test_core_and_parser_import_nothing_heavy() -> None:
    # modules allowed a heavy dependency go last, so they cannot hide another's import of it
    modules = sorted(core_modules(), key=lambda n: any(_inside(n, p) for p in OWNS))
    offenders = {
        name: bad
        for name, loaded in _first_loaders(modules).items()
        if (
            bad := set(loaded)
            - next((allowed for p, allowed in OWNS.items() if _inside(name, p)), set())
        )
    }
    assert offenders == {}


def _modules(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint(' '.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return {name.split(".")[0] for name in done.stdout.split()}


def _loaded(code: str) -> set[str]:
    """Top-level modules `code` loads beyond what Python's own start-up loads."""
    return _modules(code) - _modules("pass")


def test_warm_entry_point_imports_only_the_basics() -> None:
    loaded = _loaded("import jumpshell.cli.fast, jumpshell.agentclient, jumpshell.envformat")
    assert not loaded & {*HEAVY, "tomllib", "argparse", "platformdirs", "pathlib", "difflib"}


def test_warm_shell_modules_load_no_theme_parser() -> None:
    """The warm `shell` writes the rc with shells/: no tomllib (themes), dataclasses, tempfile."""
    shells = ", ".join(f"jumpshell.shells.{n}" for n in ("bash", "zsh", "fish", "other", "rcdir"))
    loaded = _loaded(f"import jumpshell.cli.fastshell, jumpshell.segment, {shells}")
    avoided = {"tomllib", "argparse", "dataclasses", "typing", "tempfile", "shutil", "json", "re"}
    assert not loaded & {*HEAVY, *avoided}
