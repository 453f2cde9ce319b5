"""`run --each`: one command per selected target, N at a time, every line prefixed with its
target; a summary on stderr. Credentials reach each child in its environment, never argv."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import IO, Literal

from jumpshell.errors import EXIT_AUTH, EXIT_CANCELLED, JumpshellError, UsageError
from jumpshell.selection import Selector, parse_tag

TYPE_CHECKING = False
if TYPE_CHECKING:
    from jumpshell.engine import Engine
    from jumpshell.targets import Target

PARALLEL = 4
GRACE = 10.0  # seconds a command has to end after Ctrl-C is passed on, before SIGKILL
State = Literal["finished", "stopped", "refused", "not started"]


@dataclass(frozen=True)
class Job:
    """One target to run the command as: its label (`alias:Role`), colour, and refusal."""

    label: str
    target: Target
    sgr: str
    refused: str | None = None  # why AWS refused its role (the warm step said so)


@dataclass(frozen=True)
class Result:
    """How one target's run ended."""

    label: str
    state: State
    code: int | None
    seconds: float


def add_selectors(sub: argparse.ArgumentParser) -> None:
    """The selector options `tmux` and `run --each` share (names or globs are positional)."""
    sub.add_argument("--tag", action="append", default=[], help="KEY=VALUE, e.g. team=payments")
    which = sub.add_mutually_exclusive_group()
    which.add_argument(
        "--production", action="store_true", default=None, help="production accounts only"
    )
    which.add_argument(
        "--no-production",
        dest="production",
        action="store_false",
        default=None,
        help="non-production accounts only",
    )
    sub.add_argument("--all", action="store_true", help="every account (its first role)")


def add_run_options(run: argparse.ArgumentParser) -> None:
    """`run`'s fan-out options (cli/parser.py calls it)."""
    run.add_argument(
        "--each",
        nargs="*",
        metavar="SELECTOR",
        help="run CMD once per target: names, globs ('*-prod'), with --tag, --all, ...",
    )
    run.add_argument(
        "--parallel", type=int, default=PARALLEL, metavar="N", help="with --each: N at a time"
    )
    add_selectors(run)


def fanning(args: argparse.Namespace) -> bool:
    """Whether `run`'s arguments ask for a fan-out."""
    return args.each is not None or bool(args.tag) or args.all or args.production is not None


def cmd_each(args: argparse.Namespace, command: list[str]) -> int:
    """run --each SELECTOR... -- CMD: CMD per target, `--parallel` at a time; 0 if all ran well."""
    from jumpshell.cli.common import _region, make_engine, remember
    from jumpshell.config import parse_duration
    from jumpshell.selection import class_of, select, warm
    from jumpshell.themes import color_wanted, load

    if not command:
        raise UsageError("run --each needs a command", "add -- CMD [ARGS...]")
    if args.refresh:  # each run gets keys good for the role session (1h), as `run` does
        raise UsageError("--refresh does not go with --each", "leave it out")
    if args.parallel < 1:
        raise UsageError(f"--parallel {args.parallel} is not a count", "give 1 or more")
    region = _region(args.region)
    duration = parse_duration(args.duration, "--duration") if args.duration else None
    engine = make_engine(args.mfa_code)
    found = engine.targets()
    names = [*([args.target] if args.target else []), *(args.each or [])]
    selector = Selector(
        tuple(names), tuple(parse_tag(t) for t in args.tag), args.production, args.all
    )
    resolved = [engine.resolve(name) for name in select(found, selector)]
    # `prod` and `prod/Admin` are one target: run it once
    chosen = list({f"{t.account_name}:{t.role_name}": t for t in resolved}.values())
    asked = _confirm(engine, chosen, args.yes)  # before any MFA code is asked
    refused = warm(engine, chosen, duration)
    for target in asked:
        if target.name not in refused:
            remember(engine, target)  # for as long as the role credentials it unlocked
    theme = load(engine.config.defaults.theme)
    by_name = {row.name: row for row in found}
    jobs = [
        Job(
            f"{t.account_name}:{t.role_name}",
            t,
            theme.classes[class_of(t, by_name)].sgr,
            refused.get(t.name),
        )
        for t in chosen
    ]
    out = Out(max(len(j.label) for j in jobs), color_wanted(os.environ))
    prepare = _preparer(engine, region, duration, out)
    results = Fan(jobs, command, prepare, args.parallel, out).run()
    return _report(results, out)


