"""What warm `run`, `env`, `credential-process` [--session] cost over Python's start, and awsume.

Run by hand (not by pytest):  .venv/bin/python bench/run_overhead.py [--runs 30]
from a NON-editable venv with '.[demo]' and awsume (an editable install's import hook costs
every start some ms): `python3 -m venv /tmp/jsb && /tmp/jsb/bin/pip install '.[demo]' awsume`.

It starts the local AWS with the demo world in this process, sets up jumpshell (and awsume
and the AWS CLI, if installed) in a temp HOME against it, then times each command in turn,
interleaved, and prints medians, the ratio to the floor (`python3 -c pass`) and to warm `run`.
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

from jumpshell import agentclient
from jumpshell.cli.demo import prepare
from jumpshell.localaws import LocalAWS, demo_world

BIN = Path(sys.executable).parent
TARGET = "payments-dev"


def setup(home: Path) -> tuple[LocalAWS, dict[str, str], str]:
    aws = LocalAWS()
    aws.start()
    info = aws.seed(demo_world())
    env = prepare(str(home), aws.url, info)
    env["HOME"] = str(home)
    env["PATH"] = f"{BIN}:{env['PATH']}"
    login = [str(BIN / "jumpshell"), "login", "--mfa-code", aws.totp(info.jump.mfa_serial)]
    subprocess.run(login, env=env, check=True, capture_output=True)
    account = info.account(TARGET)
    role_arn = f"arn:aws:iam::{account.id}:role/{account.roles[0]}"
    aws_dir = home / "aws"
    (aws_dir / "credentials").write_text(
        f"[jump]\naws_access_key_id = {info.jump.access_key_id}\n"
        f"aws_secret_access_key = {info.jump.secret_access_key}\n"
    )
    (aws_dir / "config").write_text(
        f"[profile jump]\nregion = us-east-1\nmfa_serial = {info.jump.mfa_serial}\n\n"
        # awsume: MFA on the source profile -> a cached session token, then AssumeRole
        f"[profile {TARGET}]\nrole_arn = {role_arn}\nsource_profile = jump\nregion = us-east-1\n\n"
        # the AWS CLI: AssumeRole with MFA, role credentials cached in ~/.aws/cli/cache
        f"[profile cli-{TARGET}]\nrole_arn = {role_arn}\nsource_profile = jump\n"
        f"mfa_serial = {info.jump.mfa_serial}\nregion = us-east-1\n"
    )
    if (BIN / "aws").exists():
        import pexpect

        cli = [str(BIN / "aws"), "--profile", f"cli-{TARGET}", "sts", "get-caller-identity"]
        child = pexpect.spawn(cli[0], cli[1:], env=env, encoding="utf-8", timeout=60)
        child.expect("MFA code")
        child.sendline(aws.totp(info.jump.mfa_serial))
        child.expect(pexpect.EOF)
    if (BIN / "awsumepy").exists():
        _awsume_profile(home, env)
    return aws, env, info.jump.mfa_serial


def _awsume_profile(home: Path, env: dict[str, str]) -> None:
    """awsume's cheapest job: a profile that already holds session credentials.

    awsume re-asks for MFA when it assumes a role, so its warm case here is a profile it
    only has to read and export: a lower bound on what its cached-session path costs.
    """
    env["XDG_CONFIG_HOME"] = str(home / "xdg")  # awsume reads XDG dirs once XDG_DATA_HOME is set
    (home / "xdg" / "awsume").mkdir(parents=True)
    (home / "xdg" / "awsume" / "config.yaml").write_text(
        "colors: false\nfuzzy-match: false\nrole-duration: 0\n"
    )
    role = subprocess.run(
        [str(BIN / "jumpshell"), "env", TARGET, "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    creds = json.loads(role.stdout)
    with (home / "aws" / "credentials").open("a") as handle:
        handle.write(
            f"\n[awsume-{TARGET}]\naws_access_key_id = {creds['AWS_ACCESS_KEY_ID']}\n"
            f"aws_secret_access_key = {creds['AWS_SECRET_ACCESS_KEY']}\n"
            f"aws_session_token = {creds['AWS_SESSION_TOKEN']}\nregion = us-east-1\n"
        )


def commands(env: dict[str, str]) -> dict[str, list[str]]:
    js = str(BIN / "jumpshell")
    found = {
        "python3 -c pass (floor)": [sys.executable, "-c", "pass"],
        "jumpshell run (warm: role held)": [js, "run", TARGET, "--", "true"],
        "jumpshell env (warm)": [js, "env", TARGET],
        "jumpshell credential-process (warm)": [js, "credential-process", TARGET],
        "jumpshell credential-process --session (warm)": [js, "credential-process", "--session"],
        # `--jump=NAME` is a spelling the warm path leaves to argparse: today's full path
        "jumpshell credential-process --session (full path)": [
            js,
            "credential-process",
            "--jump=default",
            "--session",
        ],
        "jumpshell run (MFA session only)": [js, "run", TARGET, "--", "true"],
    }
    if (BIN / "awsumepy").exists():
        found["awsume (session profile)"] = [str(BIN / "awsumepy"), f"awsume-{TARGET}"]
    if (BIN / "aws").exists():
        found["aws CLI (warm cache)"] = [
            str(BIN / "aws"),
            "--profile",
            f"cli-{TARGET}",
            "sts",
            "get-caller-identity",
        ]
    return found


def measure(runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    cmds = commands(env)
    sock = os.path.join(env["JUMPSHELL_RUNTIME_DIR"], "agent.sock")
    subprocess.run(cmds["jumpshell run (warm: role held)"], env=env, check=True)
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, argv in cmds.items():
            if "MFA session only" in name:
                agentclient.call({"op": "roles_clear"}, path=sock)
            start = time.perf_counter()
            done = subprocess.run(
                argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
            )
            times[name].append((time.perf_counter() - start) * 1000)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed: {done.stderr.decode()[-400:]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="js-bench-"))
    aws, env, _ = setup(home)
    try:
        times = measure(args.runs, env)
    finally:
        agentclient.call(
            {"op": "lock"}, path=os.path.join(env["JUMPSHELL_RUNTIME_DIR"], "agent.sock")
        )
        aws.stop()
        shutil.rmtree(home, ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    floor = medians["python3 -c pass (floor)"]
    warm = medians["jumpshell run (warm: role held)"]
    print(f"{args.runs} interleaved runs each, medians, {os.cpu_count()} cores\n")
    print("| command | median ms | over floor ms | x floor | x jumpshell warm run |")
    print("|---|---:|---:|---:|---:|")
    for name, median in medians.items():
        print(
            f"| {name} | {median:.1f} | {median - floor:+.1f} | {median / floor:.2f}x "
            f"| {median / warm:.1f}x |"
        )


if __name__ == "__main__":
    main()
