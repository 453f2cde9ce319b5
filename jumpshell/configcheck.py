"""Config tables -> typed Config: every check, and the file:line of what fails it."""

from __future__ import annotations

import fnmatch
import re
from dataclasses import replace
from typing import Any

from jumpshell.config import (
    DEFAULT_JUMP,
    Account,
    Config,
    Defaults,
    Hook,
    Hooks,
    JumpConfig,
    parse_duration,
    shown,
)
from jumpshell.configfields import MFA_SERIAL, USER_NAME, Fields, Lines, check_vias
from jumpshell.confighooks import hooks_table, on_enter
from jumpshell.configkeys import (
    ACCOUNT_KEYS,
    DEFAULT_KEYS,
    JUMP_KEYS,
    PARTITIONS,
    RULE_KEYS,
    TOP_KEYS,
)
from jumpshell.errors import ConfigError
from jumpshell.themes import style
from jumpshell.verbs import VERBS

# A role entry: its name (IAM's [\w+=,.@-]{1,64}, ASCII), a path/name, or the role's ARN
_ROLE = re.compile(r"(?:arn:[\w-]+:iam::[0-9]{12}:role/)?(?:[!-~]*/)?[\w+=,.@-]{1,64}", re.ASCII)
_ROLE_ARN = re.compile(r"arn:[\w-]+:iam::(\d{12}):role/")
_JUMP_NAME = re.compile(r"[\w.-]{1,64}", re.ASCII)  # it also names the jump's lock file


def build(data: dict[str, Any], path: str, text: str) -> Config:
    """Validate parsed TOML `data` (read from `text` at `path`) into a Config."""
    return _Builder(data, Lines(path, text)).build()


