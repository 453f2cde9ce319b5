"""Multi-account routing to moto, the federation endpoint, the AWS CLI, the scale world."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from jumpshell.localaws import LocalAWS, WorldInfo, demo_world, scale_world
from tests.conftest import require
from tests.localaws.helpers import assume, client, mfa_session, refused, role_arn, user_creds


@pytest.fixture
def info(local_aws: LocalAWS) -> WorldInfo:
    return local_aws.seed(demo_world())


def _role(aws: LocalAWS, info: WorldInfo, account: str, role: str = "Developer") -> Any:
    return assume(aws, mfa_session(aws, info), role_arn(info, account, role))["Credentials"]


def test_each_account_sees_its_own_buckets(local_aws: LocalAWS, info: WorldInfo) -> None:
    a = client(local_aws, "s3", _role(local_aws, info, "search-dev"))
    b = client(local_aws, "s3", _role(local_aws, info, "identity-dev"))
    b.create_bucket(Bucket="made-in-identity-dev")
    b.put_object(Bucket="made-in-identity-dev", Key="hello.txt", Body=b"hi")
    names_b = {x["Name"] for x in b.list_buckets()["Buckets"]}
    names_a = {x["Name"] for x in a.list_buckets()["Buckets"]}
    assert "made-in-identity-dev" in names_b
    assert names_a == {"search-dev-index-snapshots"}
    body = b.get_object(Bucket="made-in-identity-dev", Key="hello.txt")["Body"].read()
    assert body == b"hi"


def test_iam_list_roles_shows_that_accounts_roles(local_aws: LocalAWS, info: WorldInfo) -> None:
    iam = client(local_aws, "iam", _role(local_aws, info, "security", "Admin"))
    roles = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    assert roles == set(info.account("security").roles)
    jump = client(local_aws, "iam", user_creds(info))
    assert [u["UserName"] for u in jump.list_users()["Users"]] == ["alice"]


def test_organization_lists_the_member_accounts(local_aws: LocalAWS, info: WorldInfo) -> None:
    org = client(local_aws, "organizations", user_creds(info))
    accounts = org.list_accounts()["Accounts"]
    ids = {a["Id"]: a["Name"] for a in accounts}
    assert all(ids[a.id] == a.name for a in info.accounts)
    first = info.accounts[0]
    tags = org.list_tags_for_resource(ResourceId=first.id)["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == first.tags
    parent = org.list_parents(ChildId=first.id)["Parents"][0]
    ou = org.describe_organizational_unit(OrganizationalUnitId=parent["Id"])
    assert ou["OrganizationalUnit"]["Name"] == first.ou.rsplit("/", 1)[1]


@pytest.mark.parametrize("version", [None, "s3v4"])
def test_presigned_url_is_checked(
    local_aws: LocalAWS, info: WorldInfo, version: str | None
) -> None:
    import boto3
    from botocore.config import Config

    creds = _role(local_aws, info, "payments-dev")
    s3 = boto3.client(
        "s3",
        endpoint_url=local_aws.url,
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        config=Config(signature_version=version) if version else None,
    )
    s3.put_object(Bucket="payments-dev-artifacts", Key="k", Body=b"v")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "payments-dev-artifacts", "Key": "k"}
    )
    with urllib.request.urlopen(url, timeout=5) as answer:
        assert answer.read() == b"v"
    marker = "X-Amz-Signature=" if version else "Signature="
    assert _get(url.replace(marker, marker + "0"))[0] == 403


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_federation_endpoint(local_aws: LocalAWS, info: WorldInfo) -> None:
    creds = _role(local_aws, info, "data-dev")
    session = {
        "sessionId": creds["AccessKeyId"],
        "sessionKey": creds["SecretAccessKey"],
        "sessionToken": creds["SessionToken"],
    }
    query = urllib.parse.urlencode({"Action": "getSigninToken", "Session": json.dumps(session)})
    status, _, body = _get(f"{local_aws.url}/federation?{query}")
    assert status == 200
    token = json.loads(body)["SigninToken"]
    login = urllib.parse.urlencode(
        {
            "Action": "login",
            "Issuer": "jumpshell",
            "Destination": "https://console.aws.amazon.com/",
            "SigninToken": token,
        }
    )
    status, headers, _ = _get(f"{local_aws.url}/federation?{login}")
    assert (status, headers["Location"]) == (302, "https://console.aws.amazon.com/")
    status, _, _ = _get(f"{local_aws.url}/federation?{login.replace(token[:8], 'x' * 8)}")
    assert status == 400
    bad = dict(session, sessionKey="x" * 40)
    query = urllib.parse.urlencode({"Action": "getSigninToken", "Session": json.dumps(bad)})
    assert _get(f"{local_aws.url}/federation?{query}")[0] == 400
    long_lived = {"sessionId": info.jump.access_key_id,
                  "sessionKey": info.jump.secret_access_key, "sessionToken": ""}  # fmt: skip
    query = urllib.parse.urlencode({"Action": "getSigninToken", "Session": json.dumps(long_lived)})
    assert _get(f"{local_aws.url}/federation?{query}")[0] == 400
    made = [c for c in local_aws.calls() if str(c["action"]).startswith("federation:")]
    assert [(c["action"], c["outcome"]) for c in made] == [
        ("federation:getSigninToken", "ok"),
        ("federation:login", "ok"),
        ("federation:login", "refused"),
        ("federation:getSigninToken", "refused"),
        ("federation:getSigninToken", "refused"),
    ]
    assert made[0]["caller_arn"] == f"arn:aws:sts::{info.account('data-dev').id}:assumed-role/" + (
        f"{info.account('data-dev').roles[0]}/alice"
    )
    assert all(creds["SecretAccessKey"] not in str(c) and token not in str(c) for c in made)


def test_aws_cli_with_role_credentials(local_aws: LocalAWS, info: WorldInfo) -> None:
    aws = require("aws")
    creds = _role(local_aws, info, "payments-dev")
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=creds["AccessKeyId"],
        AWS_SECRET_ACCESS_KEY=creds["SecretAccessKey"],
        AWS_SESSION_TOKEN=creds["SessionToken"],
        AWS_DEFAULT_REGION="us-east-1",
    )
    run = [aws, "--endpoint-url", local_aws.url, "--output", "json"]
    done = subprocess.run(
        [*run, "sts", "get-caller-identity"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    account = info.account("payments-dev").id
    assert json.loads(done.stdout)["Arn"] == f"arn:aws:sts::{account}:assumed-role/Developer/alice"
    listed = subprocess.run([*run, "s3", "ls"], env=env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "payments-dev-artifacts" in listed.stdout and "build-artifacts" not in listed.stdout
    env["AWS_SECRET_ACCESS_KEY"] = "x" * 40
    wrong = subprocess.run(
        [*run, "sts", "get-caller-identity"], env=env, capture_output=True, text=True, timeout=60
    )
    assert wrong.returncode != 0 and "SignatureDoesNotMatch" in wrong.stderr


def test_scale_world_seeds_fast(local_aws: LocalAWS) -> None:
    # Seeding and reset run in this thread: its CPU time is what they cost, which other
    # processes on a busy machine do not inflate as they do elapsed time.
    started = time.thread_time()
    info = local_aws.seed(scale_world(10000))
    seeded = time.thread_time() - started
    assert len(info.accounts) == 10000 and seeded < 30, seeded
    last = info.accounts[-1]
    assert last.roles == ("ReadOnly", "Developer", "Admin")
    session = mfa_session(local_aws, info)
    made = assume(local_aws, session, f"arn:aws:iam::{last.id}:role/Admin")
    assert made["AssumedRoleUser"]["Arn"].startswith(f"arn:aws:sts::{last.id}:")
    started = time.thread_time()
    local_aws.reset()
    assert time.thread_time() - started < 10
    assert refused(client(local_aws, "sts", session).get_caller_identity)[0] == (
        "InvalidClientTokenId"
    )
