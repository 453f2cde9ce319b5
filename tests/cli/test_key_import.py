"""`key import`: a key moves from ~/.aws/credentials into the keyring, and the plaintext copy
goes only once the keyring holds it (issue 17, item 3)."""

from __future__ import annotations

import stat
from pathlib import Path

import pexpect

from tests.conftest import BIN, Demo


def _credentials(demo: Demo) -> Path:
    """The jump user's key in the plaintext file, between two other profiles."""
    jump = demo.info.jump
    path = Path(demo.env["AWS_SHARED_CREDENTIALS_FILE"])
    path.write_text(
        "[default]\naws_access_key_id = AKIAOTHEROTHEROTHER1\n"
        "aws_secret_access_key = other/secret/that/stays/0000000000\n\n"
        f"# the jump user\n[jump]\naws_access_key_id = {jump.access_key_id}\n"
        f"aws_secret_access_key = {jump.secret_access_key}\nregion = us-east-1\n\n"
        "[solo]\naws_access_key_id = AKIASOLOSOLOSOLOSOLO\n"
        "aws_secret_access_key = solo/secret/that/stays/00000000000\n"
    )
    assert demo.js("key", "remove").returncode == 0  # the demo stored it: start from the file
    return path


def _login_works(demo: Demo) -> None:
    demo.js("logout")
    done = demo.js("login", "--mfa-code", demo.code())
    assert done.returncode == 0, done.stderr


def test_key_import_moves_the_key_and_keeps_a_private_backup(demo: Demo) -> None:
    path = _credentials(demo)
    secret = demo.info.jump.secret_access_key
    demo.set_jump('source_profile = "jump"')  # today's way: the key read from the file
    done = demo.js("key", "import", "--yes")  # the profile: source_profile's
    assert done.returncode == 0, done.stderr
    assert "aws_profile = 'jump'" in done.stdout  # what to change in [jump] next
    left = path.read_text()
    assert secret not in left and demo.info.jump.access_key_id not in left
    assert "[jump]" in left and "region = us-east-1" in left  # the rest of it stays
    assert "other/secret/that/stays" in left and "[solo]" in left
    [backup] = path.parent.glob("credentials.jumpshell-backup-*")
    assert secret in backup.read_text()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    text = demo.config.read_text().replace('source_profile = "jump"', 'aws_profile = "jump"')
    demo.config.write_text(text)
    _login_works(demo)  # from the keyring now


def test_key_import_without_yes_or_a_terminal_keeps_the_file(demo: Demo) -> None:
    path = _credentials(demo)
    before = path.read_text()
    done = demo.js("key", "import", "--profile", "jump")
    assert done.returncode == 0, done.stderr
    assert "no terminal to confirm on:" in done.stdout and "still holds it" in done.stdout
    assert path.read_text() == before
    _login_works(demo)


def test_an_interrupt_between_the_steps_loses_nothing(demo: Demo) -> None:
    """Ctrl-C at the question: the keyring holds the key, the file still does too."""
    path = _credentials(demo)
    before = path.read_text()
    child = pexpect.spawn(
        str(BIN / "jumpshell"),
        ["key", "import", "--profile", "jump"],
        env=demo.env,
        encoding="utf-8",
        timeout=30,
    )
    child.expect("stored the access key")
    child.expect(r"Delete it from .* \[y/N\]")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert path.read_text() == before
    assert not list(path.parent.glob("credentials.jumpshell-backup-*"))
    _login_works(demo)


def test_a_keyring_that_refuses_leaves_the_file_alone(demo: Demo) -> None:
    path = _credentials(demo)
    before = path.read_text()
    env = {**demo.env, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    from tests.conftest import js

    done = js("key", "import", "--profile", "jump", "--yes", env=env)
    assert done.returncode == 5, done.stderr
    assert done.stderr.startswith("jumpshell: ") and "Traceback" not in done.stderr
    assert path.read_text() == before


def test_another_users_key_is_refused_like_key_add(demo: Demo) -> None:
    path = _credentials(demo)
    before = path.read_text()
    done = demo.js("key", "import", "--profile", "solo", "--yes")
    assert done.returncode == 3, done.stderr
    assert "the stored key is unchanged" in done.stderr
    assert path.read_text() == before
    missing = demo.js("key", "import", "--profile", "nope")
    assert missing.returncode == 2 and "default, jump, solo" in missing.stderr


def test_key_import_defaults_to_aws_profile(demo: Demo) -> None:
    """The README's order (aws_profile = "jump" first, then `key import`): the profile to
    import is the jump's aws_profile, not 'default'."""
    path = _credentials(demo)
    demo.set_jump('aws_profile = "jump"')
    done = demo.js("key", "import", "--yes")
    assert done.returncode == 0, done.stderr
    assert "of profile 'jump'" in done.stdout
    assert demo.info.jump.secret_access_key not in path.read_text()
    _login_works(demo)
