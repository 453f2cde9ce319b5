"""Prompt themes: environment classes, theme files (shipped and the user's), prompt prefixes."""

from __future__ import annotations

import os
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jumpshell import paths
from jumpshell.configfields import Lines
from jumpshell.envclass import ENV_CLASSES
from jumpshell.errors import ConfigError

# their home is segment.py (lean: the warm `shell` path); re-exported for the theme users
from jumpshell.segment import Segment as Segment
from jumpshell.segment import ansi as ansi

# Shipped themes live in the top-level themes/; jumpshell/shipped_themes is a symlink to it, so
# a checkout, an editable install and a wheel (setuptools copies through it) all find them here.
SHIPPED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "shipped_themes")
_NAME = re.compile(r"[\w.-]{1,64}", re.ASCII)
_SGR = re.compile(r"[0-9]{1,3}(?:;[0-9]{1,3}){0,15}", re.ASCII)
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_ATTRS = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7"}
_HOP_FIELDS = {"label", "account", "role", "class"}
_CLASS_KEYS = {"label", "color", "tmux_border", "tmux_active_border"}
_PREFIX_KEYS = {"format", "hop", "separator", "after"}
_TOP_KEYS = {"description", "prefix", "classes"}


@dataclass(frozen=True)
class Hop:
    """One shell in a chain: where it is, its class, and the account's own `color` (SGR), if any."""

    account: str
    role: str
    env_class: str
    color: str = ""


@dataclass(frozen=True)
class ClassStyle:
    """How one environment class looks: label, colour (SGR) and tmux pane borders."""

    label: str
    sgr: str
    tmux_border: str = ""
    tmux_active_border: str = ""


@dataclass(frozen=True)
class Theme:
    """A loaded theme: per-class styles and the prefix format."""

    name: str
    path: str
    description: str
    classes: Mapping[str, ClassStyle] = field(default_factory=dict)
    format: str = "[{chain}]"  # the whole prefix; {chain} = the hops joined by `separator`
    hop: str = "{label} {account}:{role}"
    separator: str = " > "
    after: str = " "  # between the prefix and the user's own prompt


def style(value: str) -> str | None:
    """SGR parameters from "1;97;41" or words ("bold white on red", "bright-cyan"); None if bad."""
    text = value.strip().lower()
    if text in ("", "none", "default"):
        return ""
    if _SGR.fullmatch(text):
        return text
    codes: list[str] = []
    background = False
    for word in text.split():
        if word == "on":
            background = True
            continue
        bright = word.startswith("bright-")
        colour = word.removeprefix("bright-")
        if colour in _COLOURS:
            base = (100 if bright else 40) if background else (90 if bright else 30)
            codes.append(str(base + _COLOURS.index(colour)))
            background = False
        elif word in _ATTRS and not background:
            codes.append(_ATTRS[word])
        else:
            return None
    return ";".join(codes) if codes and not background else None


def prefix(theme: Theme, chain: Sequence[Hop], color: bool) -> list[Segment]:
    """The prompt prefix for `chain` (outermost first); color=False (NO_COLOR): no SGR.

    A production hop anywhere colours the whole prefix: `exit` leads back into it.
    """
    if not chain:
        return []
    text = theme.format.format(chain=theme.separator.join(_hop_text(theme, h) for h in chain))
    lead = next((h for h in chain if h.env_class == "production"), chain[-1])
    sgr = lead.color or theme.classes[_known(lead.env_class)].sgr
    return [Segment(text, sgr if color else ""), Segment(theme.after, "")]


def _hop_text(theme: Theme, hop: Hop) -> str:
    label = theme.classes[_known(hop.env_class)].label
    template = theme.hop
    if not label:  # an empty label takes one space beside it along
        template = template.replace("{label} ", "").replace(" {label}", "")
    fields = {"label": label, "account": hop.account, "role": hop.role, "class": hop.env_class}
    return template.format(**fields)


def _known(env: str) -> str:
    return env if env in ENV_CLASSES else "other"


def color_wanted(env: Mapping[str, str]) -> bool:
    """False when NO_COLOR is set to anything but "" (no-color.org)."""
    return not env.get("NO_COLOR")


def user_dir() -> str:
    """`$XDG_CONFIG_HOME/jumpshell/themes`: the user's own themes (they shadow shipped ones)."""
    return os.path.join(paths.config_dir(), "themes")


