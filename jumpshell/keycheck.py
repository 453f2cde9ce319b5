"""The jump user's long-lived key: check a new key's owner, and rotate without stranding one."""

from __future__ import annotations

import contextlib
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import TYPE_CHECKING

from jumpshell.config import JumpConfig
from jumpshell.credentials import Credentials
from jumpshell.errors import AuthError, CancelledError, JumpshellError, UsageError

if TYPE_CHECKING:
    from jumpshell.aws import Aws
    from jumpshell.keystore import KeyStore

_PROPAGATION_TRIES = 10
_KEY_ID = re.compile(r"^AKIA[A-Z0-9]{12,124}$")  # AWS: 16 to 128 characters
_SECRET = re.compile(r"^[\x21-\x7e]{16,128}$")  # printable ASCII, no whitespace


def user_arn(jump: JumpConfig) -> str:
    """The jump user's ARN as IAM writes it (without the user's path)."""
    return f"arn:{jump.partition}:iam::{jump.account_id}:user/{jump.user_name}"


def check_shape(key: Credentials) -> Credentials:
    """A long-lived key's shape (`key add`'s and `key import`'s): AKIA..., a whole secret."""
    key_id, secret = key.access_key_id, key.secret_access_key
    if key_id.startswith("ASIA"):
        raise UsageError(
            "that is a temporary key (ASIA...): it ends within hours",
            "store the IAM user's long-lived key, which starts with AKIA",
        )
    if not _KEY_ID.match(key_id):
        raise UsageError(
            "that is not an access key id", "an IAM user's key id starts with AKIA (20 characters)"
        )
    if len(secret) < 16:
        raise UsageError("that secret access key is too short", "paste the whole secret")
    if not _SECRET.match(secret):
        raise UsageError(
            "that secret access key has characters AWS never uses", "paste the whole secret"
        )
    return Credentials(key_id, secret)


def check_owner(aws: Aws, key: Credentials, jump: JumpConfig) -> None:
    """GetCallerIdentity with `key` (no MFA needed): it must be the configured jump user."""
    try:
        identity = aws.caller_identity(key, jump.region)
    except AuthError:
        raise AuthError(
            "AWS does not accept that key (no such key, or a wrong secret); "
            "the stored key is unchanged",
            "check the key id and secret, or pass --no-check when offline",
        ) from None
    arn = identity["Arn"]
    # IAM users may have a path: arn:aws:iam::111111111111:user/team/alice
    wanted = re.compile(
        rf"arn:{re.escape(jump.partition)}:iam::{jump.account_id}:user/(?:[^/]+/)*"
        rf"{re.escape(jump.user_name)}"
    )
    if not wanted.fullmatch(arn):
        raise AuthError(
            f"that key belongs to {arn}, not the jump user {user_arn(jump)}; "
            "the stored key is unchanged",
            f"add the access key of {jump.user_name}",
        )


@dataclass(frozen=True)
class Rotated:
    """What a rotation did: the key now stored, the one deleted, and a keyring warning."""

    old: str
    new: str
    deleted_unknown: tuple[str, ...] = ()
    warning: str | None = None


@contextlib.contextmanager
def deferred_interrupt() -> Iterator[list[bool]]:
    """Hold Ctrl-C until the block ends (a CreateAccessKey in flight must return its id).

    Yields a list that holds True if SIGINT came meanwhile. Outside the main thread
    (a TUI worker) signals cannot be handled here, and the block runs as it is.
    """
    hit: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield hit
        return

    def hold(signum: int, frame: FrameType | None) -> None:
        hit.append(True)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield hit
    finally:
        signal.signal(signal.SIGINT, previous)


