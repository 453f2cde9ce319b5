"""Hook config: `[hooks]`, `[hooks.CLASS]`, an account's `on_enter`; errors with file:line."""

from __future__ import annotations

import pytest

from jumpshell.config import Hook
from jumpshell.configfile import parse
from jumpshell.envclass import env_class
from jumpshell.errors import ConfigError
from jumpshell.hooks import for_target
from jumpshell.targets import resolve
from tests.core.test_imports import HEAVY, _loaded

HEAD = """\
[jump]
account_id = "111111111111"
user_name = "alice"
mfa_serial = "arn:aws:iam::111111111111:mfa/alice"
"""
ACCOUNTS = """
[[account]]
name = "shop-prod"
id = "222222222222"
roles = ["Admin"]
production = true
on_enter = ["echo mine", { command = "post", required = true, timeout = "5s" }]

[[account]]
name = "shop-stg"
id = "333333333333"
roles = ["Admin"]
"""


def test_hooks_for_a_target_are_every_targets_then_its_class_then_its_accounts() -> None:
    config = parse(
        HEAD
        + '[hooks]\non_enter = "echo all"\n'
        + '[hooks.production]\non_enter = { command = "page", timeout = 30 }\n'
        + '[hooks.staging]\non_enter = "echo stg"\n'
        + ACCOUNTS,
        "c.toml",
    )
    assert config.warnings == ()
    prod = for_target(config, resolve(config, "shop-prod"))
    assert prod == (
        Hook("echo all", 10, False, "c.toml:6"),
        Hook("page", 30, False, "c.toml:8"),
        Hook("echo mine", 10, False, "c.toml:17"),
        Hook("post", 5, True, "c.toml:17"),
    )
    assert [h.command for h in for_target(config, resolve(config, "shop-stg"))] == [
        "echo all",
        "echo stg",
    ]
    assert for_target(parse(HEAD + ACCOUNTS), resolve(config, "shop-stg")) == ()


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("[hooks]\non_enter = 5\n", 6, "on_enter 5 is not a command"),
        ('[hooks]\non_enter = ""\n', 6, "on_enter needs a command"),
        ('[hooks]\non_enter = { command = "x", required = "yes" }\n', 6, "required must be"),
        ('[hooks]\non_enter = { command = "x", when = "always" }\n', 6, "unknown key 'when'"),
        ('[hooks]\non_enter = { command = "x", timeout = "2h" }\n', 6, "over an hour"),
        ('[hooks]\non_enter = { command = "x", timeout = "soon" }\n', 6, "bad duration"),
        ('[hooks.dev]\n\non_enter = ["ok", 3]\n', 7, "on_enter 3 is not a command"),
        ("[hooks]\ndev = 1\n", 6, "[hooks.dev] must be a table"),
    ],
)
def test_a_bad_hook_is_refused_with_its_file_and_line(text: str, line: int, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(HEAD + text, "c.toml")
    assert caught.value.message.startswith(f"c.toml:{line}: ")
    assert problem in caught.value.message


def test_an_unknown_class_and_an_account_named_like_a_verb_are_warned_about() -> None:
    text = HEAD + '[hooks.prod]\non_enter = "x"\n' + ACCOUNTS.replace('"shop-stg"', '"status"')
    config = parse(text, "c.toml")
    assert config.warnings == (
        "c.toml:16: account name 'status' is also a jumpshell verb; `jumpshell status` runs "
        "the verb (write `jumpshell shell status`, or rename it)",
        "c.toml:5: unknown key 'prod' in [hooks] ignored "
        "(on_enter, or a class: production, staging, dev, sandbox, other)",
    )
    assert config.verb_aliases == ("status",)


@pytest.mark.parametrize(
    ("name", "tags", "production", "expected"),
    [
        ("payments-dev", {"environment": "prod"}, True, "production"),
        ("payments-dev", {"environment": "Staging"}, False, "staging"),
        ("payments-dev", {"env": "sbx"}, False, "sandbox"),
        ("payments-dev", {"stage": "whatever"}, False, "dev"),
        ("shop-prod", {}, False, "production"),
        ("shop_stg", {}, False, "staging"),
        ("sandbox-locked", {}, False, "sandbox"),
        ("logging", {}, False, "other"),
        ("production", {}, False, "production"),
    ],
)
def test_env_class(name: str, tags: dict[str, str], production: bool, expected: str) -> None:
    assert env_class(name, tags, production) == expected


def test_the_warm_paths_hook_runner_and_verbs_import_nothing_heavy() -> None:
    loaded = _loaded("import jumpshell.hooks, jumpshell.verbs")
    heavy = {"tomllib", "argparse", "subprocess", "signal", "dataclasses", "typing", "re", "json"}
    assert not loaded & {*HEAVY, *heavy}
