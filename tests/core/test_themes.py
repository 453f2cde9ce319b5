"""Themes: shipped ones load, exact prefixes and SGR, NO_COLOR, user themes, file:line errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jumpshell import themes
from jumpshell.configfile import parse
from jumpshell.envclass import ENV_CLASSES, env_class
from jumpshell.errors import ConfigError
from jumpshell.themes import Hop, Segment

SHIPPED = ("default", "high-contrast", "minimal")
PROD = Hop("prod", "Admin", "production")
DEV = Hop("dev", "ReadOnly", "dev")
# theme -> (production prefix, its SGR, dev prefix, its SGR, prod > dev chain)
EXPECTED = {
    "default": (
        "[PROD prod:Admin]",
        "1;97;41",
        "[DEV dev:ReadOnly]",
        "1;32",
        "[PROD prod:Admin > DEV dev:ReadOnly]",
    ),
    "high-contrast": (
        "[PRODUCTION prod:Admin]",
        "1;4;97;41",
        "[DEV dev:ReadOnly]",
        "1;30;102",
        "[PRODUCTION prod:Admin >> DEV dev:ReadOnly]",
    ),
    "minimal": (
        "(PROD! prod:Admin)",
        "",
        "(DEV dev:ReadOnly)",
        "",
        "(PROD! prod:Admin > DEV dev:ReadOnly)",
    ),
}


def _user_theme(home: Path, name: str, text: str) -> Path:
    path = home / "config" / "jumpshell" / "themes" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _shipped_text(name: str) -> str:
    return Path(themes.SHIPPED, f"{name}.toml").read_text()


def test_every_shipped_theme_loads_with_every_class() -> None:
    assert tuple(themes.available()) == SHIPPED
    for name in SHIPPED:
        theme = themes.load(name)
        assert set(theme.classes) == set(ENV_CLASSES)
        assert theme.description
        assert all(s.tmux_border and s.tmux_active_border for s in theme.classes.values())


@pytest.mark.parametrize("name", SHIPPED)
def test_prefix_text_and_exact_sgr_for_production_dev_and_a_chain(name: str) -> None:
    theme = themes.load(name)
    prod_text, prod_sgr, dev_text, dev_sgr, chain_text = EXPECTED[name]
    assert themes.prefix(theme, [PROD], True) == [Segment(prod_text, prod_sgr), Segment(" ", "")]
    assert themes.prefix(theme, [DEV], True) == [Segment(dev_text, dev_sgr), Segment(" ", "")]
    # production anywhere in the chain colours it all: `exit` leads back into it
    assert themes.prefix(theme, [PROD, DEV], True) == [
        Segment(chain_text, prod_sgr),
        Segment(" ", ""),
    ]
    expected_ansi = f"\x1b[{prod_sgr}m{prod_text}\x1b[0m " if prod_sgr else f"{prod_text} "
    assert themes.ansi(themes.prefix(theme, [PROD], True)) == expected_ansi


@pytest.mark.parametrize("name", SHIPPED)
def test_without_colour_the_labels_alone_tell_every_class_apart(name: str) -> None:
    theme = themes.load(name)
    texts = []
    for env in ENV_CLASSES:
        hop = Hop("acct", "Role", env)
        plain = themes.prefix(theme, [hop], False)
        assert [s.sgr for s in plain] == ["", ""]
        assert [s.text for s in plain] == [s.text for s in themes.prefix(theme, [hop], True)]
        texts.append(plain[0].text)
    labelled = texts if name != "default" else texts[:-1]  # default leaves "other" unlabelled
    assert len(set(labelled)) == len(labelled)
    assert themes.ansi(themes.prefix(theme, [PROD], False)) == f"{EXPECTED[name][0]} "
    assert "\x1b" not in themes.ansi(themes.prefix(theme, [PROD, DEV], False))


def test_no_color_env_means_no_colour() -> None:
    assert themes.color_wanted({})
    assert themes.color_wanted({"NO_COLOR": ""})  # no-color.org: set *and* not empty
    assert not themes.color_wanted({"NO_COLOR": "1"})


def test_an_empty_label_takes_its_space_along_and_an_account_colour_wins() -> None:
    theme = themes.load("default")
    other = Hop("shared", "ReadOnly", "other")
    assert themes.prefix(theme, [other], True)[0] == Segment("[shared:ReadOnly]", "1;34")
    mine = Hop("shared", "ReadOnly", "other", color="1;97;45")
    assert themes.prefix(theme, [mine], True)[0].sgr == "1;97;45"
    assert themes.prefix(theme, [mine], False)[0].sgr == ""
    assert themes.prefix(theme, [], True) == []


def test_a_user_theme_replaces_a_shipped_one_of_the_same_name(isolated: Path) -> None:
    text = _shipped_text("default").replace('label = "PROD"', 'label = "LIVE"')
    text = text.replace('color = "1;97;41"', 'color = "bold bright-yellow on magenta"')
    path = _user_theme(isolated, "default", text)
    _user_theme(isolated, "mine", _shipped_text("minimal"))
    assert themes.available()["default"] == str(path)
    assert "mine" in themes.available()
    theme = themes.load("default")
    assert theme.path == str(path)
    assert themes.prefix(theme, [PROD], True)[0] == Segment("[LIVE prod:Admin]", "1;93;45")


BROKEN = [
    ("syntax", ('label = "PROD"', 'label = "PROD'), "invalid TOML", "fix the syntax"),
    ("colour", ('color = "1;32"', 'color = "greenish"'), "'greenish' is not a colour", "SGR"),
    ("field", ('hop = "{label} {account}:{role}"', 'hop = "{acct}"'), "{acct}", "{account}"),
    ("control", ('label = "DEV"', 'label = "D\\u001bEV"'), "control character", "visible"),
    ("unknown", ('label = "SBX"', 'lable = "SBX"'), "unknown key 'lable'", "known:"),
    ("type", ('separator = " > "', "separator = 3"), "separator must be a string", 'separator = "'),
    ("braces", ('format = "[{chain}]"', 'format = "[{chain]"'), "format", "{{"),
]


@pytest.mark.parametrize(("case", "edit", "problem", "fix"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_user_theme_is_a_config_error_at_file_and_line(
    isolated: Path, case: str, edit: tuple[str, str], problem: str, fix: str
) -> None:
    text = _shipped_text("default")
    assert edit[0] in text
    path = _user_theme(isolated, "broken", text.replace(edit[0], edit[1], 1))
    line = text[: text.index(edit[0])].count("\n") + 1
    with pytest.raises(ConfigError) as caught:
        themes.load("broken")
    assert caught.value.message.startswith(f"{path}:{line}: "), caught.value.message
    assert problem in caught.value.message
    assert fix in caught.value.fix


def test_a_missing_class_and_an_unknown_theme_say_what_to_add(isolated: Path) -> None:
    text = _shipped_text("default")
    cut = text[: text.index("[classes.sandbox]")] + text[text.index("[classes.other]") :]
    path = _user_theme(isolated, "partial", cut)
    with pytest.raises(ConfigError) as caught:
        themes.load("partial")
    assert caught.value.message.startswith(f"{path}:"), caught.value.message
    assert "no [classes.sandbox]" in caught.value.message
    with pytest.raises(ConfigError) as unknown:
        themes.load("../default")
    assert "known: default, high-contrast, minimal, partial" in unknown.value.message
    assert os.path.join("jumpshell", "themes") in unknown.value.fix


@pytest.mark.parametrize(
    ("account", "tags", "production", "expected"),
    [
        ("anything", {}, True, "production"),
        ("payments-dev", {}, True, "production"),  # the config's production wins
        ("payments-prod", {}, False, "production"),
        ("payments_stg", {}, False, "staging"),
        ("web.staging", {}, False, "staging"),
        ("team-dev", {}, False, "dev"),
        ("alice-sbx", {}, False, "sandbox"),
        ("Sandbox", {}, False, "sandbox"),
        ("shared-services", {}, False, "other"),
        ("products", {}, False, "other"),  # a part, not a substring
        ("payments", {"Environment": "Staging"}, False, "staging"),
        ("payments-dev", {"env": "sandbox"}, False, "sandbox"),  # a tag before the name
        ("payments", {"stage": "prod"}, False, "production"),
        ("payments", {"team": "dev"}, False, "other"),
    ],
)
def test_env_class_from_production_tags_and_name_parts(
    account: str, tags: dict[str, str], production: bool, expected: str
) -> None:
    assert env_class(account, tags, production) == expected


@pytest.mark.parametrize(
    ("text", "sgr"),
    [
        ("1;97;41", "1;97;41"),
        ("bold white on red", "1;37;41"),
        ("bright-cyan", "96"),
        ("underline black on bright-yellow", "4;30;103"),
        ("", ""),
        ("none", ""),
        ("on", None),
        ("red on", None),
        ("on bold", None),
        ("purple", None),
        ("1;2;x", None),
    ],
)
def test_style_reads_sgr_and_words(text: str, sgr: str | None) -> None:
    assert themes.style(text) == sgr


CONFIG = """\
[jump]
account_id = "111111111111"
user_name = "alice"
mfa_serial = "arn:aws:iam::111111111111:mfa/alice"

[[account]]
name = "shared"
id = "222222222222"
roles = ["Admin"]
color = "{color}"
"""


def test_an_account_color_in_the_config_is_checked_and_kept_as_sgr() -> None:
    assert parse(CONFIG.format(color="bold white on magenta")).accounts[0].color == "1;37;45"
    with pytest.raises(ConfigError) as caught:
        parse(CONFIG.format(color="mauve"))
    assert caught.value.message.startswith("config.toml:10: color 'mauve' is not a colour")