def _preparer(
    engine: Engine, region: str | None, duration: int | None, out: Out
) -> Callable[[Job], dict[str, str]]:
    """Engine.prepare (held credentials by now) and the on_enter hooks, one job at a time."""
    from jumpshell.cli.common import enter

    lock = threading.Lock()

    def prepare(job: Job) -> dict[str, str]:
        with lock:  # the provider's notices are one list: one prepare at a time
            prepared = engine.prepare(job.target, os.environ, region, duration)
            for notice in prepared.notices:
                out.line(2, job, f"jumpshell: {notice}".encode())
            enter(engine, prepared, "run")
        return prepared.env

    return prepare


class Out:
    """Prefixed whole lines on stdout and stderr, one writer at a time; colour per stream."""

    def __init__(self, width: int, color: bool) -> None:
        self.width = width
        self.lock = threading.Lock()
        self.streams = {1: sys.stdout.buffer, 2: sys.stderr.buffer}
        self.color = {fd: color and stream.isatty() for fd, stream in self.streams.items()}

    def line(self, fd: int, job: Job, data: bytes) -> None:
        label = job.label.ljust(self.width).encode()
        if self.color[fd] and job.sgr:
            label = b"\x1b[" + job.sgr.encode() + b"m" + label + b"\x1b[0m"
        self.write(fd, label + b" | " + data.rstrip(b"\r\n") + b"\n")

    def write(self, fd: int, data: bytes) -> None:
        stream = self.streams.get(fd)
        if stream is None:
            return
        with self.lock:
            try:
                stream.write(data)
                stream.flush()
            except BrokenPipeError:  # the reader went (`| head`): the commands still finish
                self.streams.pop(fd, None)

    def say(self, text: str) -> None:
        self.write(2, text.encode() + b"\n")


