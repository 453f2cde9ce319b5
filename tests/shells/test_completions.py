"""Shell completions in real shells: bash's function and COMPREPLY, zsh in a pty with compinit,
fish's `complete -C`; the dynamic verb behind them (fresh, lean, silent on a broken config)."""

from __future__ import annotations

import os
import random
import re
import shlex
import subprocess
from pathlib import Path

import pexpect
import pytest

from jumpshell import namescache
from jumpshell.cli.completegen import SHELLS, model, render, shipped_dir
from tests.conftest import BIN, js, require

SCRIPTS = Path(__file__).resolve().parents[2] / "completions"
ACCOUNT = '[[account]]\nname = "{name}"\nid = "{id}"\nroles = [{roles}]\n{extra}\n'
ACCOUNTS = (
    ("payments-prod", "222222222222", '"Admin", "ReadOnly"', "production = true\n"),
    ("payments-dev", "333333333333", '"Developer", "ReadOnly"', ""),
    ("data-dev", "444444444444", '"Developer"', ""),
)
TAGS = 'tags = {{ team = "{team}", environment = "{env}" }}\n'
JUMP = """[jump]
account_id = "111111111111"
user_name = "alice"
mfa_serial = "arn:aws:iam::111111111111:mfa/alice"
region = "us-east-1"

"""


def write_config(home: Path, accounts: int = 0) -> Path:
    """The three accounts above, then `accounts` more (acct00000-prod, acct00001-dev, ...)."""
    parts = [JUMP]
    for name, ident, roles, extra in ACCOUNTS:
        tags = TAGS.format(team=name.split("-")[0], env=name.split("-")[1])
        parts.append(ACCOUNT.format(name=name, id=ident, roles=roles, extra=extra + tags))
    for index in range(accounts):
        env = "prod" if index % 2 == 0 else "dev"
        tags = TAGS.format(team=f"team{index % 40}", env=env)
        roles = '"Admin", "ReadOnly", "Billing"'
        name = f"acct{index:05d}-{env}"
        parts.append(ACCOUNT.format(name=name, id=500000000000 + index, roles=roles, extra=tags))
    path = home / "config" / "jumpshell" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts))
    return path


@pytest.fixture
def config(isolated: Path) -> Path:
    return write_config(isolated)


def bash(*words: str) -> list[str]:
    """COMPREPLY for COMP_WORDS = `words` (the last is the word under the cursor)."""
    script = (
        f"source {shlex.quote(str(SCRIPTS / 'jumpshell.bash'))}\n"
        f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}\n'
        '_jumpshell; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        [require("bash"), "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    return [line for line in done.stdout.splitlines() if line]


def fish(line: str) -> list[str]:
    """`complete -C LINE` with the script sourced: `word<TAB>description` lines."""
    script = f"source {SCRIPTS / 'jumpshell.fish'}; complete -C $argv[1]"
    done = subprocess.run(
        [require("fish"), "--no-config", "-c", script, line],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, "")
    return done.stdout.splitlines()


def zsh(home: Path, line: str, sourced: bool = False) -> str:
    """What an interactive zsh (compinit, the script on fpath, or `sourced` from `jumpshell
    completions zsh`) shows after `LINE<Tab>`."""
    zdot = home / "zdot"
    zdot.mkdir(exist_ok=True)
    fpath = "" if sourced else f"fpath=({shlex.quote(str(SCRIPTS))} $fpath)\n"
    (zdot / ".zshrc").write_text(
        f"{fpath}autoload -U compinit && compinit -u -d {zdot / '.zcompdump'}\n"
        + ("source <(jumpshell completions zsh)\n" if sourced else "")
        + "PS1='mine> '\n"
    )
    env = dict(os.environ, ZDOTDIR=str(zdot), TERM="xterm")
    child = pexpect.spawn(
        require("zsh"), ["-i"], env=env, encoding="utf-8", timeout=30, dimensions=(50, 250)
    )
    try:
        child.expect_exact("mine> ")
        child.send(line + "\t")
        child.send("QZQ")  # typed after the completion is done: its echo ends the output
        child.expect_exact("QZQ")
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|[\x07\x08\r]", "", str(child.before))
    finally:
        child.terminate(force=True)


