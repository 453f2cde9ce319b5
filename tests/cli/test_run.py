"""End to end through the installed CLI against the local AWS: login once, run, env, refusals."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jumpshell.localaws import LocalAWS, WorldBuilder, trust
from tests.conftest import BIN, Demo, js

PY = sys.executable
SHOW = (
    "import os, json; print(json.dumps({k: v for k, v in os.environ.items() "
    "if k.startswith(('AWS_', 'JUMPSHELL_'))}))"
)


def test_login_then_run_assumes_once_and_passes_the_environment(demo: Demo) -> None:
    demo.login()
    target = demo.prod()
    done = demo.js("run", target, "--yes", "--", PY, "-c", SHOW)
    assert done.returncode == 0, done.stderr
    env = json.loads(done.stdout)
    account = demo.info.account(target)
    assert env["JUMPSHELL_ACCOUNT_ID"] == account.id
    assert env["JUMPSHELL_PRODUCTION"] == "1"
    assert env["AWS_ACCESS_KEY_ID"].startswith("ASIA")
    assert "AWS_PROFILE" not in env
    again = demo.js("run", target, "--yes", "--", PY, "-c", SHOW)
    assert json.loads(again.stdout)["AWS_ACCESS_KEY_ID"] == env["AWS_ACCESS_KEY_ID"]
    assert len(demo.calls("GetSessionToken")) == 1
    assert len(demo.calls("AssumeRole")) == 1


def test_role_credentials_work_against_aws(demo: Demo) -> None:
    demo.login()
    target = demo.dev()
    script = "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"
    done = demo.js("run", target, "--", PY, "-c", script)
    assert done.returncode == 0, done.stderr
    account = demo.info.account(target)
    assert done.stdout.strip() == (
        f"arn:aws:sts::{account.id}:assumed-role/{account.roles[0]}/{demo.info.jump.user_name}"
    )


def test_exit_code_and_signal_pass_through(demo: Demo) -> None:
    demo.login()
    target = demo.dev()
    assert demo.js("run", target, "--", "sh", "-c", "exit 7").returncode == 7
    assert demo.js("run", target, "--", "sh", "-c", "kill -TERM $$").returncode == -15
    missing = demo.js("run", target, "--", "no-such-command-here")
    assert missing.returncode == 127
    assert "command not found" in missing.stderr


def test_wrong_mfa_code_is_refused_with_exit_3(demo: Demo) -> None:
    wrong = str((int(demo.code()) + 500000) % 1000000).zfill(6)
    done = demo.js("login", "--mfa-code", wrong)
    assert done.returncode == 3
    assert done.stderr.strip() == (
        "jumpshell: AWS refused the MFA code "
        "(check it; AWS takes each code once, so after a used one wait for the next)"
    )
    assert "Traceback" not in done.stderr


def test_a_code_used_once_is_refused_the_second_time(demo: Demo) -> None:
    code = demo.code()
    assert demo.js("login", "--mfa-code", code).returncode == 0
    assert demo.js("logout").returncode == 0
    again = demo.js("login", "--mfa-code", code)
    assert again.returncode == 3 and "AWS takes each code once" in again.stderr
    assert demo.js("login", "--mfa-code", demo.code()).returncode == 0  # the next code works
    assert [c["outcome"] for c in demo.calls("GetSessionToken")][0::2] == ["ok", "ok"]


def test_malformed_code_never_reaches_aws(demo: Demo) -> None:
    done = demo.js("login", "--mfa-code", "12345")
    assert done.returncode == 2
    assert "6 digits" in done.stderr
    assert demo.calls("GetSessionToken") == []


def test_no_tty_and_no_code_fails_at_once(demo: Demo) -> None:
    done = demo.js("run", demo.dev(), "--", "true", timeout=20)
    assert done.returncode == 3
    assert "no terminal" in done.stderr and "--mfa-code" in done.stderr


def test_untrusted_role_names_the_arn_and_the_trust_side(demo: Demo) -> None:
    account = next(a for a in demo.info.accounts if "Untrusted" in a.roles)
    done = demo.js("run", f"{account.name}/Untrusted", "--mfa-code", demo.code(), "--", "true")
    assert done.returncode == 3
    arn = f"arn:aws:iam::{account.id}:role/Untrusted"
    assert f"AWS refused AssumeRole on {arn}: the role does not exist, or its trust" in done.stderr
    assert f"trust policy in {account.id} does not let alice in" in done.stderr
    assert "alice's own policy allows it" in done.stderr
    refused = json.loads(demo.js("audit", "--json").stdout.splitlines()[-1])
    assert (refused["outcome"], refused["role_arn"], refused["side"]) == ("refused", arn, "trust")


def test_group_deny_names_the_identity_side(demo: Demo) -> None:
    account = next(a for a in demo.info.accounts if "BreakGlass" in a.roles)
    done = demo.js("run", f"{account.name}/BreakGlass", "--mfa-code", demo.code(), "--", "true")
    assert done.returncode == 3
    assert "a policy of alice's in the jump account denies it" in done.stderr
    assert "explicit Deny" in done.stderr


def test_external_id_refusal_mentions_it(demo: Demo) -> None:
    account = next(a for a in demo.info.accounts if "Vendor" in a.roles)
    done = demo.js("run", f"{account.name}/Vendor", "--mfa-code", demo.code(), "--", "true")
    assert done.returncode == 3
    assert "trust policy" in done.stderr
    text = demo.config.read_text().replace(
        f'name = "{account.name}"\n', f'name = "{account.name}"\nexternal_id = "jumpshell-demo"\n'
    )
    demo.config.write_text(text)
    assert demo.js("run", f"{account.name}/Vendor", "--", "true").returncode == 0


def test_without_leave_to_simulate_both_sides_are_named(
    local_aws: LocalAWS, isolated: Path
) -> None:
    from jumpshell.cli.demo import prepare

    world = WorldBuilder().account("dev").role("dev", "Developer", trust("999999999999")).build()
    info = local_aws.seed(world)
    env = prepare(str(isolated / "small"), local_aws.url, info, own_dirs=False)
    code = local_aws.totp(info.jump.mfa_serial)
    done = js("run", "dev/Developer", "--mfa-code", code, "--", "true", env=env)
    assert done.returncode == 3
    assert "AWS does not say which side refused" in done.stderr
    assert "identity policy" in done.stderr and "trust policy" in done.stderr
    assert "Traceback" not in done.stderr


def test_source_identity_refusal_says_the_trust_must_allow_it(demo: Demo) -> None:
    demo.set_jump("source_identity = true")
    done = demo.js("run", demo.dev(), "--mfa-code", demo.code(), "--", "true")
    assert done.returncode == 3
    assert "sts:SetSourceIdentity, as source_identity is on" in done.stderr
    assert demo.calls("AssumeRole")[-1]["source_identity"] == "alice"


def test_two_hour_duration_is_capped_with_a_reason(demo: Demo) -> None:
    demo.login()
    done = demo.js("run", demo.dev(), "--duration", "2h", "--", PY, "-c", SHOW)
    assert done.returncode == 0, done.stderr
    assert "capped to 1h" in done.stderr and "role chaining" in done.stderr
    assert demo.calls("AssumeRole")[0]["outcome"] == "ok"


def _expires_in(done: subprocess.CompletedProcess[str]) -> float:
    from datetime import datetime

    env = json.loads(done.stdout)
    expiration = datetime.fromisoformat(env["AWS_CREDENTIAL_EXPIRATION"].replace("Z", "+00:00"))
    return expiration.timestamp() - time.time()


def test_defaults_role_duration_is_used_and_capped_without_a_word(demo: Demo) -> None:
    demo.login()
    text = demo.config.read_text().replace('role_duration = "1h"', 'role_duration = "20m"')
    demo.config.write_text(text)
    done = demo.js("run", demo.dev(), "--", PY, "-c", SHOW)
    assert done.returncode == 0, done.stderr
    assert 15 * 60 < _expires_in(done) <= 20 * 60
    demo.config.write_text(text.replace('role_duration = "20m"', 'role_duration = "2h"'))
    demo.js("logout")
    demo.login()
    for _ in range(2):  # the config's duration: the user cannot change AWS's cap, no nagging
        done = demo.js("run", demo.dev(), "--", PY, "-c", SHOW)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert 50 * 60 < _expires_in(done) <= 60 * 60
    listed = demo.js("list")  # where it is said, once per listing
    assert listed.returncode == 0, listed.stderr
    assert listed.stderr.count("over 1h") == 1 and "role chaining" in listed.stderr


def test_cold_env_prints_the_whole_environment(demo: Demo) -> None:
    demo.login()
    target = demo.dev()
    warm = demo.js("run", target, "--", "jumpshell", "env", target, "--format", "json")
    cold = demo.js(  # --duration takes the full path; inside the target, nothing differs
        "run", target, "--", "jumpshell", "env", target, "--format", "json", "--duration", "1h"
    )
    assert warm.returncode == 0 and cold.returncode == 0, warm.stderr + cold.stderr
    assert set(json.loads(cold.stdout)) == set(json.loads(warm.stdout))
    assert "AWS_SESSION_TOKEN" in json.loads(cold.stdout)


def test_refresh_token_dies_with_its_command(demo: Demo) -> None:
    import urllib.error
    import urllib.request

    demo.login()
    show = (
        "import os; print(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI']); "
        "print(os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN'])"
    )
    done = demo.js("run", demo.dev(), "--refresh", "--", PY, "-c", show)
    assert done.returncode == 0, done.stderr
    url, token = done.stdout.split()
    request = urllib.request.Request(url, headers={"Authorization": token})
    with pytest.raises(urllib.error.URLError) as refused:  # its last token gone, the
        urllib.request.urlopen(request, timeout=5)  # endpoint no longer even listens
    assert isinstance(refused.value.reason, ConnectionRefusedError)


COUNT_UNTIL_TERM = """
import signal, sys
count = 0
def interrupted(signum, frame):
    global count
    count += 1
