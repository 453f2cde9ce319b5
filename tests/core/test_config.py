"""Config parsing: the good file, and one bad file per failure, each naming file, line and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from jumpshell.config import parse_duration
from jumpshell.configfile import load, parse
from jumpshell.errors import ConfigError

BAD = Path(__file__).parent / "bad_configs"

GOOD = """\
[jump]
account_id = "111111111111"
user_name = "alice"
mfa_serial = "arn:aws:iam::111111111111:mfa/alice"
region = "eu-west-1"
session_duration = "8h"

[jumps.gov]
account_id = "999999999999"
user_name = "alice-gov"
mfa_serial = "arn:aws-us-gov:iam::999999999999:mfa/alice-gov"
partition = "aws-us-gov"
region = "us-gov-west-1"
source_identity = true

[defaults]
role_duration = "45m"
colour = "red"

[[production_rule]]
tag = { env = "prod" }
confirm = true

[[account]]
name = "prod"
id = "222222222222"
roles = ["Admin", "ReadOnly"]
tags = { env = "prod", team = "payments" }

[[account]]
name = "dev"
id = "333333333333"
roles = ["arn:aws:iam::333333333333:role/teams/Developer"]
region = "us-west-2"

[[account]]
name = "gov-prod"
id = "444444444444"
roles = ["Admin"]
jump = "gov"
production = true
"""


def test_good_config_parses_with_defaults_jumps_and_rules() -> None:
    config = parse(GOOD, "c.toml")
    assert set(config.jumps) == {"default", "gov"}
    assert config.jump().session_duration == 8 * 3600
    assert config.jump("gov").partition == "aws-us-gov"
    assert config.defaults.role_duration == 45 * 60
    prod, dev, gov = config.accounts
    assert prod.production and prod.confirm and prod.region == "eu-west-1"
    assert not dev.production and dev.region == "us-west-2"
    assert gov.jump == "gov" and gov.region == "us-gov-west-1"
    assert config.warnings == ("c.toml:18: unknown key 'colour' ignored",)


@pytest.mark.parametrize(
    ("name", "line", "words"),
    [
        ("syntax.toml", 3, "invalid TOML"),
        ("short_id.toml", 8, "not a 12-digit AWS account id"),
        ("duplicate_alias.toml", 12, "already used"),
        ("bad_duration.toml", 5, "bad duration"),
        ("wrong_type.toml", 10, "must be true or false"),
        ("unknown_jump.toml", 10, "not configured"),
        ("no_roles.toml", 6, "needs roles"),
        ("account_not_table.toml", 1, "each account must be a table"),
        ("rule_not_table.toml", 1, "each production_rule must be a table"),
        ("empty_user.toml", 3, "is not an IAM user name"),
        ("bad_partition.toml", 5, "is not an AWS partition"),
        ("short_role_duration.toml", 7, "role_duration must be 15m..12h"),
        ("rule_not_list.toml", 1, "production_rule must be tables"),
        ("foreign_role.toml", 9, "is not a role ARN in 222222222222"),
    ],
)
def test_bad_config_names_file_line_and_fix(name: str, line: int, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(str(BAD / name))
    error = caught.value
    assert error.message.startswith(f"{BAD / name}:{line}:"), error.message
    assert words in error.message
    assert error.fix
    assert error.exit_code == 2


def test_missing_jump_table_says_what_to_add() -> None:
    with pytest.raises(ConfigError) as caught:
        load(str(BAD / "missing_jump.toml"))
    assert "[jump]" in caught.value.fix


def test_missing_file_says_init(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load(str(tmp_path / "nope.toml"))
    assert "jumpshell init" in caught.value.fix


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h", 3600),
        ("90m", 5400),
        ("1h30m", 5400),
        ("45s", 45),
        (60, 60),
        ("1d", 86400),
        ("3600", 3600),
    ],
)
def test_durations(text: str | int, seconds: int) -> None:
    assert parse_duration(text, "x") == seconds


@pytest.mark.parametrize("text", ["", "h", "1w", "-1", 0, True, "1.5h", "0h", "0s", "0"])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text, "x")


def test_a_rule_confirms_accounts_that_say_production_themselves() -> None:
    text = (
        GOOD.split("[[account]]")[0]
        + """
[[production_rule]]
name = "*-prod"
confirm = true

[[account]]
name = "data-prod"
id = "555555555555"
roles = ["Admin"]
production = true

[[account]]
name = "lab-prod"
id = "666666666666"
roles = ["Admin"]
production = false
"""
    )
    data, lab = parse(text, "c.toml").accounts
    assert data.production and data.confirm
    assert not lab.production and not lab.confirm


def test_a_utf8_bom_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert [a.name for a in load(str(path)).accounts] == ["prod", "dev", "gov-prod"]


def test_every_region_botocore_knows_is_accepted() -> None:
    import json

    import botocore

    data = Path(botocore.__file__).parent / "data" / "endpoints.json"
    partitions = json.loads(data.read_text())["partitions"]
    regions = [r for p in partitions for r in p["regions"]]
    assert {"us-gov-west-1", "cn-north-1", "us-isob-east-1", "eusc-de-east-1"} <= set(regions)
    for region in regions:
        text = GOOD.replace('region = "eu-west-1"', f'region = "{region}"')
        assert parse(text, "c.toml").jump().region == region


def test_duplicate_account_ids_name_both_accounts_and_the_fix() -> None:
    text = GOOD.replace('id = "333333333333"', 'id = "222222222222"').replace("333", "222")
    lines = text.splitlines()
    first, second = (n + 1 for n, line in enumerate(lines) if line == 'id = "222222222222"')
    with pytest.raises(ConfigError) as caught:
        parse(text, "c.toml")
    message = caught.value.message
    assert message.startswith(f"c.toml:{second}: account 'dev' has the same id 222222222222")
    assert f"as account 'prod' (c.toml:{first})" in message
    assert "merge them into one [[account]]" in caught.value.fix


@pytest.mark.parametrize(
    ("command", "words"),
    [("   ", "mfa_command is empty"), ("pass 'otp", "mfa_command cannot be split into words")],
)
def test_mfa_command_is_checked_when_the_config_loads(command: str, words: str) -> None:
    text = GOOD.replace('region = "eu-west-1"', f'region = "eu-west-1"\nmfa_command = "{command}"')
    with pytest.raises(ConfigError) as caught:
        parse(text, "c.toml")
    assert caught.value.message.startswith(f"c.toml:6: {words}")


def test_a_quoted_mfa_command_and_role_paths_are_fine() -> None:
    text = GOOD.replace(
        'region = "eu-west-1"', 'region = "eu-west-1"\nmfa_command = "sh -c \'echo 123456\'"'
    )
    config = parse(text, "c.toml")
    assert config.jump().mfa_command == "sh -c 'echo 123456'"
    assert config.accounts[1].roles == ("arn:aws:iam::333333333333:role/teams/Developer",)


def test_picker_return_is_on_unless_turned_off() -> None:
    assert parse(GOOD, "c.toml").defaults.picker_return is True
    off = GOOD.replace("[defaults]\n", "[defaults]\npicker_return = false\n")
    assert parse(off, "c.toml").defaults.picker_return is False
    with pytest.raises(ConfigError, match=r"c.toml:\d+: picker_return must be true or false"):
        parse(GOOD.replace("[defaults]\n", '[defaults]\npicker_return = "no"\n'), "c.toml")
