"""The session agent: MFA sessions and role credentials in memory behind a 0600 Unix socket.

It also answers the warm path (`env` op: target -> ready environment), and serves the
container-credentials endpoint that keeps long-running shells and jobs fresh.
"""

from __future__ import annotations

import argparse
import importlib
import os
import secrets
import threading
import time
from typing import Any

from jumpshell import agentcheck as check
from jumpshell import agentshell, hooks, paths, targetrows
from jumpshell.agentcheck import BadRequest
from jumpshell.agentendpoint import Endpoint
from jumpshell.agentroles import MFA_MIN_VALID, Flights
from jumpshell.agentserver import Server, serve
from jumpshell.agentstore import ROLE_MIN_VALID, HolderWatch, Store, Token, token_id
from jumpshell.assumeparams import AssumeParams, AwsEndpoint
from jumpshell.assumerole import Failure, aws_at, record, try_assume
from jumpshell.credentials import Credentials
from jumpshell.environment import CONFLICTING, JUMPSHELL_VARS, target_env
from jumpshell.errors import EXIT_AUTH, JumpshellError
from jumpshell.procs import alive
from jumpshell.provider import jump_id
from jumpshell.targets import resolve

# what the endpoint says once the MFA session is over (SDKs show the body's "message")
LOGIN_HINT = "the MFA session has ended (run `jumpshell login` in any terminal, then try again)"


