"""The config's field checks, each naming the file:line of what fails it (used by configcheck)."""

from __future__ import annotations

import re
import shlex
from typing import Any

from jumpshell.assumeparams import MAX_VIA
from jumpshell.config import REGION, Account, shown
from jumpshell.errors import ConfigError

_ACCOUNT_ID = re.compile(r"[0-9]{12}")
# what [jump] accepts, also checked as `init` asks for each (ASCII: re.ASCII with these)
USER_NAME = r"[\w+=,.@-]{2,64}"
MFA_SERIAL = r"arn:aws[\w-]*:iam::[0-9]{12}:mfa/[!-~]+|[A-Z0-9]{9,}"
_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}", re.ASCII)


class Lines:
    """Finds the line of a key in the raw TOML text, for messages.

    Only errors and warnings ask, so the text is indexed lazily, at most once: a valid file
    never pays for it, and 10,000 [[account]] headers are not each found by rescanning from the
    top (that made a load cost about N^1.8). `scans` counts the passes over the whole text.
    """

    scans = 0  # across every instance: tests count the work of a load without reaching into it

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self._text = text
        self._lines: list[str] | None = None
        self._headers: dict[str, list[int]] = {}  # `[x]` / `[[x]]` as written -> line numbers
        self._found: dict[str, list[int]] = {}  # header -> lines of [header] and [[header]]
        self._inline: dict[str, int | None] = {}  # header -> its first `header = ...` line

    def _index(self) -> list[str]:
        if self._lines is None:
            Lines.scans += 1
            self._lines = self._text.splitlines()
            for number, line in enumerate(self._lines):
                bare = line.strip().replace(" ", "").replace('"', "")  # [jumps."a b"] too
                if bare.startswith("["):
                    self._headers.setdefault(bare, []).append(number)
        return self._lines

    def where(self, header: str, index: int = 0, key: str | None = None) -> str:
        """'path:N' of `key` in the `index`-th `[header]` (its header line if no such key)."""
        lines = self._index()
        start = 0
        if header:
            found = self._occurrences(header)
            if index < len(found):
                start = found[index]
            else:  # written inline, `header = [...]`, not as tables
                inline = self._inline_line(header, lines)
                if inline is not None:
                    return f"{self.path}:{inline + 1}"
        if key is not None:
            pattern = re.compile(rf"^{re.escape(key)}\s*=")
            for number in range(start, len(lines)):
                stripped = lines[number].strip()
                if number > start and stripped.startswith("["):
                    break
                if pattern.match(stripped):
                    return f"{self.path}:{number + 1}"
        return f"{self.path}:{start + 1}"

    def _occurrences(self, header: str) -> list[int]:
        """The lines of `[header]` and `[[header]]`, in file order (merged once per header)."""
        if header not in self._found:
            both = self._headers.get(f"[{header}]", []) + self._headers.get(f"[[{header}]]", [])
            self._found[header] = sorted(both)
        return self._found[header]

    def _inline_line(self, header: str, lines: list[str]) -> int | None:
        if header not in self._inline:
            Lines.scans += 1
            pattern = re.compile(rf"^{re.escape(header)}\s*=")
            found = (n for n, line in enumerate(lines) if pattern.match(line.strip()))
            self._inline[header] = next(found, None)
        return self._inline[header]


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
        if table.keys() <= known:  # the usual case, in one set operation
            return
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

    def _aws_config(self, table: dict[str, Any], header: str) -> dict[str, Any]:
        """aws_config (default: on when source_profile is set) and the profile it starts from."""
        profile = self._str(table, "aws_profile", header) or self._str(
            table, "source_profile", header
        )
        enabled = self._bool(table, "aws_config", header)
        if enabled is None:
            enabled = profile is not None
        if enabled and not profile:
            raise ConfigError(
                f"{self.lines.where(header, 0, 'aws_config')}: aws_config = true needs the "
                "profile that is this jump user",
                'add aws_profile = "NAME" (the profile your role profiles name as source_profile)',
            )
        if profile is not None:
            self._name(profile, "aws_profile", header, 0, "aws_profile")
        return {"aws_config": enabled, "aws_profile": profile}

    def _session_name(self, table: dict[str, Any], index: int) -> str | None:
        value = self._str(table, "role_session_name", "account", index)
        if value is not None and not _SESSION_NAME.fullmatch(value):
            raise ConfigError(
                f"{self.lines.where('account', index, 'role_session_name')}: role_session_name "
                f"{shown(value)} is not one AWS accepts",
                "2 to 64 letters, digits or +=,.@_-",
            )
        return value


def check_vias(lines: Lines, accounts: list[Account]) -> None:
    """`via = "NAME"`: its role is assumed from NAME's first role, a chain of a few links
    that ends at the jump user (what an AWS config profile from another role profile is)."""
    by_name = {a.name: (index, a) for index, a in enumerate(accounts)}
    for index, account in enumerate(accounts):
        seen = [account.name]
        link = account
        while link.via is not None:
            where = lines.where("account", index, "via")
            if link.via not in by_name:
                raise ConfigError(
                    f"{where}: account {link.name!r} has via {link.via!r}, no account",
                    "name the account whose role it is assumed from",
                )
            link = by_name[link.via][1]
            if link.name in seen or len(seen) > MAX_VIA:
                raise ConfigError(
                    f"{where}: account {account.name!r} chains through "
                    f"{' -> '.join([*seen, link.name])}",
                    f"end the chain at an account without via, within {MAX_VIA} links",
                )
            if link.jump != account.jump:
                raise ConfigError(
                    f"{where}: account {account.name!r} is of jump {account.jump!r} and "
                    f"via {link.name!r} of jump {link.jump!r}",
                    "a chain starts at one jump user: give them the same jump",
                )
            seen.append(link.name)
