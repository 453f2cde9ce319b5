"""A long-lived boto3 client inside a real shell: fresh role credentials, then the login hint
when the MFA session ends, then the same shell working again once any terminal logs in.

The local AWS's clock offset ages credentials (see tests/cli/test_endpoint_freshness.py):
set back by almost a role session, it issues role credentials that reach the shell already
inside every refresh margin, so each call renews them.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Demo, require
from tests.shells.conftest import open_shell, user_rc

ROLE = 3600  # the demo's role_duration
NEAR = -(ROLE - 400)

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
print("done", flush=True)
"""


def test_a_loop_in_the_shell_renews_then_says_log_in_then_resumes(
    demo: Demo, isolated: Path
) -> None:
    bash = require("bash")
    user_rc(isolated, "bash")
    script = isolated / "loop.py"
    script.write_text(LOOP)
    demo.login()
    demo.aws.set_clock_offset(NEAR)
    session = open_shell(demo, bash, demo.dev())
    session.prompt()
    session.child.sendline(f"python {script}")
    account = demo.info.account(demo.dev())
    role = f"arn:aws:sts::{account.id}:assumed-role/{account.roles[0]}/"

    def call() -> tuple[str, str]:
        session.child.sendline("go")
        session.child.expect(r"\r\n(ok|fail) ([^\r\n]*)\r\n", timeout=60)
        return session.child.match.group(1), session.child.match.group(2)

    renewed = [call(), call()]
    assert [r[0] for r in renewed] == ["ok", "ok"], renewed
    assert renewed[0][1].split()[0] != renewed[1][1].split()[0]  # a new key each time
    assert all(r[1].split()[1].startswith(role) for r in renewed)
    demo.aws.set_clock_offset(13 * 3600)  # the 12 h MFA session is over at AWS
    outcome, said = call()
    assert outcome == "fail" and "run `jumpshell login` in any terminal" in said, said
    done = demo.js("login", "--mfa-code", demo.code())  # another terminal
    assert done.returncode == 0, done.stderr
    outcome, said = call()  # the same process, the same shell, the same token
    assert outcome == "ok" and said.split()[1].startswith(role), said
    session.child.sendeof()
    session.child.expect_exact("done")
    session.prompt()
    assert session.exit(0) == 0
