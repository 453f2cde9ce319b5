"""The only user of keyring: where each jump user's long-lived access key is kept."""

from __future__ import annotations

import configparser
import json
import os
from typing import Any

from jumpshell.config import JumpConfig
from jumpshell.creds import Credentials
from jumpshell.errors import ConfigError, KeyringError, UsageError

SERVICE = "jumpshell"
_FIX = (
    "install and unlock a keyring backend (Secret Service, KWallet, macOS Keychain), "
    "or set PYTHON_KEYRING_BACKEND"
)


class Secrets:
    """Long-lived keys in the OS keyring (service `jumpshell`), or from ~/.aws/credentials."""

    def _keyring(self) -> Any:
        try:
            import keyring
            import keyring.errors
        except ImportError as exc:  # pragma: no cover - a broken install
            raise KeyringError(
                f"keyring cannot be imported: {exc}", "reinstall jumpshell"
            ) from None
        backend = keyring.get_keyring()
        if type(backend).__name__ == "Keyring" and type(backend).__module__.endswith("fail"):
            raise KeyringError("no usable keyring backend on this machine", _FIX)
        return keyring

    def _guard(self, action: Any) -> Any:
        keyring = self._keyring()
        try:
            return action(keyring)
        except keyring.errors.KeyringLocked:
            raise KeyringError("the keyring is locked", "unlock it and try again") from None
        except keyring.errors.NoKeyringError:
            raise KeyringError("no usable keyring backend on this machine", _FIX) from None
        except keyring.errors.KeyringError as exc:
            raise KeyringError(f"the keyring refused: {exc}", _FIX) from None

    @staticmethod
    def username(jump: JumpConfig) -> str:
        """The keyring entry's user name: one entry per jump user."""
        return f"{jump.account_id}:{jump.user_name}"

    def get_key(self, jump: JumpConfig) -> Credentials:
        """The jump user's long-lived key; a clear error if there is none."""
        if jump.source_profile:
            return _from_profile(jump.source_profile)
        raw = self._guard(lambda k: k.get_password(SERVICE, self.username(jump)))
        if not raw:
            flag = "" if jump.name == "default" else f" --jump {jump.name}"
            raise UsageError(
                f"no access key for {jump.user_name} in the keyring",
                f"run `jumpshell key add{flag}`",
            )
        data = json.loads(raw)
        return Credentials(data["AccessKeyId"], data["SecretAccessKey"])

    def has_key(self, jump: JumpConfig) -> bool:
        """True if a key is stored (or a source profile is configured)."""
        if jump.source_profile:
            return True
        username = self.username(jump)
        return bool(self._guard(lambda k: k.get_password(SERVICE, username)))

    def set_key(self, jump: JumpConfig, key: Credentials) -> None:
        """Store (or replace) the jump user's long-lived key."""
        value = json.dumps(
            {"AccessKeyId": key.access_key_id, "SecretAccessKey": key.secret_access_key}
        )
        username = self.username(jump)
        self._guard(lambda k: k.set_password(SERVICE, username, value))

    def delete_key(self, jump: JumpConfig) -> bool:
        """Remove the stored key; False if there was none."""
        username = self.username(jump)

        def delete(keyring: Any) -> bool:
            try:
                keyring.delete_password(SERVICE, username)
            except keyring.errors.PasswordDeleteError:
                return False
            return True

        return bool(self._guard(delete))

    # -- the MFA session, kept only with `keep_session = true` -------------------------
    @staticmethod
    def session_username(jump: JumpConfig) -> str:
        return f"{jump.account_id}:{jump.user_name}:mfa-session"

    def get_session(self, jump: JumpConfig, min_valid: float) -> Credentials | None:
        """The kept MFA session if it is still valid for `min_valid` seconds (else dropped)."""
        username = self.session_username(jump)
        raw = self._guard(lambda k: k.get_password(SERVICE, username))
        if not raw:
            return None
        try:
            session = Credentials.from_dict(json.loads(raw))
        except (ValueError, KeyError, TypeError):
            session = None
        if session is None or not session.valid_for(min_valid):
            self.delete_session(jump)
            return None
        return session

    def set_session(self, jump: JumpConfig, session: Credentials) -> None:
        value = json.dumps(session.to_dict())
        username = self.session_username(jump)
        self._guard(lambda k: k.set_password(SERVICE, username, value))

    def delete_session(self, jump: JumpConfig) -> None:
        username = self.session_username(jump)

        def delete(keyring: Any) -> None:
            try:
                keyring.delete_password(SERVICE, username)
            except keyring.errors.PasswordDeleteError:
                pass

        self._guard(delete)


def _from_profile(profile: str) -> Credentials:
    path = os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or os.path.expanduser("~/.aws/credentials")
    parser = configparser.RawConfigParser()
    try:
        parser.read(path)
        section = parser[profile]
        return Credentials(section["aws_access_key_id"], section["aws_secret_access_key"])
    except (KeyError, configparser.Error):
        raise ConfigError(
            f"source_profile {profile!r} has no access key in {path}",
            "add aws_access_key_id and aws_secret_access_key there, or drop source_profile",
        ) from None
