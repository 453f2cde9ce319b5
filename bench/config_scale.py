"""How jumpshell's paths grow with the config: 10, 1,000 and 10,000 accounts of 3 roles each.

Run by hand (not by pytest):  .venv/bin/python bench/config_scale.py [--runs 7] [--sizes 10,1000]

For each size it starts the local AWS with the `scale:N` world in this process (the accounts the
config names, each with ReadOnly, Developer and Admin roles trusting the jump account), writes the
matching config in a temp HOME, logs in, then times, interleaved and as medians:
- `jumpshell list` as a subprocess;
- a cold `run` of the last non-production account (MFA session held, role not: the agent's
  roles are cleared first, so it does an AssumeRole) and a warm `run` (role held).
Then, in this process and interleaved across every size (so that the growth from one size to
the next is not a change in what else runs on the machine), `configfile.load` against
`tomllib.loads` of the same text.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from functools import partial
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


def measure(aws: LocalAWS, size: int, runs: int, keep: Path) -> dict[str, float]:
    """Medians of the subprocess columns at `size` accounts; the config is copied to `keep`."""
    home = Path(tempfile.mkdtemp(prefix="js-scale-"))
    aws.reset()  # moto's backends are per process: one world at a time
    try:
        info = aws.seed(scale_world(size))
        env = prepare(str(home), aws.url, info)
        env["HOME"] = str(home)
        code = aws.totp(info.jump.mfa_serial)
        _command([str(BIN / "jumpshell"), "login", "--mfa-code", code], env)()
        shutil.copyfile(env["JUMPSHELL_CONFIG"], keep)
        sock = os.path.join(env["JUMPSHELL_RUNTIME_DIR"], "agent.sock")
        target = [a.name for a in info.accounts if not a.production][-1]  # no confirm prompt
        run = [str(BIN / "jumpshell"), "run", target, "--", "true"]
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
    return {name: statistics.median(values) for name, values in times.items()}


def load_vs_tomllib(paths: dict[int, Path], rounds: int) -> dict[int, dict[str, float]]:
    """Per size: medians of each, and of their ratio pair by pair (the two runs of a pair see
    the same machine, where medians taken apart need not)."""
    texts = {size: path.read_text() for size, path in paths.items()}
    times: dict[int, dict[str, list[float]]] = {s: {"load": [], "tomllib": []} for s in paths}
    for turn in range(rounds):
        for size, path in paths.items():
            steps: dict[str, Callable[[], object]] = {
                "load": partial(configfile.load, str(path)),
                "tomllib": partial(tomllib.loads, texts[size]),
            }
            for name in sorted(steps, reverse=turn % 2 == 1):  # neither always goes first
                times[size][name].append(_timed(steps[name]))
    results = {}
    for size, each in times.items():
        ratios = [a / b for a, b in zip(each["load"], each["tomllib"], strict=True)]
        results[size] = {
            "tomllib ms": statistics.median(each["tomllib"]),
            "load ms": statistics.median(each["load"]),
            "load / tomllib": statistics.median(ratios),
            "config KB": len(texts[size]) / 1024,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="10,1000,10000", help="account counts, comma-separated")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    keep = Path(tempfile.mkdtemp(prefix="js-scale-configs-"))
    paths = {size: keep / f"{size}.toml" for size in sizes}
    results: dict[int, dict[str, float]] = {}
    try:
        with LocalAWS() as aws:
            for size in sizes:
                results[size] = measure(aws, size, args.runs, paths[size])
                print(f"{size} accounts measured", file=sys.stderr, flush=True)
            aws.reset()  # else every garbage collection below walks the last world's objects
        gc.collect()
        for size, found in load_vs_tomllib(paths, args.runs * 3).items():
            results[size].update(found)
    finally:
        shutil.rmtree(keep, ignore_errors=True)
    print(f"{args.runs} interleaved runs each ({args.runs * 3} for load and tomllib), medians, "
          f"{os.cpu_count()} cores\n")  # fmt: skip
    print("| accounts | config KB | " + " | ".join(COLUMNS) + " | load / tomllib |")
    print("|---:|---:|" + "---:|" * (len(COLUMNS) + 1))
    for size, medians in results.items():
        cells = " | ".join(f"{medians[name]:.1f}" for name in COLUMNS)
        ratio = medians["load / tomllib"]
        print(f"| {size:,} | {medians['config KB']:,.0f} | {cells} | {ratio:.2f}x |")
    if 1000 in results and 10000 in results:
        big, small = results[10000], results[1000]
        growth = ", ".join(
            f"{name.removesuffix(' ms')} {big[name] / small[name]:.1f}x"
            for name in ("tomllib ms", "load ms", "list ms")
        )
        print(f"\n10,000 accounts against 1,000 (linear: 10x): {growth}")


if __name__ == "__main__":
    main()
