"""The agent's AssumeRoles for commands: one at a time per role (single flight), from the
MFA session it holds, held credentials handed out while they serve what was asked."""

from __future__ import annotations

import threading
from typing import Any

from jumpshell.agentstore import ROLE_MIN_VALID, Store
from jumpshell.assumeparams import AssumeParams
from jumpshell.assumerole import Failure, aws_at, flight_seconds, try_assume
from jumpshell.credentials import Credentials
from jumpshell.errors import EXIT_UNREACHABLE

MFA_MIN_VALID = 60  # an MFA session this close to its end is not assumed from


class Flights:
    """One lock per role: concurrent requests (and refreshes) of a role share one AssumeRole."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.locks: dict[str, threading.Lock] = {}

    def lock(self, key: str) -> threading.Lock:
        with self.store.lock:
            return self.locks.setdefault(key, threading.Lock())

    def assume(
        self, params: AssumeParams, exact: bool, read_timeout: float | None
    ) -> dict[str, Any]:
        """The `role_assume` answer: {credentials, assumed?}, {failure} or {login}.

        Concurrent requests for one role wait for the first one's AssumeRole and share its
        credentials; different roles assume side by side. The outcome goes back unaudited:
        the asking command writes the audit entry (this process may log elsewhere).
        """
        if held := self.held(params, exact):
            return {"credentials": held.to_dict()}
        flight = self.lock(params.key)
        if not flight.acquire(timeout=flight_seconds(read_timeout)):
            failure = Failure(
                "failed",
                f"another command has been assuming {params.role_arn} for too long",
                "try again; check the agent with `jumpshell status`",
                EXIT_UNREACHABLE,
                "",
            )
            return {"failure": failure.to_wire()}
        try:
            if held := self.held(params, exact):  # the AssumeRole we waited for: ours too
                return {"credentials": held.to_dict()}
            source = self.source(params, read_timeout)
            if not isinstance(source, Credentials):
                return source  # {login} or the first role's {failure}
            outcome = try_assume(aws_at(params, read_timeout), source, params)
            if isinstance(outcome, Failure):
                return {"failure": outcome.to_wire()}
            self.store.put_role(params.key, outcome, params)
            return {"credentials": outcome.to_dict(), "assumed": True}
        finally:
            flight.release()

    def held(self, params: AssumeParams, exact: bool) -> Credentials | None:
        """Held credentials for `params`: from its endpoint, and within an asked duration."""
        with self.store.lock:
            entry = self.store.roles.get(params.key)
        if entry is None or entry[1].endpoint != params.endpoint:
            return None
        creds = entry[0]
        if not creds.valid_for(ROLE_MIN_VALID):
            return None
        if exact and creds.remaining() > params.duration + 60:
            return None  # a shorter --duration than held gets its own
        return creds

    def source(
        self, params: AssumeParams, read_timeout: float | None
    ) -> Credentials | dict[str, Any]:
        """What `params` is assumed with: the MFA session, or the credentials of the role it
        chains from (held, else assumed: that answer's {login} or {failure} is passed on)."""
        if params.via is None:
            session = self.session_for(params)
            return {"login": True} if session is None else session  # the command logs in
        answer = self.assume(params.via, False, read_timeout)
        if "credentials" not in answer:
            return answer
        return Credentials.from_dict(answer["credentials"])

    def session_for(self, params: AssumeParams) -> Credentials | None:
        """The MFA session to assume `params` from: valid, and made at its endpoint."""
        with self.store.lock:
            session = self.store.mfa.get(params.jump_id)
            made_at = self.store.mfa_endpoints.get(params.jump_id)
        if session is None or not session.valid_for(MFA_MIN_VALID):
            return None
        return session if made_at == params.endpoint else None
