"""How the picker keeps up with big organizations: 100, 1,000 and 10,000 accounts of 3 roles.

Run by hand (not by pytest):  .venv/bin/python bench/tui_scale.py [--sizes 100,1000] [--matchers]

For each size it writes the config of the local AWS's `scale:N` world (the accounts, tags and
roles `bench/config_scale.py` seeds; nothing is seeded here: the picker makes no AWS call to
list), loads it as the agent does and turns it into the rows the picker gets (the agent's
answer, decoded: `from_wire`, timed in a fresh Python with the garbage collector on and
paused as `pick` pauses it), then, headless through `App.run_test` at 120x40:
- first screen: from `make_app(rows)` to the list's first frame;
- per keystroke: a query typed one key at a time, each from the key event reaching the app
  (through the driver, as a terminal's would) to the list's next frame for the new query;
  median and worst over the query's keys, over `--runs` runs.
And the time a Python takes to import the picker (Textual's share of `jumpshell pick`'s start;
also with the collector paused, as `pick` imports it):
import + rows decoded + first screen is what a user waits for.
`--matchers` also times, at the biggest size and per key of the same query, the candidate
filters over the same 30,000 haystacks: the regex the picker uses, with and without the
narrowing of the previous key's hits, the older `.*?` regex, Textual's `fuzzy.Matcher` and
rapidfuzz's `partial_ratio` (if installed; the picker does not depend on it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence

import tomli_w
from textual import events
from textual.strip import Strip

from jumpshell import configfile
from jumpshell.localaws import scale_world
from jumpshell.targetrows import TargetRow, from_wire, rows, to_wire
from jumpshell.tui import matcher
from jumpshell.tui.app import make_app
from jumpshell.tui.targetlist import TargetList

SIZE = (120, 40)
QUERY = "payprodadm"  # a team, an environment, a role: narrows at every key


def world_rows(accounts: int, directory: str) -> tuple[list[TargetRow], tuple[float, float]]:
    """The `scale:N` world's config loaded as the agent does, and the rows as the picker gets
    them (the agent's JSON answer decoded); with the milliseconds that decoding took (the
    collector on, paused)."""
    world = scale_world(accounts)
    document = {
        "jump": {
            "account_id": world.jump_account_id,
            "user_name": world.user_name,
            "mfa_serial": f"arn:aws:iam::{world.jump_account_id}:mfa/{world.user_name}",
            "region": "us-east-1",
        },
        "account": [
            {
                "name": a.name,
                "id": a.id,
                "roles": [r.name for r in a.roles],
                "region": a.region,
                "production": a.production,
                "tags": dict(a.tags),
            }
            for a in world.accounts
        ],
    }
    path = os.path.join(directory, f"{accounts}.toml")
    with open(path, "wb") as handle:
        tomli_w.dump(document, handle)
    answer = json.dumps(to_wire(rows(configfile.load(path))))
    with open(f"{path}.json", "w") as handle:
        handle.write(answer)
    return from_wire(json.loads(answer)), _decode_ms(f"{path}.json")


def _decode_ms(path: str, runs: int = 3) -> tuple[float, float]:
    """The decoding timed in a fresh Python, as `jumpshell pick`'s (this process holds the
    local AWS's modules: every collection there walks them, doubling the time): median ms
    with the garbage collector on (as before) and paused as `pick` pauses it."""
    code = (
        "import contextlib, json, sys, time\n"
        "from jumpshell.cli.pick import collector_paused\n"
        "from jumpshell.targetrows import from_wire\n"
        "text = open(sys.argv[1]).read()\n"
        "paused = collector_paused() if sys.argv[2] == 'paused' else contextlib.nullcontext()\n"
        "start = time.perf_counter()\n"
        "with paused:\n"
        "    from_wire(json.loads(text))\n"
        "print((time.perf_counter() - start) * 1000)\n"
    )
    found: dict[str, list[float]] = {"on": [], "paused": []}
    for _ in range(runs):
        for how, times in found.items():
            argv = [sys.executable, "-c", code, path, how]
            done = subprocess.run(argv, capture_output=True, text=True, check=True)
            times.append(float(done.stdout))
    return statistics.median(found["on"]), statistics.median(found["paused"])


PAINTS: list[tuple[str, int, float]] = []  # (query, rows, when) of each frame the list drew
_DRAW = TargetList.render_line


def _counted(self: TargetList, y: int) -> Strip:
    """TargetList.render_line, noting each whole frame (its header line is drawn first)."""
    if y == 0:
        PAINTS.append((self.query_text, len(self.entries), time.perf_counter()))
    return _DRAW(self, y)


async def _painted(query: str, since: int, timeout: float = 10.0) -> float:
    """When the list first drew a frame for `query` after paint number `since`."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        for shown, _, when in PAINTS[since:]:
            if shown == query:
                return when
        await asyncio.sleep(0.0005)  # lets the app's loop run; 0.5 ms is the resolution
    raise SystemExit(f"no frame for {query!r} in {timeout} s")


