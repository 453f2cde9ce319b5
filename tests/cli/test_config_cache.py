"""Parse once, not per process: the agent parses a config once per file identity however many
ask at once, and without an agent the rows cache answers until the file changes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

from jumpshell import agentclient, app, targetcache
from jumpshell.agentapi import AgentClient
from jumpshell.targetrows import TargetRow
from tests.conftest import Demo, start_agent

JUMP = """[jump]
account_id = "111111111111"
user_name = "alice"
mfa_serial = "arn:aws:iam::111111111111:mfa/alice"
region = "us-east-1"
"""


def big_config(path: Path, accounts: int) -> Path:
    """A config of `accounts` accounts, three roles each, every tenth production."""
    parts = [JUMP]
    for i in range(accounts):
        env = "prod" if i % 10 == 0 else "dev"
        parts.append(
            f'\n[[account]]\nname = "acct-{i:05d}"\nid = "{200000000000 + i}"\n'
            f'roles = ["Admin", "ReadOnly", "Developer"]\nproduction = {str(env == "prod").lower()}'
            f'\ntags = {{ environment = "{env}" }}\n'
        )
    path.write_text("".join(parts))
    return path


def _socket() -> str:
    return os.path.join(os.environ["XDG_RUNTIME_DIR"], "jumpshell", "agent.sock")


def test_a_burst_of_warm_requests_after_an_edit_parses_once(isolated: Path) -> None:
    config = str(big_config(isolated / "config.toml", 600))
    start_agent(dict(os.environ), idle=600)
    agent = AgentClient(socket=_socket())

    def warm() -> None:  # a miss (nothing is held), but the config is parsed to know that
        assert agentclient.warm_env(config, "acct-00001", None, path=_socket(), timeout=120) is None

    warm()
    assert agent.stats() == {"parses": 1, "configs": 1, "roles": 0, "mfa": 0, "tokens": 0}
    warm()
    assert (agent.stats() or {})["parses"] == 1  # same file: held
    with open(config, "a") as handle:
        handle.write("# edited\n")
    start = threading.Barrier(20)
    errors: list[BaseException] = []

    def burst() -> None:
        try:
            start.wait(timeout=30)
            warm()
        except BaseException as exc:  # noqa: BLE001  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=burst) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and not any(t.is_alive() for t in threads)
    assert (agent.stats() or {})["parses"] == 2  # one parse for the twenty
    assert (agent.stats() or {})["configs"] == 1  # the old version is not kept beside it


def _cache(demo: Demo) -> Path:
    return Path(targetcache.cache_file(str(demo.config)))


def _no_agent() -> None:
    assert agentclient.peer_pid(_socket()) is None


def test_a_command_writes_the_rows_cache_0600(demo: Demo) -> None:
    _cache(demo).unlink(missing_ok=True)  # the demo's setup parsed the config too
    done = demo.js("list")
    assert done.returncode == 0, done.stderr
    cache = _cache(demo)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert [p.name for p in cache.parent.iterdir() if p.name.endswith(".tmp")] == []
    header = json.loads(cache.read_bytes().split(b"\n", 1)[0])
    ident = targetcache.FileId.of(str(demo.config))
    assert header["sources"] == [[str(demo.config), ident.mtime_ns, ident.size, ident.inode]]
    first = cache.stat().st_ino
    assert demo.js("list").returncode == 0
    assert cache.stat().st_ino == first  # the file did not change: neither does the cache
    _no_agent()
    rows = app.target_rows(str(demo.config))
    assert rows == targetcache.read(str(demo.config))
    assert {r.account for r in rows} == {a.name for a in demo.info.accounts}


def _lying_cache(demo: Demo) -> list[TargetRow]:
    """A cache of the file as it is now whose rows are not the file's: what it answers shows
    whether it was used (no parse) or ignored (parsed)."""
    assert demo.js("list").returncode == 0
    real = targetcache.read(str(demo.config))
    assert real
    lie = [replace(r, name=f"{r.account}/Cached{r.role}", role=f"Cached{r.role}") for r in real]
    targetcache.write(str(demo.config), [targetcache.FileId.of(str(demo.config))], lie)
    return lie


def test_a_matching_cache_answers_without_parsing(demo: Demo) -> None:
    lie = _lying_cache(demo)
    _no_agent()
    assert app.target_rows(str(demo.config)) == lie
    script = (
        "import sys; from jumpshell import app; "
        f"rows = app.target_rows({str(demo.config)!r}); "
        "print(rows[0].name, 'tomllib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=demo.env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == [lie[0].name, "False"], done.stderr


def test_an_edited_config_makes_the_cache_stale(demo: Demo) -> None:
    lie = _lying_cache(demo)
    demo.append_config('\n[[account]]\nname = "added"\nid = "999999999999"\nroles = ["Admin"]\n')
    rows = app.target_rows(str(demo.config))
    assert "added/Admin" in {r.name for r in rows}
    assert not {r.name for r in rows} & {r.name for r in lie}
    assert targetcache.read(str(demo.config)) == rows  # parsed, so written again


def test_a_replaced_config_of_the_same_size_and_time_makes_the_cache_stale(demo: Demo) -> None:
    """A rename over the file (editors save so) changes the inode, even if nothing else."""
    lie = _lying_cache(demo)
    before = demo.config.stat()
    copy = demo.config.with_suffix(".new")
    copy.write_bytes(demo.config.read_bytes())
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(copy, demo.config)
    rows = app.target_rows(str(demo.config))
    assert rows and rows != lie


def test_a_corrupt_cache_is_ignored(demo: Demo) -> None:
    assert demo.js("list").returncode == 0
    real = targetcache.read(str(demo.config))
    cache = _cache(demo)
    header, body = cache.read_bytes().split(b"\n", 1)
    for broken in (
        b"\x00garbage",
        header + b"\n" + body[: len(body) // 2],
        header + b"\n" + json.dumps([["x"] * 11]).encode(),
        header + b"\n" + b"[" * 100000,
    ):
        cache.write_bytes(broken)
        assert targetcache.read(str(demo.config)) is None
        assert app.target_rows(str(demo.config)) == real
        assert targetcache.read(str(demo.config)) == real  # and mended by that parse
