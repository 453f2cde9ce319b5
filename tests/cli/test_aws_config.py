"""~/.aws/config as a source of targets (issue 17, item 1), and `import aws-config`."""

from __future__ import annotations

import json
import os
import sys
import time
import tomllib
from pathlib import Path

from jumpshell.localaws import LocalAWS
from tests.conftest import Demo


def _id(demo: Demo, name: str) -> str:
    return next(a.id for a in demo.info.accounts if a.name == name)


def _aws_config(demo: Demo) -> Path:
    """An aws-vault user's file: fifteen profiles, five of them targets (one chained through
    another role profile), seven skipped."""
    serial = demo.info.jump.mfa_serial
    arn = "arn:aws:iam::{}:role/{}".format
    text = f"""\
[default]
region = eu-north-1
output = json

[profile jump]
mfa_serial = {serial}

[profile common]
region = eu-west-1
duration_seconds = 1800

[profile via-jump]
source_profile = jump
mfa_serial = {serial}

[profile pay-admin]
source_profile = jump
role_arn = {arn(_id(demo, "payments-prod"), "Admin")}
mfa_serial = {serial}

[profile pay-dev]
include_profile = common
source_profile = jump
role_arn = {arn(_id(demo, "payments-dev"), "Developer")}

[profile search-ro]
include_profile = via-jump
role_arn = {arn(_id(demo, "search-dev"), "ReadOnly")}
region = ap-southeast-2

[profile vendor]
source_profile = jump
role_arn = {arn(_id(demo, "billing"), "Vendor")}
external_id = jumpshell-demo
role_session_name = alice-vendor

[profile chained]
source_profile = pay-admin
role_arn = {arn(_id(demo, "logging"), "ReadOnly")}

[profile loop-a]
source_profile = loop-b
role_arn = {arn(_id(demo, "logging"), "Admin")}

[profile loop-b]
source_profile = loop-a
role_arn = {arn(_id(demo, "logging"), "ReadOnly")}

[profile sso-prod]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = {_id(demo, "payments-prod")}
sso_role_name = Admin

[profile granted]
credential_process = granted credential-process --profile x

[profile ci]
role_arn = {arn(_id(demo, "artifacts"), "Developer")}
web_identity_token_file = /tmp/token

[profile billing]
source_profile = jump
role_arn = {arn(_id(demo, "billing"), "ReadOnly")}

[profile other-user]
aws_access_key_id = AKIAEXAMPLEEXAMPLE00
aws_secret_access_key = not-a-real-secret
"""
    path = Path(demo.env["AWS_CONFIG_FILE"])
    path.write_text(text)
    return path


def _from_aws(demo: Demo) -> dict[str, dict[str, object]]:
    done = demo.js("list", "--json")
    assert done.returncode == 0, done.stderr
    return {r["name"]: r for r in json.loads(done.stdout) if r["source"] != str(demo.config)}


def test_aws_vault_profiles_become_targets(demo: Demo) -> None:
    path = _aws_config(demo)
    demo.set_jump('aws_profile = "jump"')
    found = _from_aws(demo)
    assert sorted(found) == ["chained", "pay-admin", "pay-dev", "search-ro", "vendor"]
    assert found["pay-dev"]["region"] == "eu-west-1"  # from include_profile
    assert found["search-ro"]["region"] == "ap-southeast-2"  # its own wins over the include
    assert found["vendor"]["region"] == "eu-north-1"  # [default]'s, as aws-vault reads it
    assert found["vendor"]["id"] == _id(demo, "billing")
    assert str(found["vendor"]["source"]).startswith(f"{path}:")
    # an account the config lists keeps its production flag (and its confirmation) by id
    assert found["pay-admin"]["production"] is True and found["pay-dev"]["production"] is False
    # and a [[production_rule]] by name holds for a profile's name
    assert found["search-ro"]["production"] is False
    import tomli_w

    data = tomllib.loads(demo.config.read_text())
    data["production_rule"].append({"name": "search-*", "confirm": True})
    demo.config.write_text(tomli_w.dumps(data))
    assert _from_aws(demo)["search-ro"]["production"] is True
    refused = demo.js("run", "pay-admin", "--", "true")
    assert refused.returncode == 2 and "pay-admin is production" in refused.stderr
    skipped = demo.js("list", "--skipped")
    assert skipped.returncode == 0, skipped.stderr
    why = {line.split("'")[1]: line for line in skipped.stdout.splitlines()}
    assert sorted(why) == ["billing", "ci", "granted", "loop-a", "loop-b", "other-user", "sso-prod"]
    assert "SSO" in why["sso-prod"] and "config has an account" in why["billing"]
    assert "in a loop" in why["loop-a"]
    assert "7 AWS config profile(s)" in demo.js("list").stderr
    # the role's ARN and its session name, through the external id the profile names
    demo.login()
    done = demo.js("run", "vendor", "--", "aws", "sts", "get-caller-identity")
    assert done.returncode == 0, done.stderr
    assumed = json.loads(done.stdout)["Arn"]
    assert assumed == f"arn:aws:sts::{_id(demo, 'billing')}:assumed-role/Vendor/alice-vendor"
    [call] = [c for c in demo.calls("AssumeRole") if "Vendor" in str(c)]
    assert "Vendor" in json.dumps(call)