class _Builder(Fields):
    def __init__(self, data: dict[str, Any], lines: Lines) -> None:
        super().__init__(lines)
        self.data = data
        self.account_hooks: dict[str, tuple[Hook, ...]] = {}

    def build(self) -> Config:
        self._unknown(self.data, TOP_KEYS, "", 0)
        defaults = self._defaults(self._table(self.data.get("defaults", {}), "defaults"))
        jumps: dict[str, JumpConfig] = {}
        if "jump" in self.data:
            jumps[DEFAULT_JUMP] = self._jump(DEFAULT_JUMP, self.data["jump"], "jump")
        for name, table in self._table(self.data.get("jumps", {}), "jumps").items():
            if name in jumps:
                raise ConfigError(
                    f"{self.lines.where(f'jumps.{name}')}: jump {name!r} is defined twice",
                    "[jump] is the one named 'default'; rename one",
                )
            jumps[name] = self._jump(name, table, f"jumps.{name}")
        rules = self._rules(self.data.get("production_rule", []))
        accounts = self._accounts(self.data.get("account", []), jumps, defaults, rules)
        hooks = hooks_table(self, self.data["hooks"]) if "hooks" in self.data else Hooks()
        hooks = replace(hooks, by_account=self.account_hooks)
        clashes = tuple(a.name for a in accounts if a.name in VERBS)
        warnings = tuple(self.warnings)
        return Config(
            self.lines.path,
            jumps,
            defaults,
            accounts,
            warnings,
            hooks,
            clashes,
            production_rules=tuple(rules),
        )

    def _duration(self, table: dict[str, Any], key: str, header: str, index: int = 0) -> int | None:
        if key not in table:
            return None

        def where() -> str:  # only a bad value asks: finding a line is not free
            return self.lines.where(header, index, key)

        seconds = parse_duration(table[key], where)
        if key == "role_duration" and not 900 <= seconds <= 43200:
            raise ConfigError(
                f"{where()}: role_duration must be 15m..12h (AWS's AssumeRole limits)",
                'write role_duration = "1h" (roles assumed from an MFA session get 1h at most)',
            )
        if key == "agent_idle_timeout" and seconds < 900:  # SDKs refresh 5-15 min ahead
            raise ConfigError(f"{where()}: agent_idle_timeout must be 15m or more", 'write "15m"')
        if key == "confirm_for" and not 60 <= seconds <= 129600:  # an MFA session at most
            raise ConfigError(f"{where()}: confirm_for must be 1m..36h", 'write "1h"')
        return seconds

    def _defaults(self, table: dict[str, Any]) -> Defaults:
        self._unknown(table, DEFAULT_KEYS, "defaults", 0)
        base = Defaults()
        return Defaults(
            role_duration=self._duration(table, "role_duration", "defaults") or base.role_duration,
            theme=self._str(table, "theme", "defaults") or base.theme,
            region=self._region(table, "defaults"),
            agent_idle_timeout=self._duration(table, "agent_idle_timeout", "defaults")
            or base.agent_idle_timeout,
            confirm_for=self._duration(table, "confirm_for", "defaults"),
            picker_return=self._bool(table, "picker_return", "defaults") is not False,
        )

    def _jump(self, name: str, value: object, header: str) -> JumpConfig:
        table = self._table(value, header)
        if not _JUMP_NAME.fullmatch(name):
            raise ConfigError(
                f"{self.lines.where(header)}: {shown(name)} is not a jump name",
                "name it with letters, digits, '.', '_' or '-': [jumps.NAME]",
            )
        self._unknown(table, set(JUMP_KEYS), header, 0)
        for key in ("account_id", "user_name", "mfa_serial"):
            if key not in table:
                raise ConfigError(
                    f"{self.lines.where(header)}: [{header}] has no {key}",
                    f"add {key} = ... ({JUMP_KEYS[key]})",
                )
        account_id = self._account_id(table["account_id"], "account_id", header)
        user_name = self._matching(
            table,
            "user_name",
            header,
            USER_NAME,
            "is not an IAM user name AWS accepts as a role session name",
            "2 to 64 letters, digits or +=,.@_- (your IAM user's name)",
        )
        partition = self._matching(
            table,
            "partition",
            header,
            "|".join(PARTITIONS),
            "is not an AWS partition",
            'write "aws", "aws-us-gov" or "aws-cn"',
            default="aws",
        )
        serial = self._matching(
            table,
            "mfa_serial",
            header,
            MFA_SERIAL,
            "is not an MFA device ARN",
            f'write it like "arn:aws:iam::{account_id}:mfa/NAME"',
        )
        session = self._duration(table, "session_duration", header) or 43200
        if not 900 <= session <= 129600:
            raise ConfigError(
                f"{self.lines.where(header, 0, 'session_duration')}: session_duration must be "
                "between 15m and 36h",
                'AWS allows 900 to 129600 seconds; "12h" is usual',
            )
        return JumpConfig(
            name=name,
            account_id=account_id,
            user_name=user_name,
            mfa_serial=serial,
            region=self._region(table, header) or "us-east-1",
            session_duration=session,
            mfa_command=self._mfa_command(table, header),
            mfa_prompt=self._matching(
                table,
                "mfa_prompt",
                header,
                "terminal|zenity|kdialog|osascript",
                "is not an MFA prompt",
                'write "terminal", "zenity", "kdialog" or "osascript"',
                "terminal",
            ),
            source_profile=self._str(table, "source_profile", header),
            partition=partition,
            source_identity=bool(self._bool(table, "source_identity", header)),
            keep_session=bool(self._bool(table, "keep_session", header)),
            keyring=self._matching(
                table,
                "keyring",
                header,
                "os|file",
                "is not a keyring",
                'write "os" or "file"',
                "os",
            ),
            endpoint_url=self._str(table, "endpoint_url", header),
            **self._aws_config(table, header),
        )

    def _rules(self, value: object) -> list[tuple[str | None, dict[str, str], bool]]:
        if not isinstance(value, list):
            raise ConfigError(
                f"{self.lines.where('production_rule')}: production_rule must be tables",
                'write [[production_rule]] with name = "*-prod" and/or tag = { ... } under it',
            )
        rules = []
        for index, rule in enumerate(value):
            self._element(rule, "production_rule", index)
            self._unknown(rule, RULE_KEYS, "production_rule", index)
            tag = rule.get("tag", {})
            if not isinstance(tag, dict) or not all(isinstance(v, str) for v in tag.values()):
                # a number never equals an account's (string) tag: the rule would protect nothing
                where = self.lines.where("production_rule", index, "tag")
                raise ConfigError(
                    f"{where}: tag must be a table and tag values must be strings",
                    'quote each value: tag = { environment = "prod" }',
                )
            confirm = bool(self._bool(rule, "confirm", "production_rule", index))
            rules.append((self._str(rule, "name", "production_rule", index), tag, confirm))
        return rules

    def _accounts(
        self,
        value: object,
        jumps: dict[str, JumpConfig],
        defaults: Defaults,
        rules: list[tuple[str | None, dict[str, str], bool]],
    ) -> tuple[Account, ...]:
        if not isinstance(value, list):
            raise ConfigError(f"{self.lines.where('account')}: use [[account]] tables", "")
        accounts: list[Account] = []
        seen: dict[str, int] = {}
        ids: dict[str, tuple[int, str]] = {}
        for index, table in enumerate(value):
            self._element(table, "account", index)
            account = self._account(table, index, jumps, defaults, rules)
            # `shortcut = true`: a name for roles of an account listed anyway (what an AWS
            # profile is, and what `import aws-config` writes); it may share that id
            if self._bool(table, "shortcut", "account", index):
                pass
            elif account.id in ids:
                first, alias = ids[account.id]
                raise ConfigError(
                    f"{self.lines.where('account', index, 'id')}: account {account.name!r} has the "
                    f"same id {account.id} as account {alias!r} "
                    f"({self.lines.where('account', first, 'id')})",
                    "merge them into one [[account]] listing every role (an id or a role ARN "
                    "would only ever reach the first); use --region for another region",
                )
            else:
                ids[account.id] = (index, account.name)
            if account.name in seen:
                where = self.lines.where("account", index, "name")
                raise ConfigError(
                    f"{where}: account name {account.name!r} is already used by account "
                    f"#{seen[account.name] + 1}",
                    "names are aliases and must be unique",
                )
            seen[account.name] = index
            if account.name in VERBS:  # `jumpshell NAME` runs the verb, not a shell in NAME
                self.warnings.append(
                    f"{self.lines.where('account', index, 'name')}: account name "
                    f"{account.name!r} is also a jumpshell verb; `jumpshell {account.name}` "
                    f"runs the verb (write `jumpshell shell {account.name}`, or rename it)"
                )
            found = on_enter(self, table, "account", index)
            if found:
                self.account_hooks[account.name] = found
            accounts.append(account)
        check_vias(self.lines, accounts)
        return tuple(accounts)

    def _account(
        self,
        table: dict[str, Any],
        index: int,
        jumps: dict[str, JumpConfig],
        defaults: Defaults,
        rules: list[tuple[str | None, dict[str, str], bool]],
    ) -> Account:
        self._unknown(table, ACCOUNT_KEYS, "account", index)
        header = "account"
        name = self._str(table, "name", header, index)
        if not name or "/" in name:
            raise ConfigError(
                f"{self.lines.where(header, index, 'name')}: every [[account]] needs a name "
                "without '/'",
                'add name = "prod"',
            )
        self._name(name, "account name", header, index, "name")
        account_id = self._account_id(table.get("id"), "id", header, index)
        roles = self._roles(table, index, name, account_id)
        jump = self._str(table, "jump", header, index) or DEFAULT_JUMP
        if jump not in jumps:
            raise ConfigError(
                f"{self.lines.where(header, index, 'jump' if 'jump' in table else None)}: account "
                f"{name!r} names jump {jump!r}, which is not configured",
                "add a [jump] table" if jump == DEFAULT_JUMP else f"add a [jumps.{jump}] table",
            )
        tags = table.get("tags", {})
        if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
            where = self.lines.where(header, index, "tags")
            raise ConfigError(
                f"{where}: tags must be a table of strings", 'tags = { env = "prod" }'
            )
        for key, tag in tags.items():
            if not (key.isprintable() and tag.isprintable()):  # else no message to word
                self._name(key, "tag", header, index, "tags")
                self._name(tag, f"tag {key!r} value", header, index, "tags")
        production, confirm = self._production(table, index, name, tags, rules)
        return Account(
            name=name,
            id=account_id,
            roles=tuple(roles),
            region=self._region(table, header, index) or defaults.region or jumps[jump].region,
            jump=jump,
            production=production,
            confirm=confirm,
            external_id=self._str(table, "external_id", header, index),
            tags=dict(tags),
            source_identity=self._bool(table, "source_identity", header, index),
            role_duration=self._duration(table, "role_duration", header, index),
            color=self._color(table, index),
            role_session_name=self._session_name(table, index),
            via=self._str(table, "via", header, index),
        )

    def _color(self, table: dict[str, Any], index: int) -> str | None:
        """An account's own prompt colour, as SGR parameters (themes.style reads both forms)."""
        value = self._str(table, "color", "account", index)
        sgr = None if value is None else style(value)
        if value is not None and sgr is None:
            raise ConfigError(
                f"{self.lines.where('account', index, 'color')}: color {shown(value)} is not a "
                "colour",
                'write SGR parameters like "1;97;45", or words like "bold white on magenta"',
            )
        return sgr

    def _roles(self, table: dict[str, Any], index: int, name: str, account_id: str) -> list[str]:
        """An account's roles: names, paths, or ARNs in that same account."""
        roles = table.get("roles")
        if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
            raise ConfigError(
                f"{self._roles_line(index)}: account {name!r} needs roles",
                'write roles = ["Admin", "ReadOnly"] (the first is the default)',
            )
        for role in roles:
            if not _ROLE.fullmatch(role):
                raise ConfigError(
                    f"{self._roles_line(index)}: role {shown(role)} of account {name!r} "
                    "is not a role name",
                    "write the role's name (letters, digits, +=,.@_-), a path/NAME, or its ARN",
                )
            found = _ROLE_ARN.match(role) if role.startswith("arn:") else None
            if role.startswith("arn:") and (found is None or found.group(1) != account_id):
                raise ConfigError(
                    f"{self._roles_line(index)}: role {role!r} of account {name!r} "
                    f"is not a role ARN in {account_id}",
                    "list it under the [[account]] whose id it names, or write the role's name",
                )
        return roles

    def _roles_line(self, index: int) -> str:
        return self.lines.where("account", index, "roles")

    def _production(
        self,
        table: dict[str, Any],
        index: int,
        name: str,
        tags: dict[str, str],
        rules: list[tuple[str | None, dict[str, str], bool]],
    ) -> tuple[bool, bool]:
        """(production, confirm): the account's own say, else the first rule that matches."""
        production = self._bool(table, "production", "account", index)
        confirm = self._bool(table, "confirm", "account", index)
        for pattern, tag, rule_confirm in rules:
            matches = (pattern is None or fnmatch.fnmatchcase(name, pattern)) and all(
                tags.get(k) == v for k, v in tag.items()
            )
            if matches and production is not False:  # `production = false` opts out
                production = True
                confirm = confirm if confirm is not None else rule_confirm
        return bool(production), bool(confirm)
