"""Pure: (target, credentials, base environment) -> the environment a command runs with."""

from __future__ import annotations

from collections.abc import Mapping

from jumpshell.credentials import Credentials
from jumpshell.targets import Target

# Variables that select other credentials or would override ours, and other tools' prompt
# variables (a stale AWS_VAULT, AWSU_PROFILE or AWS_SSO_PROFILE from an outer shell would win
# over ours in starship's and powerlevel10k's AWS segment; a stale expiry would be shown too).
CONFLICTING = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_VAULT",
    "AWSUME_PROFILE",
    "GRANTED_SSO",
    "AWSU_PROFILE",
    "AWS_SSO_PROFILE",
    "AWS_SESSION_EXPIRATION",
    "AWSUME_EXPIRATION",
)
# What prompt frameworks read to name the profile: starship's aws module takes the first of
# AWSU_PROFILE, AWS_VAULT, AWSUME_PROFILE, AWS_PROFILE, AWS_SSO_PROFILE; powerlevel10k's of
# AWS_SSO_PROFILE, AWS_VAULT, AWSUME_PROFILE, AWS_PROFILE, AWS_DEFAULT_PROFILE. AWSUME_PROFILE
# is the one both read that no tool acts on: awsume only prints it (`awsume --who`) and
# overwrites it. Never AWS_PROFILE/AWS_DEFAULT_PROFILE (the SDKs would look the profile up
# and fail), never AWS_VAULT (`aws-vault exec` and `export` refuse to run while it is set).
PROMPT_PROFILE = "AWSUME_PROFILE"
JUMPSHELL_VARS = (
    "JUMPSHELL_TARGET",
    "JUMPSHELL_ACCOUNT",
    "JUMPSHELL_ACCOUNT_ID",
    "JUMPSHELL_ROLE",
    "JUMPSHELL_PRODUCTION",
)

# Every variable target_env may set: what `env --unset` removes again
SET = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    PROMPT_PROFILE,
    *JUMPSHELL_VARS,
)


def target_env(
    target: Target,
    credentials: Credentials | None,
    base: Mapping[str, str],
    region: str | None = None,
    endpoint: tuple[str, str] | None = None,
) -> dict[str, str]:
    """The environment for `target`: static keys, or `endpoint` = (url, token) to refresh."""
    env = {k: v for k, v in base.items() if k not in CONFLICTING and k not in JUMPSHELL_VARS}
    region = region or target.region
    env.update(
        AWS_REGION=region,
        AWS_DEFAULT_REGION=region,
        JUMPSHELL_TARGET=target.name,
        JUMPSHELL_ACCOUNT=target.account_name,
        JUMPSHELL_ACCOUNT_ID=target.account_id,
        JUMPSHELL_ROLE=target.role_name,
        JUMPSHELL_PRODUCTION="1" if target.production else "0",
    )
    env[PROMPT_PROFILE] = target.name
    if endpoint is not None:
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"], env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = (
            endpoint
        )
    elif credentials is not None:
        env["AWS_ACCESS_KEY_ID"] = credentials.access_key_id
        env["AWS_SECRET_ACCESS_KEY"] = credentials.secret_access_key
        if credentials.session_token:
            env["AWS_SESSION_TOKEN"] = credentials.session_token
        if credentials.expiration is not None:
            env["AWS_CREDENTIAL_EXPIRATION"] = credentials.expiration_iso
    return env
