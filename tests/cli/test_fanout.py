"""`run --each`: one command per target, N at a time, lines prefixed, a summary, Ctrl-C."""

from __future__ import annotations

import os
import pty
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pexpect

from jumpshell.themes import load
from tests.conftest import BIN, Demo, wait_for_exit

PY = sys.executable
LINE = re.compile(r"^(\S+?)\s* \| (.*)$")
# Each child asks the local AWS who it is, and says when it began and ended (its own clock).
WHO = """
import os, sys, time
print(f"START={time.time()}", flush=True)
import boto3
print("ARN=" + boto3.client("sts").get_caller_identity()["Arn"], flush=True)
print("to stderr", file=sys.stderr, flush=True)
print(f"END={time.time()}", flush=True)
sys.exit(5 if os.environ["JUMPSHELL_ACCOUNT"] == os.environ["FAIL_ACCOUNT"] else 0)
"""
# Quick accounts end at once; the others wait until they are stopped.
HOLD = """
import os, sys, threading
print(f"PID={os.getpid()}", flush=True)
if os.environ["JUMPSHELL_ACCOUNT"] in os.environ["QUICK"].split(","):
    sys.exit(0)
print("READY", flush=True)
threading.Event().wait()
"""


def six(demo: Demo) -> list[str]:
    """One production account and five others (their first roles)."""
    prod = [a.name for a in demo.info.accounts if a.production and a.name != "payments-prod"]
    other = [a.name for a in demo.info.accounts if not a.production and "locked" not in a.name]
    return prod[:1] + other[:5]


def label(demo: Demo, name: str) -> str:
    return f"{name}:{demo.info.account(name).roles[0]}"


def by_label(text: str) -> dict[str, list[str]]:
    """Output lines grouped by their prefix; every line must have one."""
    grouped: dict[str, list[str]] = {}
    for line in text.splitlines():
        found = LINE.match(line)
        assert found, f"a line without its target: {line!r}"
        grouped.setdefault(found[1], []).append(found[2])
    return grouped


