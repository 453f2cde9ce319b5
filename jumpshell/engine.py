"""Engine: target -> credentials -> environment -> launch plan; every front end holds one."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jumpshell import agentclient, keycheck, paths, targets
from jumpshell.config import Config, JumpConfig
from jumpshell.credentials import Provider, jump_id
from jumpshell.creds import Credentials
from jumpshell.environment import target_env
from jumpshell.errors import JumpshellError
from jumpshell.mfa import MfaSource
from jumpshell.targets import Target

if TYPE_CHECKING:
    from jumpshell.aws import Aws
    from jumpshell.secrets import Secrets


@dataclass(frozen=True)
class SessionStatus:
    """What `status` shows of one jump user: never a secret."""

    jump: str
    user_name: str
    mfa_expiration: float | None
    roles: tuple[tuple[str, str, float], ...]  # (target, role_arn, expiration)
    kept: bool = False  # the MFA session is (also) in the keyring: keep_session
    agent_problem: str | None = None  # the agent exists but cannot be asked: why


class Engine:
    """The one path every front end uses."""

    def __init__(
        self,
        config: Config,
        secrets: Secrets,
        aws: Callable[[], Aws],
        mfa_source: Callable[[JumpConfig], MfaSource],
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.config = config
        self.secrets = secrets
        self.provider = Provider(
            secrets, aws, mfa_source, config.defaults.agent_idle_timeout, progress
        )

    @property
    def notices(self) -> list[str]:
        """Things the user should know (a capped duration); config warnings are the
        front end's to say when it loads the config."""
        return self.provider.notices

    def resolve(self, text: str) -> Target:
        """A target name -> Target (suggests on a typo)."""
        return targets.resolve(self.config, text)

    def credentials(self, target: Target, duration: int | None = None) -> Credentials:
        """Role credentials for `target`."""
        return self.provider.role(target, self.config.jump(target.jump), duration)

    def environment(
        self,
        target: Target,
        base: Mapping[str, str],
        region: str | None = None,
        duration: int | None = None,
        refresh: bool = False,
    ) -> tuple[dict[str, str], str | None]:
        """The target's environment, and the refresh token to revoke afterwards (if refresh)."""
        creds = self.credentials(target, duration)
        if not refresh:
            return target_env(target, creds, base, region), None
        meta = self.provider.meta(target, self.config.jump(target.jump), duration)
        # bound to this process, which waits beside the command: its end revokes the token
        answer = self.provider.agent({"op": "token_new", "meta": meta, "pid": os.getpid()})
        env = target_env(target, None, base, region, endpoint=(answer["url"], answer["token"]))
        return env, answer["token"]

    def revoke(self, token: str) -> None:
        """End a refresh token (its shell or job has exited)."""
        try:
            agentclient.call({"op": "token_revoke", "token": token})
        except agentclient.AgentUnavailable:
            pass

    def login(self, jump_name: str = "default") -> Credentials:
        """A fresh MFA session for `jump_name`, replacing any held."""
        return self.provider.session(self.config.jump(jump_name), force=True)

    def logout(self, jump_name: str | None = None) -> None:
        """Forget the MFA session and role credentials (of one jump, or all and stop the agent)."""
        self.provider.forget(self.config.jump(jump_name) if jump_name else None)

    def forget_kept_sessions(self) -> None:
        """Delete the MFA sessions kept in the keyring (`keep_session`), for `lock`."""
        for jump in self.config.jumps.values():
            if jump.keep_session:
                self.secrets.delete_session(jump)

    def status(self) -> list[SessionStatus]:
        """Expiries of what the agent holds, per jump user."""
        raw, problem = _agent_status()
        result = []
        for jump in self.config.jumps.values():
            key = jump_id(jump)
            roles = tuple(
                (r["target"], r["role_arn"], r["expiration"])
                for r in raw["roles"]
                if r["jump_id"] == key
            )
            mfa = raw["mfa"].get(key)
            kept = self.secrets.get_session(jump, 0) if jump.keep_session else None
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

    def add_key(self, jump_name: str, key: Credentials, check: bool = True) -> str | None:
        """Store `key` for the jump user after GetCallerIdentity shows it is theirs.

        Returns the keyring's warning to show (an explicitly chosen plaintext store), if any.
        """
        jump = self.config.jump(jump_name)
        if check:
            keycheck.check_owner(self.provider.aws, key, jump)
        return self.secrets.set_key(jump, key)

    def rotate_key(
        self,
        jump_name: str = "default",
        delete_unknown: bool = False,
        say: Callable[[str], None] = lambda line: None,
    ) -> keycheck.Rotated:
        """Create a new key, check it, store it, delete the old one; never strand a key."""
        jump = self.config.jump(jump_name)
        old = self.secrets.get_key(jump)
        session = self.provider.session(jump)
        steps = keycheck.Rotation(self.provider.aws, self.secrets, jump, old, session, say)
        return steps.run(delete_unknown)


STATUS_WAIT = 5.0  # `status` is asked when something seems wrong: it must not hang too


def _agent_status() -> tuple[dict[str, Any], str | None]:
    """What the agent holds; and why it cannot be asked when it exists but does not answer."""
    empty: dict[str, Any] = {"mfa": {}, "roles": []}
    try:
        socket_path = paths.agent_socket()
        paths.private_dir(os.path.dirname(socket_path))
    except (OSError, JumpshellError) as exc:
        reason = exc.render() if isinstance(exc, JumpshellError) else str(exc)
        return empty, f"the runtime dir is unusable: {reason}"
    if not os.path.exists(socket_path):
        return empty, None  # no agent: it holds nothing, and that is the whole truth
    try:
        return agentclient.call({"op": "status"}, timeout=STATUS_WAIT), None
    except agentclient.AgentUnavailable as exc:
        return empty, f"the session agent at {socket_path} does not answer ({exc})"
