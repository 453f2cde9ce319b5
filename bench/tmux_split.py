"""`jumpshell tmux` with 1, 4 and 12 targets: wall time until every pane shows its prompt;
and `run --each` over 12 targets until the last run ends.

Run by hand (not by pytest):  .venv/bin/python bench/tmux_split.py [--rounds 5] [--latency-ms 100]

It starts the local AWS with the demo world in this process, adds the latency to every request
it answers, logs in once (the MFA session stays warm), then per round drops the agent's role
credentials (so each launch assumes its roles) and times, interleaved: `jumpshell tmux` on a
private tmux server of its own (-L) until every pane's screen shows the shell prompt, and
`jumpshell run --each ... -- true` until it exits. It prints medians and the AssumeRole span
(from the local AWS's own call record).
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
import uuid
from pathlib import Path

from jumpshell import agentclient
from jumpshell.cli.demo import prepare
from jumpshell.localaws import LocalAWS, demo_world

BIN = Path(sys.executable).parent
PROMPT = "bench-ready> "
SIZES = (1, 4, 12)


def setup(home: Path) -> tuple[LocalAWS, list[str], dict[str, str]]:
    aws = LocalAWS()
    aws.start()
    info = aws.seed(demo_world())
    env = prepare(str(home), aws.url, info)
    bash = shutil.which("bash")
    if bash is None or shutil.which("tmux") is None:
        raise SystemExit("needs bash and tmux")
    (home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    env.update(HOME=str(home), PATH=f"{BIN}:{env['PATH']}", SHELL=bash, TERM="xterm")
    env.pop("TMUX", None)
    login = [str(BIN / "jumpshell"), "login", "--mfa-code", aws.totp(info.jump.mfa_serial)]
    subprocess.run(login, env=env, check=True, capture_output=True)
    targets = [
        f"{a.name}/Developer" for a in info.accounts if not a.production and "Developer" in a.roles
    ]
    return aws, targets, env


def split(env: dict[str, str], targets: list[str]) -> float:
    """Seconds from starting `jumpshell tmux` to every pane showing the prompt."""
    tmux = ["tmux", "-L", f"jsb-{uuid.uuid4().hex[:10]}"]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [str(BIN / "jumpshell"), "tmux", *targets, "--socket", tmux[2], "--detach"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise SystemExit(f"jumpshell tmux failed: {done.stderr[-400:]}")
        panes = subprocess.run(
            [*tmux, "list-panes", "-a", "-F", "#{pane_id}"], capture_output=True, text=True
        ).stdout.split()
        capture: list[str] = []
        for pane in panes:  # one tmux call reads every screen
            capture += ["capture-pane", "-p", "-t", pane, ";"]
        deadline = start + 60
        last = ""
        while time.perf_counter() < deadline:
            screens = subprocess.run([*tmux, *capture[:-1]], capture_output=True, text=True)
            last = screens.stdout
            if last.count(PROMPT.rstrip()) >= len(panes):  # tmux trims the space
                return time.perf_counter() - start
            time.sleep(0.01)
        raise SystemExit(f"the panes never all showed {PROMPT!r}:\n{last[-2000:]}")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def fan(env: dict[str, str], targets: list[str]) -> float:
    """Seconds for `run --each TARGETS -- true` (every run must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "jumpshell"), "run", "--each", *targets, "--parallel", "12", "--", "true"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise SystemExit(f"run --each failed: {done.stderr[-400:]}")
    return time.perf_counter() - start


def span(aws: LocalAWS, seen: int) -> float:
    """From the first AssumeRole's start to the last one's end, since call `seen`."""
    calls = [c for c in aws.calls()[seen:] if c.get("action") == "AssumeRole"]
    if not calls:
        return 0.0
    return max(float(str(c["end"])) for c in calls) - min(float(str(c["start"])) for c in calls)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--latency-ms", type=int, default=100, help="added to every request")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="js-bench-"))
    aws, targets, env = setup(home)
    sock = os.path.join(env["JUMPSHELL_RUNTIME_DIR"], "agent.sock")
    aws.set_latency(args.latency_ms)
    aws.set_fault_scope(all_services=True)
    scenarios = {f"tmux, {n} pane{'s' if n > 1 else ''}": (split, targets[:n]) for n in SIZES}
    scenarios["run --each, 12 targets"] = (fan, targets[:12])
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in scenarios}
    try:
        for _ in range(args.rounds):
            for name, (how, chosen) in scenarios.items():  # interleaved: the same machine
                agentclient.call({"op": "roles_clear"}, path=sock)
                seen = len(aws.calls())
                results[name].append((how(env, chosen), span(aws, seen)))
    finally:
        try:
            agentclient.call({"op": "lock"}, path=sock)
        except agentclient.AgentUnavailable:  # gone already: nothing held to forget
            pass
        aws.stop()
        shutil.rmtree(home, ignore_errors=True)
    print(
        f"{args.rounds} rounds, medians, {os.cpu_count()} cores, {args.latency_ms} ms added to "
        "every request, MFA session warm, role credentials dropped before each launch\n"
    )
    print("| launch | wall s | x 1 pane | AssumeRole span s |")
    print("|---|---:|---:|---:|")
    one = statistics.median(w for w, _ in results["tmux, 1 pane"])
    for name, rows in results.items():
        wall = statistics.median(w for w, _ in rows)
        assumed = statistics.median(s for _, s in rows)
        print(f"| {name} | {wall:.2f} | {wall / one:.2f}x | {assumed:.2f} |")


if __name__ == "__main__":
    main()