def available() -> dict[str, str]:
    """Theme name -> the file `load` would read, the user's first."""
    found: dict[str, str] = {}
    for directory in (user_dir(), SHIPPED):
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        for file in names:
            name = file.removesuffix(".toml")
            if file.endswith(".toml") and _NAME.fullmatch(name):
                found.setdefault(name, os.path.join(directory, file))
    return dict(sorted(found.items()))


def load(name: str) -> Theme:
    """The user's `NAME.toml`, else the shipped one; a broken file is a ConfigError at file:line."""
    path = available().get(name) if _NAME.fullmatch(name) else None
    if path is None:
        known = ", ".join(available()) or "none"
        raise ConfigError(
            f"no theme named {name!r} (known: {known})",
            f"pick one with `jumpshell theme list`, or write {user_dir()}/{name}.toml",
        )
    return read(path, name)


def read(path: str, name: str) -> Theme:
    """Read and check one theme file."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "check its permissions") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        reason = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        where = f"{path}:{line.group(1)}" if line else path
        fix = "fix the syntax on that line"
        raise ConfigError(f"{where}: invalid TOML: {reason}", fix) from None
    return _Reader(Lines(path, text)).theme(data, name)


class _Reader:
    def __init__(self, lines: Lines) -> None:
        self.lines = lines

    def fail(self, header: str, key: str | None, problem: str, fix: str) -> ConfigError:
        return ConfigError(f"{self.lines.where(header, 0, key)}: {problem}", fix)

    def theme(self, data: dict[str, Any], name: str) -> Theme:
        self._keys(data, _TOP_KEYS, "")
        base = Theme(name, self.lines.path, "")
        prefix = self._table(data, "prefix", "prefix")
        self._keys(prefix, _PREFIX_KEYS, "prefix")
        texts = {k: self._text(prefix, k, "prefix", getattr(base, k)) for k in _PREFIX_KEYS}
        self._fields(texts["format"], {"chain"}, "format")
        self._fields(texts["hop"], _HOP_FIELDS, "hop")
        classes = self._table(data, "classes", "classes")
        return Theme(
            name=name,
            path=self.lines.path,
            description=self._text(data, "description", "", ""),
            classes={cls: self._class(classes, cls) for cls in ENV_CLASSES},
            **texts,
        )

    def _class(self, classes: dict[str, Any], cls: str) -> ClassStyle:
        header = f"classes.{cls}"
        if cls not in classes:
            raise self.fail(
                "classes", None, f"no [{header}]", f'add [{header}] with label = "..." and color'
            )
        table = self._table(classes, cls, header)
        self._keys(table, _CLASS_KEYS, header)
        value = self._text(table, "color", header, "")
        sgr = style(value)
        if sgr is None:
            raise self.fail(
                header,
                "color",
                f"color {value!r} is not a colour",
                'write SGR parameters like "1;97;41", or words like "bold white on red"',
            )
        return ClassStyle(
            label=self._text(table, "label", header, ""),
            sgr=sgr,
            tmux_border=self._text(table, "tmux_border", header, ""),
            tmux_active_border=self._text(table, "tmux_active_border", header, ""),
        )

    def _table(self, data: dict[str, Any], key: str, header: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail("", key, f"{key} must be a table", f"write it as [{header}]")
        return value

    def _text(self, table: dict[str, Any], key: str, header: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise self.fail(header, key, f"{key} must be a string", f'write {key} = "..."')
        if not value.isprintable():  # an escape here would reach the terminal raw
            raise self.fail(
                header, key, f"{key} has a control character", "write visible characters only"
            )
        return value

    def _fields(self, template: str, allowed: set[str], key: str) -> None:
        try:
            names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        except ValueError as exc:
            raise self.fail(
                "prefix", key, f"{key} {template!r}: {exc}", "write {{ and }} for literal braces"
            ) from None
        wrong = names - allowed
        if wrong:
            raise self.fail(
                "prefix",
                key,
                f"{key} uses {{{sorted(wrong)[0]}}}",
                "it may use " + ", ".join(f"{{{f}}}" for f in sorted(allowed)),
            )

    def _keys(self, table: dict[str, Any], known: set[str], header: str) -> None:
        for key in table:
            if key not in known:
                raise self.fail(
                    header, key, f"unknown key {key!r}", "known: " + ", ".join(sorted(known))
                )
