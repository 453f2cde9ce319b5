"""The config's field checks, each naming the file:line of what fails it (used by configcheck)."""

from __future__ import annotations

import re
import shlex
from typing import Any

from jumpshell.config import REGION, shown
from jumpshell.errors import ConfigError

_ACCOUNT_ID = re.compile(r"[0-9]{12}")


class Lines:
    """Finds the line of a key in the raw TOML text, for messages."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def where(self, header: str, index: int = 0, key: str | None = None) -> str:
        start, seen = 0, -1
        if header:
            for number, line in enumerate(self.lines):
                bare = line.strip().replace(" ", "").replace('"', "")  # [jumps."a b"] too
                if bare in (f"[{header}]", f"[[{header}]]"):
                    seen += 1
                    if seen == index:
                        start = number
                        break
            else:  # written inline, `header = [...]`, not as tables
                for number, line in enumerate(self.lines):
                    if re.match(rf"^{re.escape(header)}\s*=", line.strip()):
                        return f"{self.path}:{number + 1}"
        if key is not None:
            for number in range(start, len(self.lines)):
                stripped = self.lines[number].strip()
                if number > start and stripped.startswith("["):
                    break
                if re.match(rf"^{re.escape(key)}\s*=", stripped):
                    return f"{self.path}:{number + 1}"
        return f"{self.path}:{start + 1}"


class Fields:
    """Typed reads of one table's keys; `lines` places each in the file, `warnings` collects."""

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.warnings: list[str] = []

    def _table(self, value: object, header: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ConfigError(
                f"{self.lines.where(header)}: [{header}] must be a table", "see README"
            )
        return value

    def _element(self, value: object, header: str, index: int) -> None:
        if not isinstance(value, dict):
            raise ConfigError(
                f"{self.lines.where(header, index)}: each {header} must be a table, not {value!r}",
                f"write one [[{header}]] table per entry",
            )

    def _unknown(self, table: dict[str, Any], known: set[str], header: str, index: int) -> None:
        for key in table:
            if key not in known:
                where = self.lines.where(header, index, key)
                self.warnings.append(f"{where}: unknown key {key!r} ignored")

    def _str(self, table: dict[str, Any], key: str, header: str, index: int = 0) -> str | None:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            where = self.lines.where(header, index, key)
            raise ConfigError(f"{where}: {key} must be a string", f'write {key} = "..."')
        return value

    def _region(self, table: dict[str, Any], header: str, index: int = 0) -> str | None:
        value = self._str(table, "region", header, index)
        if value is not None and not REGION.fullmatch(value):
            where = self.lines.where(header, index, "region")
            raise ConfigError(
                f"{where}: region {shown(value)} is not an AWS region name",
                'write it like "eu-west-1" or "us-gov-west-1"',
            )
        return value

    def _name(self, value: str, what: str, header: str, index: int, key: str) -> None:
        """Names print in lists, prompts and messages: no control or invisible characters."""
        if not value.isprintable():
            raise ConfigError(
                f"{self.lines.where(header, index, key)}: {what} {shown(value)} has a control "
                "character or invisible space",
                "write it with visible characters only",
            )

    def _mfa_command(self, table: dict[str, Any], header: str) -> str | None:
        """Split it now, so a stray quote is a config error here, not at the first login."""
        command = self._str(table, "mfa_command", header)
        if command is None:
            return None
        try:
            words = shlex.split(command)
        except ValueError as exc:
            problem = f"cannot be split into words ({str(exc).lower()})"
        else:
            problem = "" if words else "is empty"
        if problem:
            raise ConfigError(
                f"{self.lines.where(header, 0, 'mfa_command')}: mfa_command {problem}",
                "close the quote, or remove mfa_command to be asked for the code",
            )
        return command

    def _matching(
        self,
        table: dict[str, Any],
        key: str,
        header: str,
        pattern: str,
        problem: str,
        fix: str,
        default: str = "",
    ) -> str:
        """A string key that must match `pattern` whole."""
        value = self._str(table, key, header) or default
        if not re.fullmatch(pattern, value, re.ASCII):
            where = self.lines.where(header, 0, key)
            raise ConfigError(f"{where}: {key} {shown(value)} {problem}", fix)
        return value

    def _bool(self, table: dict[str, Any], key: str, header: str, index: int = 0) -> bool | None:
        value = table.get(key)
        if value is not None and not isinstance(value, bool):
            where = self.lines.where(header, index, key)
            raise ConfigError(f"{where}: {key} must be true or false", f"write {key} = true")
        return value

    def _account_id(self, value: object, key: str, header: str, index: int = 0) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:012d}"
        if not isinstance(value, str) or not _ACCOUNT_ID.match(value):
            where = self.lines.where(header, index, key)
            raise ConfigError(
                f"{where}: {key} {value!r} is not a 12-digit AWS account id",
                'write it as a quoted string of 12 digits, e.g. "123456789012"',
            )
        return value
