"""The prompt prefix of a jumpshell shell: the chain of targets, its colours, the title.

A stand-in for themes.py (the theme helper's module, same names and signatures): the
lead swaps `prefix`, `env_class`, `Hop` and `Segment` for the theme's at merge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ENV_CLASSES = ("production", "staging", "dev", "sandbox", "other")
# production shouts (bold white on red); the others are calmer foreground colours
_SGR = {"production": "1;97;41", "staging": "1;33", "dev": "32", "sandbox": "36", "other": "34"}
_LABEL = {"production": "PROD "}
CHAIN_SEP = " > "  # JUMPSHELL_CHAIN: "prod:Admin > dev:ReadOnly", outermost first


@dataclass(frozen=True)
class Hop:
    """One shell of the chain: where it is, and how loudly to say so."""

    account: str
    role: str
    env_class: str

    @property
    def text(self) -> str:
        return f"{self.account}:{self.role}"


@dataclass(frozen=True)
class Segment:
    """Text and its SGR parameters ("" = no colour)."""

    text: str
    sgr: str


def env_class(account: str, tags: Mapping[str, str], production: bool) -> str:
    """production wins; else an environment tag; else a part of the account's name."""
    if production:
        return "production"
    words = [tags.get(k, "") for k in ("environment", "env", "stage")] + account.split("-")
    for word in (w.lower() for w in words):
        if word in ("prod", "production"):
            return "production"
        if word in ("stg", "staging", "stage"):
            return "staging"
        if word in ("dev", "development"):
            return "dev"
        if word in ("sbx", "sandbox"):
            return "sandbox"
    return "other"


def prefix(chain: Sequence[Hop], color: bool, tag: str = "") -> list[Segment]:
    """`[prod:Admin > dev:ReadOnly]`, coloured as the loudest class of the chain."""
    segments = [Segment(f"[{tag}]", "1;30;46" if color else ""), Segment(" ", "")] if tag else []
    if not chain:
        return segments
    classes = {hop.env_class for hop in chain}
    loudest = "production" if "production" in classes else chain[-1].env_class
    text = f"[{_LABEL.get(loudest, '')}{CHAIN_SEP.join(hop.text for hop in chain)}]"
    return [*segments, Segment(text, _SGR[loudest] if color else ""), Segment(" ", "")]


def ansi(segments: Sequence[Segment]) -> str:
    """Plain ANSI: each coloured segment wrapped in its SGR and a reset."""
    return "".join(f"\x1b[{s.sgr}m{s.text}\x1b[0m" if s.sgr else s.text for s in segments)


def title(chain: Sequence[Hop]) -> str:
    """The terminal title's text."""
    return "jumpshell: " + CHAIN_SEP.join(hop.text for hop in chain) if chain else "jumpshell"


def color_wanted(environ: Mapping[str, str]) -> bool:
    """NO_COLOR (no-color.org): present and not empty means no colour."""
    return not environ.get("NO_COLOR")


def chain_names(environ: Mapping[str, str]) -> list[str]:
    """The hops of the shell we are in ("account:role" each), outermost first."""
    text = environ.get("JUMPSHELL_CHAIN", "")
    return [part for part in text.split(CHAIN_SEP) if part] if text else []