class Rotation:
    """One `key rotate`: every way out leaves exactly one key, the stored one, and says so."""

    def __init__(
        self,
        aws: Aws,
        keystore: KeyStore,
        jump: JumpConfig,
        old: Credentials,
        session: Credentials,
        say: Callable[[str], None],
    ) -> None:
        self.aws, self.keystore, self.jump = aws, keystore, jump
        self.old, self.session, self.say = old, session, say

    def _delete(self, key_id: str) -> None:
        self.aws.delete_access_key(self.session, self.jump.user_name, key_id, self.jump.region)

    def _unknown(self, delete: bool) -> tuple[str, ...]:
        """Keys of the jump user other than the stored one; deleted on request."""
        keys = self.aws.list_access_keys(self.session, self.jump.user_name, self.jump.region)
        unknown = tuple(k for k in keys if k != self.old.access_key_id)
        if unknown and delete:
            for key_id in unknown:
                self.say(f"deleting {key_id}, a key of {self.jump.user_name} that is not stored")
                self._delete(key_id)
            return unknown
        if len(keys) >= 2:
            names = ", ".join(unknown)
            raise AuthError(
                f"{self.jump.user_name} already has two access keys, AWS's limit: {names} is "
                f"not the stored one ({self.old.access_key_id} is stored and works)",
                "`jumpshell key rotate --delete-unknown` deletes it and rotates",
            )
        return ()

    def run(self, delete_unknown: bool) -> Rotated:
        """List, create, check, store, delete the old: the steps of one rotation."""
        deleted = self._unknown(delete_unknown)
        with deferred_interrupt() as interrupted:
            self.say(f"creating a new access key for {self.jump.user_name}")
            new = self.aws.create_access_key(self.session, self.jump.user_name, self.jump.region)
        warning = self._check_and_store(new, bool(interrupted))
        try:
            self._delete(self.old.access_key_id)
        except JumpshellError as exc:
            raise JumpshellError(
                f"the new key {new.access_key_id} is stored and works, but deleting the old key "
                f"{self.old.access_key_id} failed: {exc.message}",
                f"delete it by hand: aws iam delete-access-key --user-name {self.jump.user_name} "
                f"--access-key-id {self.old.access_key_id}",
                exc.exit_code,
            ) from exc
        return Rotated(self.old.access_key_id, new.access_key_id, deleted, warning)

    def _check_and_store(self, new: Credentials, interrupted: bool) -> str | None:
        """Check and store `new`; on any failure or Ctrl-C delete it again, then re-raise."""
        stored = False
        try:
            if interrupted:
                raise KeyboardInterrupt
            self.say(f"checking that the new key {new.access_key_id} works")
            self._await(new)
            warning = self.keystore.set_key(self.jump, new)
            stored = True
            return warning
        except BaseException as exc:
            error = exc if stored else self._undo(new, exc)
            if error is exc:
                raise
            raise error from exc

    def _undo(self, new: Credentials, cause: BaseException) -> BaseException:
        """Delete the unstored new key; the error to raise in place of `cause`."""
        old = self.old.access_key_id
        with deferred_interrupt():  # a second Ctrl-C must not strand the key either
            try:
                self._delete(new.access_key_id)
            except JumpshellError as exc:
                return JumpshellError(
                    f"the new key {new.access_key_id} could not be deleted ({exc.message}); "
                    f"{old} is still stored and works",
                    f"delete it by hand: aws iam delete-access-key --user-name "
                    f"{self.jump.user_name} --access-key-id {new.access_key_id}",
                    exc.exit_code,
                )
        if isinstance(cause, KeyboardInterrupt):
            return CancelledError(
                f"cancelled: the new key {new.access_key_id} was deleted; "
                f"{old} is still stored and works"
            )
        if isinstance(cause, JumpshellError):
            return JumpshellError(
                f"{cause.message}; the new key {new.access_key_id} was deleted and "
                f"{old} is still stored and works",
                cause.fix,
                cause.exit_code,
            )
        return cause

    def _await(self, key: Credentials) -> None:
        """IAM is eventually consistent: a new key may take a few seconds to work."""
        for attempt in range(_PROPAGATION_TRIES):
            try:
                self.aws.caller_identity(key, self.jump.region)
                return
            except AuthError:
                if attempt == _PROPAGATION_TRIES - 1:
                    raise
                time.sleep(1.0)  # waiting on AWS's propagation, not a test
