"""`on_enter` hooks through the installed CLI: once per entry, warm and cold, no secret."""

from __future__ import annotations

import http.server
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_warm_imports import _imported_after_startup
from tests.conftest import Demo, js, require, wait_for_exit

PY = sys.executable
TARGET = "payments-dev"  # tags environment = "dev"; not production, so the warm path serves it
SHOW = (
    "import os, json; print(json.dumps({k: v for k, v in os.environ.items() "
    "if k.startswith(('AWS_', 'JUMPSHELL_'))}))"
)
# A hook that appends its tag and its whole environment, as one JSON line, to a log
RECORD = (
    "import json, os, sys; "
    "open(sys.argv[1], 'a').write(json.dumps([sys.argv[2], dict(os.environ)]) + '\\n')"
)


def _recorder(tmp_path: Path, tag: str) -> tuple[str, Path]:
    """An on_enter command that logs (tag, environment) to a file, and that file."""
    script = tmp_path / "record.py"
    script.write_text(RECORD)
    log = tmp_path / "hooks.log"
    return f"{PY} {script} {log} {tag}", log


def _entries(log: Path) -> list[tuple[str, dict[str, str]]]:
    if not log.exists():
        return []
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    return [(tag, env) for tag, env in rows]


def _warm(demo: Demo, *args: str) -> Any:
    """Run with import timing: (the result, whether the full argparse path ran)."""
    done = js(*args, env={**demo.env, "PYTHONPROFILEIMPORTTIME": "1"})
    full = "jumpshell.cli.commands" in done.stderr
    lines = [x for x in done.stderr.splitlines() if not x.startswith("import time:")]
    return done, full, lines


def test_hooks_run_once_per_entry_warm_and_cold_with_their_variables_and_no_secret(
    demo: Demo, tmp_path: Path
) -> None:
    record, log = _recorder(tmp_path, "all")
    demo.append_config(
        f'\n[hooks]\non_enter = "{record}"\n'
        f'[hooks.dev]\non_enter = "{record.replace(" all", " dev")}"\n'
        f'[hooks.production]\non_enter = "{record.replace(" all", " prod")}"\n'
    )
    demo.login()
    # an outer shell's credentials in the environment must not reach a hook either
    base = {**demo.env, "AWS_SECRET_ACCESS_KEY": "outer-secret", "AWS_SESSION_TOKEN": "outer-tok"}
    cold = js("run", TARGET, "--", PY, "-c", SHOW, env=base)
    assert cold.returncode == 0, cold.stderr
    assert [tag for tag, _ in _entries(log)] == ["all", "dev"]
    warm, full, _ = _warm(demo, "run", TARGET, "--", PY, "-c", SHOW)
    assert warm.returncode == 0 and not full  # the agent's answer carried the hooks
    assert [tag for tag, _ in _entries(log)] == ["all", "dev", "all", "dev"]
    role_env = json.loads(cold.stdout)
    secrets = [
        role_env["AWS_ACCESS_KEY_ID"],
        role_env["AWS_SECRET_ACCESS_KEY"],
        role_env["AWS_SESSION_TOKEN"],
        demo.info.jump.access_key_id,
        demo.info.jump.secret_access_key,
        "outer-secret",
        "outer-tok",
    ]
    account = demo.info.account(TARGET)
    for _, env in _entries(log):
        assert not [k for k, v in env.items() if any(s in v or s in k for s in secrets)]
        assert not {k for k in env if "SECRET" in k or "TOKEN" in k or "ACCESS_KEY" in k}
        assert env["JUMPSHELL_TARGET"] == f"{TARGET}/{account.roles[0]}"
        assert (env["JUMPSHELL_ACCOUNT"], env["JUMPSHELL_ACCOUNT_ID"]) == (TARGET, account.id)
        assert (env["JUMPSHELL_ROLE"], env["JUMPSHELL_PRODUCTION"]) == (account.roles[0], "0")
        assert env["JUMPSHELL_ENV_CLASS"] == "dev" and env["JUMPSHELL_ENTRY"] == "run"
        assert env["JUMPSHELL_USER"] == demo.info.jump.user_name
        assert env["HOME"] == demo.env["HOME"] and env["PATH"] == demo.env["PATH"]
    prod = demo.prod()
    assert demo.js("run", prod, "--yes", "--", "true").returncode == 0
    assert [tag for tag, _ in _entries(log)][4:] == ["all", "prod"]


def _account_hook(demo: Demo, hook: str) -> None:
    """Give TARGET's [[account]] an on_enter."""
    text = demo.config.read_text()
    anchor = f'name = "{TARGET}"\n'
    assert anchor in text
    demo.config.write_text(text.replace(anchor, f"{anchor}on_enter = {hook}\n", 1))


def _line_of(demo: Demo, needle: str) -> int:
    lines = demo.config.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("path", ["cold", "warm"])
