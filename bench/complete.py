"""The completions' dynamic verb against Python's start: what one Tab costs at 100 and 10,000
accounts (3 roles each).

Run by hand (not by pytest):  .venv/bin/python bench/complete.py [--runs 40] [--sizes 100,10000]

For each size it writes a config in a temp HOME, makes the names cache with one completion
(the only parse), then runs, interleaved, `python3 -c pass` (the floor), `jumpshell __complete
targets PREFIX` (a prefix that a few accounts match, as a Tab after some letters) and `jumpshell
__complete targets ''` (every word: the first Tab after the verb). It prints the medians and
their ratios to the floor as README rows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
JUMP = """[jump]
account_id = "111111111111"
user_name = "alice"
mfa_serial = "arn:aws:iam::111111111111:mfa/alice"
region = "us-east-1"
"""


def config(size: int) -> str:
    """`size` accounts of 3 roles, every other one production, with two tags each."""
    parts = [JUMP]
    for index in range(size):
        env = "prod" if index % 2 == 0 else "dev"
        parts.append(
            f'[[account]]\nname = "acct{index:05d}-{env}"\nid = "{500000000000 + index}"\n'
            f'roles = ["Admin", "ReadOnly", "Billing"]\nproduction = {str(env == "prod").lower()}\n'
            f'tags = {{ team = "team{index % 40}", environment = "{env}" }}\n'
        )
    return "\n".join(parts)


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=False)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{argv} failed")
    return elapsed


def measure(size: int, runs: int) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix="js-complete-"))
    try:
        path = home / "config.toml"
        path.write_text(config(size))
        env = {
            "HOME": str(home),
            "PATH": os.environ["PATH"],
            "JUMPSHELL_CONFIG": str(path),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_RUNTIME_DIR": str(home / "run"),
        }
        jumpshell = str(BIN / "jumpshell")
        prefix = f"acct{size // 2:05d}"[:-1]  # ten accounts: 40 words
        commands = {
            "python3 -c pass": [sys.executable, "-c", "pass"],  # the interpreter jumpshell runs on
            "prefix": [jumpshell, "__complete", "targets", prefix],
            "all": [jumpshell, "__complete", "targets", ""],
        }
        timed(commands["prefix"], env)  # the one parse: the names cache is made
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                samples[name].append(timed(argv, env))
        return {name: statistics.median(values) for name, values in samples.items()}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--sizes", default="100,10000")
    args = parser.parse_args()
    print("| accounts | python3 -c pass ms | Tab after a prefix ms | x floor | every word ms |")
    print("|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        found = measure(size, args.runs)
        floor = found["python3 -c pass"]
        print(
            f"| {size:,} | {floor:.1f} | {found['prefix']:.1f} | "
            f"{found['prefix'] / floor:.2f}x | {found['all']:.1f} ({found['all'] / floor:.2f}x) |",
            flush=True,
        )


if __name__ == "__main__":
    main()
