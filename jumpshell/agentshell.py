"""The agent's warm `shell` op: a target's ready environment with a refresh token bound to the
asking pid, the chain, prompt and title, and the on_enter hooks; or a miss.

What `jumpshell shell` (cli/shell.py) builds on the full path, built here from the parsed
config, the held credentials and a cached theme, so that `cli/fastshell.py` only writes the
rc and execs the shell. Anything the full path would say or ask (a production confirm, a
config warning, a theme error) is a miss: the full path says it.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import TYPE_CHECKING, Any

from jumpshell import hooks, themes
from jumpshell.agentcheck import BadRequest
from jumpshell.assumeparams import AwsEndpoint
from jumpshell.environment import CONFLICTING, JUMPSHELL_VARS, target_env
from jumpshell.errors import JumpshellError
from jumpshell.provider import CHAINING_CAP, assume_params
from jumpshell.shells import Prompt, prompt
from jumpshell.targetcache import FileId
from jumpshell.targets import resolve

if TYPE_CHECKING:
    from collections.abc import Callable

    from jumpshell.agentroles import Flights
    from jumpshell.agentstore import Store

MIN_DURATION = 900  # below it, the full path refuses
MAX_THEMES = 16


class Themes:
    """Loaded themes, each read again only when its file changes (path, mtime, size, inode)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.held: dict[FileId, themes.Theme] = {}

    def load(self, name: str) -> themes.Theme:
        """`themes.load(name)`, from the cache while the file it finds is unchanged."""
        path = themes.available().get(name)
        if path is None:
            return themes.load(name)  # raises the ConfigError the full path would
        ident = FileId.of(path)  # stat'ed before it is read: a racing edit reads again
        with self.lock:
            theme = self.held.get(ident)
        if theme is None:
            theme = themes.read(path, name)
            with self.lock:
                if len(self.held) >= MAX_THEMES:
                    self.held.clear()
                self.held[ident] = theme
        return theme


def answer(
    request: dict[str, Any],
    store: Store,
    flights: Flights,
    cache: Themes,
    token_new: Callable[[dict[str, Any]], dict[str, str]],
) -> dict[str, Any] | None:
    """The `shell` op: everything the warm `shell` execs with, or None (a miss).
    `token_new` is the agent's own op, so a token is made and held as every other is."""
    try:
        config = store.config(request["config"])
        target = resolve(config, request["target"])
        theme = cache.load(config.defaults.theme)
    except (OSError, JumpshellError):
        return None  # the full path reports it properly
    if len(config.warnings) > len(config.verb_aliases):
        return None  # as the warm `env`: the full path says them
    asks = target.production and target.confirm and not request.get("yes")
    if asks and not store.confirmed(target.cache_key):
        return None  # the full path asks
    duration = min(target.role_duration, CHAINING_CAP)  # as the full path: capped silently
    if duration < MIN_DURATION:
        return None  # the full path refuses
    url, ca_bundle = request.get("endpoint") or ("", "")
    here = AwsEndpoint(target.jump.endpoint_url or url, ca_bundle)
    params = dataclasses.replace(assume_params(target, duration), endpoint=here)
    creds = flights.held(params, exact=False)  # what the full path's role_assume hands
    if creds is None:
        return None
    region = request.get("region") or None
    token = ""
    if request.get("static"):
        env = target_env(target, creds, {}, region)
    else:
        try:
            made = token_new({"meta": params.to_wire(), "pid": request.get("pid")})
        except BadRequest:
            return None
        token = made["token"]
        env = target_env(target, None, {}, region, endpoint=(made["url"], token))
        session = flights.session_for(params)  # the full path's cached_session
        if session is not None and session.expiration is not None:
            env["AWS_CREDENTIAL_EXPIRATION"] = session.expiration_iso
    hops = prompt.chain(config, {"JUMPSHELL_CHAIN": request.get("chain") or ""}, target, True)
    look = Prompt.of(theme, hops, bool(request.get("color")), str(request.get("tag") or ""))
    found = hooks.for_target(config, target)
    return {
        "set": env,
        "unset": [*CONFLICTING, *JUMPSHELL_VARS],
        "hooks": [[h.command, h.timeout, h.required, h.where] for h in found],
        "hook_env": hooks.extras(config, target) if found else {},
        "segments": [[s.text, s.sgr] for s in look.segments],
        "title": look.title,
        "chain": prompt.chain_text(hops),
        "token": token,
    }
