"""A big config loads in linear time: its lines are indexed once, only when a message needs one."""

from __future__ import annotations

import pytest

from jumpshell.configfields import Lines
from jumpshell.configfile import parse
from jumpshell.errors import ConfigError

ACCOUNTS = 2000
HEAD = """\
[jump]
account_id = "111111111111"
user_name = "alice"
mfa_serial = "arn:aws:iam::111111111111:mfa/alice"
session_duration = "12h"

[defaults]
role_duration = "1h"

[[production_rule]]
tag = { environment = "prod" }
confirm = true
"""


def _account(number: int, extra: str = "") -> str:
    return (
        f'\n[[account]]\nname = "team-{number:05d}"\nid = "{200000000000 + number:012d}"\n'
        f'region = "eu-west-1"\nrole_duration = "1h"\ntags = {{ environment = "dev" }}\n'
        f'{extra}roles = ["ReadOnly", "Developer", "Admin"]\n'
    )


def _config(bad: int = 0, bad_roles: str = "", extra: str = "") -> str:
    accounts = [_account(n, extra) for n in range(1, ACCOUNTS + 1)]
    if bad:
        accounts[bad - 1] = accounts[bad - 1].replace(
            'roles = ["ReadOnly", "Developer", "Admin"]', f"roles = {bad_roles}"
        )
    return HEAD + "".join(accounts)


def _line(text: str, account: int, key: str) -> int:
    """The 1-based line of `key` in the `account`-th [[account]], found the plain way."""
    lines = text.splitlines()
    header = [n for n, line in enumerate(lines) if line == "[[account]]"][account - 1]
    return next(n for n in range(header, len(lines)) if lines[n].startswith(f"{key} =")) + 1


def _scans(text: str) -> int:
    """How many passes over the whole text one parse makes to place its messages."""
    before = Lines.scans
    try:
        parse(text, "big.toml")
    except ConfigError:
        pass
    return Lines.scans - before


def test_a_valid_big_config_never_scans_its_text_for_lines() -> None:
    config = parse(_config(), "big.toml")
    assert len(config.accounts) == ACCOUNTS and config.warnings == ()
    assert _scans(_config()) == 0


def test_warnings_on_every_account_index_the_text_once() -> None:
    text = _config(extra='colour = "red"\n')
    config = parse(text, "big.toml")
    assert len(config.warnings) == ACCOUNTS
    line = _line(text, 1999, "colour")
    assert config.warnings[1998] == f"big.toml:{line}: unknown key 'colour' ignored"
    assert _scans(text) == 1


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        ("[]", "account 'team-01999' needs roles"),
        ('["arn:aws:iam::999999999999:role/Admin"]', "is not a role ARN in 200000001999"),
    ],
)
def test_an_error_in_account_1999_names_its_line(roles: str, message: str) -> None:
    text = _config(bad=1999, bad_roles=roles)
    roles_line = _line(text, 1999, "roles")
    with pytest.raises(ConfigError) as caught:
        parse(text, "big.toml")
    assert caught.value.message.startswith(f"big.toml:{roles_line}: ")
    assert message in caught.value.message
    assert _scans(text) <= 1
