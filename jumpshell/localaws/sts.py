"""The strict STS: GetSessionToken with real TOTP, AssumeRole with real policy checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Response

from jumpshell.localaws.assume import assume_role
from jumpshell.localaws.auth import Principal, Store
from jumpshell.localaws.responses import AWSError, sts_response
from jumpshell.localaws.stsrules import check_mfa, credentials, session_duration


class STS:
    """Answers STS actions for an authenticated principal; fills in the call's record."""

    def __init__(self, store: Store, clock: Callable[[], float]) -> None:
        self.store = store
        self.clock = clock

    def handle(
        self,
        caller: Principal,
        params: dict[str, str],
        record: dict[str, Any],
        protocol: str = "query",
    ) -> Response:
        """Answer `params["Action"]` in the client's protocol ("query" or "json")."""
        action = params.get("Action", "")
        handler = {
            "GetSessionToken": self.get_session_token,
            "AssumeRole": self.assume_role,
            "GetCallerIdentity": self.get_caller_identity,
            "GetAccessKeyInfo": self.get_access_key_info,
        }.get(action)
        if handler is None:
            raise AWSError(
                400, "InvalidAction", f"Could not find operation {action} for version 2011-06-15"
            )
        return sts_response(action, handler(caller, params, record), protocol)

    def get_session_token(
        self, caller: Principal, params: dict[str, str], record: dict[str, Any]
    ) -> dict[str, object]:
        if caller.temporary:
            raise AWSError(
                403, "AccessDenied", "Cannot call GetSessionToken with session credentials"
            )
        duration = session_duration(params)
        mfa = check_mfa(self.store, self.clock(), caller, params, record)
        now = self.clock()
        made = self.store.issue(
            Principal(
                **{**caller.__dict__, "kind": "session", "expiration": now + duration,
                   "mfa_present": mfa, "mfa_time": now if mfa else None, "issued": now}
            )
        )  # fmt: skip
        record["issued_key"] = made.access_key_id
        return {"Credentials": credentials(made)}

    def get_caller_identity(
        self, caller: Principal, params: dict[str, str], record: dict[str, Any]
    ) -> dict[str, object]:
        return {"UserId": caller.user_id, "Account": caller.account_id, "Arn": caller.arn}

    def get_access_key_info(
        self, caller: Principal, params: dict[str, str], record: dict[str, Any]
    ) -> dict[str, object]:
        found = self.store.lookup(params.get("AccessKeyId", ""))
        if found is None:
            raise AWSError(400, "ValidationError", "The access key ID is not valid.")
        return {"Account": found.account_id}

    def assume_role(
        self, caller: Principal, params: dict[str, str], record: dict[str, Any]
    ) -> dict[str, object]:
        return assume_role(self.store, self.clock, caller, params, record)
