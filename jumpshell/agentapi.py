"""The typed client of the agent's protocol: the one object the Provider and the Engine ask.

`agentclient` is the wire (lean, for the warm path); this is everything else a command asks
of the agent, each op a method with typed values in and out, so no raw request dict travels
through the core. Tests and other front ends can hand the Engine a client on another socket.
"""

from __future__ import annotations

import os
import select
import signal
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from jumpshell import agentclient, paths, targetrows
from jumpshell.agentcheck import BadRequest
from jumpshell.agentclient import AgentUnavailable
from jumpshell.assumeparams import AssumeParams, AwsEndpoint
from jumpshell.assumerole import Failure, flight_seconds
from jumpshell.credentials import Credentials
from jumpshell.errors import UsageError
from jumpshell.targetrows import TargetRow

CONFIRM = 5.0  # seconds the agent has to confirm a logout or lock, and to exit
STATUS_WAIT = 5.0  # `status` is asked when something seems wrong: it must not hang too


class AgentClient:
    """One agent, on `socket` (default: the runtime dir's); started on first need."""

    def __init__(
        self,
        socket: str | None = None,
        idle_timeout: int = 43200,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.socket = socket
        self.idle_timeout = idle_timeout
        self.progress = progress

    def _call(self, request: dict[str, Any], timeout: float = agentclient.TIMEOUT) -> Any:
        return agentclient.call(request, path=self.socket, timeout=timeout)

    def _ask(self, request: dict[str, Any]) -> Any:
        """Ask, starting the agent if need be; a JumpshellError if it cannot be reached."""
        try:
            if self.socket is None:
                agentclient.ensure(self.idle_timeout, self.progress)
            return self._call(request)
        except AgentUnavailable as exc:
            raise UsageError(
                f"the session agent cannot be reached: {exc}",
                f"check {paths.runtime_dir()} (XDG_RUNTIME_DIR), then try again",
            ) from None

    def _peek(self, request: dict[str, Any]) -> Any:
        """Ask a running agent only; None when there is none (nothing is held then)."""
        try:
            return self._call(request)
        except AgentUnavailable:
            return None

    def start(self) -> None:
        """Make sure an agent runs: it fails now, before an MFA code is spent."""
        self._ask({"op": "ping"})

    def mfa_get(self, jump_id: str, endpoint: AwsEndpoint) -> Credentials | None:
        """The MFA session held for `jump_id`, if made against `endpoint` and still valid."""
        raw = self._peek({"op": "mfa_get", "jump_id": jump_id, "endpoint": endpoint.to_wire()})
        return Credentials.from_dict(raw) if raw else None

    def mfa_put(self, jump_id: str, session: Credentials, endpoint: AwsEndpoint) -> None:
        self._ask(
            {
                "op": "mfa_put",
                "jump_id": jump_id,
                "credentials": session.to_dict(),
                "endpoint": endpoint.to_wire(),
            }
        )

    def role_get(self, key: str, endpoint: AwsEndpoint) -> Credentials | None:
        """Role credentials held under `key` from `endpoint`, valid 5 more minutes."""
        raw = self._peek({"op": "role_get", "key": key, "endpoint": endpoint.to_wire()})
        return Credentials.from_dict(raw) if raw else None

    def role_put(self, creds: Credentials, params: AssumeParams) -> None:
        """Hand the agent role credentials, held under `params.key` with what renews them."""
        request = {"op": "role_put", "key": params.key, "credentials": creds.to_dict()}
        self._ask({**request, "meta": params.to_wire()})

    def role_assume(
        self, params: AssumeParams, exact: bool, sts_timeout: float | None
    ) -> tuple[Credentials | Failure, bool] | None:
        """Role credentials for `params`: held, or assumed by the agent from the MFA session
        it holds, one AssumeRole per role for all who ask at once.

        (outcome, whether this request's AssumeRole it was: its audit entry is ours to
        write); None when the agent holds no MFA session for it, or does not run. `exact`:
        the duration was asked for, so credentials that outlive it are not handed out.
        """
        request: dict[str, Any] = {"op": "role_assume", "meta": params.to_wire(), "exact": exact}
        if sts_timeout is not None:
            request["sts_timeout"] = sts_timeout
        try:  # a wait for another request's AssumeRole of the role, then maybe our own
            answer = self._call(request, timeout=2 * flight_seconds(sts_timeout) + 5)
            if not isinstance(answer, dict) or "login" in answer:
                return None
            if "failure" in answer:
                return Failure.from_wire(answer["failure"]), True
            return Credentials.from_dict(answer["credentials"]), bool(answer.get("assumed"))
        except (AgentUnavailable, BadRequest, KeyError, TypeError):
            return None  # an agent of another version: this command assumes it itself

    def token_new(self, params: AssumeParams, pid: int) -> tuple[str, str]:
        """(endpoint URL, token) for the credential endpoint: one role, while `pid` lives."""
        answer = self._ask({"op": "token_new", "meta": params.to_wire(), "pid": pid})
        return str(answer["url"]), str(answer["token"])

    def confirmed(self, key: str) -> bool:
        """Whether a production confirmation of the role `key` holds (False: no agent)."""
        return self._peek({"op": "confirm_get", "key": key}) is True

    def confirm(self, key: str, jump_id: str, seconds: int | None) -> None:
        """Remember a production confirmation of the role `key`, for `seconds` or (None) for
        as long as the role credentials held for it; nothing when no agent runs."""
        request: dict[str, Any] = {"op": "confirm_put", "key": key, "jump_id": jump_id}
        self._peek(request if seconds is None else {**request, "seconds": seconds})

    def token_revoke(self, token: str) -> None:
        self._peek({"op": "token_revoke", "token": token})

    def token_scope(self, token: str) -> str | None:
        """The target a token serves (None: revoked or unknown); AgentUnavailable if none."""
        scope = self._call({"op": "token_scope", "token": token}, timeout=5)
        return str(scope["target"]) if scope else None

    def targets(self, config_path: str, held: bool = False) -> list[TargetRow] | None:
        """The rows of the config at `config_path` from a running agent's parsed copy;
        None when no agent runs or it cannot read that config (then parse it yourself)."""
        raw = self._peek({"op": "targets", "config": config_path, "held": held})
        if raw is None:
            return None
        try:
            return targetrows.from_wire(raw)
        except ValueError:
            return None  # an agent of another version: the file is the truth

    def stats(self) -> dict[str, int] | None:
        """A running agent's counts (parses, configs, roles, mfa, tokens); None if none runs."""
        raw = self._peek({"op": "stats"})
        return {k: int(v) for k, v in raw.items()} if isinstance(raw, dict) else None

    def status(self) -> tuple[dict[str, Any], str | None]:
        """What the agent holds, and why it cannot be asked when it exists but won't answer."""
        empty: dict[str, Any] = {"mfa": {}, "roles": []}
        socket_path = self.socket or paths.agent_socket()
        try:
            paths.private_dir(os.path.dirname(socket_path))
        except (OSError, UsageError) as exc:
            reason = exc.render() if isinstance(exc, UsageError) else str(exc)
            return empty, f"the runtime dir is unusable: {reason}"
        if not os.path.exists(socket_path):
            return empty, None  # no agent: it holds nothing, and that is the whole truth
        try:
            return self._call({"op": "status"}, timeout=STATUS_WAIT), None
        except AgentUnavailable as exc:
            return empty, f"the session agent at {socket_path} does not answer ({exc})"

    def logout(self, jump_id: str) -> None:
        """Forget one jump user's session; an agent that runs but does not confirm is an error."""
        if agentclient.peer_pid(self.socket) is None:
            return
        try:
            self._call({"op": "logout", "jump_id": jump_id}, timeout=CONFIRM)
        except AgentUnavailable as exc:
            raise UsageError(
                f"the session agent did not confirm the logout: {exc}",
                "run `jumpshell lock`, which stops the agent",
            ) from None

    def lock(self) -> str | None:
        """Forget everything and stop the agent; kill it if it does not confirm or exit.

        Returns a note when it had to be killed, None when all went as asked; raises if it
        lives on (its memory is all it holds, so a killed agent has forgotten).
        """
        pid = agentclient.peer_pid(self.socket)
        if pid is None:
            return None  # no agent: nothing held
        try:
            self._call({"op": "lock"}, timeout=CONFIRM)
            confirmed = True
        except AgentUnavailable:
            confirmed = False
        if confirmed and _wait_exit(pid, CONFIRM):
            return None
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        if not _wait_exit(pid, CONFIRM):
            raise UsageError(
                f"the session agent (pid {pid}) did not stop, even when killed",
                f"check `ps {pid}`; its MFA sessions may still be held",
            )
        what = "did not confirm the lock" if not confirmed else "did not exit"
        return f"the session agent (pid {pid}) {what}, so it was killed"


def _wait_exit(pid: int, timeout: float) -> bool:
    """Wait for `pid` (not our child) to end: a pidfd where there is one, else a short poll."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    except AttributeError:  # no pidfd here (macOS): look twenty times a second
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.05)
        return False
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
        return bool(ready)
    finally:
        os.close(fd)