def test_a_failing_optional_hook_warns_once_and_the_command_runs(demo: Demo, path: str) -> None:
    _account_hook(demo, '"exit 3"')
    demo.login()
    if path == "warm":
        assert demo.js("run", TARGET, "--", "true").returncode == 0
    done, full, lines = _warm(demo, "run", TARGET, "--", "sh", "-c", "echo ran; exit 7")
    assert (done.returncode, done.stdout, full) == (7, "ran\n", path == "cold")
    where = f"{demo.config}:{_line_of(demo, 'on_enter')}"
    assert lines == [
        f"jumpshell: the on_enter hook at {where} exited 3; going on (it is not required)"
    ]


@pytest.mark.parametrize("path", ["cold", "warm"])
def test_a_failing_required_hook_blocks_with_exit_2_and_one_line(
    demo: Demo, tmp_path: Path, path: str
) -> None:
    marker = tmp_path / "ran"
    demo.login()
    if path == "warm":
        assert demo.js("run", TARGET, "--", "true").returncode == 0
    _account_hook(demo, '{ command = "exit 4", required = true }')
    done, full, lines = _warm(demo, "run", TARGET, "--", "touch", str(marker))
    assert (done.returncode, full, marker.exists()) == (2, path == "cold", False)
    where = f"{demo.config}:{_line_of(demo, 'on_enter')}"
    assert lines == [
        f"jumpshell: the on_enter hook at {where} exited 4 "
        "(it is required = true: fix it, or make it optional)"
    ]


@pytest.mark.parametrize("path", ["cold", "warm"])
def test_a_hanging_hook_is_ended_by_its_timeout_and_said_after_2_s(
    demo: Demo, tmp_path: Path, path: str
) -> None:
    pid_file = tmp_path / "sleeper"
    # the sleep is a child of the hook's shell: the timeout must end the whole group
    _account_hook(demo, f"{{ command = 'sleep 300 & echo $! > {pid_file}; wait', timeout = 3 }}")
    demo.login()
    if path == "warm":
        assert demo.js("run", TARGET, "--", "true").returncode == 0
        pid_file.unlink()
    started = time.monotonic()
    done, full, lines = _warm(demo, "run", TARGET, "--", "echo", "ran")
    assert time.monotonic() - started < 60
    assert (done.returncode, done.stdout, full) == (0, "ran\n", path == "cold")
    where = f"{demo.config}:{_line_of(demo, 'on_enter')}"
    assert lines == [
        f"jumpshell: waiting for the on_enter hook at {where} (up to 3 s)",
        f"jumpshell: the on_enter hook at {where} took longer than 3 s and was ended; "
        "going on (it is not required)",
    ]
    assert wait_for_exit(int(pid_file.read_text()), timeout=10)


def test_a_warm_run_with_hooks_imports_no_subprocess(demo: Demo, tmp_path: Path) -> None:
    _account_hook(demo, '"true"')
    demo.login()
    assert demo.js("run", TARGET, "--", "true").returncode == 0
    imported = _imported_after_startup(demo, tmp_path, "run", TARGET, "--", "true")
    assert "jumpshell.hooks" in imported  # the hook did run on the warm path
    assert not imported & {"subprocess", "signal", "json", "re", "jumpshell.cli.commands"}


def test_env_and_credential_process_do_not_enter(demo: Demo, tmp_path: Path) -> None:
    record, log = _recorder(tmp_path, "all")
    demo.append_config(f'\n[hooks]\non_enter = "{record}"\n')
    demo.login()
    for verb in ("env", "credential-process", "env"):  # cold, then warm
        assert demo.js(verb, TARGET).returncode == 0
    assert not log.exists()


def test_the_readme_webhook_hook_posts_who_entered_production(demo: Demo) -> None:
    require("curl")
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Entry hooks", 1)[1]
    hook = next(
        line for line in section.splitlines() if line.startswith("on_enter") and "WEBHOOK" in line
    )
    demo.append_config(f"\n[hooks.production]\n{hook}\n")
    posts: list[tuple[str, bytes]] = []

    class Webhook(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            posts.append((self.path, self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Webhook)
    threading.Thread(target=server.handle_request, daemon=True).start()
    demo.login()
    prod = demo.prod()
    url = f"http://127.0.0.1:{server.server_port}/services/T0/B0/secret"
    done = js("run", prod, "--yes", "--", "true", env={**demo.env, "CHAT_WEBHOOK_URL": url})
    server.server_close()
    assert (done.returncode, done.stderr) == (0, "")
    role = demo.info.account(prod).roles[0]
    user = demo.info.jump.user_name
    assert posts == [
        ("/services/T0/B0/secret", f'{{"text": "{user} entered {prod}:{role}"}}'.encode())
    ]
