"""The prompt prefix of a jumpshell shell: the chain of targets in the theme's colours, the title.

The words and colours are the theme's (themes.py: the configured `[defaults] theme`, an
account's own `color`); this module adds what only a shell needs: the chain kept in
JUMPSHELL_CHAIN between nested shells, the demo's tag, and the terminal title.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jumpshell.themes import Hop, Segment, Theme, color_wanted
from jumpshell.themes import prefix as theme_prefix

__all__ = ["CHAIN_SEP", "Hop", "Segment", "chain_names", "color_wanted", "prefix", "title"]

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
