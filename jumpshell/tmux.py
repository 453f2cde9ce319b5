"""tmux: one window of titled, bordered panes on a given server; nothing secret passes through.

Every pane's command line holds only a target name (`jumpshell shell prod/Admin`): the pane's
jumpshell gets its credentials from the agent, never from tmux (no `split-window -e`), and
the environment tmux is started with has every credential variable removed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jumpshell.environment import CONFLICTING, JUMPSHELL_VARS
from jumpshell.errors import UsageError

# Pane user options (`set -p @x`) and border styles expanded as formats per pane: the
# window's pane-border-style reads each pane's @jumpshell_border (tmux 3.3 has no per-pane
# pane-border-style: `set -p` on it sets the window's).
MIN_VERSION = (3, 2)
BORDER_OPTION = "@jumpshell_border"
ACTIVE_OPTION = "@jumpshell_active_border"
LAYOUTS = ("tiled", "even-horizontal", "even-vertical", "main-vertical")
SOCKET_VAR = "JUMPSHELL_TMUX_SOCKET"  # a server of its own (name for -L, path for -S)
TITLE_OPTION = "@jumpshell_title"  # shells retitle panes (OSC 2); a user option stays put
# What holds the pane until its real command is in place: remain-on-exit must be set on the
# window before a pane whose jumpshell fails at once exits, or its error would vanish.
PLACEHOLDER = "cat"
# What the pane's jumpshell must see as ours does: where its config, state, agent, keyring
# and AWS endpoint are (jumpshell --help's list), and PATH. tmux starts a pane with its
# server's environment, which is not ours when the server was already running (inside
# tmux, or a server started before `jumpshell demo`): these go with `-e`. None is a secret.
PASSED = (
    "PATH",
    "SHELL",
    "NO_COLOR",
    "JUMPSHELL_CONFIG",
    "JUMPSHELL_STATE_DIR",
    "JUMPSHELL_RUNTIME_DIR",
    "JUMPSHELL_STS_TIMEOUT",
    "JUMPSHELL_LOCK_TIMEOUT",
    "JUMPSHELL_MFA_COMMAND_TIMEOUT",
    "JUMPSHELL_DEMO_URL",
    "JUMPSHELL_DEMO_SERIAL",
    "JUMPSHELL_DEMO_HINT",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_RUNTIME_DIR",
    "PYTHON_KEYRING_BACKEND",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_CA_BUNDLE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
)


@dataclass(frozen=True)
class Pane:
    """One pane to open: its command (a target name, no secret), title and border styles."""

    command: str
    title: str
    border: str
    active_border: str


@dataclass(frozen=True)
class Opened:
    """Where the panes went."""

    session: str
    window: str  # its id, @N
    panes: tuple[str, ...]  # pane ids, %N, in the order asked
    inside: bool  # in the tmux the user is in (a new window), else a new session


def version_of(text: str) -> tuple[int, int] | None:
    """`tmux 3.3a` -> (3, 3); `tmux next-3.4` -> (3, 4); None if it says no version."""
    found = re.search(r"(\d+)\.(\d+)", text)
    return (int(found[1]), int(found[2])) if found else None


def _needed() -> str:
    return f"tmux {MIN_VERSION[0]}.{MIN_VERSION[1]} or newer"


class Server:
    """A tmux server: `socket` (a name for -L, a path for -S), else $TMUX's or the default."""

    def __init__(self, socket: str | None, environ: Mapping[str, str]) -> None:
        self.socket = socket or environ.get(SOCKET_VAR) or None
        self.binary = shutil.which("tmux", path=environ.get("PATH"))
        self.inside = bool(environ.get("TMUX")) and self.socket is None
        drop = {*CONFLICTING, *JUMPSHELL_VARS, "JUMPSHELL_CHAIN"}
        if self.socket is not None:
            drop.add("TMUX")  # a server of its own: not the one we may be inside
        self.env = {k: v for k, v in environ.items() if k not in drop}
        self.passed = [w for k in PASSED if k in self.env for w in ("-e", f"{k}={self.env[k]}")]

    def argv(self, *args: str) -> list[str]:
        """The tmux command line for `args` on this server."""
        if self.binary is None:
            raise UsageError("tmux is not installed", f"install {_needed()}")
        if self.socket is None:
            return [self.binary, *args]
        flag = "-S" if "/" in self.socket else "-L"
        return [self.binary, flag, self.socket, *args]

    def run(self, *args: str) -> str:
        """Run a tmux command; its output, or a UsageError with what tmux said."""
        done = subprocess.run(
            self.argv(*args),
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            said = done.stderr.strip().splitlines()
            raise UsageError(
                f"tmux {args[0]} failed: {said[-1] if said else f'exit {done.returncode}'}",
                "check the tmux server (--socket, $TMUX)",
            )
        return done.stdout.strip()

    def check(self) -> tuple[int, int]:
        """The tmux version, if new enough; else a UsageError naming the version needed."""
        self.argv()  # none on PATH: "tmux is not installed"
        try:
            said = self.run("-V")
        except UsageError:  # not a tmux that answers -V (a broken install, a stand-in)
            said = ""
        found = version_of(said)
        if found is None or found < MIN_VERSION:
            raise UsageError(
                f"tmux {'of unknown version' if found is None else f'{found[0]}.{found[1]}'} "
                "is too old",
                f"install {_needed()}",
            )
        return found

    def open(
        self,
        panes: Sequence[Pane],
        window: str,
        session: str | None,
        layout: str,
        sync: bool,
        select: bool = True,
    ) -> Opened:
        """A new window (inside tmux) or a new detached session, one pane per `panes`;
        `sync`: synchronize-panes on (once every pane is in place); `select`: inside tmux,
        switch to the new window (`--detach` leaves the user where they are)."""
        fmt = "#{session_name}\t#{window_id}\t#{pane_id}"
        if self.inside:
            first = self.run(
                "new-window", "-d", *self.passed, "-P", "-F", fmt, "-n", window, PLACEHOLDER
            )
        else:
            named = ("-s", session) if session else ()
            first = self.run(
                "new-session", "-d", *named, *self.passed, "-x", "200", "-y", "50", "-P", "-F", fmt,
                "-n", window, PLACEHOLDER,
            )  # fmt: skip
        name, wid, pid = first.split("\t")
        # One tmux call per pane (each a client start): the previous pane's title and borders,
        # then the split, then the layout that makes room for the next split.
        args = [*self._window_options(wid), ";", *self._pane(pid, panes[0]), ";"]
        self.run(*args, "respawn-pane", "-k", *self.passed, "-t", pid, panes[0].command)
        ids = [pid]
        pending: list[str] = []
        for pane in panes[1:]:
            # split the last pane: the new one comes after it, so panes keep the order asked
            split = ["split-window", "-d", *self.passed, "-t", ids[-1], "-P", "-F", "#{pane_id}"]
            split.append(pane.command)
            ids.append(self.run(*pending, *split, ";", "select-layout", "-t", wid, layout))
            pending = [*self._pane(ids[-1], pane), ";"]
        last = [*pending, "select-layout", "-t", wid, layout]
        if sync:
            last += [";", "set-option", "-w", "-t", wid, "synchronize-panes", "on"]
        if self.inside and select:
            last += [";", "select-window", "-t", wid]
        self.run(*last)
        return Opened(name, wid, tuple(ids), self.inside)

    def _window_options(self, wid: str) -> list[str]:
        # tmux commands (";" between them): the window's look, and its name kept
        options = (
            ("remain-on-exit", "on"),
            ("pane-border-status", "top"),
            ("pane-border-format", f"#[#{{{BORDER_OPTION}}}] #{{{TITLE_OPTION}}} #[default]"),
            ("pane-border-style", f"#{{{BORDER_OPTION}}}"),
            ("pane-active-border-style", f"#{{{ACTIVE_OPTION}}}"),
            ("automatic-rename", "off"),
            ("allow-rename", "off"),
        )
        args: list[str] = []
        for key, value in options:
            args += ["set-option", "-w", "-t", wid, key, value, ";"]
        return args[:-1]

    def _pane(self, pid: str, pane: Pane) -> list[str]:
        # tmux commands (";" between them): the pane's title and border styles
        args = ["select-pane", "-t", pid, "-T", pane.title, ";"]
        args += ["set-option", "-p", "-t", pid, TITLE_OPTION, pane.title]
        for key, value in ((BORDER_OPTION, pane.border), (ACTIVE_OPTION, pane.active_border)):
            args += [";", "set-option", "-p", "-t", pid, key, value or "default"]
        return args

    def settle(self, panes: Sequence[str], timeout: float = 10.0) -> None:
        """Wait (bounded) for `panes`, whose commands are known to fail, to end; then send the
        server SIGCHLD so that it reaps them and records their exit status.

        tmux built with libutempter (Debian's, Ubuntu's) swaps in utempter's own SIGCHLD
        handler while it removes a dead pane's utmp record; a pane whose process exits in that
        moment, just after its pty closed, stays a zombie, and the pane shows no status
        (tmux issue #311). By the time tmux says the pane is dead, that moment has passed.
        """
        deadline = time.monotonic() + timeout
        waiting = set(panes)
        while waiting and time.monotonic() < deadline:
            for row in self.run("list-panes", "-a", "-F", "#{pane_id} #{pane_dead}").splitlines():
                pid, dead = row.split(" ")
                if dead == "1":
                    waiting.discard(pid)
            if waiting:
                time.sleep(0.05)  # the panes are tmux's children: no event of theirs reaches us
        try:
            os.kill(int(self.run("display-message", "-p", "#{pid}")), signal.SIGCHLD)
        except (ValueError, OSError):  # not ours to signal, or gone: nothing to nudge
            pass

    def attach(self, session: str) -> list[str]:
        """The command line that attaches this terminal to `session` (for exec)."""
        return self.argv("attach-session", "-t", session)
