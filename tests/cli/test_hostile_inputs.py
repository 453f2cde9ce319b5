"""Hostile and broken input to this morning's verbs: one line, the right exit code, nothing lost."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.conftest import BIN, Demo


def _one_line(done: object, code: int) -> None:
    err = done.stderr  # type: ignore[attr-defined]
    assert done.returncode == code, (done.returncode, err)  # type: ignore[attr-defined]
    assert "Traceback" not in err, err
    assert err.startswith("jumpshell: ") and err.count("\n") == 1, err


def _aws(demo: Demo, text: str | bytes) -> Path:
    path = Path(demo.env["AWS_CONFIG_FILE"])
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    demo.set_jump('aws_profile = "jump"')
    return path


@pytest.mark.parametrize(
    "args,code",
    [
        (("run", "--each", "nosuch*", "--", "true"), 2),
        (("run", "--each", "*", "--parallel", "-1", "--", "true"), 2),
        (("run", "--each", "*", "--parallel", "99999999999999999999", "--", "true"), 2),
        (("completions", "powershell"), 2),
        (("credential-process", "--session", "--jump", "nosuch"), 2),
        (("key", "import", "--profile", "nosuch"), 2),
        (("help", "nosuch"), 2),
        (("env", "--unset", "prod"), 2),
        (("import", "aws-config", "--file", "/nonexistent/config"), 2),
        (("import", "aws-config", "--file", "/"), 2),
        (("import", "nosuch"), 2),
        (("credential-process", "--session", "nosuch"), 2),
        (("run", "--each", "--", "true"), 2),
        (("key", "import", "--jump", "nosuch"), 2),
    ],
)
def test_bad_verbs(demo: Demo, args: tuple[str, ...], code: int) -> None:
    _one_line(demo.js(*args), code)


_ROLE = b"source_profile = jump\nrole_arn = arn:aws:iam::123456789012:role/R\n"


@pytest.mark.parametrize(
    "text",
    [
        b"[profile x]\ncredential_process =\n",  # was an IndexError in every command
        b"[profile x]\ncredential_process =   \n",
        b"[profile a b]\n" + _ROLE,
        b'[profile "a b"]\n' + _ROLE,
        b"[profile \xff\xfe]\nregion = us-east-1\n",
        b"[profile x]\nexternal_id = \x01\x02\n" + _ROLE,
        b"[profile a]\ninclude_profile = b\n[profile b]\ninclude_profile = a\n",
        b"[profile a]\n"
        + _ROLE.replace(b"jump", b"b")
        + b"[profile b]\n"
        + _ROLE.replace(b"jump", b"a"),
        b"garbage\n",
        b"[profile x]\nduration_seconds = \xd9\xa1\xd9\xa1\xd9\xa1\xd9\xa1\n" + _ROLE,
    ],
)
def test_hostile_aws_config_is_a_warning_not_a_traceback(demo: Demo, text: bytes) -> None:
    _aws(demo, text)
    done = demo.js("list")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    done = demo.js("list", "--skipped")
    assert "Traceback" not in done.stderr, done.stderr
    done = demo.js("import", "aws-config")
    assert "Traceback" not in done.stderr, done.stderr


def _key_file(demo: Demo, text: str) -> Path:
    """The jump user's key in the plaintext file, the demo's keyring copy gone."""
    path = Path(demo.env["AWS_SHARED_CREDENTIALS_FILE"])
    path.write_text(text)
    assert demo.js("key", "remove").returncode == 0
    return path


def test_key_import_takes_the_key_out_whatever_the_case_of_its_names(demo: Demo) -> None:
    """The AWS CLI reads AWS_SECRET_ACCESS_KEY = as aws_secret_access_key (configparser)."""
    jump = demo.info.jump
    path = _key_file(
        demo,
        f"[jump]\nAWS_ACCESS_KEY_ID = {jump.access_key_id}\n"
        f"Aws_Secret_Access_Key = {jump.secret_access_key}\nregion = us-east-1\n",
    )
    done = demo.js("key", "import", "--profile", "jump", "--yes")
    assert done.returncode == 0, done.stderr
    left = path.read_text()
    assert jump.secret_access_key not in left and jump.access_key_id not in left
    assert left == "[jump]\nregion = us-east-1\n"


def test_key_import_keeps_the_key_of_a_profile_whose_header_has_a_comment(demo: Demo) -> None:
    """`[other] # note` is the section `other` to the AWS CLI: its key is not the jump's."""
    jump = demo.info.jump
    other = "[other] # the CI user\naws_access_key_id = AKIAOTHEROTHEROTHER1\n"
    other += "aws_secret_access_key = other/secret/that/stays/0000000000\n"
    path = _key_file(
        demo,
        f"[jump]\naws_access_key_id = {jump.access_key_id}\n"
        f"aws_secret_access_key = {jump.secret_access_key}\n{other}",
    )
    done = demo.js("key", "import", "--profile", "jump", "--yes")
    assert done.returncode == 0, done.stderr
    assert path.read_text() == other