def test_six_targets_three_at_a_time(demo: Demo, tmp_path: Path) -> None:
    names = six(demo)
    script = tmp_path / "who.py"
    script.write_text(WHO)
    demo.aws.set_latency(400, "GetCallerIdentity")  # each run lasts long enough to overlap
    env = dict(demo.env, FAIL_ACCOUNT=names[2])
    done = subprocess.run(
        [str(BIN / "jumpshell"), "run", "--each", *names, "--parallel", "3", "--yes"]
        + ["--mfa-code", demo.code(), "--", PY, str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,
    )
    assert done.returncode == 1, done.stderr
    assert "\x1b" not in done.stdout + done.stderr  # piped: plain
    out = by_label(done.stdout)
    assert sorted(out) == sorted(label(demo, n) for n in names)
    spans = []
    for name in names:
        lines = out[label(demo, name)]
        account = demo.info.account(name)
        arn = f"arn:aws:sts::{account.id}:assumed-role/{account.roles[0]}/"
        assert any(line.startswith(f"ARN={arn}") for line in lines), lines
        times = dict(line.split("=", 1) for line in lines if line.startswith(("START", "END")))
        spans.append((float(times["START"]), float(times["END"])))
    summary = {}
    for line in done.stderr.splitlines():
        if LINE.match(line):
            assert line.endswith("| to stderr"), line
            continue
        parts = line.split()
        if parts and parts[0] in {label(demo, n) for n in names}:
            summary[parts[0]] = int(parts[1])
    expected = {label(demo, n): 5 if n == names[2] else 0 for n in names}
    assert summary == expected, done.stderr
    assert done.stderr.endswith("jumpshell: 1 of 6 runs failed\n")
    # at most three at a time, and runs side by side (each child's own clock)
    most = max(sum(1 for s, e in spans if s <= start < e) for start, _ in spans)
    assert 2 <= most <= 3, spans
    assert len(demo.calls("GetSessionToken")) == 1
    assert len([c for c in demo.calls("AssumeRole") if c["outcome"] == "ok"]) == 6


def test_ctrl_c_stops_every_run_and_says_which_finished(demo: Demo, tmp_path: Path) -> None:
    names = six(demo)[1:] + six(demo)[:1]
    script = tmp_path / "hold.py"
    script.write_text(HOLD)
    env = dict(demo.env, QUICK=",".join(names[:2]))
    run = subprocess.Popen(
        [str(BIN / "jumpshell"), "run", "--each", *names, "--parallel", "3", "--yes"]
        + ["--mfa-code", demo.code(), "--", PY, str(script)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in run.stdout or ():
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    ready: set[str] = set()
    pids: list[int] = []
    try:
        while len(ready) < 3:
            found = LINE.match(lines.get(timeout=60))
            assert found
            if found[2] == "READY":
                ready.add(found[1])
            elif found[2].startswith("PID="):
                pids.append(int(found[2][4:]))
        _no_secret_in_argv(demo, names[2])
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C at the terminal sends
        _, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 130, err
    assert ready == {label(demo, n) for n in names[2:5]}
    first, second = (label(demo, n) for n in names[:2])
    stopped = ", ".join(label(demo, n) for n in names[2:5])
    assert err.splitlines()[-1] == (
        f"jumpshell: cancelled; finished: {first}, {second}; stopped: {stopped}; "
        f"not started: {label(demo, names[5])}"
    ), err
    assert len(pids) == 5
    assert all(wait_for_exit(pid, 10) for pid in pids)


def _no_secret_in_argv(demo: Demo, name: str) -> None:
    """While the runs wait: no process's command line holds the role's secret."""
    env = demo.js("env", name)
    assert env.returncode == 0, env.stderr
    secrets = re.findall(r"(?:SECRET_ACCESS_KEY|SESSION_TOKEN)='?([^'\n]+)", env.stdout)
    assert len(secrets) == 2
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:  # ended meanwhile
            continue
        assert not any(s in text for s in secrets), text


def test_colour_at_a_terminal_and_not_with_no_color(demo: Demo) -> None:
    names = six(demo)[:2]  # production (red in the default theme) and another
    seen = {}
    for no_color in ("", "1"):
        leader, follower = pty.openpty()
        env = dict(demo.env, NO_COLOR=no_color)
        done = subprocess.run(
            [str(BIN / "jumpshell"), "run", "--each", *names, "--yes"]
            + ["--mfa-code", demo.code(), "--", "echo", "hi"],
            env=env,
            stdout=follower,
            stderr=subprocess.PIPE,
            timeout=60,
            start_new_session=True,
        )
        os.close(follower)
        text = b""
        while chunk := _read(leader):
            text += chunk
        os.close(leader)
        assert done.returncode == 0, done.stderr
        seen[no_color] = text.decode()
    prod = label(demo, names[0])
    sgr = load("default").classes["production"].sgr
    assert re.search(rf"\x1b\[{sgr}m{re.escape(prod)}\s*\x1b\[0m \| hi", seen[""]), seen[""]
    assert "\x1b" not in seen["1"]
    assert re.search(rf"^{re.escape(prod)}\s+\| hi\r$", seen["1"], re.M), seen["1"]


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: the terminal's other side is closed and drained
        return b""


def test_production_needs_confirming_before_any_mfa(demo: Demo) -> None:
    done = demo.js("run", "--each", *six(demo)[:2], "--", "true")
    assert done.returncode == 2
    assert "is production and needs confirming" in done.stderr
    assert done.stderr.endswith("or pass --yes)\n")
    assert not demo.calls("GetSessionToken")


def test_no_command_is_one_line(demo: Demo) -> None:
    done = demo.js("run", "--each", "*-prod")
    assert (done.returncode, done.stderr) == (
        2,
        "jumpshell: run --each needs a command (add -- CMD [ARGS...])\n",
    )


def test_refresh_and_a_bad_parallel_are_refused(demo: Demo) -> None:
    refresh = demo.js("run", "--each", "*-dev", "--refresh", "--", "true")
    assert (refresh.returncode, refresh.stderr) == (
        2,
        "jumpshell: --refresh does not go with --each (leave it out)\n",
    )
    zero = demo.js("run", "--each", "*-dev", "--parallel", "0", "--", "true")
    assert (zero.returncode, zero.stderr) == (
        2,
        "jumpshell: --parallel 0 is not a count (give 1 or more)\n",
    )


def test_a_selection_matching_nothing_says_what_was_asked(demo: Demo) -> None:
    """One line naming the selection, exit 2, before any MFA code; nothing run."""
    for args, shown in (
        (["zzz-*"], "'zzz-*'"),
        (["--tag", "team=nobody"], "--tag team=nobody"),
        (["*-prod", "--no-production"], "'*-prod' --no-production"),
    ):
        done = demo.js("run", "--each", *args, "--", "echo", "RAN")
        assert (done.returncode, done.stdout, done.stderr) == (
            2,
            "",
            f"jumpshell: {shown} matches no target (see `jumpshell list`)\n",
        )
    assert not demo.calls("GetSessionToken")


def test_ctrl_c_at_a_terminal_starts_the_summary_on_a_line_of_its_own(
    demo: Demo, tmp_path: Path
) -> None:
    """The terminal echoes ^C where the cursor is: what follows starts on a line of its own."""
    script = tmp_path / "hold.py"
    script.write_text(HOLD)
    names = six(demo)[1:3]
    child = pexpect.spawn(
        str(BIN / "jumpshell"),
        ["run", "--each", *names, "--mfa-code", demo.code(), "--", PY, str(script)],
        env=dict(demo.env, QUICK=""),
        encoding="utf-8",
        timeout=60,
        dimensions=(24, 200),
    )
    for _ in names:
        child.expect("READY")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    text = str(child.before)
    assert child.exitstatus == 130, text
    assert "^C\r\n" in text, text  # the echo ends its line: the runs' last lines follow
    assert re.search(r"\ntarget\s+exit\s+time", text), text


def test_several_production_targets_are_confirmed_once_for_all(demo: Demo) -> None:
    """Two production accounts that ask to confirm: one question naming both (type yes), not
    one name typed per account; the runs then go, and the agent remembers both."""
    prods = [a.name for a in demo.info.accounts if a.production and a.name != "payments-prod"]
    assert len(prods) >= 2
    names = prods[:2]
    argv = ["run", "--each", *names, "--mfa-code", demo.code(), "--", "true"]
    child = pexpect.spawn(str(BIN / "jumpshell"), argv, env=demo.env, encoding="utf-8", timeout=60)
    child.expect("Type yes to run them: ")
    assert all(name in str(child.before) for name in names), child.before
    child.sendline("yes")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "Type its name" not in str(child.before)
    again = demo.js("run", "--each", *names, "--", "true")  # no terminal: remembered
    assert again.returncode == 0, again.stderr
