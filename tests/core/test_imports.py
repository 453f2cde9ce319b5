"""The core and the CLI parser stay headless and light: a subprocess checks sys.modules."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("textual", "boto3", "botocore", "keyring", "moto", "rich")


def _modules(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint(' '.join(sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return {name.split(".")[0] for name in done.stdout.split()}


def _loaded(code: str) -> set[str]:
    """Top-level modules `code` loads beyond what Python's own start-up loads."""
    return _modules(code) - _modules("pass")


def test_core_and_parser_import_nothing_heavy() -> None:
    loaded = _loaded(
        "import jumpshell.engine, jumpshell.provider, jumpshell.config, jumpshell.configcheck, "
        "jumpshell.targets, "
        "jumpshell.environment, jumpshell.agent, jumpshell.cli.parser, jumpshell.cli.fast"
    )
    assert not loaded & set(HEAVY)


def test_warm_entry_point_imports_only_the_basics() -> None:
    loaded = _loaded("import jumpshell.cli.fast, jumpshell.agentclient, jumpshell.envformat")
    assert not loaded & {*HEAVY, "tomllib", "argparse", "platformdirs", "pathlib", "difflib"}
