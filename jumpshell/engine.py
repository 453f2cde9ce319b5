"""Engine: the whole API of the core; target -> credentials -> environment, and the rest.

Every front end (the CLI, the picker, the completions) holds one Engine and nothing else of
the core: no front end talks to the keyring, AWS, the agent or the audit log itself. What a
front end must tell the user (a capped duration) comes back as a value on the result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jumpshell import audit, hooks, keycheck, targets
from jumpshell.config import Config, Hook, JumpConfig
from jumpshell.credentials import Credentials
from jumpshell.environment import CONFLICTING, target_env
from jumpshell.errors import KeyringError
from jumpshell.mfa import MfaSource
from jumpshell.provider import Provider, jump_id
from jumpshell.targetrows import TargetRow as TargetRow  # re-exported: the API's row type
from jumpshell.targetrows import rows
from jumpshell.targets import Target

if TYPE_CHECKING:
    from jumpshell.agentapi import AgentClient
    from jumpshell.aws import Aws
    from jumpshell.keystore import KeyStore


@dataclass(frozen=True)
class SessionStatus:
    """What `status` shows of one jump user: never a secret."""

    jump: str
    user_name: str
    mfa_expiration: float | None
    roles: tuple[tuple[str, str, float], ...]  # (target, role_arn, expiration)
    kept: bool = False  # the MFA session is (also) in the keyring: keep_session
    agent_problem: str | None = None  # the agent exists but cannot be asked: why


@dataclass(frozen=True)
class Prepared:
    """A target made ready to launch: its environment, and what to say and undo after."""

    target: Target
    env: dict[str, str]
    token: str | None  # the refresh token to revoke when the command ends (refresh only)
    notices: tuple[str, ...]  # things the user should know (a capped duration)
    session_expiration: float | None = None  # the MFA session's end: a refreshing shell's horizon


@dataclass(frozen=True)
class Whoami:
    """Who this shell is: the jump users' sessions and the target its environment names."""

    sessions: tuple[SessionStatus, ...]
    jumps: tuple[JumpConfig, ...]
    target: str | None
    account_id: str | None
    production: bool
    refreshing: str | None  # what the refresh token serves, as the agent says (never the token)


