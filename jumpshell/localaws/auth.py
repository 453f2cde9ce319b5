"""Who signed a request: IAM users' keys from moto, temporary keys this server issued."""

from __future__ import annotations

import base64
import hashlib
import secrets
import string
import threading
from dataclasses import dataclass
from typing import Any

from jumpshell.localaws import sigv4
from jumpshell.localaws.responses import AWSError

INVALID_TOKEN = "The security token included in the request is invalid."
SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
EXPIRED = "The security token included in the request is expired"
SECRET_ALPHABET = string.ascii_letters + string.digits + "+/"


@dataclass(frozen=True)
class Principal:
    """The identity behind an access key: an IAM user, its MFA session, or an assumed role."""

    kind: str  # "user" | "session" | "role"
    account_id: str
    partition: str
    arn: str
    user_id: str
    access_key_id: str
    secret: str
    token: str | None = None
    expiration: float | None = None
    user_name: str | None = None
    role_arn: str | None = None
    role_name: str | None = None
    session_name: str | None = None
    mfa_present: bool = False
    mfa_time: float | None = None
    source_identity: str | None = None
    issued: float | None = None

    @property
    def temporary(self) -> bool:
        return self.kind != "user"

    @property
    def principal_arn(self) -> str:
        """The ARN policies name: the user's, or the role's (not the session's)."""
        return self.role_arn or self.arn


def iam_backend(account_id: str, partition: str = "aws") -> Any | None:
    """Moto's IAM backend for an account and partition, without creating one."""
    from moto.iam.models import iam_backends

    if account_id not in iam_backends:
        return None
    account = iam_backends[account_id]
    # keys(): AccountSpecificBackend's `in` also says yes for regions not created yet
    return account[partition] if partition in account.keys() else None  # noqa: SIM118


def _user_key(backend: Any, key_id: str) -> tuple[Any, Any] | None:
    key = backend.access_keys.get(key_id)
    if key is None or key.user_name is None or key.status != "Active":
        return None
    user = backend.users.get(key.user_name)
    if user is None or not any(k is key for k in user.access_keys):
        return None
    return user, key


def user_id(arn: str) -> str:
    """A stable AWS-style unique id (AIDA...) for a user ARN."""
    digest = hashlib.sha256(arn.encode()).digest()
    return "AIDA" + base64.b32encode(digest).decode()[:17]


class Store:
    """Temporary credentials issued here, and the lookup of every key a request may carry."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.issued: dict[str, Principal] = {}
        self._accounts: dict[str, tuple[str, str]] = {}
        self.mfa_steps: dict[str, int] = {}  # MFA device -> the last TOTP step it was used at

    def clear(self) -> None:
        with self.lock:
            self.issued.clear()
            self._accounts.clear()
            self.mfa_steps.clear()

    def last_mfa_step(self, serial: str) -> int:
        """The TOTP step of `serial`'s last accepted code (-1 if none)."""
        with self.lock:
            return self.mfa_steps.get(serial, -1)

    def use_mfa_step(self, serial: str, step: int) -> bool:
        """Take a code of `serial`'s at `step` once: AWS, as RFC 6238 asks, refuses a code
        that was used already, or one older than the last used."""
        with self.lock:
            if step <= self.mfa_steps.get(serial, -1):
                return False
            self.mfa_steps[serial] = step
            return True

    def issue(self, template: Principal) -> Principal:
        """Store `template` under a fresh ASIA key id, secret and session token."""
        from moto.iam.utils import generate_access_key_id_from_account_id

        key_id = generate_access_key_id_from_account_id(template.account_id, "ASIA", 20)
        secret = "".join(secrets.choice(SECRET_ALPHABET) for _ in range(40))
        token = "IQoJb3JpZ2luX2VjE" + base64.b64encode(secrets.token_bytes(280)).decode()
        made = Principal(
            **{**template.__dict__, "access_key_id": key_id, "secret": secret, "token": token}
        )
        with self.lock:
            self.issued[key_id] = made
        return made

    def _try(self, place: tuple[str, str], key_id: str) -> tuple[Any, Any, Any] | None:
        backend = iam_backend(*place)
        found = _user_key(backend, key_id) if backend is not None else None
        if found is None:
            return None
        self._accounts[key_id] = place
        return backend, *found

    def _scan(self, key_id: str) -> tuple[Any, Any, Any] | None:
        from moto.iam.models import iam_backends

        hint = self._accounts.get(key_id)
        found = self._try(hint, key_id) if hint else None
        if found:
            return found
        for account_id, account in list(iam_backends.items()):
            for partition in list(account.keys()):
                found = self._try((account_id, partition), key_id)
                if found:
                    return found
        return None

    def user_principal(self, key_id: str) -> Principal | None:
        """The IAM user whose active long-lived key this is, from moto's backends."""
        found = self._scan(key_id)
        if found is None:
            return None
        backend, user, key = found
        return Principal(
            kind="user",
            account_id=backend.account_id,
            partition=backend.partition,
            arn=user.arn,
            user_id=user_id(user.arn),
            access_key_id=key_id,
            secret=key.secret_access_key,
            user_name=user.name,
        )

    def lookup(self, key_id: str) -> Principal | None:
        with self.lock:
            issued = self.issued.get(key_id)
        return issued or self.user_principal(key_id)

    def authenticate(self, environ: dict[str, Any], body: bytes, now: float) -> Principal:
        """The principal that signed the request; AWSError when it may not be served."""
        signed = sigv4.parse(environ)
        if signed is None:
            raise AWSError(
                403, "MissingAuthenticationToken", "Request is missing Authentication Token"
            )
        principal = self.lookup(signed.access_key_id)
        if principal is None or (signed.token or None) != principal.token:
            raise AWSError(403, "InvalidClientTokenId", INVALID_TOKEN)
        if principal.expiration is not None and now >= principal.expiration:
            raise AWSError(400, "ExpiredToken", EXPIRED)
        if not sigv4.signature_ok(environ, signed, body, principal.secret):
            raise AWSError(403, "SignatureDoesNotMatch", SIGNATURE_MISMATCH)
        if signed.v2 and float(signed.timestamp or 0) < now:
            raise AWSError(403, "AccessDenied", "Request has expired")
        return principal
