"""How jumpshell's paths grow with the config: 10, 1,000 and 10,000 accounts of 3 roles each.

Run by hand (not by pytest):  .venv/bin/python bench/config_scale.py [--runs 7] [--sizes 10,1000]

For each size it starts the local AWS with the `scale:N` world in this process (the accounts the
config names, each with ReadOnly, Developer and Admin roles trusting the jump account), writes the
matching config in a temp HOME, logs in, then times, interleaved and as medians:
- `configfile.load` against `tomllib.loads` of the same text (in this process);
- `jumpshell list` as a subprocess;
- a cold `run` of the last non-production account (MFA session held, role not: the agent's
  roles are cleared first, so it does an AssumeRole) and a warm `run` (role held).
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
import tomllib
from collections.abc import Callable
from pathlib import Path

from jumpshell import agentclient, configfile
from jumpshell.cli.demo import prepare
from jumpshell.localaws import LocalAWS, scale_world

BIN = Path(sys.executable).parent
COLUMNS = ("tomllib ms", "load ms", "list ms", "cold run ms", "warm run ms")


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _command(argv: list[str], env: dict[str, str]) -> Callable[[], object]:
    def run() -> None:
        done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise SystemExit(f"{argv[1:3]} failed: {done.stderr.decode()[-400:]}")

    return run


def measure(aws: LocalAWS, size: int, runs: int) -> tuple[dict[str, float], int]:
    """Medians of each column at `size` accounts, and the config's size in bytes."""
    home = Path(tempfile.mkdtemp(prefix="js-scale-"))
    aws.reset()  # moto's backends are per process: one world at a time
    try:
        info = aws.seed(scale_world(size))
        env = prepare(str(home), aws.url, info)
        env["HOME"] = str(home)
        code = aws.totp(info.jump.mfa_serial)
        _command([str(BIN / "jumpshell"), "login", "--mfa-code", code], env)()
        path = env["JUMPSHELL_CONFIG"]
        text = Path(path).read_text()
        sock = os.path.join(env["JUMPSHELL_RUNTIME_DIR"], "agent.sock")
        target = [a.name for a in info.accounts if not a.production][-1]  # no confirm prompt
        run = [str(BIN / "jumpshell"), "run", target, "--", "true"]
        medians = _load_vs_tomllib(path, text, runs * 3)
        steps: dict[str, Callable[[], object]] = {
            "list ms": _command([str(BIN / "jumpshell"), "list"], env),
            "cold run ms": _command(run, env),
            "warm run ms": _command(run, env),
        }
        times: dict[str, list[float]] = {name: [] for name in steps}
        for _ in range(runs):
            for name, step in steps.items():
                if name == "cold run ms":
                    agentclient.call({"op": "roles_clear"}, path=sock)
                times[name].append(_timed(step))
        agentclient.call({"op": "lock"}, path=sock)
        assumed = [call for call in aws.calls() if call["action"] == "AssumeRole"]
        if len(assumed) < runs:  # a cold run that did not assume measures the wrong thing
            raise SystemExit(f"{runs} cold runs made only {len(assumed)} AssumeRole calls")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    medians.update({name: statistics.median(values) for name, values in times.items()})
    return medians, len(text)


def _load_vs_tomllib(path: str, text: str, pairs: int) -> dict[str, float]:
    """Medians of each, and of their ratio pair by pair: the two runs of a pair see the same
    load from whatever else shares the machine, where medians taken apart need not."""
    steps = {"load": lambda: configfile.load(path), "tomllib": lambda: tomllib.loads(text)}
    times: dict[str, list[float]] = {"load": [], "tomllib": []}
    for pair in range(pairs):
        for name in sorted(steps, reverse=pair % 2 == 1):  # neither always goes first
            times[name].append(_timed(steps[name]))
    load, parse = times["load"], times["tomllib"]
    ratios = [a / b for a, b in zip(load, parse, strict=True)]
    return {
        "tomllib ms": statistics.median(parse),
        "load ms": statistics.median(load),
        "load / tomllib": statistics.median(ratios),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="10,1000,10000", help="account counts, comma-separated")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    results = {}
    with LocalAWS() as aws:
        for size in sizes:
            results[size] = measure(aws, size, args.runs)
            print(f"{size} accounts measured", file=sys.stderr, flush=True)
    print(
        f"{args.runs} interleaved runs each ({args.runs * 3} for load and tomllib), medians, "
        f"{os.cpu_count()} cores\n"
    )
    print("| accounts | config KB | " + " | ".join(COLUMNS) + " | load / tomllib |")
    print("|---:|---:|" + "---:|" * (len(COLUMNS) + 1))
    for size, (medians, length) in results.items():
        cells = " | ".join(f"{medians[name]:.1f}" for name in COLUMNS)
        ratio = medians["load / tomllib"]
        print(f"| {size:,} | {length / 1024:,.0f} | {cells} | {ratio:.2f}x |")
    if 1000 in results and 10000 in results:
        big, small = results[10000][0], results[1000][0]
        growth = ", ".join(
            f"{name.removesuffix(' ms')} {big[name] / small[name]:.1f}x"
            for name in ("tomllib ms", "load ms", "list ms")
        )
        print(f"\n10,000 accounts against 1,000 (linear: 10x): {growth}")


if __name__ == "__main__":
    main()