def test_the_shipped_scripts_are_what_the_parser_generates() -> None:
    # a new verb or flag: `python -m jumpshell.cli.completegen --write`
    for shell, file in SHELLS.items():
        shipped = (SCRIPTS / file).read_text()
        assert shipped == render(shell), f"{file}: python -m jumpshell.cli.completegen --write"
        done = js("completions", shell)
        assert (done.returncode, done.stdout, done.stderr) == (0, shipped, "")
        # what the package holds (jumpshell/shipped_completions, a symlink the wheel copies through)
        assert (Path(shipped_dir()) / file).read_text() == shipped


def test_bash_verbs_flags_targets(config: Path) -> None:
    assert bash("jumpshell", "lo") == ["login", "logout", "lock"]
    both = bash("jumpshell", "")
    assert {"run", "tmux", "completions", "payments-prod", "data-dev"} <= set(both)
    assert bash("jumpshell", "run", "payments-") == [
        "payments-dev",
        "payments-dev/Developer",
        "payments-dev/ReadOnly",
        "payments-prod",
        "payments-prod/Admin",
        "payments-prod/ReadOnly",
    ]
    assert bash("jumpshell", "env", "payments-prod/") == [
        "payments-prod/Admin",
        "payments-prod/ReadOnly",
    ]
    assert bash("jumpshell", "shell", "2222") == ["222222222222"]
    assert bash("jumpshell", "tmux", "data-dev", "payments-d") == [
        "payments-dev",
        "payments-dev/Developer",
        "payments-dev/ReadOnly",
    ]
    assert bash("jumpshell", "run", "data-dev", "data-d") == []  # one target only
    assert bash("jumpshell", "data-dev", "--st") == ["--static"]  # `jumpshell TARGET`: shell's


def test_bash_offers_every_flag_of_every_verb(config: Path) -> None:
    for verb in model()[1:]:
        if verb.flags:
            offered = bash("jumpshell", *verb.path.split(), "-")
            assert {n for f in verb.flags for n in f.names} == set(offered), verb.path


def test_bash_values_and_after_dashdash(config: Path) -> None:
    assert bash("jumpshell", "env", "data-dev", "--format", "") == ["sh", "fish", "json", "dotenv"]
    assert bash("jumpshell", "env", "data-dev", "--format", "=", "j") == ["json"]
    assert bash("jumpshell", "theme", "show", "") == ["default", "high-contrast", "minimal"]
    assert bash("jumpshell", "tmux", "--tag", "t") == ["team="]
    # bash splits KEY=VALUE at the = (COMP_WORDBREAKS)
    assert bash("jumpshell", "tmux", "--tag", "team", "=", "pay") == ["payments"]
    assert bash("jumpshell", "tmux", "--tag", "environment", "=") == ["dev", "prod"]
    assert "echo" in bash("jumpshell", "run", "data-dev", "--", "ech")
    assert "echo" in bash("jumpshell", "data-dev", "--", "ech")
    assert bash("jumpshell", "run", "data-dev", "--", "cat", "/et") == ["/etc"]


def test_zsh_offers_verbs_targets_flags_with_descriptions(config: Path, isolated: Path) -> None:
    shown = zsh(isolated, "jumpshell lo")
    assert "login" in shown and "start an MFA session" in shown and "logout" in shown
    shown = zsh(isolated, "jumpshell run payments-p\t")  # the second Tab lists
    assert "jumpshell run payments-prod" in shown
    assert "payments-prod/Admin" in shown and "payments-prod/ReadOnly" in shown
    assert "222222222222 PROD" in shown  # production marked
    assert "jumpshell run data-dev/Developer" in zsh(isolated, "jumpshell run data-dev/")
    shown = zsh(isolated, "jumpshell p\t")  # verbs and targets both
    assert "pick" in shown and "payments-prod" in shown
    shown = zsh(isolated, "jumpshell env data-dev --for")
    assert "jumpshell env data-dev --format" in shown
    assert "dotenv" in zsh(isolated, "jumpshell env data-dev --format ")
    assert "high-contrast" in zsh(isolated, "jumpshell theme show ")
    assert "jumpshell tmux --tag team=" in zsh(isolated, "jumpshell tmux --tag te")
    assert "jumpshell run data-dev -- echo" in zsh(isolated, "jumpshell run data-dev -- ech")
    shown = zsh(isolated, "jumpshell run data-dev/", sourced=True)  # the README's other way
    assert "jumpshell run data-dev/Developer" in shown


