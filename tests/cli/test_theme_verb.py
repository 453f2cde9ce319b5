"""`jumpshell theme list|show` through the installed CLI; prompt variables in a target's env."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from jumpshell import themes
from tests.conftest import Demo, js

PY = sys.executable
SHOW = (
    "import os, json; print(json.dumps({k: v for k, v in os.environ.items() "
    "if k.startswith(('AWS', 'JUMPSHELL_'))}))"
)
# What an outer aws-vault, awsu, awsume or aws-sso shell leaves behind
STALE = {
    "AWS_PROFILE": "stale",
    "AWS_DEFAULT_PROFILE": "stale",
    "AWS_VAULT": "stale",
    "AWSU_PROFILE": "stale",
    "AWSUME_PROFILE": "stale",
    "AWS_SSO_PROFILE": "stale",
    "AWS_SESSION_EXPIRATION": "2000-01-01T00:00:00Z",
    "AWSUME_EXPIRATION": "2000-01-01T00:00:00Z",
}


def test_theme_list_names_the_shipped_themes_and_marks_the_default() -> None:
    done = js("theme", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["*", "default"],
        ["high-contrast", "Solid"],
        ["minimal", "No"],
    ]
    assert all(line.endswith("[shipped]") for line in lines)


def test_theme_show_default_renders_each_class_and_a_chain_in_colour() -> None:
    done = js("theme", "show", "default")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "  production  \x1b[1;97;41m[PROD payments-prod:Admin]\x1b[0m $\n" in out
    assert "  dev         \x1b[1;32m[DEV payments-dev:Developer]\x1b[0m $\n" in out
    assert "  other       \x1b[1;34m[shared-services:ReadOnly]\x1b[0m $\n" in out
    assert (
        "  nested      \x1b[1;97;41m[PROD payments-prod:Admin > DEV payments-dev:ReadOnly]"
        "\x1b[0m $\n" in out
    )
    assert "  production  fg=red | fg=brightwhite,bg=red\n" in out


def test_theme_show_with_no_color_keeps_the_labels_without_escapes() -> None:
    for done in (
        js("theme", "show", "default", env={**os.environ, "NO_COLOR": "1"}),
        js("theme", "show", "default", "--no-color"),
    ):
        assert done.returncode == 0, done.stderr
        assert "\x1b" not in done.stdout
        assert "  production  [PROD payments-prod:Admin] $\n" in done.stdout
        assert "  staging     [STG payments-staging:Developer] $\n" in done.stdout
        assert "  sandbox     [SBX alice-sandbox:Admin] $\n" in done.stdout


def test_a_user_theme_shows_in_the_list_and_a_broken_one_is_named_by_line(
    isolated: Path,
) -> None:
    mine = isolated / "config" / "jumpshell" / "themes"
    mine.mkdir(parents=True)
    shipped = Path(themes.SHIPPED, "minimal.toml").read_text()
    (mine / "minimal.toml").write_text(shipped.replace('"PROD!"', '"LIVE"'))
    (mine / "bad.toml").write_text(shipped.replace('color = ""', 'color = "pink"', 1))
    done = js("theme", "list")
    assert done.returncode == 2
    assert "minimal" in done.stdout and "[yours (replaces the shipped one)]" in done.stdout
    line = shipped[: shipped.index('color = ""')].count("\n") + 1
    assert done.stderr == (
        f"jumpshell: {mine / 'bad.toml'}:{line}: color 'pink' is not a colour "
        '(write SGR parameters like "1;97;41", or words like "bold white on red")\n'
    )
    shown = js("theme", "show", "minimal")
    assert "  production  (LIVE payments-prod:Admin) $\n" in shown.stdout
    missing = js("theme", "show", "nope")
    assert missing.returncode == 2
    assert missing.stderr.startswith("jumpshell: no theme named 'nope' (known: bad, default")


def test_theme_show_without_a_name_uses_the_configs_theme(demo: Demo) -> None:
    text = demo.config.read_text()
    assert "[defaults]\n" in text
    demo.config.write_text(text.replace("[defaults]\n", '[defaults]\ntheme = "minimal"\n'))
    done = demo.js("theme", "show")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("minimal: ")
    assert "* minimal" in demo.js("theme", "list").stdout


def test_a_target_env_names_the_target_for_prompts_and_never_sets_aws_profile(
    demo: Demo,
) -> None:
    demo.login()
    target = demo.dev()
    role = demo.info.account(target).roles[0]
    env = {**demo.env, **STALE}
    for args in (("run", target), ("run", target), ("run", target, "--refresh")):  # cold, warm
        done = js(*args, "--", PY, "-c", SHOW, env=env)
        assert done.returncode == 0, done.stderr
        seen = json.loads(done.stdout)
        assert seen["AWSUME_PROFILE"] == f"{target}/{role}" == seen["JUMPSHELL_TARGET"]
        assert not set(STALE) - {"AWSUME_PROFILE"} & set(seen), seen
    printed = demo.js("env", target, "--format", "json")
    assert json.loads(printed.stdout)["AWSUME_PROFILE"] == f"{target}/{role}"
    assert "AWS_PROFILE" not in json.loads(printed.stdout)
    script = "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"
    done = js("run", target, "--", PY, "-c", script, env=env)
    assert done.returncode == 0, done.stderr  # SDKs ignore AWSUME_PROFILE
    assert f":assumed-role/{role}/" in done.stdout
