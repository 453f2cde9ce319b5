"""`jumpshell tmux`: panes per target on a private tmux server, warm and without secrets."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pexpect
import pytest

from jumpshell import audit
from tests.conftest import BIN, Demo, js, require

PROMPT = "mine> "
LATENCY_MS = 1500  # longer than twelve AssumeRoles take to be sent one by one
ARN = "python -c \"import boto3; print('ARN=' + boto3.client('sts').get_caller_identity()['Arn'])\""


class Tmux:
    """A private tmux server (-L js-<unique>) for one test."""

    def __init__(self, binary: str) -> None:
        self.binary = binary
        self.name = f"js-{uuid.uuid4().hex[:12]}"

    def __call__(self, *args: str) -> str:
        done = subprocess.run(
            [self.binary, "-L", self.name, *args],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
        return done.stdout

    def panes(self, fmt: str) -> list[str]:
        return self("list-panes", "-a", "-F", fmt).splitlines()

    def wait_for(self, pane: str, pattern: str, timeout: float = 30) -> re.Match[str]:
        """Poll the pane's screen until `pattern` shows (bounded: the pane is another process
        tmux draws; there is no event to wait on but its contents)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self("capture-pane", "-p", "-J", "-S", "-200", "-t", pane)
            found = re.search(pattern, screen)
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never showed in pane {pane}:\n{screen}")

    def until(self, check: Callable[[], bool], timeout: float = 30) -> None:
        """Poll tmux's own state until `check` holds (bounded)."""
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, "tmux never reached the state waited for"
            time.sleep(0.05)

    def kill(self) -> None:
        subprocess.run(
            [self.binary, "-L", self.name, "kill-server"], capture_output=True, check=False
        )


@pytest.fixture
def tmux(demo: Demo) -> Iterator[Tmux]:
    server = Tmux(require("tmux"))
    bash = require("bash")
    (demo.home / ".bashrc").write_text(f"PS1='{PROMPT}'\n")
    demo.env.update(SHELL=bash, TERM="xterm", HOME=str(demo.home))
    demo.env.pop("TMUX", None)
    yield server
    server.kill()


def border(tmux: Tmux, pane: str) -> str:
    """The border style tmux draws `pane` with (the window's option, expanded for the pane)."""
    return tmux("display-message", "-p", "-t", pane, "#{E:pane-border-style}").strip()


def targets(demo: Demo, count: int) -> list[str]:
    """`count` targets: production and not, each account's first role."""
    prod = [a.name for a in demo.info.accounts if a.production and a.name != "payments-prod"]
    other = [a.name for a in demo.info.accounts if not a.production and "locked" not in a.name]
    return (prod[:1] + other)[:count]


def open_panes(demo: Demo, tmux: Tmux, *args: str) -> subprocess.CompletedProcess[str]:
    done = demo.js(
        "tmux", *args, "--socket", tmux.name, "--detach", "--yes", "--mfa-code", demo.code()
    )
    assert done.returncode == 0, done.stderr
    return done


def test_one_pane_titled_and_bordered(demo: Demo, tmux: Tmux) -> None:
    [name] = targets(demo, 1)
    open_panes(demo, tmux, name, "--window", "one")
    rows = tmux.panes("#{window_name}|#{@jumpshell_title}|#{pane-border-style}")
    assert len(rows) == 1
    window, title, _ = rows[0].split("|")
    assert window == "one"
    assert re.fullmatch(rf"{name}:\w+", title)
    assert border(tmux, tmux.panes("#{pane_id}")[0]) == "fg=red"  # production, default theme
    assert tmux("show-options", "-w", "-v", "-t", "@0", "pane-border-status").strip() == "top"


def test_four_panes_each_its_own_role(demo: Demo, tmux: Tmux) -> None:
    names = targets(demo, 4)
    assert not demo.calls("GetSessionToken")
    open_panes(demo, tmux, *names, "--layout", "even-vertical")
    ids = tmux.panes("#{pane_id}")
    titles = [t.split(":")[0] for t in tmux.panes("#{@jumpshell_title}")]
    assert len(ids) == 4 and titles == names
    styles = [border(tmux, pane) for pane in ids]
    assert styles[0] == "fg=red" and all(s and s != "fg=red" for s in styles[1:])
    layout = tmux("display-message", "-p", "-t", ids[0], "#{window_layout}")
    heights = re.findall(r"(\d+)x(\d+),0,\d+", layout)
    assert len({w for w, _ in heights}) == 1  # even-vertical: panes stacked, full width
    arns = {}
    for pane in ids:
        tmux.wait_for(pane, re.escape(PROMPT))
        tmux("send-keys", "-t", pane, ARN, "Enter")
    for pane, name in zip(ids, names, strict=True):
        arns[name] = tmux.wait_for(pane, r"ARN=(arn:\S+)")[1]
    account_ids = {a.name: a.id for a in demo.info.accounts}
    for name, arn in arns.items():
        assert f":{account_ids[name]}:assumed-role/" in arn
    assert len(demo.calls("GetSessionToken")) == 1
    assert len(demo.calls("AssumeRole")) == 4  # the panes started warm: none assumed again
    _no_secret(demo, tmux, names[1])