def test_fish_offers_verbs_targets_flags_with_descriptions(config: Path) -> None:
    assert fish("jumpshell run payments-p") == [
        "payments-prod\t222222222222 PROD",
        "payments-prod/Admin\t222222222222 PROD",
        "payments-prod/ReadOnly\t222222222222 PROD",
    ]
    words = [line.split("\t")[0] for line in fish("jumpshell ")]
    assert {"run", "shell", "completions", "payments-prod", "444444444444"} <= set(words)
    assert any(line.startswith("--region\tregion") for line in fish("jumpshell env data-dev --r"))
    assert [w.split("\t")[0] for w in fish("jumpshell env data-dev --format j")] == ["json"]
    assert fish("jumpshell tmux --tag team=p")[0].startswith("team=payments\t")
    assert fish("jumpshell tmux data-dev payments-dev/R")[0].startswith("payments-dev/ReadOnly")
    assert [w.split("\t")[0] for w in fish("jumpshell run data-dev -- ech")] == ["echo"]
    for verb in model()[1:]:
        if verb.flags:
            line = " ".join(["jumpshell", *verb.path.split(), "x" * (verb.positional != ""), "-"])
            offered = {w.split("\t")[0] for w in fish(line.replace("  ", " "))}
            assert {n for f in verb.flags for n in f.names} <= offered, verb.path


def test_ten_thousand_accounts_still_complete(isolated: Path) -> None:
    write_config(isolated, accounts=10_000)
    assert bash("jumpshell", "run", "acct09998-p") == [
        "acct09998-prod",
        "acct09998-prod/Admin",
        "acct09998-prod/Billing",
        "acct09998-prod/ReadOnly",
    ]
    assert fish("jumpshell run acct09999-dev/B") == ["acct09999-dev/Billing\t500000009999"]
    assert "jumpshell run acct09997-dev/ReadOnly" in zsh(isolated, "jumpshell run acct09997-dev/R")
    # a long run of matches (walked, then bisected) is whole and in order, nothing else in it
    words = [
        line.split("\t")[0] for line in js("__complete", "targets", "acct0").stdout.splitlines()
    ]
    names = [f"acct{i:05d}-{'prod' if i % 2 == 0 else 'dev'}" for i in range(10_000)]
    roles = ("", "/Admin", "/Billing", "/ReadOnly")
    assert words == [name + role for name in names for role in roles]


def test_a_broken_or_missing_config_completes_nothing_quietly(isolated: Path) -> None:
    for _ in range(2):  # the second from the (empty) cache of the broken file
        done = js("__complete", "targets", "")
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    path = write_config(isolated)
    path.write_text(path.read_text() + "[[account]\nname = \n")
    for _ in range(2):
        done = js("__complete", "targets", "")
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert bash("jumpshell", "run", "pay") == []
    assert fish("jumpshell run pay") == []
    shown = zsh(isolated, "jumpshell run pay")
    assert "jumpshell:" not in shown and "payments" not in shown


def test_an_edited_config_is_seen_at_the_next_tab(config: Path) -> None:
    assert bash("jumpshell", "run", "new") == []
    with config.open("a") as handle:
        handle.write(ACCOUNT.format(name="newly-added", id="555555555555", roles='"A"', extra=""))
    assert bash("jumpshell", "run", "new") == ["newly-added", "newly-added/A"]


