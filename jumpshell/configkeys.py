"""The keys each config table takes (what the check accepts, and the one-line help it gives
for an unknown key near a known one)."""

from __future__ import annotations

JUMP_KEYS = {
    "account_id": "the jump account's 12-digit id",
    "user_name": "your IAM user name (RoleSessionName)",
    "mfa_serial": "your MFA device ARN",
    "region": "region for STS calls",
    "session_duration": "MFA session length, e.g. 12h",
    "mfa_command": "a command that prints an MFA code",
    "mfa_prompt": 'where to ask for a code: "terminal", "zenity", "kdialog" or "osascript"',
    "source_profile": "take the long-lived key from ~/.aws/credentials",
    "partition": "aws, aws-us-gov or aws-cn",
    "source_identity": "pass SourceIdentity on AssumeRole",
    "keep_session": "keep the MFA session in the keyring too (survives a reboot)",
    "keyring": '"os" (the OS keyring) or "file" (an encrypted file with a passphrase)',
    "endpoint_url": "the STS endpoint, e.g. a VPC endpoint (else AWS_ENDPOINT_URL, else AWS's)",
    "aws_config": "role profiles of ~/.aws/config from aws_profile are targets too",
    "aws_profile": "the ~/.aws/config profile that is this jump user (default: source_profile)",
}
DEFAULT_KEYS = {
    "role_duration",
    "theme",
    "region",
    "agent_idle_timeout",
    "confirm_for",
    "picker_return",
}
ACCOUNT_KEYS = {
    "name",
    "id",
    "roles",
    "region",
    "production",
    "confirm",
    "external_id",
    "jump",
    "tags",
    "source_identity",
    "role_duration",
    "color",
    "on_enter",
    "role_session_name",
    "shortcut",
    "via",
}
RULE_KEYS = {"name", "tag", "confirm"}
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f")
TOP_KEYS = {"jump", "jumps", "defaults", "account", "production_rule", "hooks"}
