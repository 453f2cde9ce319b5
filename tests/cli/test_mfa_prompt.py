"""MFA with no terminal: mfa_prompt's dialog (a fake `zenity` first on PATH, a real
executable that prints the device's TOTP code), and the error that says what to set."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from tests.conftest import Demo

# The dialog as the test's user would answer it: each run logs its argv, then answers with
# the next of `answers` ("code": the device's code now, "wrong": a refused one, "cancel").
FAKE = """#!{python}
import json, sys
import pyotp
log, answers = {log!r}, {answers!r}
with open(log, "a") as handle:
    handle.write(json.dumps(sys.argv[1:]) + "\\n")
with open(log) as handle:
    answer = answers[min(len(handle.readlines()), len(answers)) - 1]
if answer == "cancel":
    sys.exit(1)
code = pyotp.TOTP({seed!r}).now()
print(code if answer == "code" else str((int(code) + 500000) % 1000000).zfill(6))
"""


def _dialog(demo: Demo, tmp_path: Path, answers: list[str], name: str = "zenity") -> Path:
    """A fake dialog called `name` first on demo.env's PATH; returns its argv log."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir(exist_ok=True)
    log = tmp_path / f"{name}.log"
    fake = bin_dir / name
    fake.write_text(
        FAKE.format(
            python=sys.executable, log=str(log), answers=answers, seed=demo.info.jump.mfa_seed
        )
    )
    fake.chmod(0o755)
    demo.env["PATH"] = f"{bin_dir}:{demo.env['PATH']}"
    return log


def _argvs(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()]


def test_zenity_gives_the_code_when_there_is_no_terminal(demo: Demo, tmp_path: Path) -> None:
    demo.set_jump('mfa_prompt = "zenity"')
    log = _dialog(demo, tmp_path, ["code"])
    done = demo.js("run", demo.dev(), "--", "true")  # no TTY: setsid detaches it
    assert done.returncode == 0, done.stderr
    assert [c["outcome"] for c in demo.calls("GetSessionToken")] == ["ok"]
    (argv,) = _argvs(log)
    assert argv[:2] == ["--entry", "--title"] and demo.info.jump.mfa_serial in argv[-1]
    secrets = (
        demo.info.jump.secret_access_key,
        demo.info.jump.access_key_id,
        demo.info.jump.mfa_seed,
    )
    assert not any(secret in word for secret in secrets for word in argv)


def test_a_refused_code_asks_again_in_the_dialog(demo: Demo, tmp_path: Path) -> None:
    demo.set_jump('mfa_prompt = "zenity"')
    log = _dialog(demo, tmp_path, ["wrong", "code"])
    done = demo.js("login")
    assert done.returncode == 0, done.stderr
    first, second = _argvs(log)
    assert "AWS refused the MFA code" not in first[-1]
    assert "AWS refused the MFA code" in second[-1]  # the dialog says why it asks again


def test_a_cancelled_dialog_is_exit_130(demo: Demo, tmp_path: Path) -> None:
    demo.set_jump('mfa_prompt = "zenity"')
    _dialog(demo, tmp_path, ["cancel"])
    done = demo.js("login")
    assert done.returncode == 130
    assert done.stderr == "jumpshell: the zenity MFA dialog was cancelled\n"
    assert demo.calls("GetSessionToken") == []


def test_no_terminal_and_no_prompt_says_which_to_set(demo: Demo) -> None:
    done = demo.js("credential-process", demo.dev())
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1
    assert 'set mfa_prompt = "zenity"' in done.stderr and "mfa_command" in done.stderr


def test_a_missing_dialog_program_says_so(demo: Demo, tmp_path: Path) -> None:
    demo.set_jump('mfa_prompt = "kdialog"')
    _dialog(demo, tmp_path, ["code"], name="zenity")  # zenity there, kdialog not
    if shutil.which("kdialog", path=demo.env["PATH"]):
        demo.env["PATH"] = str(tmp_path / "fakebin") + ":" + str(Path(sys.executable).parent)
    done = demo.js("login")
    assert done.returncode == 2
    assert 'mfa_prompt = "kdialog" but kdialog is not installed here' in done.stderr


def test_mfa_prompt_is_checked_with_its_line(demo: Demo) -> None:
    demo.set_jump('mfa_prompt = "dialog"')
    done = demo.js("list")
    assert done.returncode == 2
    line = demo.config.read_text().splitlines().index('mfa_prompt = "dialog"') + 1
    assert f"{demo.config}:{line}: mfa_prompt 'dialog' is not an MFA prompt" in done.stderr
