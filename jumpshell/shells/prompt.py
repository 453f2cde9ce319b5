"""The prompt prefix of a jumpshell shell: the chain of targets in the theme's colours, the title.

The words and colours are the theme's (themes.py: the configured `[defaults] theme`, an
account's own `color`); this module adds what only a shell needs: the chain kept in
JUMPSHELL_CHAIN between nested shells, the demo's tag, and the terminal title.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from jumpshell.envclass import env_class
from jumpshell.themes import Hop, Segment, Theme, color_wanted
from jumpshell.themes import prefix as theme_prefix

if TYPE_CHECKING:
    from jumpshell.config import Config
    from jumpshell.targets import Target

__all__ = [
    "CHAIN_SEP",
    "Hop",
    "Segment",
    "chain",
    "chain_names",
    "color_wanted",
    "prefix",
    "tag",
    "title",
]

CHAIN_SEP = " > "  # JUMPSHELL_CHAIN: "prod:Admin > dev:ReadOnly", outermost first
_TAG_SGR = "1;30;46"  # the demo's own label: black on cyan, like no theme's class


def hop_text(hop: Hop) -> str:
    """`account:role`, as JUMPSHELL_CHAIN and the title spell a hop."""
    return f"{hop.account}:{hop.role}"


def prefix(theme: Theme, chain: Sequence[Hop], color: bool, tag: str = "") -> list[Segment]:
    """The theme's `[PROD prod:Admin > dev:ReadOnly]`, after a `[demo]` tag if any."""
    segments = [Segment(f"[{tag}]", _TAG_SGR if color else ""), Segment(" ", "")] if tag else []
    return [*segments, *theme_prefix(theme, chain, color)]


def title(chain: Sequence[Hop]) -> str:
    """The terminal title's text."""
    return "jumpshell: " + CHAIN_SEP.join(hop_text(h) for h in chain) if chain else "jumpshell"


def chain_names(environ: Mapping[str, str]) -> list[str]:
    """The hops of the shell we are in ("account:role" each), outermost first."""
    text = environ.get("JUMPSHELL_CHAIN", "")
    return [part for part in text.split(CHAIN_SEP) if part] if text else []


def tag(environ: Mapping[str, str]) -> str:
    """The demo's shells say so, so nobody mistakes them for real AWS."""
    return "demo" if environ.get("JUMPSHELL_DEMO_URL") else ""


def chain(config: Config, environ: Mapping[str, str], target: Target, nest: bool) -> list[Hop]:
    """The chain a shell for `target` shows: the shells it is nested in (JUMPSHELL_CHAIN in
    `environ`, classed by `config` as it is now), then `target`; `nest=False` (switch)
    replaces the innermost hop instead of adding one. The full path and the agent's warm
    `shell` answer both build it here."""
    outer = [_hop(config, *name.rpartition(":")[::2]) for name in chain_names(environ)]
    if not nest:
        outer = outer[:-1]
    return [*outer, _hop(config, target.account_name, target.role_name, target.production)]


def _hop(config: Config, account: str, role: str, production: bool | None = None) -> Hop:
    """One hop, classed by the account's tags and flag (an outer hop: by the config's flag)."""
    known = next((a for a in config.accounts if a.name == account), None)
    tags = known.tags if known else {}
    flag = bool(known and known.production) if production is None else production
    color = (known.color if known else None) or ""
    return Hop(account, role, env_class(account, tags, flag), color)


def chain_text(hops: Sequence[Hop]) -> str:
    """JUMPSHELL_CHAIN's value."""
    return CHAIN_SEP.join(hop_text(h) for h in hops)