def terminated(signum, frame):
    print("interrupts", count, flush=True)
    sys.exit(0)
signal.signal(signal.SIGINT, interrupted)
signal.signal(signal.SIGTERM, terminated)
print("ready", flush=True)
signal.pause()
signal.pause()
"""


def test_refresh_forwards_sigterm_but_leaves_sigint_to_the_terminal(demo: Demo) -> None:
    """A terminal's Ctrl-C reaches the whole foreground group: forwarding it would double it."""
    demo.login()
    argv = [str(BIN / "jumpshell"), "run", demo.dev(), "--refresh", "--", PY, "-c"]
    with subprocess.Popen(
        [*argv, COUNT_UNTIL_TERM], env=demo.env, stdout=subprocess.PIPE, text=True
    ) as job:
        assert job.stdout is not None
        assert job.stdout.readline().strip() == "ready"
        job.send_signal(signal.SIGINT)  # to jumpshell alone: handled before SIGTERM, in order
        job.send_signal(signal.SIGTERM)
        assert job.stdout.readline().strip() == "interrupts 0"
        assert job.wait(timeout=10) == 0


def test_unknown_keys_are_warned_about_on_every_verb(demo: Demo) -> None:
    demo.set_jump('mfa_comand = "ykman oath accounts code"')
    demo.login()
    target = demo.dev()
    run = ["run", target, "--", "true"]
    verbs = [["list"], run, run, ["env", target]]
    for verb in verbs:  # the second run has the role held: the warm path warns too
        done = demo.js(*verb)
        assert done.returncode == 0, done.stderr
        assert "unknown key 'mfa_comand' ignored" in done.stderr, verb
    assert len(demo.calls("AssumeRole")) == 1