class Fan:
    """The runs: `parallel` worker threads take jobs in order; the main thread waits and
    passes Ctrl-C (SIGINT, SIGTERM, SIGHUP) on to every running command's process group."""

    def __init__(
        self,
        jobs: Sequence[Job],
        command: Sequence[str],
        prepare: Callable[[Job], dict[str, str]],
        parallel: int,
        out: Out,
    ) -> None:
        self.jobs, self.command, self.prepare, self.out = jobs, list(command), prepare, out
        self.workers = max(1, min(parallel, len(jobs)))
        self.lock = threading.RLock()  # the signal handler takes it on the main thread too
        self.pending: Iterator[Job] = iter(jobs)
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.results: dict[str, Result] = {}
        self.interrupted: set[str] = set()  # running when the stop came
        self.stopping = False

    def run(self) -> list[Result]:
        """Every job's result, in the order asked."""
        threads = [threading.Thread(target=self._worker, daemon=True) for _ in range(self.workers)]
        caught = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {s: signal.signal(s, self._stop) for s in caught}
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()  # interruptible: the handler runs, then the join goes on
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        with self.lock:
            return [
                self.results.get(j.label, Result(j.label, "not started", None, 0.0))
                for j in self.jobs
            ]

    def _stop(self, signum: int, _frame: FrameType | None) -> None:
        """First signal: no new runs, the signal passed on to each; second: SIGKILL."""
        errors = self.out.streams.get(2)
        if not self.stopping and errors is not None and errors.isatty():
            self.out.write(2, b"\n")  # the terminal echoed ^C mid-line: the rest below it
        with self.lock:
            first = not self.stopping
            self.stopping = True
            self.interrupted.update(self.running)
            self._signal(signum if first else signal.SIGKILL)
        if first:
            timer = threading.Timer(GRACE, self._signal, (signal.SIGKILL,))
            timer.daemon = True
            timer.start()

    def _signal(self, sig: int) -> None:
        with self.lock:
            for child in self.running.values():
                try:
                    os.killpg(child.pid, sig)
                    # a run stopped by the terminal (it opened /dev/tty to ask, from a
                    # background group) must run to see the signal
                    os.killpg(child.pid, signal.SIGCONT)
                except ProcessLookupError:  # ended meanwhile
                    pass

    def _worker(self) -> None:
        while True:
            with self.lock:
                job = None if self.stopping else next(self.pending, None)
            if job is None:
                return
            result = self._one(job)
            if result is not None:
                with self.lock:
                    self.results[job.label] = result

    def _one(self, job: Job) -> Result | None:
        began = time.monotonic()
        if job.refused is not None:
            self.out.line(2, job, f"jumpshell: {job.refused}".encode())
            return Result(job.label, "refused", EXIT_AUTH, 0.0)
        try:
            env = self.prepare(job)
        except JumpshellError as exc:
            self.out.line(2, job, f"jumpshell: {exc.render()}".encode())
            return Result(job.label, "refused", exc.exit_code, time.monotonic() - began)
        child = self._start(job, env)
        if isinstance(child, Result) or child is None:
            return child
        errors = threading.Thread(target=self._pump, args=(child.stderr, 2, job), daemon=True)
        errors.start()
        self._pump(child.stdout, 1, job)
        errors.join()
        code = child.wait()
        with self.lock:
            del self.running[job.label]
            state: State = "stopped" if job.label in self.interrupted else "finished"
        return Result(job.label, state, 128 - code if code < 0 else code, time.monotonic() - began)

    def _start(self, job: Job, env: dict[str, str]) -> subprocess.Popen[bytes] | Result | None:
        """The command in a process group of its own (Ctrl-C reaches it once, from us)."""
        with self.lock:
            if self.stopping:
                return None
            try:
                child = subprocess.Popen(
                    self.command,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    process_group=0,
                )
            except OSError as exc:
                code = 127 if isinstance(exc, FileNotFoundError) else 126
                why = "command not found" if code == 127 else "cannot execute"
                self.out.line(2, job, f"jumpshell: {why}: {self.command[0]}".encode())
                return Result(job.label, "finished", code, 0.0)
            self.running[job.label] = child
            return child

    def _pump(self, stream: IO[bytes] | None, fd: int, job: Job) -> None:
        assert stream is not None
        with stream:
            for raw in iter(stream.readline, b""):
                self.out.line(fd, job, raw)


def _report(results: Sequence[Result], out: Out) -> int:
    """The summary table on stderr; 0 if every run ended 0, 130 if stopped, else 1."""
    width = max(len("target"), *(len(r.label) for r in results))
    out.say(f"{'target':<{width}}  {'exit':>4}  {'time':>7}")
    for r in results:
        code = "-" if r.code is None else str(r.code)
        note = "" if r.state == "finished" else f"  {r.state}"
        out.say(f"{r.label:<{width}}  {code:>4}  {r.seconds:>6.1f}s{note}")
    if any(r.state in ("stopped", "not started") for r in results):
        parts = []
        for state in ("finished", "stopped", "not started"):
            labels = [r.label for r in results if r.state == state]
            if labels:
                parts.append(f"{state}: {', '.join(labels)}")
        out.say(f"jumpshell: cancelled; {'; '.join(parts)}")
        return EXIT_CANCELLED
    failed = [r for r in results if r.code != 0]
    if failed:
        out.say(f"jumpshell: {len(failed)} of {len(results)} runs failed")
        return 1
    return 0


def _confirm(engine: Engine, chosen: Sequence[Target], yes: bool) -> list[Target]:
    """Production targets that ask to be confirmed and that the agent does not remember
    confirmed: one, as `run` asks (type its name); several, once for all of them (type yes,
    as `tmux` asks: ten names typed in a row teach nobody anything). Returns those asked now,
    to `remember` once their role credentials are held."""
    from jumpshell.cli.common import confirm, confirm_all

    asking = [
        t
        for t in chosen
        if t.production and t.confirm and not yes and not engine.agent.confirmed(t.cache_key)
    ]
    if len(asking) <= 1:
        return [t for t in asking if confirm(t, yes, engine)]
    names = [t.account_name for t in asking]
    confirm_all(names, "production needs", "PRODUCTION runs", "run them")
    return asking