def test_twelve_panes_one_mfa_roles_side_by_side(demo: Demo, tmux: Tmux, tmp_path: Path) -> None:
    """12 targets: tiled panes titled and bordered by class; one MFA code asked for (the
    mfa_command's own count), one GetSessionToken, twelve AssumeRoles in flight at once."""
    names = targets(demo, 12)
    assert len(names) == 12
    asked = tmp_path / "asked"
    script = tmp_path / "code.py"
    script.write_text(f"open({str(asked)!r}, 'a').write('asked\\n')\nprint({demo.code()!r})\n")
    demo.set_jump(f'mfa_command = "{sys.executable} {script}"')
    demo.aws.set_latency(LATENCY_MS, "AssumeRole")
    done = demo.js("tmux", *names, "--socket", tmux.name, "--detach", "--yes")
    assert done.returncode == 0, done.stderr
    assert asked.read_text() == "asked\n"
    rows = [
        r.split("|") for r in tmux.panes("#{pane_id}|#{@jumpshell_title}|#{pane_left}|#{pane_top}")
    ]
    assert [title.split(":")[0] for _, title, _, _ in rows] == names
    roles = {a.name: a.roles[0] for a in demo.info.accounts}
    assert [title for _, title, _, _ in rows] == [f"{n}:{roles[n]}" for n in names]
    styles = [border(tmux, pane) for pane, _, _, _ in rows]
    assert styles[0] == "fg=red" and all(s and s != "fg=red" for s in styles[1:])
    # tiled: 12 panes in 3 columns of 4 rows
    assert len({left for _, _, left, _ in rows}) == 3 and len({top for _, _, _, top in rows}) == 4
    (session,) = [e for e in audit.read() if e["action"] == "GetSessionToken"]
    assert session["outcome"] == "ok"
    assert len(demo.calls("GetSessionToken")) == 1
    calls = [c for c in demo.calls("AssumeRole") if c["outcome"] == "ok"]
    assert len(calls) == len(demo.calls("AssumeRole")) == 12
    # the call record's own clock: every AssumeRole had begun before the first one ended
    assert max(float(c["start"]) for c in calls) < min(float(c["end"]) for c in calls)
    for pane, _, _, _ in rows:
        tmux.wait_for(pane, re.escape(PROMPT), timeout=60)
    _no_secret(demo, tmux, names[5])
    assert len(demo.calls("AssumeRole")) == 12  # the panes started warm


def _no_secret(demo: Demo, tmux: Tmux, name: str) -> None:
    """Not in tmux's global environment, the panes' start commands or the server's argv."""
    env = demo.js("env", name)
    assert env.returncode == 0, env.stderr
    secrets = re.findall(r"(?:SECRET_ACCESS_KEY|SESSION_TOKEN)='?([^'\n]+)", env.stdout)
    assert secrets
    names = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN")
    pid = tmux("display-message", "-p", "#{pid}").strip()
    seen = [
        tmux("show-environment", "-g"),
        "\n".join(tmux.panes("#{pane_start_command}")),
        Path(f"/proc/{pid}/cmdline").read_bytes().decode(),
    ]
    for text in seen:
        assert not any(s in text for s in (*secrets, *names)), text
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):  # every process: the values only
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        assert not any(s in text for s in secrets), text


def test_refused_role_keeps_its_error_in_its_pane(demo: Demo, tmux: Tmux) -> None:
    good = targets(demo, 1)[0]
    done = open_panes(demo, tmux, good, "sandbox-locked/Untrusted")
    assert "sandbox-locked/Untrusted" in done.stderr
    bad = tmux.panes("#{pane_id}")[1]
    said = tmux.wait_for(bad, r"jumpshell: AWS refused AssumeRole on (\S+)")
    assert said[1].endswith(":role/Untrusted:")
    # dead with its status: tmux with libutempter could miss its SIGCHLD (Server.settle)
    assert tmux.panes("#{pane_dead}#{pane_dead_status}") == ["0", "13"]
    assert "jumpshell: AWS refused" in tmux("capture-pane", "-p", "-J", "-S", "-", "-t", bad)
    tmux.wait_for(tmux.panes("#{pane_id}")[0], re.escape(PROMPT))


