"""GetSessionToken, signatures, keys and expiry, through boto3 as a client uses them."""

from __future__ import annotations

import pyotp
import pytest

from jumpshell.localaws import LocalAWS, WorldBuilder, WorldInfo, demo_world
from tests.localaws.helpers import client, mfa_session, refused, user_creds

INVALID = "The security token included in the request is invalid."
MFA_FAILED = "MultiFactorAuthentication failed with invalid MFA one time pass code. "


@pytest.fixture
def info(local_aws: LocalAWS) -> WorldInfo:
    return local_aws.seed(demo_world())


def test_right_code_gives_a_fresh_mfa_session_each_time(
    local_aws: LocalAWS, info: WorldInfo
) -> None:
    first, second = mfa_session(local_aws, info), mfa_session(local_aws, info)
    assert first["AccessKeyId"].startswith("ASIA") and len(first["SecretAccessKey"]) == 40
    assert first["AccessKeyId"] != second["AccessKeyId"]
    assert len(first["SessionToken"]) > 200
    left = first["Expiration"].timestamp() - local_aws.faults.now()
    assert 43200 - 60 < left <= 43200  # the default 12 hours
    calls = [c for c in local_aws.calls() if c["action"] == "GetSessionToken"]
    assert len(calls) == 2 and all(c["outcome"] == "ok" for c in calls)
    assert calls[0]["access_key_id"] == info.jump.access_key_id
    assert all(info.jump.secret_access_key not in str(c) for c in calls)


def test_totp_matches_the_seed(local_aws: LocalAWS, info: WorldInfo) -> None:
    assert pyotp.TOTP(info.jump.mfa_seed).verify(local_aws.totp(info.jump.mfa_serial))


def test_wrong_code_is_access_denied(local_aws: LocalAWS, info: WorldInfo) -> None:
    right = int(local_aws.totp(info.jump.mfa_serial))
    wrong = str((right + 500000) % 1000000).zfill(6)
    sts = client(local_aws, "sts", user_creds(info))
    call = lambda: sts.get_session_token(SerialNumber=info.jump.mfa_serial, TokenCode=wrong)  # noqa: E731
    assert refused(call) == ("AccessDenied", MFA_FAILED, 403)
    assert local_aws.calls()[-1]["outcome"] == "AccessDenied"


def test_code_from_two_steps_ago_is_refused(local_aws: LocalAWS, info: WorldInfo) -> None:
    old = pyotp.TOTP(info.jump.mfa_seed).at(local_aws.faults.now() - 90)
    sts = client(local_aws, "sts", user_creds(info))
    code, _, _ = refused(
        lambda: sts.get_session_token(SerialNumber=info.jump.mfa_serial, TokenCode=old)
    )
    assert code == "AccessDenied"


def test_a_code_is_taken_once_and_never_an_older_one(local_aws: LocalAWS, info: WorldInfo) -> None:
    serial, device = info.jump.mfa_serial, pyotp.TOTP(info.jump.mfa_seed)
    sts = client(local_aws, "sts", user_creds(info))
    now = local_aws.faults.now()
    current, previous = device.at(now), device.at(now - 30)
    assert current != previous  # one in a million: the same six digits two steps running
    sts.get_session_token(SerialNumber=serial, TokenCode=current)
    for code in (current, previous):  # the same code again, or an older one still in the window
        call = lambda code=code: sts.get_session_token(SerialNumber=serial, TokenCode=code)  # noqa: E731
        assert refused(call)[:2] == ("AccessDenied", MFA_FAILED)
    sts.get_session_token(SerialNumber=serial, TokenCode=device.at(now + 30))  # the next one


def test_totp_gives_a_code_that_was_not_used_yet(local_aws: LocalAWS, info: WorldInfo) -> None:
    before = local_aws.faults.now()
    for _ in range(4):  # four sessions in a row: the helper moves on as waiting would
        mfa_session(local_aws, info)
    assert local_aws.faults.now() - before >= 2 * 30 - 1  # two clock steps forward, no sleep
    outcomes = [c["outcome"] for c in local_aws.calls() if c["action"] == "GetSessionToken"]
    assert outcomes == ["ok"] * 4


def test_serial_without_code_and_code_without_serial(local_aws: LocalAWS, info: WorldInfo) -> None:
    sts = client(local_aws, "sts", user_creds(info))
    code, message, _ = refused(lambda: sts.get_session_token(SerialNumber=info.jump.mfa_serial))
    assert code == "AccessDenied" and "must provide both" in message
    code, _, _ = refused(lambda: sts.get_session_token(TokenCode="123456"))
    assert code == "AccessDenied"


def test_another_users_device_is_refused(local_aws: LocalAWS, info: WorldInfo) -> None:
    serial = info.jump.mfa_serial.replace("mfa/alice", "mfa/bob")
    sts = client(local_aws, "sts", user_creds(info))
    call = lambda: sts.get_session_token(SerialNumber=serial, TokenCode="123456")  # noqa: E731
    assert refused(call)[:2] == ("AccessDenied", MFA_FAILED)