def test_an_agent_that_cannot_start_is_a_clear_error(demo: Demo, tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 100)
    env = dict(demo.env, JUMPSHELL_RUNTIME_DIR=str(deep))
    done = js("login", "--mfa-code", demo.code(), env=env)
    assert done.returncode == 2
    assert "session agent cannot be reached" in done.stderr and "Traceback" not in done.stderr


def test_unknown_target_suggests(demo: Demo) -> None:
    name = demo.dev()
    done = demo.js("run", name[:-1] + "x", "--", "true")
    assert done.returncode == 2
    assert f"did you mean {name}" in done.stderr


def test_env_formats_and_credential_process(demo: Demo) -> None:
    demo.login()
    target = demo.dev()
    sh = demo.js("env", target).stdout
    assert "export AWS_ACCESS_KEY_ID='ASIA" in sh and "unset AWS_PROFILE;" in sh
    fish = demo.js("env", target, "--format", "fish").stdout
    assert "set -gx JUMPSHELL_TARGET" in fish
    as_json = json.loads(demo.js("env", target, "--format", "json").stdout)
    assert as_json["JUMPSHELL_ACCOUNT"] == target
    process = json.loads(demo.js("credential-process", target).stdout)
    assert process["Version"] == 1 and process["Expiration"].endswith("Z")
    assert process["AccessKeyId"] == as_json["AWS_ACCESS_KEY_ID"]