def test_key_import_refuses_to_replace_a_symlink_and_says_where_the_key_is(demo: Demo) -> None:
    """A rename over a link (a dotfiles repo's file) would leave the key in its target."""
    jump = demo.info.jump
    real = demo.home / "dotfiles-credentials"
    real.write_text(
        f"[jump]\naws_access_key_id = {jump.access_key_id}\n"
        f"aws_secret_access_key = {jump.secret_access_key}\n"
    )
    path = _key_file(demo, "")
    path.unlink()
    path.symlink_to(real)
    before = real.read_text()
    done = demo.js("key", "import", "--profile", "jump", "--yes")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    last = done.stderr.splitlines()[-1]  # after the test keyring's own warning
    assert last.startswith("jumpshell: ") and "symbolic link" in last, done.stderr
    assert str(real) in last and jump.secret_access_key not in done.stderr
    assert path.is_symlink() and real.read_text() == before
    assert not list(path.parent.glob("credentials.jumpshell-backup-*"))
    assert "stored the access key" in done.stdout  # the keyring holds it all the same


def test_key_import_of_a_file_not_utf8_is_one_line(demo: Demo) -> None:
    path = _key_file(demo, "")
    path.write_bytes(b"[jump]\naws_access_key_id = \xff\xfe\n")
    _one_line(demo.js("key", "import", "--profile", "jump", "--yes"), 2)


def test_a_long_include_profile_chain_costs_little(demo: Demo) -> None:
    """Thousands of include_profile links (a generated file): each profile followed up to a
    cap, not to the chain's end (that was minutes of every command, n^3)."""
    links = "".join(f"[profile p{i}]\ninclude_profile = p{i + 1}\n" for i in range(3000))
    _aws(demo, f"[profile top]\ninclude_profile = p0\n{_ROLE.decode()}{links}")
    done = demo.js("list", "--json", timeout=30)
    assert done.returncode == 0 and '"top"' in done.stdout, done.stderr


def test_import_aws_config_writes_through_a_symlinked_config(demo: Demo) -> None:
    """A config kept in a dotfiles repo and linked: the link stays, the repo's file changes."""
    arn = f"arn:aws:iam::{demo.info.accounts[0].id}:role/Admin"
    _aws(demo, f"[profile jump]\n[profile imported]\nsource_profile = jump\nrole_arn = {arn}\n")
    real = demo.home / "dotfiles-config.toml"
    real.write_text(demo.config.read_text())
    demo.config.unlink()
    demo.config.symlink_to(real)
    done = demo.js("import", "aws-config", "--yes")
    assert done.returncode == 0, done.stderr
    assert demo.config.is_symlink()
    assert 'name = "imported"' in real.read_text()


def test_control_characters_in_the_aws_config_never_reach_the_terminal(demo: Demo) -> None:
    """A quoted profile name botocore unquotes (not found by its header line) and another
    tool's credential_process: shown escaped, as every other name in the messages is."""
    _aws(
        demo,
        '[profile "evil\x1b[2J"]\nsource_profile = nosuch\n'
        "role_arn = arn:aws:iam::123456789012:role/R\n"
        "[profile other]\ncredential_process = \x1b]0;title\x07 --x\n",
    )
    done = demo.js("list", "--skipped")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2, done.stdout
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout, done.stdout


@pytest.mark.parametrize("value", ["e" * 5000, "a\x01b", "x"])
def test_an_external_id_sts_refuses_is_a_skipped_profile(demo: Demo, value: str) -> None:
    """Not a target whose every use is a 5,000-character AWS refusal (exit 3)."""
    _aws(demo, f"[profile x]\nexternal_id = {value}\n{_ROLE.decode()}")
    done = demo.js("list", "--skipped")
    assert done.returncode == 0, done.stderr
    assert "profile 'x': external_id is not 2-1224" in done.stdout, done.stdout
    assert len(done.stdout) < 500


def test_a_profile_named_like_an_option_is_skipped(demo: Demo) -> None:
    """`[profile --yes]` as a target would be `jumpshell shell --yes` in a pane or the picker."""
    _aws(demo, f"[profile --yes]\n{_ROLE.decode()}")
    done = demo.js("list", "--skipped")
    assert "profile '--yes': its name has" in done.stdout, done.stdout + done.stderr