class Refusal(Exception):
    """The endpoint refuses a request: a 403 with an error code and a message, no secret."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Agent:
    """Request handlers; each op takes the request dict and returns a JSON-able result."""

    def __init__(self, store: Store, server: Server) -> None:
        self.store = store
        self.server = server
        self.endpoint: Endpoint | None = None
        self.flights = Flights(store)
        self.holders = HolderWatch(store)
        self.themes = agentshell.Themes()  # for the warm `shell` op
        store.tokens_changed = self._tokens_changed

    def handle(self, request: dict[str, Any]) -> Any:
        if not isinstance(request, dict):
            raise BadRequest("a request is a JSON object")
        op = request.get("op")
        handler = getattr(self, f"op_{op}", None) if isinstance(op, str) else None
        if handler is None:
            raise BadRequest(f"unknown op {str(op)[:64]!r}")
        self.store.last_activity = time.monotonic()
        return handler(request)

    def op_ping(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"pid": os.getpid()}

    def op_mfa_get(self, request: dict[str, Any]) -> dict[str, Any] | None:
        with self.store.lock:
            jump_id = check.text(request, "jump_id")
            creds = self.store.mfa.get(jump_id)
            made_at = self.store.mfa_endpoints.get(jump_id)
            if "endpoint" in request and made_at != AwsEndpoint.from_wire(request["endpoint"]):
                return None  # made against another endpoint: that command logs in itself
        return creds.to_dict() if creds and creds.valid_for(MFA_MIN_VALID) else None

    def op_mfa_put(self, request: dict[str, Any]) -> None:
        jump_id, creds = check.text(request, "jump_id"), check.credentials(request)
        where = request.get("endpoint")
        made_at = None if where is None else AwsEndpoint.from_wire(where)
        with self.store.lock:
            self.store.mfa[jump_id] = creds
            self.store.mfa_endpoints[jump_id] = made_at
        # role_assume requests follow a login: boto3 loads now, not in the first one's time
        load = threading.Thread(target=importlib.import_module, args=("jumpshell.aws",))
        load.daemon = True
        load.start()

    def op_role_get(self, request: dict[str, Any]) -> dict[str, Any] | None:
        key = check.text(request, "key")
        if "endpoint" in request and not self._same_endpoint(
            key, AwsEndpoint.from_wire(request["endpoint"])
        ):
            return None
        min_valid = ROLE_MIN_VALID
        if request.get("min_valid") is not None:
            min_valid = int(check.number(request, "min_valid", 0, 43200))
        creds = self.store.role(key, min_valid)
        return creds.to_dict() if creds else None

    def op_role_put(self, request: dict[str, Any]) -> None:
        key, creds, params = (
            check.text(request, "key"),
            check.credentials(request),
            AssumeParams.from_wire(request.get("meta")),
        )
        if params.key != key:
            raise BadRequest("meta.key must be the key it is stored under")
        if not self.store.put_role(key, creds, params):
            raise BadRequest("the agent holds too many role credentials")

    def op_role_assume(self, request: dict[str, Any]) -> dict[str, Any]:
        """Role credentials held for `meta`, else one AssumeRole per role, whoever asks."""
        params = AssumeParams.from_wire(request.get("meta"))
        read_timeout = None
        if request.get("sts_timeout") is not None:
            read_timeout = check.number(request, "sts_timeout", 0.1, 3600)
        return self.flights.assume(params, request.get("exact") is True, read_timeout)

    def op_confirm_get(self, request: dict[str, Any]) -> bool:
        """Whether a production confirmation of the role `key` still holds."""
        return self.store.confirmed(check.text(request, "key"))

    def op_confirm_put(self, request: dict[str, Any]) -> float | None:
        """Remember a production confirmation of the role `key` (see Store.confirm)."""
        seconds = None
        if request.get("seconds") is not None:
            seconds = check.number(request, "seconds", 1, 129600)
        key, jump_id = check.text(request, "key"), check.text(request, "jump_id")
        return self.store.confirm(key, jump_id, seconds)

    def op_env(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The warm path: resolve a target and hand back its environment if creds are held."""
        try:
            config = self.store.config(request["config"])
            target = resolve(config, request["target"])
        except (OSError, JumpshellError):
            return None  # the full path reports it properly
        if len(config.warnings) > len(config.verb_aliases):
            return None  # the full path says them (a typo in the config is worth the ms)
        url, ca_bundle = request.get("endpoint") or ("", "")
        here = AwsEndpoint(target.jump.endpoint_url or url, ca_bundle)
        if not self._same_endpoint(target.cache_key, here):
            return None
        creds = self.store.role(target.cache_key)
        if creds is None:
            return None
        env = target_env(target, creds, {}, region=request.get("region"))
        found = hooks.for_target(config, target)  # the warm `run` runs them too
        return {
            "set": env,
            "unset": [*CONFLICTING, *JUMPSHELL_VARS],
            "confirm": target.production
            and target.confirm
            and not self.store.confirmed(target.cache_key),
            "hooks": [[h.command, h.timeout, h.required, h.where] for h in found],
            "hook_env": hooks.extras(config, target) if found else {},
        }

    def op_session_env(self, request: dict[str, Any]) -> dict[str, str] | None:
        """The warm `credential-process --session`: the MFA session held for the config's
        jump `jump`, made at this command's endpoint, as the environment it would export."""
        try:
            config = self.store.config(request["config"])
            jump = config.jump(request["jump"])
        except (OSError, JumpshellError):
            return None  # the full path reports it properly
        if len(config.warnings) > len(config.verb_aliases):
            return None  # the full path says them, as for the warm `env`
        url, ca_bundle = request.get("endpoint") or ("", "")
        here = AwsEndpoint(jump.endpoint_url or url, ca_bundle)  # provider.endpoint's rule
        key = jump_id(jump)
        with self.store.lock:
            session = self.store.mfa.get(key)
            made_at = self.store.mfa_endpoints.get(key)
        if session is None or not session.valid_for(MFA_MIN_VALID) or made_at != here:
            return None  # the full path logs in (or says why it cannot)
        return {
            "AWS_ACCESS_KEY_ID": session.access_key_id,
            "AWS_SECRET_ACCESS_KEY": session.secret_access_key,
            "AWS_SESSION_TOKEN": session.session_token or "",
            "AWS_CREDENTIAL_EXPIRATION": session.expiration_iso,
        }

    def op_shell(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The warm `shell`: ready environment, a token bound to `pid`, prompt, hooks."""
        return agentshell.answer(request, self.store, self.flights, self.themes, self.op_token_new)

    def op_targets(self, request: dict[str, Any]) -> list[list[Any]] | None:
        """The rows of the config at `config` (parsed once per file identity), for the
        completions and the picker; `held` fills in held roles' expiries. None when the
        config cannot be read or is wrong: the caller parses it and says why."""
        path = check.text(request, "config", 4096)
        try:
            config = self.store.config(path)
        except (OSError, JumpshellError):
            return None
        expiries: dict[str, float] = {}
        if request.get("held"):
            with self.store.lock:
                held = list(self.store.roles.values())
            expiries = {
                params.role_arn: creds.expiration
                for creds, params in held
                if creds.expiration is not None and creds.valid_for(0)
            }
        return targetrows.to_wire(targetrows.rows(config, expiries))

    def op_stats(self, request: dict[str, Any]) -> dict[str, int]:
        """Counts of what the agent holds and has done (tests and benchmarks): no secret."""
        with self.store.lock:
            return {
                "parses": self.store.parses,
                "configs": len(self.store.configs),
                "roles": len(self.store.roles),
                "mfa": len(self.store.mfa),
                "tokens": len(self.store.tokens),
            }

    def _same_endpoint(self, key: str, endpoint: AwsEndpoint) -> bool:
        """Role credentials serve only commands at the endpoint they came from."""
        with self.store.lock:
            entry = self.store.roles.get(key)
        return entry is None or entry[1].endpoint == endpoint

    def op_logout(self, request: dict[str, Any]) -> None:
        self.store.forget(check.text(request, "jump_id", optional=True))

    def op_roles_clear(self, request: dict[str, Any]) -> None:
        """Drop role credentials but keep MFA sessions (benchmarks, `logout --roles`)."""
        with self.store.lock:
            self.store.roles.clear()

    def op_lock(self, request: dict[str, Any]) -> None:
        self.store.forget(None)
        threading.Thread(target=self.server.shutdown, daemon=True).start()

    def op_status(self, request: dict[str, Any]) -> dict[str, Any]:
        self.store.sweep(force=True)  # it walks every role anyway
        with self.store.lock:
            mfa = {k: v.expiration for k, v in self.store.mfa.items() if v.valid_for(0)}
            roles = [
                {
                    "key": k,
                    "target": params.target,
                    "role_arn": params.role_arn,
                    "jump_id": params.jump_id,
                    "expiration": creds.expiration,
                }
                for k, (creds, params) in self.store.roles.items()
                if creds.valid_for(0)
            ]
            tokens = len(self.store.tokens)
        return {"pid": os.getpid(), "mfa": mfa, "roles": roles, "refreshing": tokens}

    def op_token_new(self, request: dict[str, Any]) -> dict[str, str]:
        """A token for the credential endpoint, good for one role, while `pid` lives."""
        params, pid = AssumeParams.from_wire(request.get("meta")), check.pid(request)
        pidfd = None
        if hasattr(os, "pidfd_open"):
            try:
                pidfd = os.pidfd_open(pid)
            except ProcessLookupError:
                raise BadRequest(f"no process {pid} to serve") from None
        elif not alive(pid):
            raise BadRequest(f"no process {pid} to serve")
        token = secrets.token_urlsafe(32)
        key = token_id(token)
        with self.store.lock:
            if len(self.store.tokens) >= check.MAX_ENTRIES:
                if pidfd is not None:
                    os.close(pidfd)
                raise BadRequest("the agent holds too many tokens")
            self.store.tokens[key] = Token(params, pid, pidfd, key)
        return {"url": self._tokens_changed(), "token": token}

    def op_token_revoke(self, request: dict[str, Any]) -> None:
        self.store.revoke(token_id(check.text(request, "token")))

    def op_token_scope(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """What a token serves (for `whoami` inside a refreshing command); never the token."""
        entry = self._token(check.text(request, "token"))
        if entry is None:
            return None
        return {"target": entry.params.target, "role_arn": entry.params.role_arn}

    def _token(self, token: str) -> Token | None:
        """A live token's entry; where there is no pidfd, its holder is checked now."""
        found = self.store.token(token)
        if found is None:
            return None
        key, entry = found
        if entry.pidfd is None and not alive(entry.pid):
            self.store.revoke(key)
            return None
        return entry

    def _tokens_changed(self) -> str:
        """Listen while a token exists, and only then; the endpoint's URL (or "")."""
        with self.store.lock:
            live = bool(self.store.tokens)
            if live and self.endpoint is None:
                self.endpoint = Endpoint(self.answer)
            elif not live and self.endpoint is not None:
                self.endpoint.close()
                self.endpoint = None
            url = self.endpoint.url if self.endpoint else ""
        self.holders.wake()
        return url

    def answer(self, token: str) -> tuple[int, dict[str, str]]:
        """The endpoint's reply to a GET with `token` as its Authorization header."""
        self.store.last_activity = time.monotonic()
        try:
            creds = self.fresh_credentials(token)
        except Refusal as exc:
            return 403, {"code": exc.code, "message": exc.message}
        except JumpshellError as exc:
            if exc.exit_code == EXIT_AUTH:  # AWS refused: the same every time, not a 500
                return 403, {"code": "AccessDenied", "message": exc.render()}
            return 500, {"code": "Unavailable", "message": exc.render()}
        return 200, {
            "AccessKeyId": creds.access_key_id,
            "SecretAccessKey": creds.secret_access_key,
            "Token": creds.session_token or "",
            "Expiration": creds.expiration_iso,
        }

    def fresh_credentials(self, token: str) -> Credentials:
        """The token's role credentials, assumed again from the MFA session when near expiry."""
        entry = self._token(token) if token else None
        if entry is None:
            raise Refusal("InvalidToken", "no such token: unknown, or revoked when its shell ended")
        params = entry.params
        # SDKs refresh 15 minutes ahead; short sessions are reused until a third is left
        return self._refreshed(params, min(900, params.duration // 3))

    def _refreshed(self, params: AssumeParams, min_valid: int) -> Credentials:
        """Held credentials for `params` valid for `min_valid` s, else assumed again."""
        # concurrent fetches (and role_assume requests) of one role: one AssumeRole, shared
        with self.flights.lock(params.key):
            creds = self.store.role(params.key, min_valid=min_valid)
            if creds is not None:
                return creds
            if params.via is not None:  # a chain: the first role's, refreshed the same way
                creds = self._assume(self._refreshed(params.via, min_valid), params)
                self.store.put_role(params.key, creds, params)
                return creds
            with self.store.lock:
                session = self.store.mfa.get(params.jump_id)
                made_at = self.store.mfa_endpoints.get(params.jump_id)
            if session is None or not session.valid_for(MFA_MIN_VALID):
                raise Refusal("LoginRequired", LOGIN_HINT)
            if made_at != params.endpoint:  # its token goes only where it came from
                raise Refusal(
                    "LoginRequired", "the MFA session is for another endpoint: log in again"
                )
            creds = self._assume(session, params)
            self.store.put_role(params.key, creds, params)
            return creds

    def _assume(self, session: Credentials, params: AssumeParams) -> Credentials:
        """The refresh: AssumeRole again from the MFA session held, audited here. AWS saying
        the session has expired is the login hint (this clock may think it has time left:
        AWS's is the one that counts)."""
        outcome = try_assume(aws_at(params), session, params)
        record(params, outcome)
        if isinstance(outcome, Failure):
            if outcome.kind == "expired":
                raise Refusal("LoginRequired", LOGIN_HINT)
            raise outcome.error()
        return outcome


def main() -> None:
    """`python -m jumpshell.agent`: started by the first command that needs it."""
    parser = argparse.ArgumentParser(prog="jumpshell-agent")
    parser.add_argument("--idle", type=float, default=43200)
    parser.add_argument("--ready-fd", type=int)
    parser.add_argument("--socket", default=None)
    args = parser.parse_args()
    serve(args.socket or paths.agent_socket(), args.idle, Agent, args.ready_fd)


if __name__ == "__main__":
    main()
