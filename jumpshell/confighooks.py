"""The config's `on_enter` hooks: `[hooks]`, `[hooks.CLASS]` and `on_enter` in [[account]]."""

from __future__ import annotations

from typing import Any

from jumpshell.config import Hook, Hooks, parse_duration, shown
from jumpshell.configfields import Fields
from jumpshell.envclass import ENV_CLASSES
from jumpshell.errors import ConfigError

HOOK_KEYS = {"command", "timeout", "required"}
CLASSES = ENV_CLASSES
MAX_TIMEOUT = 3600  # an entry hook that needs longer is a job, not a hook
_FIX = 'write on_enter = "CMD", { command = "CMD", required = true, timeout = "5s" } or a list'


def hooks_table(fields: Fields, value: object) -> Hooks:
    """`[hooks]`: on_enter for every target, and `[hooks.production]` (etc.) per class."""
    table = fields._table(value, "hooks")
    for key in sorted(set(table) - {"on_enter", *CLASSES}):  # [hooks.prod] has its own line
        nested = isinstance(table[key], dict)
        header, name = (f"hooks.{key}", None) if nested else ("hooks", key)
        where = fields.lines.where(header, 0, name)
        fields.warnings.append(
            f"{where}: unknown key {key!r} in [hooks] ignored "
            f"(on_enter, or a class: {', '.join(CLASSES)})"
        )
    by_class: dict[str, tuple[Hook, ...]] = {}
    for name in CLASSES:
        if name in table:
            header, sub = f"hooks.{name}", table[name]
            if not isinstance(sub, dict):  # `dev = ...` inside [hooks]: its own line
                raise ConfigError(
                    f"{fields.lines.where('hooks', 0, name)}: [{header}] must be a table",
                    f'write [{header}] and on_enter = "CMD" under it',
                )
            fields._unknown(sub, {"on_enter"}, header, 0)
            found = on_enter(fields, sub, header, 0)
            if found:
                by_class[name] = found
    return Hooks(on_enter(fields, table, "hooks", 0), by_class)


def on_enter(fields: Fields, table: dict[str, Any], header: str, index: int) -> tuple[Hook, ...]:
    """`on_enter` in `table`: a command, a table with options, or a list of either."""
    if "on_enter" not in table:
        return ()
    value = table["on_enter"]
    where = fields.lines.where(header, index, "on_enter")
    entries = value if isinstance(value, list) else [value]
    return tuple(_hook(entry, where) for entry in entries)


def _hook(entry: object, where: str) -> Hook:
    if isinstance(entry, str):
        entry = {"command": entry}
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: on_enter {shown(entry)} is not a command", _FIX)
    unknown = sorted(set(entry) - HOOK_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: on_enter has an unknown key {unknown[0]!r}",
            "an on_enter table takes command, timeout and required",
        )
    command = entry.get("command")
    if not isinstance(command, str) or not command.strip() or "\0" in command:
        raise ConfigError(f"{where}: on_enter needs a command (a non-empty string)", _FIX)
    required = entry.get("required", False)
    if not isinstance(required, bool):
        raise ConfigError(f"{where}: required must be true or false", "write required = true")
    timeout = parse_duration(entry.get("timeout", 10), where)
    if timeout > MAX_TIMEOUT:
        raise ConfigError(
            f"{where}: an on_enter timeout of {shown(entry.get('timeout'))} is over an hour",
            'write timeout = "10s" (run longer work in the background)',
        )
    return Hook(command, timeout, required, where)
