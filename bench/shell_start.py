"""Time to the first prompt: `jumpshell shell TARGET` (warm) next to the bare shell, per shell.

Run by hand (not by pytest):  .venv/bin/python bench/shell_start.py [--runs 15]
from a NON-editable venv (see bench/run_overhead.py: an editable install's import hook costs
every start some ms, and the warm `shell` is ~20 ms over the bare shell).
It starts the local AWS with the demo world in this process, logs in once (so the agent
holds the session and the role: the warm case), then for bash, zsh and fish times, in a
pty, from spawn to the user's prompt ("mine> ", set by a one-line rc in a temp HOME):
the bare shell (`bash -i`, `zsh -i`, `fish -i`) and `jumpshell shell payments-dev`,
interleaved, and prints the medians and the difference. The first `shell` takes the full
path (it assumes the role); the timed ones are warm (cli/fastshell.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

from jumpshell.cli.demo import prepare
from jumpshell.localaws import LocalAWS, demo_world

BIN = Path(sys.executable).parent
TARGET = "payments-dev"
MINE = "mine> "
RC = {
    "bash": (".bashrc", f"PS1='{MINE}'\n"),
    "zsh": (".zshrc", f"PS1='{MINE}'\n"),
    "fish": (
        ".config/fish/config.fish",
        f"set -g fish_greeting\nfunction fish_prompt; printf '{MINE}'; end\n",
    ),
}


def _first_prompt(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=30)
    child.expect_exact(MINE)
    took = time.perf_counter() - start
    child.sendline("exit")
    child.expect(pexpect.EOF)
    child.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    home = Path(tempfile.mkdtemp(prefix="jsbench-"))
    aws = LocalAWS()
    aws.start()
    try:
        info = aws.seed(demo_world())
        env = prepare(str(home), aws.url, info)
        env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), TERM="xterm")
        env.pop("JUMPSHELL_DEMO_URL", None)  # time a plain shell, not the demo's
        login = [str(BIN / "jumpshell"), "login", "--mfa-code", aws.totp(info.jump.mfa_serial)]
        subprocess.run(login, env=env, check=True, capture_output=True)
        for path, text in RC.values():
            (home / path).parent.mkdir(parents=True, exist_ok=True)
            (home / path).write_text(text)
        print(f"| shell | bare first prompt | `jumpshell shell {TARGET}` | difference |")
        print("|---|---|---|---|")
        for name in RC:
            shell = shutil.which(name)
            if shell is None:
                print(f"| {name} | not installed | | |")
                continue
            shell_env = dict(env, SHELL=shell)
            _first_prompt([str(BIN / "jumpshell"), "shell", TARGET], shell_env)  # warm it
            bare, ours = [], []
            for _ in range(runs):
                bare.append(_first_prompt([shell, "-i"], shell_env))
                ours.append(_first_prompt([str(BIN / "jumpshell"), "shell", TARGET], shell_env))
            b, o = statistics.median(bare) * 1000, statistics.median(ours) * 1000
            print(f"| {name} | {b:.0f} ms | {o:.0f} ms | +{o - b:.0f} ms |")
    finally:
        aws.stop()
        subprocess.run([str(BIN / "jumpshell"), "lock"], env=env, capture_output=True, check=False)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