def test_an_edit_of_the_aws_config_is_seen_at_once(demo: Demo) -> None:
    """The rows cache and the agent's parsed copy are keyed on the AWS config too."""
    path = _aws_config(demo)
    demo.set_jump('aws_profile = "jump"')
    assert "vendor" in _from_aws(demo)
    tab = ["__complete", "targets", "vendor"]
    assert demo.js(*tab).stdout.split("\t")[0] == "vendor"  # the names cache, made
    demo.login()  # an agent holds the config now
    path.write_text(path.read_text().replace("[profile vendor]", "[profile vendor2]"))
    assert demo.js(*tab).stdout.split("\t")[0] == "vendor2"  # a Tab sees the edit too
    found = _from_aws(demo)
    assert "vendor2" in found and "vendor" not in found
    from jumpshell.app import target_rows

    env = {k: v for k, v in demo.env.items()}
    old = dict(os.environ)
    os.environ.update(env)
    try:
        names = {r.account for r in target_rows(str(demo.config))}
    finally:
        os.environ.clear()
        os.environ.update(old)
    assert "vendor2" in names and "vendor" not in names


def test_aws_config_off(demo: Demo) -> None:
    _aws_config(demo)
    demo.set_jump('aws_profile = "jump"\naws_config = false')
    assert _from_aws(demo) == {}


def test_an_aws_config_botocore_refuses_is_a_warning(demo: Demo) -> None:
    path = _aws_config(demo)
    demo.set_jump('aws_profile = "jump"')
    path.write_text(path.read_text().replace("[profile vendor]", "[profile vendor"))
    done = demo.js("list")
    assert done.returncode == 0, done.stderr  # the config's own targets still work
    assert f"{path}: the AWS config cannot be parsed" in done.stderr
    assert "vendor" not in done.stdout


def test_aws_config_on_needs_a_profile(demo: Demo) -> None:
    demo.set_jump("aws_config = true")
    done = demo.js("list")
    assert done.returncode == 2
    assert done.stderr.startswith(f"jumpshell: {demo.config}:") and "aws_profile" in done.stderr


def test_import_aws_config_writes_the_same_targets(demo: Demo) -> None:
    _aws_config(demo)
    demo.set_jump('aws_profile = "jump"')
    before = _from_aws(demo)
    shown = demo.js("import", "aws-config")  # no --yes and no terminal: shows, writes nothing
    assert shown.returncode == 2 and "[[account]]" in shown.stdout
    assert shown.stderr == "jumpshell: no terminal to confirm on (pass --yes)\n"
    assert 'name = "vendor"' in shown.stdout and 'external_id = "jumpshell-demo"' in shown.stdout
    assert 'role_session_name = "alice-vendor"' in shown.stdout
    assert "aws_config" not in demo.config.read_text()  # nothing written yet
    done = demo.js("import", "aws-config", "--yes")
    assert done.returncode == 0, done.stderr
    data = tomllib.loads(demo.config.read_text())
    assert data["jump"]["aws_config"] is False  # the TOML is the source now
    after = {
        r["name"]: r for r in json.loads(demo.js("list", "--json").stdout) if r["name"] in before
    }
    for name, row in before.items():
        assert after[name]["source"] == str(demo.config)
        for key in ("id", "roles", "region", "jump", "production"):
            assert after[name][key] == row[key], (name, key)
    demo.login()
    done = demo.js("run", "vendor", "--", "aws", "sts", "get-caller-identity")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Arn"].endswith(":assumed-role/Vendor/alice-vendor")
    again = demo.js("import", "aws-config", "--yes")  # nothing is written twice
    assert again.returncode == 0 and demo.config.read_text().count('name = "vendor"') == 1