@pytest.mark.parametrize("seconds", [899, 129601])
def test_duration_out_of_range(local_aws: LocalAWS, info: WorldInfo, seconds: int) -> None:
    sts = client(local_aws, "sts", user_creds(info))
    code, message, status = refused(lambda: sts.get_session_token(DurationSeconds=seconds))
    assert (code, status) == ("ValidationError", 400) and "durationSeconds" in message


def test_session_without_mfa_is_allowed_but_not_from_a_session(
    local_aws: LocalAWS, info: WorldInfo
) -> None:
    plain = client(local_aws, "sts", user_creds(info)).get_session_token(DurationSeconds=900)
    creds = plain["Credentials"]
    again = client(local_aws, "sts", creds)
    assert refused(again.get_session_token) == (
        "AccessDenied",
        "Cannot call GetSessionToken with session credentials",
        403,
    )


def test_wrong_secret_is_signature_does_not_match(local_aws: LocalAWS, info: WorldInfo) -> None:
    creds = dict(user_creds(info), SecretAccessKey="x" * 40)
    code, message, status = refused(client(local_aws, "sts", creds).get_caller_identity)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert message.startswith("The request signature we calculated does not match")


def test_unknown_key_is_invalid_client_token_id(local_aws: LocalAWS, info: WorldInfo) -> None:
    creds = {"AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "x" * 40}
    assert refused(client(local_aws, "sts", creds).get_caller_identity) == (
        "InvalidClientTokenId",
        INVALID,
        403,
    )


def test_deleted_and_inactive_keys_are_refused_everywhere(
    local_aws: LocalAWS, info: WorldInfo
) -> None:
    iam = client(local_aws, "iam", user_creds(info))
    fresh = iam.create_access_key(UserName="alice")["AccessKey"]
    iam.update_access_key(UserName="alice", AccessKeyId=fresh["AccessKeyId"], Status="Inactive")
    assert refused(client(local_aws, "sts", fresh).get_caller_identity)[0] == "InvalidClientTokenId"
    iam.delete_access_key(UserName="alice", AccessKeyId=info.jump.access_key_id)
    old = user_creds(info)
    assert refused(client(local_aws, "sts", old).get_caller_identity)[:2] == (
        "InvalidClientTokenId",
        INVALID,
    )
    code, _, _ = refused(lambda: client(local_aws, "iam", old).list_users())
    assert code == "InvalidClientTokenId"


def test_temporary_key_needs_its_token(local_aws: LocalAWS, info: WorldInfo) -> None:
    session = mfa_session(local_aws, info)
    for token in (None, session["SessionToken"][:-4] + "AAAA"):
        creds = dict(session, SessionToken=token)
        assert refused(client(local_aws, "sts", creds).get_caller_identity)[0] == (
            "InvalidClientTokenId"
        )


def test_unsigned_request_is_missing_authentication_token(local_aws: LocalAWS) -> None:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        local_aws.url, data=b"Action=GetCallerIdentity&Version=2011-06-15", method="POST"
    )
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=5)
    assert caught.value.code == 403
    assert b"<Code>MissingAuthenticationToken</Code>" in caught.value.read()


def test_caller_identity_for_all_three_kinds(local_aws: LocalAWS, info: WorldInfo) -> None:
    user = client(local_aws, "sts", user_creds(info)).get_caller_identity()
    assert user["Arn"] == "arn:aws:iam::111111111111:user/alice"
    assert user["UserId"].startswith("AIDA") and user["Account"] == "111111111111"
    session = client(local_aws, "sts", mfa_session(local_aws, info)).get_caller_identity()
    assert (session["Arn"], session["UserId"]) == (user["Arn"], user["UserId"])
    account = info.account("search-dev")
    arn = f"arn:aws:iam::{account.id}:role/Developer"
    role = client(local_aws, "sts", mfa_session(local_aws, info)).assume_role(
        RoleArn=arn, RoleSessionName="alice"
    )
    me = client(local_aws, "sts", role["Credentials"]).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{account.id}:assumed-role/Developer/alice"
    assert me["Account"] == account.id and me["UserId"] == role["AssumedRoleUser"]["AssumedRoleId"]
    assert me["UserId"].startswith("AROA") and me["UserId"].endswith(":alice")


def test_clock_offset_expires_credentials(local_aws: LocalAWS, info: WorldInfo) -> None:
    session = mfa_session(local_aws, info, DurationSeconds=900)
    sts = client(local_aws, "sts", session)
    assert sts.get_caller_identity()["Account"] == "111111111111"
    local_aws.set_clock_offset(901)
    assert refused(sts.get_caller_identity) == (
        "ExpiredToken",
        "The security token included in the request is expired",
        400,
    )
    fresh = mfa_session(local_aws, info)  # the code is computed at the shifted clock too
    assert client(local_aws, "sts", fresh).get_caller_identity()["Account"] == "111111111111"


def test_world_without_mfa_device(local_aws: LocalAWS) -> None:
    info = local_aws.seed(WorldBuilder("123456789012", "bob", mfa=False).build())
    assert info.jump.mfa_serial == "" and info.jump.user_name == "bob"
    sts = client(local_aws, "sts", user_creds(info))
    code, _, _ = refused(
        lambda: sts.get_session_token(
            SerialNumber="arn:aws:iam::123456789012:mfa/bob", TokenCode="123456"
        )
    )
    assert code == "AccessDenied"