def test_list_and_whoami(demo: Demo) -> None:
    rows = json.loads(demo.js("list", "--json").stdout)
    assert len(rows) >= 40
    assert any(r["production"] for r in rows)
    text = demo.js("list").stdout
    assert "PROD" in text
    who = demo.js("whoami").stdout
    assert demo.info.jump.user_name in who and "no MFA session" in who


def test_whoami_under_run_names_the_commands_environment_not_a_shell(demo: Demo) -> None:
    demo.login()
    dev = demo.dev()
    done = demo.js("run", dev, "--", str(BIN / "jumpshell"), "whoami")
    assert done.returncode == 0, done.stderr
    assert "this shell" not in done.stdout
    here = f"this environment: {dev}/Developer (set by `jumpshell run` or `env`, not a shell)"
    assert here in done.stdout.splitlines()
    assert "`run --refresh` gives keys that do" in done.stdout  # not "open the shell ..."
    # a run inside a jumpshell shell keeps the shell's chain, which names another target
    inside = {**demo.env, "JUMPSHELL_CHAIN": "payments-prod:Admin"}
    nested = js("run", dev, "--", str(BIN / "jumpshell"), "whoami", env=inside)
    assert nested.returncode == 0, nested.stderr
    assert here in nested.stdout.splitlines() and "this shell" not in nested.stdout


def test_logout_forgets_and_status_shows_no_secret(demo: Demo) -> None:
    demo.login()
    demo.js("run", demo.dev(), "--", "true")
    status = demo.js("status", "--json")
    data = json.loads(status.stdout)[0]
    assert data["mfa_expiration"] and data["roles"]
    assert "ASIA" not in status.stdout
    assert demo.js("logout").returncode == 0
    data = json.loads(demo.js("status", "--json").stdout)[0]
    assert data["mfa_expiration"] is None and data["roles"] == []
    assert demo.js("run", demo.dev(), "--", "true").returncode == 3


def test_production_confirm_needs_yes_without_a_tty(demo: Demo) -> None:
    demo.login()
    refused = demo.js("run", "payments-prod", "--", "true")
    assert refused.returncode == 2
    assert "--yes" in refused.stderr
    assert demo.js("run", "payments-prod", "--yes", "--", "true").returncode == 0
    listed = json.loads(demo.js("list", "--json").stdout)
    for name in [a["name"] for a in listed if a["production"]]:  # the demo's rule: all of them
        assert demo.js("run", name, "--", "true").returncode == 2, name


def test_refresh_gives_an_endpoint_that_serves_the_role(demo: Demo) -> None:
    demo.login()
    target = demo.dev()
    script = (
        "import os, boto3; assert 'AWS_ACCESS_KEY_ID' not in os.environ; "
        "print(boto3.client('sts').get_caller_identity()['Account'])"
    )
    done = demo.js("run", target, "--refresh", "--", PY, "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == demo.info.account(target).id


def _imports(stderr: str) -> set[str]:
    return {
        line.split("|")[-1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:") and "imported package" not in line
    }


def test_warm_path_imports_nothing_heavy(demo: Demo) -> None:
    demo.login()
    target = demo.dev()
    assert demo.js("run", target, "--", "true").returncode == 0  # now the role is held
    env = dict(demo.env, PYTHONPROFILEIMPORTTIME="1")
    from tests.conftest import js

    floor = subprocess.run([PY, "-c", "pass"], env=env, capture_output=True, text=True, check=True)
    done = js("run", target, "--", "true", env=env)
    assert done.returncode == 0
    added = _imports(done.stderr) - _imports(floor.stderr)
    assert "jumpshell.agentclient" in added
    heavy = {"boto3", "botocore", "keyring", "textual", "argparse", "tomllib", "json", "socket"}
    assert not {name.split(".")[0] for name in added} & heavy, sorted(added)
    assert len(demo.calls("AssumeRole")) == 1


def test_a_pipe_closed_early_ends_the_command_quietly_warm_and_cold(demo: Demo) -> None:
    """Python ignores SIGPIPE, and exec keeps an ignored signal ignored: `yes | head -1` in
    the command would print `yes: standard output: Broken pipe`, as in no plain shell."""
    demo.login()
    script = ["sh", "-c", "yes | head -1"]
    cold = demo.js("run", demo.dev(), "--", *script)  # no role held: the full path
    warm = demo.js("run", demo.dev(), "--", *script)  # held: the warm path in fast.py
    for done in (cold, warm):
        assert (done.returncode, done.stdout, done.stderr) == (0, "y\n", "")
