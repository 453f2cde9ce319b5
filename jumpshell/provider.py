"""The provider chain: agent cache -> MFA session (prompt once, under a lock) -> AssumeRole."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from jumpshell import agentclient, audit, paths, waits
from jumpshell.assumeparams import AssumeParams, AwsEndpoint
from jumpshell.assumerole import Failure, record, sts_timeout, try_assume
from jumpshell.config import JumpConfig
from jumpshell.credentials import Credentials
from jumpshell.errors import AuthError, ConfigError, JumpshellError, UnreachableError, UsageError
from jumpshell.mfa import MfaSource, check_code
from jumpshell.targets import Target

if TYPE_CHECKING:
    from jumpshell.agentapi import AgentClient
    from jumpshell.aws import Aws
    from jumpshell.keystore import KeyStore

CHAINING_CAP = 3600
ROLE_MAX = 43200  # AWS's longest role session (the chaining cap is what applies from MFA)
SESSION_MIN_VALID = 60  # as the agent: a session this close to its end is not handed out
LOGIN_WAIT = 120.0  # a human may be typing a code in another terminal
SHARED = "mfa_command failed"  # the note a failed mfa_command leaves for those who waited


def jump_id(jump: JumpConfig) -> str:
    """Identifies one jump user's MFA session in the agent."""
    return f"{jump.partition}:{jump.account_id}:{jump.user_name}"


def endpoint(jump: JumpConfig, environ: Mapping[str, str] = os.environ) -> AwsEndpoint:
    """Where this command's STS calls go: the jump's endpoint_url, else what botocore
    takes from the environment ('' for AWS's own). An MFA session is kept with it."""
    url, ca_bundle = agentclient.env_endpoint(environ)
    return AwsEndpoint(jump.endpoint_url or url, ca_bundle)


@contextmanager
def login_lock(
    jump: JumpConfig, progress: Callable[[str], None] | None = None
) -> Iterator[waits.HeldLock]:
    """One login at a time per jump user, across processes; a stuck holder is named."""
    name = hashlib.sha256(jump_id(jump).encode()).hexdigest()[:16]
    path = os.path.join(paths.private_dir(paths.runtime_dir()), f"login-{name}.lock")
    timeout = waits.seconds("JUMPSHELL_LOCK_TIMEOUT", LOGIN_WAIT)
    try:
        with waits.locked(path, timeout, progress, "finish logging in") as held:
            yield held
    except waits.LockTimeout as exc:
        pid = f"kill {exc.holder[0]}" if exc.holder else "end it"
        raise UnreachableError(
            f"{exc.name()} has been logging in {jump.user_name} for {exc.waited:.0f} s",
            f"finish or end it ({pid}), then try again",
        ) from None