def test_key_import_keeps_the_comments_of_the_profile_it_empties(demo: Demo) -> None:
    jump = demo.info.jump
    path = _key_file(
        demo,
        f"[jump]\n# rotated by alice, ticket OPS-1\naws_access_key_id = {jump.access_key_id}\n"
        f"aws_secret_access_key = {jump.secret_access_key}\n",
    )
    done = demo.js("key", "import", "--profile", "jump", "--yes")
    assert done.returncode == 0, done.stderr
    assert path.read_text() == "[jump]\n# rotated by alice, ticket OPS-1\n"


def test_import_aws_config_turns_aws_config_off_under_a_commented_header(demo: Demo) -> None:
    """`[jump]  # note` is the [jump] table: it gets aws_config = false like a bare header."""
    arn = f"arn:aws:iam::{demo.info.accounts[0].id}:role/Admin"
    _aws(demo, f"[profile jump]\n[profile imported]\nsource_profile = jump\nrole_arn = {arn}\n")
    demo.config.write_text(demo.config.read_text().replace("[jump]\n", "[jump]  # alice\n", 1))
    done = demo.js("import", "aws-config", "--yes")
    assert done.returncode == 0, done.stderr
    assert tomllib.loads(demo.config.read_text())["jump"]["aws_config"] is False
    assert "not targets" not in demo.js("list").stderr


@pytest.mark.parametrize("layout", ["=\n    {secret}\n", "= {secret}\n", "=\n\n    {secret}\n"])
def test_key_import_never_says_deleted_while_the_secret_is_in_the_file(
    demo: Demo, layout: str
) -> None:
    """A value on its next, indented line (configparser's continuation) is the key's too:
    it goes with it, or the file is left whole and the message says so."""
    jump = demo.info.jump
    text = f"[jump]\naws_access_key_id = {jump.access_key_id}\naws_secret_access_key "
    text += layout.format(secret=jump.secret_access_key) + "region = us-east-1\n"
    path = _key_file(demo, text)
    done = demo.js("key", "import", "--profile", "jump", "--yes")
    assert "Traceback" not in done.stderr, done.stderr
    left = path.read_text()
    if done.returncode == 0:
        assert "deleted it from" in done.stdout
        assert jump.secret_access_key not in left and "region = us-east-1" in left
    else:
        assert left == text and "by hand" in done.stderr.splitlines()[-1], done.stderr
        assert not list(path.parent.glob("credentials.jumpshell-backup-*"))


@pytest.mark.parametrize("which", ["AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE"])
def test_an_aws_file_botocore_cannot_parse_is_one_line_or_ignored(demo: Demo, which: str) -> None:
    """The credentials file is not read at all (the keyring's key is given); the config
    file, which botocore reads for its settings, is named in one line."""
    Path(demo.env[which]).write_text("[profile x]\ns3 =\n  not a setting\n")
    done = demo.js("login", "--mfa-code", demo.code())
    if which == "AWS_SHARED_CREDENTIALS_FILE":
        assert done.returncode == 0, done.stderr
    else:
        _one_line(done, 2)
        assert demo.env[which] in done.stderr


def test_an_aws_config_file_that_is_a_fifo_never_blocks_a_command(demo: Demo) -> None:
    """botocore reads no FIFO (the AWS CLI sees no profiles); jumpshell's own look for the
    header lines opened it and waited for a writer, in every command."""
    fifo = demo.home / "aws-config-fifo"
    os.mkfifo(fifo)
    env = {**demo.env, "AWS_CONFIG_FILE": str(fifo)}
    demo.set_jump('aws_profile = "jump"')
    done = subprocess.run(
        [str(BIN / "jumpshell"), "list"], env=env, capture_output=True, text=True, timeout=20
    )
    assert done.returncode == 0, done.stderr


def test_a_chain_longer_than_the_agent_takes_is_skipped_whatever_the_file_order(
    demo: Demo,
) -> None:
    """In file order each profile saw its source made in the same round: seven deep were all
    targets, and the agent refuses meta chaining more than MAX_VIA roles."""
    arn = "arn:aws:iam::123456789012:role/R"
    text, source = "[profile jump]\n", "jump"
    for i in range(7):
        text += f"[profile p{i}]\nsource_profile = {source}\nrole_arn = {arn}\n"
        source = f"p{i}"
    _aws(demo, text)
    done = demo.js("list", "--skipped")
    skipped = {line.split("'")[1] for line in done.stdout.splitlines()}
    assert skipped == {"p5", "p6"}, done.stdout + done.stderr


def test_key_import_from_a_fifo_is_one_line_not_a_wait(demo: Demo) -> None:
    fifo = demo.home / "credentials-fifo"
    os.mkfifo(fifo)
    env = {**demo.env, "AWS_SHARED_CREDENTIALS_FILE": str(fifo)}
    done = subprocess.run(
        [str(BIN / "jumpshell"), "key", "import", "--profile", "jump"],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
    )
    _one_line(done, 2)
