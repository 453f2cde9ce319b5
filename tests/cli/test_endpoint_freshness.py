"""The credential endpoint: whom it refuses, how it stays fresh, and the login hint once the
MFA session is gone. The local AWS's clock offset stands in for the hours that pass.

How an offset ages credentials: the agent and the SDKs judge expiry by this machine's clock,
the local AWS issues and checks them by its own. With its clock set back by almost a role
session (`NEAR`), every role credential it issues reaches us already inside every refresh
margin (the agent's 15 minutes, botocore's 10): each fetch has to refresh. Moving its clock
forward past a role session (`LATER`) makes everything issued before truly expire at AWS.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from jumpshell.agentstore import Store, Token, token_id
from jumpshell.assumeparams import AssumeParams, AwsEndpoint
from tests.conftest import BIN, Demo

PY = sys.executable
ROLE = 3600  # the demo's role_duration
NEAR = -(ROLE - 400)  # issued role credentials have 400 s left by our clock
LATER = NEAR + ROLE + 60  # ... and whatever was issued at NEAR has expired at AWS
HOLD = "import os, sys; print(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'], flush=True); "
HOLD += "print(os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN'], flush=True); sys.stdin.read()"
NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"})

# One GetCallerIdentity per line read, through one long-lived client: botocore refreshes its
# container credentials by itself, as a build or a shell's tool would
LOOP = """
import sys, boto3
from botocore.config import Config
sts = boto3.client("sts", config=Config(retries={"total_max_attempts": 1, "mode": "standard"}))
for _ in sys.stdin:
    try:
        arn = sts.get_caller_identity()["Arn"]
        key = sts._request_signer._credentials.get_frozen_credentials().access_key
        print("ok", key, arn, flush=True)
    except Exception as exc:
        print("fail", type(exc).__name__, str(exc).replace(chr(10), " "), flush=True)
"""


@contextmanager
def _refreshing(demo: Demo, target: str, script: str = HOLD) -> Iterator[subprocess.Popen[str]]:
    """`run TARGET --refresh -- python -c script`, its pipes open, until its stdin closes."""
    argv = [str(BIN / "jumpshell"), "run", target, "--refresh", "--", PY, "-c", script]
    job = subprocess.Popen(
        argv, env=demo.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert job.stdin is not None and job.stdout is not None
    try:
        yield job
    finally:
        job.stdin.close()
        job.wait(timeout=30)


@contextmanager
def _holding(demo: Demo, target: str) -> Iterator[tuple[str, str]]:
    """A refreshing command for `target` that holds its token: (url, token)."""
    with _refreshing(demo, target) as job:
        assert job.stdout is not None
        url, token = job.stdout.readline().strip(), job.stdout.readline().strip()
        assert url and token, "the command never started"
        yield url, token


def _get(url: str, token: str | None) -> tuple[int, str]:
    """The endpoint's HTTP status and body for a GET with `token` (none: no header)."""
    headers = {} if token is None else {"Authorization": token}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return int(answer.status), answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _creds(url: str, token: str) -> dict[str, str]:
    status, body = _get(url, token)
    assert status == 200, body
    creds: dict[str, str] = json.loads(body)
    return creds


def _identity(demo: Demo, creds: dict[str, str]) -> str:
    """The ARN AWS sees for `creds`, or the error code it answers with."""
    sts = boto3.client(
        "sts",
        endpoint_url=demo.aws.url,
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["Token"],
        config=NO_RETRY,
    )
    try:
        arn: str = sts.get_caller_identity()["Arn"]
    except ClientError as exc:
        return str(exc.response["Error"]["Code"])
    return arn


def _role(demo: Demo, account: str) -> str:
    acct = demo.info.account(account)
    return f"arn:aws:sts::{acct.id}:assumed-role/{acct.roles[0]}/"


def _other(demo: Demo) -> str:
    """A second non-production account with a Developer role."""
    return next(
        a.name
        for a in demo.info.accounts
        if not a.production and a.name != demo.dev() and "Developer" in a.roles
    )


def test_the_endpoint_listens_on_loopback_only(demo: Demo) -> None:
    demo.login()
    with _holding(demo, demo.dev()) as (url, _):
        assert url.startswith("http://127.0.0.1:")
        port = int(url.split(":")[2].split("/")[0])
        listening = []
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with open(table) as rows:
                for row in list(rows)[1:]:
                    fields = row.split()
                    if fields[3] == "0A" and fields[1].endswith(f":{port:04X}"):
                        listening.append(fields[1])
        assert listening == [f"0100007F:{port:04X}"]  # 127.0.0.1, no wildcard, no IPv6