# -- item 2: existing profiles keep working: one MFA session for all of them ---------------
def _session_profiles(demo: Demo) -> tuple[list[str], Path]:
    """Three role profiles whose source_profile runs `credential-process --session`."""
    counter = demo.home / "mfa-asked"
    script = demo.home / "mfa.sh"
    script.write_text(f'#!/bin/sh\necho asked >> "{counter}"\nexec jumpshell demo code\n')
    script.chmod(0o700)
    demo.set_jump(f'mfa_command = "{script}"')
    arn = "arn:aws:iam::{}:role/{}".format
    roles = {
        "a": arn(_id(demo, "payments-dev"), "Developer"),
        "b": arn(_id(demo, "search-dev"), "ReadOnly"),
        "c": arn(_id(demo, "artifacts"), "Developer"),
    }
    text = "[profile js]\ncredential_process = jumpshell credential-process --session\n"
    for name, role in roles.items():
        text += f"\n[profile {name}]\nsource_profile = js\nrole_arn = {role}\nregion = us-east-1\n"
    Path(demo.env["AWS_CONFIG_FILE"]).write_text(text)
    return list(roles.values()), counter


def _assumed(arn: str) -> str:
    """The role ARN behind an assumed-role ARN."""
    account, rest = arn.split("::", 1)[1].split(":assumed-role/")
    return f"arn:aws:iam::{account}:role/{rest.split('/')[0]}"


