"""`jumpshell demo`: the embedded local AWS with 40+ accounts, isolated config, keyring, dirs."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from typing import Any

from jumpshell.cli import tty
from jumpshell.errors import UnreachableError, UsageError

BANNER = """\
jumpshell demo: a local AWS at {url} with {count} accounts reachable from jump account
{jump} (user {user}). Nothing here touches your real config, keyring or ~/.aws.

  jumpshell demo code                       the MFA code right now (it changes every 30 s)
  jumpshell login                           type the code: one MFA session for everything below
  jumpshell                                 the picker: type to filter, Enter opens a shell
                                            (exit it to come back), r runs a command, ? keys
  jumpshell list                            every account; PROD marks production
  jumpshell shell payments-dev              your shell as payments-dev; `exit` comes back
  jumpshell run payments-prod -- aws sts get-caller-identity
  jumpshell run search-dev -- aws s3 ls     each account sees its own buckets
  eval "$(jumpshell env data-staging)"      this shell becomes data-staging
  jumpshell run {untrusted} -- true   a role whose trust policy does not name you
  jumpshell status; jumpshell audit         what is held, and every STS call

Try a wrong MFA code too. Type `exit` to end the demo.
"""


def cmd_demo(args: argparse.Namespace, command: list[str]) -> int:
    """Start the demo (a shell, or `-- CMD`), or print the running demo's MFA code."""
    if args.action == "code":
        print(current_code())
        return 0
    try:
        from jumpshell.localaws import LocalAWS, demo_world
    except ImportError:
        raise UsageError("the demo needs its extra", "pip install 'jumpshell[demo]'") from None
    from jumpshell.launch import run_command

    home = tempfile.mkdtemp(prefix="jumpshell-demo-")
    server = LocalAWS()
    server.start()
    try:
        info = server.seed(demo_world())
        env = prepare(home, server.url, info)
        if command:
            return run_command(command, env)
        untrusted = next(
            (f"{a.name}/Untrusted" for a in info.accounts if "Untrusted" in a.roles), "?"
        )
        tty.say(
            BANNER.format(
                url=server.url,
                count=len(info.accounts),
                jump=info.jump.account_id,
                user=info.jump.user_name,
                untrusted=untrusted,
            )
        )
        return _demo_shell(env, run_command)
    finally:
        _stop_agent(home)
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def _demo_shell(env: dict[str, str], run: Any) -> int:
    """The user's shell with a [demo] prompt label, so nobody mistakes it for real AWS."""
    from jumpshell import themes
    from jumpshell.shells import Prompt, for_path, rcdir

    path = os.environ.get("SHELL") or shutil.which("bash") or "/bin/sh"
    rc_dir = rcdir.make()
    try:
        argv = for_path(path).launch(
            path,
            env,
            Prompt.of(themes.load("default"), [], themes.color_wanted(env), "demo"),
            rc_dir,
        )
        code: int = run(argv, env)
        return code
    finally:
        rcdir.remove(rc_dir)  # the rc removes it once read; not if the shell never started


def prepare(home: str, url: str, info: Any, own_dirs: bool = True) -> dict[str, str]:
    """Write the demo's config, keyring and dirs under `home`; return its environment.

    With `own_dirs` false the state, runtime and keyring dirs stay those of the caller's
    environment (the tests isolate those themselves).
    """
    import tomli_w

    for sub in ("config", "state", "data", "run", "aws"):
        os.makedirs(os.path.join(home, sub), mode=0o700, exist_ok=True)
    jump = info.jump
    document = {
        "jump": {
            "account_id": jump.account_id,
            "user_name": jump.user_name,
            "mfa_serial": jump.mfa_serial,
            "region": "us-east-1",
            "session_duration": "12h",
        },
        "defaults": {"role_duration": "1h"},
        # every production account asks you to type its name first
        "production_rule": [{"tag": {"environment": "prod"}, "confirm": True}],
        "account": [
            {
                "name": a.name,
                "id": a.id,
                "roles": list(a.roles),
                "region": a.region,
                "production": a.production,
                "tags": dict(a.tags),
            }
            for a in info.accounts
        ],
    }
    config = os.path.join(home, "config", "config.toml")
    with open(config, "wb") as handle:
        tomli_w.dump(document, handle)
    for name in ("config", "credentials"):
        open(os.path.join(home, "aws", name), "w").close()
    env = dict(os.environ)
    if own_dirs:
        env.update(
            JUMPSHELL_STATE_DIR=os.path.join(home, "state"),
            JUMPSHELL_RUNTIME_DIR=os.path.join(home, "run"),
            XDG_DATA_HOME=os.path.join(home, "data"),
            PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring",
        )
    bin_dir = os.path.dirname(sys.executable)  # jumpshell and aws, even in an unactivated venv
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        JUMPSHELL_CONFIG=config,
        AWS_ENDPOINT_URL=url,
        AWS_CONFIG_FILE=os.path.join(home, "aws", "config"),
        AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "aws", "credentials"),
        JUMPSHELL_DEMO_URL=url,
        JUMPSHELL_DEMO_SERIAL=jump.mfa_serial,
        JUMPSHELL_DEMO_HINT=" (demo: `jumpshell demo code` prints it)",
    )
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ):
        env.pop(name, None)
    _store_key(env, jump)
    return env


def _store_key(env: dict[str, str], jump: Any) -> None:
    """Put the demo user's key in the demo's own keyring, in a child so ours stays untouched."""
    import subprocess
    import sys

    secret = f"{jump.access_key_id}\n{jump.secret_access_key}\n"
    done = subprocess.run(
        # the seed just made this key: no need to ask AWS (nor to add a call to its record)
        [sys.executable, "-m", "jumpshell", "key", "add", "--no-check"],
        input=secret,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise UsageError(f"the demo could not store its key: {done.stderr.strip()}", "--debug")


def _stop_agent(home: str) -> None:
    """End the demo's own agent (killed if it will not stop), whatever state it is in."""
    from jumpshell.agentapi import AgentClient
    from jumpshell.errors import JumpshellError

    try:
        AgentClient(socket=os.path.join(home, "run", "agent.sock")).lock()
    except JumpshellError:
        pass  # it survived even a kill: nothing more the demo can do on its way out


def current_code() -> str:
    """The running demo's MFA code, from its local AWS."""
    url, serial = os.environ.get("JUMPSHELL_DEMO_URL"), os.environ.get("JUMPSHELL_DEMO_SERIAL")
    if not url or not serial:
        raise UsageError("no demo is running here", "run it inside `jumpshell demo`")
    import urllib.parse
    import urllib.request  # here, not at the top: every cold command imports this module

    query = urllib.parse.urlencode({"serial": serial})
    try:
        with urllib.request.urlopen(f"{url}/_localaws/code?{query}", timeout=5) as answer:
            body: str = answer.read().decode()
    except OSError as exc:
        raise UnreachableError(
            f"the demo's local AWS at {url} does not answer ({exc})", "start the demo again"
        ) from None
    try:
        data = json.loads(body)
    except ValueError:
        return body.strip()
    return str(data["code"]) if isinstance(data, dict) else str(data)