def test_selectors_glob_and_tag(demo: Demo, tmux: Tmux) -> None:
    prods = sorted(a.name for a in demo.info.accounts if a.name.endswith("-prod"))
    open_panes(demo, tmux, "*-prod", "--window", "prods")
    assert sorted(t.split(":")[0] for t in tmux.panes("#{@jumpshell_title}")) == prods
    tmux.kill()
    payments = sorted(
        a.name for a in demo.info.accounts if a.tags.get("team") == "payments" and not a.production
    )
    open_panes(demo, tmux, "--tag", "team=payments", "--no-production")
    assert sorted(t.split(":")[0] for t in tmux.panes("#{@jumpshell_title}")) == payments
    assert tmux.panes("#{window_name}") == ["team=payments+non-production"] * len(payments)
    nothing = demo.js("tmux", "*-prod", "--no-production", "--socket", tmux.name, "--detach")
    assert nothing.returncode == 2
    assert nothing.stderr == (
        "jumpshell: '*-prod' --no-production matches no target (see `jumpshell list`)\n"
    )


@pytest.mark.parametrize(
    ("script", "said"),
    [
        ("", "tmux is not installed"),
        ("echo 'tmux 3.1c'", "tmux 3.1 is too old"),
        ("echo 'usage: tmux [-V]' >&2; exit 1", "tmux of unknown version is too old"),
    ],
)
def test_tmux_missing_or_too_old_is_one_line(
    demo: Demo, tmp_path: Path, script: str, said: str
) -> None:
    """No tmux on PATH, one older than 3.2, or one that does not answer -V: one line naming
    the version needed, no MFA."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if script:  # a stand-in tmux that only says its version (or fails to)
        fake = bin_dir / "tmux"
        fake.write_text(f"#!/bin/sh\n{script}\n")
        fake.chmod(0o755)
    env = dict(demo.env, PATH=str(bin_dir))
    done = js("tmux", demo.dev(), "--detach", env=env)
    assert done.returncode == 2
    assert done.stderr == f"jumpshell: {said} (install tmux 3.2 or newer)\n"
    assert not demo.calls("GetSessionToken")


def test_sync_sets_synchronize_panes_and_asks_for_production(demo: Demo, tmux: Tmux) -> None:
    names = targets(demo, 3)
    refused = demo.js("tmux", *names, "--sync", "--socket", tmux.name, "--detach")
    assert refused.returncode == 2
    assert refused.stderr == (
        f"jumpshell: synchronized production panes need confirming: {names[0]} "
        "(run it in a terminal, or pass --yes)\n"
    )
    assert not demo.calls("GetSessionToken")  # asked before any MFA
    open_panes(demo, tmux, *names[1:], "--sync")  # no production: no question
    assert tmux("show-options", "-w", "-v", "-t", "@0", "synchronize-panes").strip() == "on"
    first, second = tmux.panes("#{pane_id}")
    tmux.wait_for(first, re.escape(PROMPT))
    tmux.wait_for(second, re.escape(PROMPT))
    tmux("send-keys", "-t", first, "echo SYNC=$JUMPSHELL_ACCOUNT", "Enter")  # typed once
    tmux.wait_for(second, f"SYNC={re.escape(names[2])}")
    tmux.kill()
    open_panes(demo, tmux, *names[1:])
    assert tmux("show-options", "-w", "-v", "-t", "@0", "synchronize-panes").strip() in ("", "off")


def test_region_and_duration_reach_every_pane(demo: Demo, tmux: Tmux) -> None:
    names = targets(demo, 3)[1:]
    open_panes(demo, tmux, *names, "--region", "ap-south-1", "--duration", "30m")
    starts = tmux.panes("#{pane_start_command}")
    assert all("--region ap-south-1 --duration 30m" in s for s in starts), starts
    for pane in tmux.panes("#{pane_id}"):
        tmux.wait_for(pane, re.escape(PROMPT))
        tmux("send-keys", "-t", pane, "echo REGION=$AWS_REGION", "Enter")
        tmux.wait_for(pane, "REGION=ap-south-1")
    bad = demo.js("tmux", *names, "--region", "nowhere!", "--socket", tmux.name, "--detach")
    assert (bad.returncode, bad.stderr.split(" (")[0]) == (
        2,
        "jumpshell: --region 'nowhere!' is not an AWS region name",
    )


def test_inside_tmux_a_new_window_in_that_session(demo: Demo, tmux: Tmux) -> None:
    """With $TMUX set and no --socket: a new window in the tmux we are in, selected."""
    tmux("new-session", "-d", "-s", "mine", "-x", "120", "-y", "40", "cat")
    socket, pid = tmux("display-message", "-p", "#{socket_path}|#{pid}").strip().split("|")
    names = targets(demo, 3)[1:]
    env = dict(demo.env, TMUX=f"{socket},{pid},0")
    done = js("tmux", *names, "--window", "two", "--yes", "--mfa-code", demo.code(), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "jumpshell: 2 panes in tmux window mine:two\n"
    windows = tmux("list-windows", "-t", "mine", "-F", "#{window_name}|#{window_active}")
    assert windows.split() == ["cat|0", "two|1"]
    titles = tmux("list-panes", "-t", "mine:two", "-F", "#{@jumpshell_title}").split()
    assert [t.split(":")[0] for t in titles] == names
    done = js("tmux", names[0], "--window", "three", "--detach", env=env)  # stay in "two"
    assert done.returncode == 0, done.stderr
    windows = tmux("list-windows", "-t", "mine", "-F", "#{window_name}|#{window_active}")
    assert windows.split() == ["cat|0", "two|1", "three|0"]


def test_inside_a_tmux_started_before_the_config_was_set(demo: Demo, tmux: Tmux) -> None:
    """A tmux server started without our JUMPSHELL_CONFIG, state dirs or endpoint (the
    user's tmux before `jumpshell demo`, or a config named by JUMPSHELL_CONFIG): the panes'
    jumpshell still finds them (-e), and still no secret reaches tmux."""
    bare = {k: v for k, v in demo.env.items() if k in ("HOME", "TERM", "SHELL", "LANG")}
    subprocess.run(
        [tmux.binary, "-L", tmux.name, "new-session", "-d", "-s", "mine", "cat"],
        env={**bare, "PATH": "/usr/bin:/bin"},
        check=True,
        timeout=20,
    )
    socket, pid = tmux("display-message", "-p", "#{socket_path}|#{pid}").strip().split("|")
    names = targets(demo, 3)[1:]
    env = dict(demo.env, TMUX=f"{socket},{pid},0")
    done = js("tmux", *names, "--window", "two", "--mfa-code", demo.code(), env=env)
    assert done.returncode == 0, done.stderr
    panes = tmux("list-panes", "-t", "mine:two", "-F", "#{pane_id}").split()
    account_ids = {a.name: a.id for a in demo.info.accounts}
    for pane, name in zip(panes, names, strict=True):
        tmux.wait_for(pane, re.escape(PROMPT))
        tmux("send-keys", "-t", pane, ARN, "Enter")
        arn = tmux.wait_for(pane, r"ARN=(arn:\S+)")[1]
        assert f":{account_ids[name]}:assumed-role/" in arn
    _no_secret(demo, tmux, names[0])


def _tmux_in_a_terminal(demo: Demo, tmux: Tmux, *args: str, answer: str | None) -> str:
    """`jumpshell tmux ARGS` in a pty; `answer` typed if it asks; what it printed."""
    child = pexpect.spawn(
        str(BIN / "jumpshell"),
        ["tmux", *args, "--socket", tmux.name, "--detach"],
        env=demo.env,
        encoding="utf-8",
        timeout=60,
        dimensions=(24, 200),
    )
    screen = io.StringIO()
    child.logfile_read = screen
    if answer is not None:
        child.expect("Type yes to open them: ")
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, screen.getvalue()
    return screen.getvalue()


def test_production_confirmation_is_remembered_like_runs(demo: Demo, tmux: Tmux) -> None:
    """A production pane confirmed once is not asked again while its role keys last, by
    tmux or by `run`/`credential-process`; --sync asks all the same (typing into several
    accounts at once is its own question)."""
    prod = "payments-prod"  # confirm = true (the demo's production rule)
    demo.login()
    asked = _tmux_in_a_terminal(demo, tmux, prod, answer="yes")
    assert "PRODUCTION panes: payments-prod" in asked
    assert demo.js("credential-process", prod).returncode == 0  # remembered by the agent
    tmux.kill()
    again = demo.js("tmux", prod, "--socket", tmux.name, "--detach")  # no terminal, no --yes
    assert again.returncode == 0, again.stderr
    synced = demo.js("tmux", prod, "--sync", "--socket", tmux.name, "--detach")
    assert synced.returncode == 2
    assert "synchronized production panes need confirming" in synced.stderr
