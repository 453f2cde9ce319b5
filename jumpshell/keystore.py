"""The only user of keyring: each jump user's long-lived access key (and a kept MFA session)."""

from __future__ import annotations

import configparser
import json
import os
from collections.abc import Callable
from typing import Any

from jumpshell import paths
from jumpshell.config import JumpConfig
from jumpshell.credentials import Credentials
from jumpshell.errors import ConfigError, KeyringError, UsageError

SERVICE = "jumpshell"
_FIX = (
    "install and unlock a keyring backend (Secret Service, KWallet, macOS Keychain), "
    "or set PYTHON_KEYRING_BACKEND"
)
_CHOICES = (
    'choose: an OS keyring (Secret Service, KWallet, macOS Keychain), [jump] keyring = "file" '
    "(encrypted, with a passphrase), or plain text on purpose with "
    "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring"
)

# (path of the encrypted file, True if it is new) -> passphrase; the front end asks for it
Passphrase = Callable[[str, bool], str]


def keyring_file() -> str:
    """The encrypted keyring file of `keyring = "file"`, under the XDG data dir."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return os.path.join(base, "jumpshell", "keyring.cfg")


class KeyStore:
    """Long-lived keys in the OS keyring (service `jumpshell`), an encrypted file
    (`keyring = "file"`), or ~/.aws/credentials."""

    def __init__(self, passphrase: Passphrase | None = None) -> None:
        self._passphrase = passphrase
        self._file: Any = None  # the unlocked encrypted file, once per process

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

    def _store(self, jump: JumpConfig | None) -> tuple[Any, str | None]:
        """The store for `jump` (keyring module or encrypted file) and a warning to show."""
        keyring = self._keyring()
        if jump is not None and jump.keyring == "file":
            return self._file_store(), None
        return keyring, _plaintext_warning(keyring)

    def _file_store(self) -> Any:
        if self._file is not None:
            return self._file
        from keyrings.cryptfile.cryptfile import CryptFileKeyring

        path = keyring_file()
        new = not os.path.exists(path)
        paths.private_dir(os.path.dirname(path))
        os.close(paths.open_private(path, os.O_WRONLY | os.O_CREAT))  # 0600 before any write
        if self._passphrase is None:
            raise KeyringError(
                f"the encrypted keyring {path} needs its passphrase, and none can be asked here",
                "use jumpshell from a terminal",
            )
        store = CryptFileKeyring()
        store.file_path = path
        try:
            store.keyring_key = self._passphrase(path, new)
        except ValueError:
            raise KeyringError(
                f"that passphrase does not open {path}", "type the passphrase you chose"
            ) from None
        self._file = store
        return store

    def _guard(self, action: Any, jump: JumpConfig | None = None) -> Any:
        keyring = self._keyring()
        try:
            store, _ = self._store(jump)
            return action(store)
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
        return self.stored_key(jump)

    def stored_key(self, jump: JumpConfig) -> Credentials:
        """The key the keyring holds for the jump user, whatever source_profile says."""
        raw = self._guard(lambda k: k.get_password(SERVICE, self.username(jump)), jump)
        if not raw:
            flag = "" if jump.name == "default" else f" --jump {jump.name}"
            raise UsageError(
                f"no access key for {jump.user_name} in the keyring",
                f"run `jumpshell key add{flag}`",
            )
        data = json.loads(raw)
        return Credentials(data["AccessKeyId"], data["SecretAccessKey"])

    def set_key(self, jump: JumpConfig, key: Credentials) -> str | None:
        """Store (or replace) the jump user's long-lived key; a warning to show, if any.

        The warning says the key went to a plaintext store the user chose on purpose;
        one keyring picked by itself is refused before anything is written.
        """
        value = json.dumps(
            {"AccessKeyId": key.access_key_id, "SecretAccessKey": key.secret_access_key}
        )
        username = self.username(jump)
        self._guard(lambda k: k.set_password(SERVICE, username, value), jump)
        return None if jump.keyring == "file" else self._store(jump)[1]

    def delete_key(self, jump: JumpConfig) -> bool:
        """Remove the stored key; False if there was none."""
        username = self.username(jump)

        def delete(store: Any) -> bool:
            import keyring.errors

            try:
                store.delete_password(SERVICE, username)
            except keyring.errors.PasswordDeleteError:
                return False
            return True

        return bool(self._guard(delete, jump))

    # -- the MFA session, kept only with `keep_session = true` -------------------------
    @staticmethod
    def session_username(jump: JumpConfig) -> str:
        return f"{jump.account_id}:{jump.user_name}:mfa-session"

    def get_session(self, jump: JumpConfig, min_valid: float) -> Credentials | None:
        """The kept MFA session if it is still valid for `min_valid` seconds (else dropped)."""
        username = self.session_username(jump)
        raw = self._guard(lambda k: k.get_password(SERVICE, username), jump)
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
        self._guard(lambda k: k.set_password(SERVICE, username, value), jump)

    def delete_session(self, jump: JumpConfig) -> None:
        username = self.session_username(jump)

        def delete(store: Any) -> None:
            import keyring.errors

            try:
                store.delete_password(SERVICE, username)
            except keyring.errors.PasswordDeleteError:
                pass

        self._guard(delete, jump)


def _from_profile(profile: str) -> Credentials:
    path = paths.aws_credentials_file()
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


def _plaintext_warning(module: Any) -> str | None:
    """Refuse a file backend keyring picked by itself; a warning for a plaintext one chosen.

    With keyrings.alt or keyrings.cryptfile installed, keyring's own choice on a box with
    no OS keyring is a file under ~/.local/share: in clear text, or one that prompts for
    a password by itself. Only a choice the user made (PYTHON_KEYRING_BACKEND, keyring's
    keyringrc.cfg) may put the key in a file; `keyring = "file"` is jumpshell's own.
    """
    import keyring.core

    backend = module.get_keyring()
    chained = getattr(backend, "backends", None)  # the chainer writes to its first backend
    writer = chained[0] if type(backend).__name__ == "ChainerBackend" and chained else backend
    where = getattr(writer, "file_path", None)
    if where is None:
        return None  # an OS keyring
    name = f"{type(writer).__module__}.{type(writer).__name__}"
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        origin = "PYTHON_KEYRING_BACKEND"
    elif keyring.core.load_config() is not None:
        config = keyring.core._config_path()  # type: ignore[no-untyped-call]
        origin = f"keyring's config {config}"
    else:
        raise KeyringError(
            f"keyring picked the file backend {name} by itself, and jumpshell keeps the key "
            "only where you chose",
            _CHOICES,
        )
    if "plaintext" not in type(writer).__name__.lower():
        return None
    return f"the key is stored in plain text in {where} ({name}, chosen by {origin})"
