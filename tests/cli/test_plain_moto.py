"""A smoke set against plain moto: jumpshell keeps working with the servers people already use."""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from tests.conftest import js


@pytest.fixture
def moto_url() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_login_and_run_against_plain_moto(moto_url: str, isolated: Path) -> None:
    iam = boto3.client(
        "iam",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id="AKIAMOTOSETUP0000000",
        aws_secret_access_key="x" * 40,
    )
    iam.create_user(UserName="alice")
    key = iam.create_access_key(UserName="alice")["AccessKey"]
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"][
        "SerialNumber"
    ]
    config = isolated / "config" / "jumpshell" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        '[jump]\naccount_id = "123456789012"\nuser_name = "alice"\n'
        f'mfa_serial = "{serial}"\n\n'
        '[[account]]\nname = "dev"\nid = "222222222222"\nroles = ["Developer"]\n'
    )
    env = {**__import__("os").environ, "AWS_ENDPOINT_URL": moto_url}
    assert (
        js(
            "key", "add", input=f"{key['AccessKeyId']}\n{key['SecretAccessKey']}\n", env=env
        ).returncode
        == 0
    )
    assert js("login", "--mfa-code", "123456", env=env).returncode == 0
    show = "import os, json; print(json.dumps(dict(os.environ)))"
    done = js("run", "dev", "--", sys.executable, "-c", show, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["JUMPSHELL_ACCOUNT_ID"] == "222222222222"
