"""Twelve cold `jumpshell run`s at once, with the MFA session held: how long the burst takes.

Run by hand (not by pytest):  .venv/bin/python bench/cold_burst.py [--rounds 5] [--latency-ms 0]

It starts the local AWS with the demo world in this process, logs in once in a temp HOME,
then per round drops the agent's role credentials and starts twelve `jumpshell run ... --
true` together: on one role, then on twelve roles. It prints the median wall time of a
burst, its AssumeRole calls and their STS time (from the local AWS's own call record).
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
from typing import Any

from jumpshell import agentclient
from jumpshell.cli.demo import prepare
from jumpshell.localaws import LocalAWS, WorldInfo, demo_world

BIN = Path(sys.executable).parent
RUNS = 12


def setup(home: Path) -> tuple[LocalAWS, WorldInfo, dict[str, str]]:
    aws = LocalAWS()
    aws.start()
    info = aws.seed(demo_world())
    env = prepare(str(home), aws.url, info)
    env["HOME"] = str(home)
    env["PATH"] = f"{BIN}:{env['PATH']}"
    login = [str(BIN / "jumpshell"), "login", "--mfa-code", aws.totp(info.jump.mfa_serial)]
    subprocess.run(login, env=env, check=True, capture_output=True)
    return aws, info, env


def burst(env: dict[str, str], targets: list[str]) -> float:
    """Seconds from starting every run to the last one's end (each must succeed)."""
    start = time.perf_counter()
    runs = [
        subprocess.Popen(
            [str(BIN / "jumpshell"), "run", target, "--", "true"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for target in targets
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        if run.returncode != 0:
            raise SystemExit(f"a run failed: {err.decode()[-400:]}")
    return time.perf_counter() - start


def sts_time(calls: list[dict[str, Any]]) -> tuple[int, float, float]:
    """AssumeRole calls, their summed time, and the span from the first start to the last end."""
    assumed = [c for c in calls if c.get("action") == "AssumeRole"]
    if not assumed:
        return 0, 0.0, 0.0
    total = sum(float(c["end"]) - float(c["start"]) for c in assumed)
    span = max(float(c["end"]) for c in assumed) - min(float(c["start"]) for c in assumed)
    return len(assumed), total, span


def measure(
    aws: LocalAWS, env: dict[str, str], scenarios: dict[str, list[str]], rounds: int
) -> dict[str, list[tuple[float, int, float, float]]]:
    sock = os.path.join(env["JUMPSHELL_RUNTIME_DIR"], "agent.sock")
    results: dict[str, list[tuple[float, int, float, float]]] = {name: [] for name in scenarios}
    for _ in range(rounds):
        for name, targets in scenarios.items():  # interleaved: both see the same machine
            agentclient.call({"op": "roles_clear"}, path=sock)
            seen = len(aws.calls())
            wall = burst(env, targets)
            results[name].append((wall, *sts_time(aws.calls()[seen:])))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=0, help="added to each AssumeRole")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="js-bench-"))
    aws, info, env = setup(home)
    developer = [a for a in info.accounts if not a.production and "Developer" in a.roles]
    roles = [f"{a.name}/Developer" for a in developer]
    scenarios = {"12 runs, one role": [roles[0]] * RUNS, "12 runs, 12 roles": roles[:RUNS]}
    aws.set_latency(args.latency_ms, "AssumeRole")
    try:
        results = measure(aws, env, scenarios, args.rounds)
    finally:
        agentclient.call(
            {"op": "lock"}, path=os.path.join(env["JUMPSHELL_RUNTIME_DIR"], "agent.sock")
        )
        aws.stop()
        shutil.rmtree(home, ignore_errors=True)
    print(
        f"{args.rounds} rounds, medians, {os.cpu_count()} cores, "
        f"{args.latency_ms} ms added to each AssumeRole\n"
    )
    print("| burst | wall s | AssumeRole calls | STS time, summed s | STS span s |")
    print("|---|---:|---:|---:|---:|")
    for name, rows in results.items():
        wall, calls, total, span = (statistics.median(col) for col in zip(*rows, strict=True))
        print(f"| {name} | {wall:.2f} | {calls:g} | {total:.2f} | {span:.2f} |")


if __name__ == "__main__":
    main()