class Engine:
    """The one path every front end uses."""

    def __init__(
        self,
        config: Config,
        keystore: KeyStore,
        aws: Callable[[], Aws],
        mfa_source: Callable[[JumpConfig], MfaSource],
        progress: Callable[[str], None] | None,
        agent: AgentClient,
    ) -> None:
        self.config = config
        self.keystore = keystore
        self.agent = agent
        agent.idle_timeout = config.defaults.agent_idle_timeout
        agent.progress = progress
        self.provider = Provider(keystore, aws, mfa_source, agent, progress)

    @property
    def warnings(self) -> tuple[str, ...]:
        """What the config got wrong but could live with (unknown keys: often a typo)."""
        return self.config.warnings

    # -- targets --------------------------------------------------------------------
    def resolve(self, text: str) -> Target:
        """A target name -> Target (suggests on a typo)."""
        return targets.resolve(self.config, text)

    def targets(self, held: bool = False) -> list[TargetRow]:
        """Every target of the config, one row per role; `held` asks the agent for expiries."""
        expiries: dict[str, float] = {}
        if held:
            raw, _ = self.agent.status()
            expiries = {r["role_arn"]: r["expiration"] for r in raw["roles"]}
        return rows(self.config, expiries)

    # -- credentials and environments ----------------------------------------------
    def credentials(self, target: Target, duration: int | None = None) -> Credentials:
        """Role credentials for `target`."""
        return self.provider.role(target, duration)

    def prepare(
        self,
        target: Target,
        base: Mapping[str, str],
        region: str | None = None,
        duration: int | None = None,
        refresh: bool = False,
        pid: int | None = None,
    ) -> Prepared:
        """The target's environment over `base`; with `refresh`, the agent's endpoint instead
        of keys, and a token bound to `pid` (default: this process, which waits beside the
        command, or becomes the shell by exec). AWS_CREDENTIAL_EXPIRATION then says when the
        MFA session ends, the horizon of what the endpoint can serve."""
        self.provider.notices.clear()
        creds = self.credentials(target, duration)
        token, until = None, None
        if not refresh:
            env = target_env(target, creds, base, region)
        else:
            params = self.provider.params(target, duration)
            url, token = self.agent.token_new(params, os.getpid() if pid is None else pid)
            env = target_env(target, None, base, region, endpoint=(url, token))
            session = self.provider.cached_session(target.jump)
            until = session.expiration if session else None
            if session is not None and session.expiration is not None:
                env["AWS_CREDENTIAL_EXPIRATION"] = session.expiration_iso
        return Prepared(target, env, token, tuple(self.provider.notices), until)

    def enter_hooks(self, target: Target) -> tuple[Hook, ...]:
        """The `on_enter` hooks entering `target` runs: every target's, its class's, its own."""
        return hooks.for_target(self.config, target)

    def hook_env(self, prepared: Prepared, entry: str) -> dict[str, str]:
        """A hook's environment: the prepared one less every credential, plus
        JUMPSHELL_ENV_CLASS, JUMPSHELL_USER and JUMPSHELL_ENTRY (run, shell or pane)."""
        extra = {**hooks.extras(self.config, prepared.target), "JUMPSHELL_ENTRY": entry}
        return hooks.environment(prepared.env, CONFLICTING, extra)

    def revoke(self, token: str) -> None:
        """End a refresh token (its shell or job has exited)."""
        self.agent.token_revoke(token)

    # -- sessions ---------------------------------------------------------------------
    def login(self, jump_name: str = "default") -> Credentials:
        """A fresh MFA session for `jump_name`, replacing any held."""
        return self.provider.session(self.config.jump(jump_name), force=True)

    def session(self, jump_name: str = "default") -> Credentials:
        """The MFA session for `jump_name`: the one held, else one login (the MFA prompt).
        Front ends that assume many roles at once call it first, so they ask once."""
        return self.provider.session(self.config.jump(jump_name))

    def logout(self, jump_name: str = "default") -> None:
        """Forget that jump user's MFA session and role credentials (agent and keyring)."""
        self.provider.forget(self.config.jump(jump_name))

    def forget_kept_sessions(self) -> None:
        """Delete the MFA sessions kept in the keyring (`keep_session`), for `lock`."""
        for jump in self.config.jumps.values():
            if jump.keep_session:
                self.keystore.delete_session(jump)

    def status(self) -> list[SessionStatus]:
        """Expiries of what the agent holds, per jump user."""
        raw, problem = self.agent.status()
        result = []
        for jump in self.config.jumps.values():
            key = jump_id(jump)
            roles = tuple(
                (r["target"], r["role_arn"], r["expiration"])
                for r in raw["roles"]
                if r["jump_id"] == key
            )
            mfa = raw["mfa"].get(key)
            kept = self.keystore.get_session(jump, 0) if jump.keep_session else None
            result.append(
                SessionStatus(
                    jump.name,
                    jump.user_name,
                    mfa or (kept.expiration if kept else None),
                    roles,
                    kept is not None,
                    problem,
                )
            )
        return result

    def whoami(self, environ: Mapping[str, str]) -> Whoami:
        """The jump users' sessions, and the target `environ` (this shell's) is set up for."""
        from jumpshell.agentclient import AgentUnavailable

        refreshing = None
        token = environ.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        if token:
            try:
                scope = self.agent.token_scope(token)
                refreshing = f"token good for {scope} only" if scope else "token revoked or unknown"
            except AgentUnavailable:
                refreshing = "which does not answer"
        return Whoami(
            tuple(self.status()),
            tuple(self.config.jumps.values()),
            environ.get("JUMPSHELL_TARGET"),
            environ.get("JUMPSHELL_ACCOUNT_ID"),
            environ.get("JUMPSHELL_PRODUCTION") == "1",
            refreshing,
        )

    def audit(self, since: int | None = None) -> Iterator[dict[str, Any]]:
        """The audit log's entries (no secrets), those of the last `since` seconds if given."""
        return audit.read(time.time() - since if since else None)

    # -- the jump user's key ------------------------------------------------------------
    def remove_key(self, jump_name: str = "default") -> bool:
        """Delete the stored key; False if there was none."""
        return self.keystore.delete_key(self.config.jump(jump_name))

    def add_key(self, jump_name: str, key: Credentials, check: bool = True) -> str | None:
        """Store `key` for the jump user after GetCallerIdentity shows it is theirs.

        Returns the keyring's warning to show (an explicitly chosen plaintext store), if any.
        """
        jump = self.config.jump(jump_name)
        if check:
            keycheck.check_owner(self.provider.aws, key, jump)
        return self.keystore.set_key(jump, key)

    def import_key(self, jump_name: str, key: Credentials) -> str | None:
        """`add_key` with its checks, then the key read back: only a keyring that holds it
        may let the plaintext copy go. Returns the keyring's warning, if any."""
        jump = self.config.jump(jump_name)
        warning = self.add_key(jump_name, key)
        if self.keystore.stored_key(jump) != key:
            raise KeyringError(
                "the keyring does not give back the key it was handed; the plaintext copy stays",
                "check the keyring (PYTHON_KEYRING_BACKEND), then run key import again",
            )
        return warning

    def rotate_key(
        self,
        jump_name: str = "default",
        delete_unknown: bool = False,
        say: Callable[[str], None] = lambda line: None,
    ) -> keycheck.Rotated:
        """Create a new key, check it, store it, delete the old one; never strand a key."""
        jump = self.config.jump(jump_name)
        old = self.keystore.get_key(jump)
        session = self.provider.session(jump)
        steps = keycheck.Rotation(self.provider.aws, self.keystore, jump, old, session, say)
        return steps.run(delete_unknown)