def test_a_tab_imports_nothing_heavy(config: Path) -> None:
    js("__complete", "targets", "")  # the cache made
    done = subprocess.run(
        [str(BIN / "python"), "-X", "importtime", str(BIN / "jumpshell"), "__complete"]
        + ["targets", "pay"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.startswith("payments-dev\t333333333333\n")
    loaded = {line.split("|")[-1].strip() for line in done.stderr.splitlines()}
    heavy = {"tomllib", "json", "argparse", "boto3", "keyring", "textual", "platformdirs", "typing"}
    assert not loaded & heavy


def test_the_run_of_a_prefix_is_every_line_with_it() -> None:
    rng = random.Random(16)
    words = {"".join(rng.choice("ab/-é") for _ in range(rng.randint(1, 6))) for _ in range(3000)}
    lines = [namescache.KEY + b" " + w.encode() for w in ("x", "y")]
    lines += [namescache.TARGET + b" " + f"{w}\tdesc".encode() for w in words]
    lines += [namescache.VALUE + b" " + f"{w}\tv".encode() for w in ("a", "b")]
    body = namescache.blob(sorted(lines))
    for prefix in ["", "a", "é", "ab/", "b-a", "zz", *rng.sample(sorted(words), 200)]:
        want = sorted(f"{w}\tdesc\n".encode() for w in words if w.startswith(prefix))
        assert namescache.matching(body, namescache.TARGET, prefix) == b"".join(want), prefix


def test_a_command_that_parses_the_config_leaves_the_names_for_the_first_tab(
    config: Path, isolated: Path
) -> None:
    done = js("list")
    assert done.returncode == 0, done.stderr
    (names,) = (isolated / "state" / "jumpshell").glob("names-*.txt")
    assert names.stat().st_mode & 0o777 == 0o600
    assert b"\nt payments-prod/Admin\t222222222222 PROD\n" in names.read_bytes()
    assert names.read_bytes().startswith(b"jumpshell-names 2 ")
    os.utime(names, (1, 1))  # a Tab that parsed would write it again
    assert js("__complete", "targets", "data-dev/").stdout == "data-dev/Developer\t444444444444\n"
    assert names.stat().st_mtime == 1


def test_help_each_and_choices_in_every_shell(config: Path, isolated: Path) -> None:
    """`help <Tab>` offers the verbs; `run --each <Tab>` offers targets; a positional with
    choices (`import`, `completions`) offers them in zsh too, without an error on screen."""
    assert {"run", "tmux", "key"} <= set(bash("jumpshell", "help", ""))
    assert bash("jumpshell", "help", "ru") == ["run"]
    assert bash("jumpshell", "run", "--each", "payments-p") == [
        "payments-prod",
        "payments-prod/Admin",
        "payments-prod/ReadOnly",
    ]
    # several selectors after --each: every one a target; after -- the command's own
    assert bash("jumpshell", "run", "--each", "data-dev", "payments-dev", "payments-prod/") == [
        "payments-prod/Admin",
        "payments-prod/ReadOnly",
    ]
    assert "echo" in bash("jumpshell", "run", "--each", "data-dev", "--", "ech")
    assert bash("jumpshell", "run", "data-dev", "data-d") == []  # without --each: one target
    assert [w.split("\t")[0] for w in fish("jumpshell help ru")] == ["run"]
    more = [
        w.split("\t")[0] for w in fish("jumpshell run --each data-dev payments-dev payments-prod/")
    ]
    assert more == ["payments-prod/Admin", "payments-prod/ReadOnly"]
    assert fish("jumpshell run data-dev payments-prod/") == []
    assert [w.split("\t")[0] for w in fish("jumpshell run --each data-dev -- ech")] == ["echo"]
    shown = zsh(isolated, "jumpshell run --each data-dev payments-dev payments-prod/\t")
    assert "payments-prod/Admin" in shown, shown
    each = [w.split("\t")[0] for w in fish("jumpshell run --each payments-p")]
    assert each == ["payments-prod", "payments-prod/Admin", "payments-prod/ReadOnly"]
    assert "jumpshell help run" in zsh(isolated, "jumpshell help ru")
    assert "payments-prod/Admin" in zsh(isolated, "jumpshell run --each payments-p\t")
    for line, word in (("jumpshell import ", "aws-config"), ("jumpshell completions f", "fish")):
        shown = zsh(isolated, line)
        assert f"{line.split()[1]} {word}" in shown, shown
        assert "command not found" not in shown and "(eval)" not in shown, shown


def test_help_completes_the_actions_of_its_verb(isolated: Path) -> None:
    """`help key <Tab>` offers key's actions, as `key <Tab>` does; `help demo <Tab>` demo's
    `code`, whose help is demo's."""
    actions = ["add", "rotate", "remove", "import"]
    assert bash("jumpshell", "help", "key", "") == actions
    assert bash("jumpshell", "help", "key", "r") == ["rotate", "remove"]
    assert bash("jumpshell", "help", "demo", "") == ["code"]
    assert bash("jumpshell", "help", "key", "add", "") == []
    assert sorted(w.split("\t")[0] for w in fish("jumpshell help key ")) == sorted(actions)
    assert [w.split("\t")[0] for w in fish("jumpshell help demo ")] == ["code"]
    assert fish("jumpshell help key add ") == []
    shown = zsh(isolated, "jumpshell help key ")
    assert all(f"{a} " in shown for a in actions) and "store the key" in shown, shown
    assert "jumpshell help demo code" in zsh(isolated, "jumpshell help demo ")