async def one_run(found: Sequence[TargetRow], query: str) -> tuple[float, list[float]]:
    """First screen ms, and each key's filter-and-repaint ms: from the key event reaching the
    app (as a terminal's would, through the driver) to the list's next frame for the query."""
    TargetList.render_line = _counted  # type: ignore[method-assign]
    PAINTS.clear()
    start = time.perf_counter()
    app = make_app(None, found, theme="default")
    async with app.run_test(size=SIZE) as pilot:
        first = (await _painted("", 0) - start) * 1000
        listing = app.query_one(TargetList)
        if listing.row_count != len(found) or not listing.render_line(1).text.strip():
            raise SystemExit("the first screen does not show the rows")
        await pilot.pause()
        keys = []
        for end in range(1, len(query) + 1):
            since, char = len(PAINTS), query[end - 1]
            start = time.perf_counter()
            app._driver.send_message(events.Key(char, char))  # type: ignore[union-attr]
            keys.append((await _painted(query[:end], since) - start) * 1000)
            want = matcher.narrow(query[:end], app.ordered, None, app.rank)
            if [e.index for e in app.shown] != [e.index for e in want]:
                raise SystemExit(f"after {char!r} the list does not show the query's hits")
        await pilot.press("escape")
    TargetList.render_line = _DRAW  # type: ignore[method-assign]
    return first, keys


def import_ms(runs: int, paused: bool = False) -> float:
    """Median ms of a Python that imports the picker (what `jumpshell pick` pays first);
    `paused`: with the garbage collector paused, as `pick` imports it."""
    code = "import jumpshell.tui.app"
    if paused:
        code = "import gc; gc.disable(); " + code
    argv = [sys.executable, "-c", code]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def per_key(search: Callable[[str, object], object], query: str) -> list[float]:
    """Each prefix of `query` timed through `search(prefix, previous answer)`."""
    times, last = [], None
    for end in range(1, len(query) + 1):
        start = time.perf_counter()
        last = search(query[:end], last)
        times.append((time.perf_counter() - start) * 1000)
    return times


def matchers(found: Sequence[TargetRow], query: str) -> dict[str, list[float]]:
    """Per-key milliseconds of each candidate filter over the rows' haystacks."""
    every = matcher.entries(found)
    texts = [e.haystack for e in every]
    lazy = [re.compile(".*?".join(re.escape(c) for c in query[:n])) for n in range(1, 11)]
    runs: dict[str, Callable[[str, object], object]] = {
        "regex [^c]*c, narrowing (the picker)": lambda q, last: matcher.narrow(
            q, every, (q[:-1], last) if isinstance(last, list) else None
        ),
        "regex [^c]*c, every row": lambda q, _: matcher.narrow(q, every, None),
        "regex .*? (before), narrowing": lambda q, last: [
            e
            for e in (last if isinstance(last, list) else every)
            if lazy[len(q) - 1].search(e.haystack)
        ],
    }
    from textual.fuzzy import Matcher

    runs["textual fuzzy.Matcher"] = lambda q, _: [t for t in texts if Matcher(q).match(t) > 0]
    try:
        from rapidfuzz import fuzz, process

        runs["rapidfuzz partial_ratio >= 80"] = lambda q, _: process.extract(
            q, texts, scorer=fuzz.partial_ratio, score_cutoff=80, limit=None
        )
    except ImportError:
        print("rapidfuzz is not installed: not measured", file=sys.stderr)
    return {name: per_key(search, query) for name, search in runs.items()}


def _cells(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} | {max(values):.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000", help="account counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--query", default=QUERY)
    parser.add_argument("--matchers", action="store_true")
    args = parser.parse_args()
    table = []
    with tempfile.TemporaryDirectory(prefix="js-tui-scale-") as directory:
        os.environ["JUMPSHELL_STATE_DIR"] = directory  # no frecency file of the user's
        biggest: list[TargetRow] = []
        for accounts in (int(size) for size in args.sizes.split(",")):
            found, decode = world_rows(accounts, directory)
            firsts, keys = [], []
            for _ in range(args.runs):
                first, each = asyncio.run(one_run(found, args.query))
                firsts.append(first)
                keys.extend(each)
            table.append((accounts, len(found), decode, firsts, keys))
            biggest = found
            print(f"{accounts} accounts measured", file=sys.stderr, flush=True)
        compared = matchers(biggest, args.query) if args.matchers else {}
    imported = import_ms(args.runs), import_ms(args.runs, paused=True)
    print(f"query {args.query!r} typed key by key, {args.runs} runs, {SIZE[0]}x{SIZE[1]}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")  # fmt: skip
    print(f"a Python importing the picker: {imported[0]:.0f} ms (median), "
          f"{imported[1]:.0f} ms with the collector paused\n")  # fmt: skip
    print("| accounts | rows | rows decoded ms (collector on, paused) "
          "| first screen ms (median, worst) | per key ms (median, worst) |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|")
    for accounts, count, decode, firsts, keys in table:
        screen = f"{statistics.median(firsts):.0f}, {max(firsts):.0f}"
        key = f"{statistics.median(keys):.1f}, {max(keys):.1f}"
        rows_ms = f"{decode[0]:.0f}, {decode[1]:.0f}"
        print(f"| {accounts:,} | {count:,} | {rows_ms} | {screen} | {key} |")
    if compared:
        print(f"\nfilters over {len(biggest):,} rows, per key of {args.query!r}, ms:\n")
        print("| filter | median | worst |")
        print("|---|---:|---:|")
        for name, times in compared.items():
            print(f"| {name} | {_cells(times)} |")


if __name__ == "__main__":
    main()
