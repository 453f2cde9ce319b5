"""Faults on request (latency, throttling, 500/503) and the record of calls."""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import Any

import pytest

from jumpshell.localaws import LocalAWS, WorldInfo, demo_world
from tests.localaws.helpers import client, mfa_session, refused, role_arn, user_creds


@pytest.fixture
def info(local_aws: LocalAWS) -> WorldInfo:
    return local_aws.seed(demo_world())


def test_latency_for_every_call_and_per_action(local_aws: LocalAWS, info: WorldInfo) -> None:
    sts = client(local_aws, "sts", user_creds(info))
    local_aws.set_latency(300)
    sts.get_caller_identity()
    local_aws.set_latency(0)
    local_aws.set_latency(400, action="GetSessionToken")
    sts.get_caller_identity()
    mfa_session(local_aws, info)
    # What the server injected and how long it held each call, by its own record: a lower
    # bound only, which a busy machine cannot break (an upper bound on elapsed time can).
    calls = [(c["action"], c["latency_ms"]) for c in local_aws.calls()]
    assert calls == [
        ("GetCallerIdentity", 300), ("GetCallerIdentity", 0), ("GetSessionToken", 400)
    ]  # fmt: skip
    for call in local_aws.calls():
        held = float(str(call["end"])) - float(str(call["start"]))
        assert held >= int(str(call["latency_ms"])) / 1000, call


def test_throttling_next_n_then_clears(local_aws: LocalAWS, info: WorldInfo) -> None:
    sts = client(local_aws, "sts", user_creds(info))
    local_aws.throttle(next_n=2)
    for _ in range(2):
        assert refused(sts.get_caller_identity) == ("Throttling", "Rate exceeded", 400)
    assert sts.get_caller_identity()["Account"] == "111111111111"
    outcomes = [c["outcome"] for c in local_aws.calls()]
    assert outcomes == ["Throttling", "Throttling", "ok"]


def test_botocore_retries_through_throttling(local_aws: LocalAWS, info: WorldInfo) -> None:
    local_aws.throttle(next_n=1)
    sts = client(local_aws, "sts", user_creds(info), retry=True)
    assert sts.get_caller_identity()["Account"] == "111111111111"
    assert len(local_aws.calls()) == 2


def test_throttling_per_action_and_fraction(local_aws: LocalAWS, info: WorldInfo) -> None:
    sts = client(local_aws, "sts", user_creds(info))
    local_aws.throttle(fraction=1.0, action="GetSessionToken")
    assert sts.get_caller_identity()["Account"] == "111111111111"
    assert refused(lambda: mfa_session(local_aws, info))[0] == "Throttling"
    local_aws.clear_faults()
    assert mfa_session(local_aws, info)["AccessKeyId"].startswith("ASIA")


@pytest.mark.parametrize(
    ("status", "code"), [(500, "InternalFailure"), (503, "ServiceUnavailable")]
)
def test_server_errors(local_aws: LocalAWS, info: WorldInfo, status: int, code: str) -> None:
    sts = client(local_aws, "sts", user_creds(info))
    local_aws.fail(status, next_n=1)
    assert refused(sts.get_caller_identity)[::2] == (code, status)
    assert sts.get_caller_identity()["Account"] == "111111111111"


def test_faults_for_all_services(local_aws: LocalAWS, info: WorldInfo) -> None:
    iam = client(local_aws, "iam", user_creds(info))
    s3 = client(local_aws, "s3", user_creds(info))
    local_aws.throttle(next_n=1)
    assert iam.list_users()["Users"]  # STS only by default
    local_aws.set_fault_scope(all_services=True)
    assert refused(iam.list_users)[0] == "Throttling"
    local_aws.fail(503, next_n=1)
    assert refused(s3.list_buckets)[2] == 503


def test_call_record_overlaps_concurrent_assume_role(local_aws: LocalAWS, info: WorldInfo) -> None:
    session = mfa_session(local_aws, info)
    local_aws.set_latency(200, action="AssumeRole")
    names = ["payments-dev", "search-dev", "data-dev", "ml-dev"]
    errors: list[BaseException] = []
    # Clients made first and a barrier: the four calls leave together, so the 200 ms the
    # server holds each is not spent on a busy machine building clients.
    clients = {name: client(local_aws, "sts", session) for name in names}
    ready = threading.Barrier(len(names), timeout=30)

    def one(name: str) -> None:
        try:
            ready.wait()
            clients[name].assume_role(
                RoleArn=role_arn(info, name, "Developer"), RoleSessionName="alice"
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    calls = [c for c in local_aws.calls() if c["action"] == "AssumeRole"]
    assert len(calls) == 4 and {c["outcome"] for c in calls} == {"ok"}
    assert max(float(str(c["start"])) for c in calls) < min(float(str(c["end"])) for c in calls)
    assert {c["role_arn"] for c in calls} == {role_arn(info, n, "Developer") for n in names}
    assert all(c["session_name"] == "alice" and c["access_key_id"] == session["AccessKeyId"]
               for c in calls)  # fmt: skip
    assert all(c["caller_arn"] == "arn:aws:iam::111111111111:user/alice" for c in calls)


def _control(aws: LocalAWS, route: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{aws.url}/_localaws/{route}", data=data)
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read().decode())


def test_control_api(local_aws: LocalAWS, info: WorldInfo) -> None:
    serial = info.jump.mfa_serial
    code = _control(local_aws, f"code?serial={serial}")["code"]
    assert code == local_aws.totp(serial)
    mfa_session(local_aws, info)
    calls = _control(local_aws, "calls")
    assert [c["action"] for c in calls] == ["GetSessionToken"]
    assert info.jump.secret_access_key not in json.dumps(calls)
    state = _control(local_aws, "faults", {"throttle": {"next_n": 1}, "clock_offset": 60})
    assert state["clock_offset"] == 60 and state["throttles"][0]["next_n"] == 1
    sts = client(local_aws, "sts", user_creds(info))
    assert refused(sts.get_caller_identity)[0] == "Throttling"
    assert _control(local_aws, "faults", {"clear": True})["throttles"] == []
    assert _control(local_aws, "world")["jump"]["mfa_serial"] == serial
    assert _control(local_aws, "reset", {}) == {"ok": True}
    assert _control(local_aws, "calls") == []
    assert refused(sts.get_caller_identity)[0] == "InvalidClientTokenId"
    seeded = _control(local_aws, "seed", {"world": "scale:3"})
    assert len(seeded["accounts"]) == 3
