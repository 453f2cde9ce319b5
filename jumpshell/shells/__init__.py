"""Interactive subshells: the user's own shell, their rc files, then jumpshell's prompt prefix.

Each shell writes a small rc into a private temp dir that sources the user's own rc
files, removes itself, puts the prefix in front of whatever prompt they set up, and
defines a `jumpshell` function whose `switch` moves the shell to another target in place
(a child cannot change its parent's environment; a function can).
"""

from __future__ import annotations

import os

from jumpshell.segment import Segment

# Lean: the warm `shell` (cli/fastshell.py) writes the rc with these modules, so no typing,
# dataclasses or themes (tomllib, re) at import; the prompt's rendering is shells/prompt.py's.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    from jumpshell.shells.prompt import Hop
    from jumpshell.themes import Theme

    class Shell(Protocol):
        """One shell's way of loading the user's rc, then ours."""

        name: str
        env_format: str  # envformat's syntax for `switch`: "sh" or "fish"

        def variables(self, prompt: Prompt) -> str:
            """Shell code that sets the prompt prefix and title (launch and `switch` share it)."""
            ...

        def launch(self, path: str, env: dict[str, str], prompt: Prompt, rc_dir: str) -> list[str]:
            """Write the rc into `rc_dir` (adding to `env` what it needs); the argv to exec."""
            ...


class Prompt(tuple[tuple[Segment, ...], str]):
    """What a shell's prompt and title say (a tuple: frozen, compared by value)."""

    __slots__ = ()

    def __new__(cls, segments: tuple[Segment, ...], title: str) -> Prompt:
        return tuple.__new__(cls, (segments, title))

    @property
    def segments(self) -> tuple[Segment, ...]:
        return self[0]

    @property
    def title(self) -> str:
        return self[1]

    @classmethod
    def of(cls, theme: Theme, chain: list[Hop], color: bool, tag: str = "") -> Prompt:
        from jumpshell.shells.prompt import prefix, title

        return cls(tuple(prefix(theme, chain, color, tag)), title(chain))


def for_path(path: str) -> Shell:
    """The Shell for `path` ($SHELL) by its name; anything else gets a best-effort PS1."""
    from jumpshell.shells import bash, fish, other, zsh

    name = os.path.basename(path)
    if name == "bash":
        return bash.Bash()
    if name == "zsh":
        return zsh.Zsh()
    if name == "fish":
        return fish.Fish()
    return other.Other()


def write(rc_dir: str, name: str, text: str) -> str:
    """A file of the rc dir, 0600; its path."""
    path = os.path.join(rc_dir, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return path


def sh_quote(value: str) -> str:
    """Single-quoted for sh, bash and zsh (any byte but NUL is fine inside)."""
    return "'" + value.replace("'", "'\\''") + "'"


def fish_quote(value: str) -> str:
    """Single-quoted for fish (backslash and quote escaped)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