def test_credential_process_session_one_mfa_for_every_tool(demo: Demo) -> None:
    import subprocess

    roles, counter = _session_profiles(demo)
    for name, role in zip("abc", roles, strict=True):
        done = subprocess.run(
            ["aws", "sts", "get-caller-identity", "--profile", name, "--output", "json"],
            env=demo.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert _assumed(json.loads(done.stdout)["Arn"]) == role
    probe = (
        "import boto3, sys\n"
        "for name in 'abc':\n"
        "    s = boto3.Session(profile_name=name)\n"
        "    print(s.client('sts').get_caller_identity()['Arn'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=demo.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [_assumed(a) for a in done.stdout.split()] == roles
    assert len(demo.calls("GetSessionToken")) == 1  # one MFA session for six role sessions
    assert counter.read_text().count("asked") == 1  # and one code asked for
    assert len(demo.calls("AssumeRole")) == 6


def test_credential_process_session_json(demo: Demo) -> None:
    demo.login()
    done = demo.js("credential-process", "--session")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["Version"] == 1 and data["AccessKeyId"].startswith("ASIA")
    assert data["SessionToken"] and data["Expiration"].endswith("Z")
    both = demo.js("credential-process", "--session", "payments-dev")
    assert both.returncode == 2 and both.stderr.startswith("jumpshell: ")


def test_a_chain_through_two_role_profiles(local_aws: LocalAWS, isolated: Path) -> None:
    """jump -> hub/Hub -> spoke/Spoke -> leaf/Leaf: each role trusts only the one before it,
    so only the chain reaches Leaf; each link is assumed once and held."""
    from jumpshell.cli.demo import prepare
    from jumpshell.localaws.world import WorldBuilder, allow_assume, trust

    ids = {"hub": "222222222201", "spoke": "222222222202", "leaf": "222222222203"}
    role = "arn:aws:iam::{}:role/{}".format
    onward = allow_assume()  # each link's own policy lets it assume the next
    world = (
        WorldBuilder()
        .account("hub", id=ids["hub"])
        .role("hub", "Hub", policies=(onward,))
        .account("spoke", id=ids["spoke"])
        .role(
            "spoke", "Spoke", trust(role(ids["hub"], "Hub"), mfa=False), policies=(allow_assume(),)
        )
        .account("leaf", id=ids["leaf"])
        .role("leaf", "Leaf", trust(role(ids["spoke"], "Spoke"), mfa=False))
        .build()
    )
    info = local_aws.seed(world)
    demo = Demo(
        local_aws, info, prepare(str(isolated / "demo"), local_aws.url, info, False), isolated
    )
    demo.set_jump('aws_profile = "jump"')
    Path(demo.env["AWS_CONFIG_FILE"]).write_text(
        "[profile jump]\n"
        f"[profile to-hub]\nsource_profile = jump\nrole_arn = {role(ids['hub'], 'Hub')}\n"
        f"[profile to-spoke]\nsource_profile = to-hub\nrole_arn = {role(ids['spoke'], 'Spoke')}\n"
        f"[profile to-leaf]\nsource_profile = to-spoke\nrole_arn = {role(ids['leaf'], 'Leaf')}\n"
    )
    demo.login()
    for _ in range(2):  # the second time, every link is held
        done = demo.js("run", "to-leaf", "--", "aws", "sts", "get-caller-identity")
        assert done.returncode == 0, done.stderr
        assert _assumed(json.loads(done.stdout)["Arn"]) == role(ids["leaf"], "Leaf")
    assumed = [c["role_arn"] for c in _audit(demo) if c.get("action") == "AssumeRole"]
    assert assumed == [
        role(ids[n], r) for n, r in (("hub", "Hub"), ("spoke", "Spoke"), ("leaf", "Leaf"))
    ]
    assert len(demo.calls("AssumeRole")) == 3
    direct = demo.js("run", f"{ids['leaf']}/Leaf", "--", "true")  # not from the jump user
    assert direct.returncode == 3, direct.stderr
    # the agent's credential endpoint refreshes a chain link by link (held roles dropped)
    script = (
        "import os, json, urllib.request, boto3\n"
        "from jumpshell import agentclient, paths\n"
        "agentclient.call({'op': 'roles_clear'}, path=paths.agent_socket())\n"
        "request = urllib.request.Request(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'],\n"
        "    headers={'Authorization': os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN']})\n"
        "c = json.load(urllib.request.urlopen(request, timeout=30))\n"
        "sts = boto3.client('sts', region_name='us-east-1', aws_access_key_id=c['AccessKeyId'],\n"
        "    aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['Token'])\n"
        "print(sts.get_caller_identity()['Arn'])\n"
    )
    done = demo.js("run", "to-leaf", "--refresh", "--", sys.executable, "-c", script)
    assert done.returncode == 0, done.stderr
    assert _assumed(done.stdout.strip()) == role(ids["leaf"], "Leaf")
    granted = [c for c in demo.calls("AssumeRole") if c["outcome"] == "ok"]
    assert len(granted) == 6  # the three links again, by the agent


def _audit(demo: Demo) -> list[dict[str, object]]:
    done = demo.js("audit", "--json")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_role_profiles_on_the_session_profile_stay_targets(demo: Demo) -> None:
    """The README's three-line change (source_profile = a profile running `credential-process
    --session`) keeps the role profiles targets of jumpshell too, not 'not a jump user's'."""
    roles, _ = _session_profiles(demo)
    demo.set_jump('aws_profile = "jump"')
    path = Path(demo.env["AWS_CONFIG_FILE"])  # and a target's own profile: no warning either
    path.write_text(
        path.read_text() + "\n[profile cp]\ncredential_process = jumpshell credential-process b\n"
    )
    found = _from_aws(demo)
    assert sorted(found) == ["a", "b", "c"]
    assert [found[n]["id"] for n in "abc"] == [r.split(":")[4] for r in roles]
    skipped = demo.js("list", "--skipped")
    assert skipped.returncode == 0 and skipped.stdout == "", skipped.stdout
    assert "not targets" not in demo.js("list").stderr
    demo.login()
    done = demo.js("run", "b", "--", "aws", "sts", "get-caller-identity")
    assert done.returncode == 0, done.stderr
    assert _assumed(json.loads(done.stdout)["Arn"]) == roles[1]


def test_the_trap_profile_is_skipped_saying_why(demo: Demo) -> None:
    """credential_process and role_arn in one profile (the README's trap): list --skipped
    says what the AWS CLI does with it and how to fix it, not 'no source_profile'."""
    demo.set_jump('aws_profile = "jump"')
    role = f"arn:aws:iam::{_id(demo, 'payments-dev')}:role/Developer"
    Path(demo.env["AWS_CONFIG_FILE"]).write_text(
        "[profile jump]\nregion = us-east-1\n\n[profile trap]\n"
        f"credential_process = jumpshell credential-process --session\nrole_arn = {role}\n"
    )
    done = demo.js("list", "--skipped")
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    assert "'trap'" in line and "the AWS CLI ignores credential_process" in line, line
    assert "source_profile" in line


def test_import_without_aws_profile_says_to_set_it(demo: Demo) -> None:
    """Not "no AWS config profile to import (list --skipped says why)" with --skipped empty."""
    _aws_config(demo)
    done = demo.js("import", "aws-config", "--yes")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert 'aws_profile = "NAME"' in done.stderr and done.stderr.count("\n") == 1, done.stderr


def test_duration_seconds_12h_is_capped_without_a_note_on_each_run(demo: Demo) -> None:
    """aws-vault users often write duration_seconds = 43200; AWS gives a chained role 1h."""
    text = f"""\
[profile jump]
mfa_serial = {demo.info.jump.mfa_serial}

[profile long]
source_profile = jump
role_arn = arn:aws:iam::{_id(demo, "payments-dev")}:role/Developer
duration_seconds = 43200
"""
    Path(demo.env["AWS_CONFIG_FILE"]).write_text(text)
    demo.set_jump('aws_profile = "jump"')
    demo.login()
    show = "import os; print(os.environ['AWS_CREDENTIAL_EXPIRATION'])"
    from datetime import datetime

    for _ in range(3):
        done = demo.js("run", "long", "--", sys.executable, "-c", show)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        ends = datetime.fromisoformat(done.stdout.strip().replace("Z", "+00:00")).timestamp()
        assert ends - time.time() <= 3600  # the local AWS, strict, refuses more when chained
    listed = demo.js("list")
    assert listed.returncode == 0, listed.stderr
    [note] = [line for line in listed.stderr.splitlines() if "over 1h" in line]
    assert "long" in note and "nothing to change" in note


def test_a_refused_link_of_a_chain_names_the_role_before_it(
    local_aws: LocalAWS, isolated: Path
) -> None:
    """jump -> hub/Hub -> spoke/Spoke: Hub is the caller, not the jump user; its own policy
    and the trust of the role it assumes are what refuse, and the message says so."""
    from jumpshell.cli.demo import prepare
    from jumpshell.localaws.world import WorldBuilder, allow_assume, trust

    ids = {"hub": "222222222201", "spoke": "222222222202", "leaf": "222222222203"}
    role = "arn:aws:iam::{}:role/{}".format
    simulate_self = {  # so that jumpshell can ask which side refused
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "iam:SimulatePrincipalPolicy",
                "Resource": role(ids["hub"], "Hub"),
            }
        ],
    }
    world = (
        WorldBuilder()
        .account("hub", id=ids["hub"])
        .role("hub", "Hub", policies=(allow_assume(role(ids["spoke"], "Spoke")), simulate_self))
        .account("spoke", id=ids["spoke"])
        .role("spoke", "Spoke", trust(ids["leaf"], mfa=False))  # does not let Hub in
        .account("leaf", id=ids["leaf"])
        .role("leaf", "Leaf", trust(role(ids["hub"], "Hub"), mfa=False))  # Hub may not ask
        .build()
    )
    info = local_aws.seed(world)
    demo = Demo(
        local_aws, info, prepare(str(isolated / "demo"), local_aws.url, info, False), isolated
    )
    demo.set_jump('aws_profile = "jump"')
    Path(demo.env["AWS_CONFIG_FILE"]).write_text(
        "[profile jump]\n"
        f"[profile to-hub]\nsource_profile = jump\nrole_arn = {role(ids['hub'], 'Hub')}\n"
        f"[profile to-spoke]\nsource_profile = to-hub\nrole_arn = {role(ids['spoke'], 'Spoke')}\n"
        f"[profile to-leaf]\nsource_profile = to-hub\nrole_arn = {role(ids['leaf'], 'Leaf')}\n"
    )
    demo.login()
    leaf = demo.js("run", "to-leaf", "--", "true")
    assert leaf.returncode == 3, leaf.stderr
    assert "no policy of the role to-hub/Hub (the link before it in the chain" in leaf.stderr
    assert f"in account {ids['hub']} allows sts:AssumeRole" in leaf.stderr
    assert f"ask account {ids['hub']}'s administrator to grant it to the role to-hub/Hub" in (
        leaf.stderr
    )
    assert "alice" not in leaf.stderr and "jump account" not in leaf.stderr
    spoke = demo.js("run", "to-spoke", "--", "true")
    assert spoke.returncode == 3, spoke.stderr
    assert f"its trust policy in {ids['spoke']} does not let the role to-hub/Hub" in spoke.stderr
    assert f"to let {role(ids['hub'], 'Hub')} in" in spoke.stderr
    assert "alice" not in spoke.stderr and "MFA" not in spoke.stderr
    assert len(spoke.stderr.strip().splitlines()) == 1
