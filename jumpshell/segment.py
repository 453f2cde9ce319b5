"""Prompt segments (text and SGR colour) and their ANSI form; lean (the warm `shell` path)."""

from __future__ import annotations

TYPE_CHECKING = False  # `import typing` costs ~4 ms on the warm path
if TYPE_CHECKING:
    from collections.abc import Iterable


class Segment(tuple[str, str]):
    """Prompt text and its SGR parameters ("1;97;41"; "" = no colour).

    A tuple, so frozen and compared by value, without `dataclasses` (~7 ms of the warm
    `shell`: it imports inspect and re).
    """

    __slots__ = ()

    def __new__(cls, text: str, sgr: str) -> Segment:
        return tuple.__new__(cls, (text, sgr))

    @property
    def text(self) -> str:
        return self[0]

    @property
    def sgr(self) -> str:
        return self[1]

    def __repr__(self) -> str:
        return f"Segment(text={self[0]!r}, sgr={self[1]!r})"


def ansi(segments: Iterable[Segment]) -> str:
    """Segments as plain ANSI text (for `theme show`, titles and fish)."""
    return "".join(f"\x1b[{s.sgr}m{s.text}\x1b[0m" if s.sgr else s.text for s in segments)
