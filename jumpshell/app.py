"""The one place an Engine is wired: the config, the keyring, AWS, the agent and an MFA source.

Every front end (the CLI, the picker, the completions) calls `build_engine` with what only it
knows: how to ask for an MFA code or a passphrase, and where to say a line of progress. The
core never reads a terminal; this module is how a terminal (or a modal) reaches it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from jumpshell import paths, targetcache, targetrows
from jumpshell.agentapi import AgentClient
from jumpshell.config import Config, JumpConfig
from jumpshell.engine import Engine
from jumpshell.errors import JumpshellError
from jumpshell.mfa import MfaSource, choose
from jumpshell.targetrows import TargetRow


@dataclass(frozen=True)
class FrontEnd:
    """What a front end lends the core: prompts and a place for progress lines."""

    mfa_prompt: MfaSource | None = None  # a terminal or a modal; None: nobody to ask
    passphrase: Callable[[str, bool], str] | None = None  # (file, new) -> the keyring file's
    progress: Callable[[str], None] | None = None  # "waiting for ..." lines
    warn: Callable[[str], None] = lambda line: None  # config warnings, said once


def load_config(front: FrontEnd, path: str | None = None) -> Config:
    """The config at `path` (else the usual place), its warnings said through `front.warn`.

    Its rows are cached for the completions and the picker when the cache is not of this
    version of the file (stat'ed before the read, so a racing edit only makes it stale).
    """
    return _load(front, path, rewrite=False)


def _load(front: FrontEnd, path: str | None, rewrite: bool) -> Config:
    """load_config; `rewrite` writes the rows cache even if its header matches (it was
    found corrupt)."""
    from jumpshell.configfile import load  # tomllib: not for target_rows' cheap answers

    path = path or paths.config_file()
    try:
        ident: targetcache.FileId | None = targetcache.FileId.of(path)
    except OSError:
        ident = None  # load says why
    config = load(path)
    for warning in config.warnings:
        front.warn(warning)
    if ident is not None:
        idents = [ident, *(targetcache.FileId(*s) for s in config.sources)]
        if rewrite or not targetcache.fresh(path, idents):
            targetcache.write(path, idents, targetrows.rows(config))
    return config


def target_rows(
    config_path: str | None = None, held: bool = False, agent: AgentClient | None = None
) -> list[TargetRow]:
    """The config's rows (what completions and the picker list) as cheaply as they come:
    from a running agent's parsed copy, else the rows cache if made from the file as it is
    now, else by parsing the file (which writes the cache). Only the last imports tomllib.

    `held` fills in the expiries of role credentials the agent holds (none if none runs).
    Raises ConfigError for a config that cannot be read or is wrong (warnings unsaid).
    """
    path = config_path or paths.config_file()
    found = (agent or AgentClient()).targets(path, held)
    if found is None:
        found = targetcache.read(path)
    if found is None:
        found = targetrows.rows(_load(FrontEnd(), path, rewrite=True))
    return found


def build_engine(
    front: FrontEnd, mfa_code: str | None = None, config: Config | None = None
) -> Engine:
    """An Engine over the real keyring, AWS and agent; `mfa_code` (--mfa-code) wins any prompt."""
    from jumpshell.keystore import KeyStore

    def aws() -> object:
        from jumpshell.aws import Aws

        return Aws(progress=front.progress)

    def mfa(jump: JumpConfig) -> MfaSource:
        return choose(mfa_code, jump.mfa_command, front.mfa_prompt, jump.mfa_prompt)

    return Engine(
        config or load_config(front),
        KeyStore(front.passphrase),
        aws,  # type: ignore[arg-type]  # a factory: boto3 loads only when AWS is asked
        mfa,
        front.progress,
        AgentClient(),
    )


def lock(front: FrontEnd) -> tuple[str | None, JumpshellError | None]:
    """Stop the agent (killing it if it will not stop), then delete sessions kept in the
    keyring. Works with no config at all: it runs from screen lockers.

    Returns (a note when the agent had to be killed, why kept sessions could not go).
    """
    note = AgentClient().lock()
    if not os.path.exists(paths.config_file()):
        return note, None
    try:
        build_engine(front).forget_kept_sessions()
    except JumpshellError as exc:
        return note, exc
    return note, None