class Provider:
    """Gets MFA sessions and role credentials, asking AWS only when the agent holds none."""

    def __init__(
        self,
        keystore: KeyStore,
        aws: Callable[[], Aws],
        mfa: Callable[[JumpConfig], MfaSource],
        agent: AgentClient,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.keystore = keystore
        self.agent = agent
        self._aws_factory = aws
        self._aws: Aws | None = None
        self._aws_at: dict[tuple[str, str], Aws] = {}
        self.mfa = mfa
        self.progress = progress  # says what a long wait waits for (the core never prints)
        self.notices: list[str] = []

    @property
    def aws(self) -> Aws:
        if self._aws is None:
            self._aws = self._aws_factory()
        return self._aws

    def aws_for(self, jump: JumpConfig) -> Aws:
        """AWS at the jump's endpoint (its endpoint_url, else this command's environment)."""
        return self.aws_for_endpoint(endpoint(jump))

    def aws_for_endpoint(self, where: AwsEndpoint) -> Aws:
        key = (where.url, where.ca_bundle)
        if key not in self._aws_at:
            self._aws_at[key] = self.aws.at(*key)
        return self._aws_at[key]

    def cached_session(self, jump: JumpConfig) -> Credentials | None:
        """The agent's MFA session for `jump`, if valid and made against this endpoint."""
        return self.agent.mfa_get(jump_id(jump), endpoint(jump))

    def session(self, jump: JumpConfig, force: bool = False) -> Credentials:
        """The MFA session: cached, or one login for all concurrent callers."""
        if not force and (cached := self.cached_session(jump)):
            return cached
        self.agent.start()  # an agent that cannot start fails now, before a code is used
        with login_lock(jump, self.progress) as held:
            if not force and (cached := self.cached_session(jump)):
                return cached
            if not force and jump.keep_session:
                kept = self.keystore.get_session(jump, SESSION_MIN_VALID)
                if kept is not None:  # the agent restarted (a reboot): no new MFA prompt
                    self._hand_to_agent(jump, kept)
                    return kept
            # the holder we waited for ran the same mfa_command and it failed: its one
            # result is ours too, rather than one more timeout per waiting command
            for note in held.notes_since_wait():
                what, _, rest = note.partition("\t")
                if what == SHARED and self.mfa(jump).name == "mfa_command":
                    code, message, fix = rest.split("\t", 2)
                    raise JumpshellError(message, fix, int(code))
            try:
                return self.login(jump)
            except JumpshellError as exc:
                if getattr(exc, "from_mfa_command", False):
                    held.note(f"{SHARED}\t{exc.exit_code}\t{exc.message}\t{exc.fix}")
                raise

    def _hand_to_agent(self, jump: JumpConfig, session: Credentials) -> None:
        self.agent.mfa_put(jump_id(jump), session, endpoint(jump))

    def _code(self, jump: JumpConfig, source: MfaSource, error: str | None) -> str:
        """One code from the source; an mfa_command's failure is marked to be shared."""
        try:
            return source.prompt(jump.mfa_serial, error)
        except JumpshellError as exc:
            if source.name == "mfa_command":
                exc.from_mfa_command = True  # type: ignore[attr-defined]
            raise

    def login(self, jump: JumpConfig) -> Credentials:
        """GetSessionToken with a code from the MFA source; a refused code asks again."""
        from jumpshell.aws import WrongMfaCode

        key = self.keystore.get_key(jump)
        source = self.mfa(jump)
        error: str | None = None
        for attempt in range(1, source.tries + 1):
            try:
                code = check_code(self._code(jump, source, error))
            except UsageError as exc:  # a typo at the prompt: ask again, AWS never sees it
                if attempt < source.tries:
                    error = exc.render()
                    continue
                if source.name == "mfa_command":
                    table = "[jump]" if jump.name == "default" else f"[jumps.{jump.name}]"
                    raise ConfigError(
                        "mfa_command printed no 6-digit code",
                        f"run the mfa_command of {table} yourself and check what it prints",
                    ) from None
                raise
            try:
                session = self.aws_for(jump).get_session_token(
                    key, jump.mfa_serial, code, jump.session_duration, jump.region
                )
            except AuthError as exc:
                audit.record(
                    action="GetSessionToken", jump=jump.name, outcome="refused", error=exc.message
                )
                if isinstance(exc, WrongMfaCode) and attempt < source.tries:
                    error = exc.render()
                    continue
                raise
            break
        audit.record(
            action="GetSessionToken",
            jump=jump.name,
            outcome="ok",
            expiration=session.expiration_iso,
        )
        self._hand_to_agent(jump, session)
        if jump.keep_session:
            self.keystore.set_session(jump, session)
        return session

    def role(self, target: Target, duration: int | None = None) -> Credentials:
        """Role credentials for `target`: the agent's, or one AssumeRole made by the agent.

        Held credentials serve only a command at the endpoint they came from, and only if
        they end within the duration asked for: a shorter --duration gets its own. The agent
        assumes with the MFA session it holds, one AssumeRole per role however many ask at
        once; only when it holds none does this command log in (the MFA prompt is here).
        """
        params = self.params(target, duration)  # validates --duration, cached or not
        jump = target.jump
        # a chain (an AWS config profile from another role profile): that role first, held
        # by the agent and audited here like any; the agent then assumes this one from it
        source = None if target.via is None else self.role(target.via, duration)
        for fresh in (False, True):
            outcome = self._from_agent(params, duration is not None)
            if outcome is None:  # nothing to assume from: log in, then let the agent assume
                session = self.session(jump)
                outcome = self._from_agent(params, duration is not None)
                if outcome is None:  # forgotten meanwhile, or an agent of an older version
                    outcome = self._assume_here(source or session, params)
            if isinstance(outcome, Credentials):
                return outcome
            if outcome.kind == "expired" and not fresh:
                self.forget(jump)  # AWS ended it early (clock, revocation): one fresh login
                continue
            raise outcome.error()
        raise AssertionError("unreachable: the second pass returns or raises")

    def _from_agent(self, params: AssumeParams, exact: bool) -> Credentials | Failure | None:
        """The agent's answer for `params`, audited here (the agent may write elsewhere);
        None when it holds no MFA session to assume from (or does not run)."""
        timer = None
        if self.progress is not None:  # the agent's AssumeRole, or another command's it joined
            where = params.endpoint.url or "AWS"
            say = f"waiting for AWS STS AssumeRole {params.role_arn} at {where}..."
            timer = threading.Timer(2.0, self.progress, [say])
            timer.daemon = True
            timer.start()
        try:
            answer = self.agent.role_assume(params, exact, sts_timeout())
        finally:
            if timer is not None:
                timer.cancel()
        if answer is None:
            return None
        outcome, assumed = answer
        if assumed or isinstance(outcome, Failure):
            record(params, outcome)
        return outcome

    def _assume_here(self, session: Credentials, params: AssumeParams) -> Credentials | Failure:
        """AssumeRole in this process (the agent could not), handed to the agent after."""
        outcome = try_assume(self.aws_for_endpoint(params.endpoint), session, params)
        record(params, outcome)
        if isinstance(outcome, Credentials):
            self.agent.role_put(outcome, params)
        return outcome

    def params(self, target: Target, duration: int | None) -> AssumeParams:
        """What an AssumeRole for `target` needs, its duration capped (see `capped`)."""
        if duration is None:  # the config's: capped without a word (`list` says it once)
            return assume_params(target, min(target.role_duration, CHAINING_CAP))
        return assume_params(target, self.capped(duration))

    def capped(self, duration: int) -> int:
        """AWS caps roles assumed from an MFA session (role chaining) at one hour.

        Only a --duration typed for this command gets a note: a config's 12h (aws-vault
        users' duration_seconds = 43200) is capped on every command, and a note there would
        be said on every command for a limit the user cannot change.
        """
        if duration < 900 or duration > ROLE_MAX:
            raise UsageError(
                "a role session lasts 15 minutes to 12 hours (1 hour from an MFA session)",
                "use --duration between 15m and 1h",
            )
        if duration > CHAINING_CAP:
            notice = (
                "role duration capped to 1h: AWS limits roles assumed with MFA-session "
                "credentials (role chaining) to 1 hour; `run --refresh` outlives it"
            )
            if notice not in self.notices:
                self.notices.append(notice)
            return CHAINING_CAP
        return duration

    def forget(self, jump: JumpConfig) -> None:
        """Drop the MFA session and role credentials of `jump`, in the agent and the keyring.

        An agent that runs but does not confirm is an error: never report a forget that
        did not happen.
        """
        self.agent.logout(jump_id(jump))
        if jump.keep_session:
            self.keystore.delete_session(jump)


def assume_params(target: Target, duration: int) -> AssumeParams:
    """Everything needed to assume the target's role again (kept by the agent; no secret)."""
    jump = target.jump
    return AssumeParams(
        key=target.cache_key,
        target=target.name,
        role_arn=target.role_arn,
        jump=jump.name,
        jump_id=jump_id(jump),
        session_name=target.role_session_name or jump.user_name,
        user_arn=f"arn:{jump.partition}:iam::{jump.account_id}:user/{jump.user_name}",
        source_identity=jump.user_name if target.source_identity else None,
        external_id=target.external_id,
        duration=duration,
        region=jump.region,
        endpoint=endpoint(jump),
        via=None if target.via is None else assume_params(target.via, duration),
    )