def test_wrong_missing_and_other_shells_tokens_are_refused(demo: Demo) -> None:
    demo.login()
    with _holding(demo, demo.dev()) as (url, mine), _holding(demo, _other(demo)) as (url_b, b):
        assert url_b == url  # one endpoint: only the token tells the roles apart
        creds_a, creds_b = _creds(url, mine), _creds(url, b)
        assert _identity(demo, creds_a).startswith(_role(demo, demo.dev()))
        assert _identity(demo, creds_b).startswith(_role(demo, _other(demo)))
        secrets_seen = [mine, b, *creds_a.values(), *creds_b.values()]
        wrong = [
            None,  # no Authorization header
            "",
            secrets.token_urlsafe(32),
            mine[:-1],
            mine + "x",
            f"Bearer {mine}",
            mine.swapcase(),
        ]
        for token in wrong:
            status, body = _get(url, token)
            assert status == 403, (token, status, body)
            assert json.loads(body)["code"] == "InvalidToken", body
            for secret in secrets_seen:
                assert secret not in body
        # nothing in the request but the token picks the role: B's query gets A's role
        status, body = _get(f"{url}?target={_other(demo)}", mine)
        assert status == 200 and json.loads(body)["AccessKeyId"] == creds_a["AccessKeyId"]


def test_fresh_credentials_once_the_held_ones_near_expiry(demo: Demo) -> None:
    demo.login()
    demo.aws.set_clock_offset(NEAR)
    with _holding(demo, demo.dev()) as (url, token):
        assumed = len(demo.calls("AssumeRole"))
        first, second = _creds(url, token), _creds(url, token)
        assert first["AccessKeyId"] != second["AccessKeyId"]  # each inside the margin: renewed
        assert len(demo.calls("AssumeRole")) == assumed + 2
        demo.aws.set_clock_offset(LATER)  # everything issued at NEAR is now expired at AWS
        assert _identity(demo, second) == "ExpiredToken"
        third = _creds(url, token)
        assert _identity(demo, third).startswith(_role(demo, demo.dev()))
        assert _creds(url, token)["AccessKeyId"] == third["AccessKeyId"]  # an hour left: held
        assert len(demo.calls("AssumeRole")) == assumed + 3


def test_a_boto3_loop_outlives_its_role_credentials(demo: Demo) -> None:
    demo.login()
    demo.aws.set_clock_offset(NEAR)
    with _refreshing(demo, demo.dev(), LOOP) as job:
        assert job.stdin is not None and job.stdout is not None

        def call() -> str:
            assert job.stdin is not None and job.stdout is not None
            job.stdin.write("go\n")
            job.stdin.flush()
            line = job.stdout.readline().split()
            assert line[:1] == ["ok"], line
            assert line[2].startswith(_role(demo, demo.dev()))
            return line[1]

        # each generation reaches the loop inside botocore's refresh margin: it expires at
        # once for the SDK, which fetches again, and the agent assumes the role again
        keys = [call(), call(), call()]
        assert len(set(keys)) == 3
        demo.aws.set_clock_offset(LATER)  # and now every one of them has expired at AWS
        keys += [call(), call()]
        assert keys[3] not in keys[:3] and keys[4] == keys[3]  # renewed once, then held


def test_an_ended_mfa_session_says_log_in_and_a_login_anywhere_revives_the_token(
    demo: Demo,
) -> None:
    demo.login()
    demo.aws.set_clock_offset(NEAR)  # the held role credentials must be renewed at each fetch
    with _holding(demo, demo.dev()) as (url, token):
        assert _identity(demo, _creds(url, token)).startswith(_role(demo, demo.dev()))
        demo.aws.set_clock_offset(13 * 3600)  # the 12 h MFA session is over at AWS
        status, body = _get(url, token)
        assert status == 403, body  # not a 5xx: no SDK retries its way out of this
        answer = json.loads(body)
        assert answer["code"] == "LoginRequired" and "`jumpshell login`" in answer["message"]
        assert token not in body and "Traceback" not in body
        done = demo.js("login", "--mfa-code", demo.code())  # any terminal, not this command
        assert done.returncode == 0, done.stderr
        assert _identity(demo, _creds(url, token)).startswith(_role(demo, demo.dev()))


def test_the_store_holds_tokens_by_digest_only() -> None:
    params = AssumeParams(
        "k", "t", "arn:aws:iam::1:role/R", "default", "j", "s", "u", None, None, 900, "r",
        AwsEndpoint("", ""),
    )  # fmt: skip
    store = Store()
    token = secrets.token_urlsafe(32)
    store.tokens[token_id(token)] = Token(params, os.getpid(), None, token_id(token))
    assert store.token(token) is not None
    assert store.token(token[:-1]) is None and store.token(token + "x") is None
    held: Any = list(store.tokens)
    assert all(token not in repr(key) and token.encode() not in key for key in held)
