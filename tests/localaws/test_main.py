"""`python -m jumpshell.localaws`: serves the demo world, and `code` asks it for the MFA code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request

import pyotp


def test_serve_then_code() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "jumpshell.localaws", "--world", "demo", "--latency-ms", "1"],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first.startswith("local AWS at http://127.0.0.1:")
        url = first.split(" at ", 1)[1].strip()
        banner = "".join(server.stdout.readline() for _ in range(4))
        assert (
            "42 accounts" in banner and "MFA serial arn:aws:iam::111111111111:mfa/alice" in banner
        )
        done = subprocess.run(
            [sys.executable, "-m", "jumpshell.localaws", "code", "--url", url],
            capture_output=True, text=True, timeout=30, check=True,
        )  # fmt: skip
        code = done.stdout.strip()
        with urllib.request.urlopen(f"{url}/_localaws/world", timeout=5) as answer:
            seed = json.loads(answer.read())["jump"]["mfa_seed"]
        assert len(code) == 6 and pyotp.TOTP(seed).verify(code, valid_window=1)
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0
