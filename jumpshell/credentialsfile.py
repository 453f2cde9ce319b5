"""~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE): read a profile's key, and take it out of
the plaintext file once the keyring holds it, a 0600 backup written first (`key import`)."""

from __future__ import annotations

import configparser
import contextlib
import os
import re
import time

from jumpshell import paths
from jumpshell.credentials import Credentials
from jumpshell.errors import ConfigError, UsageError

# as configparser (and so botocore) reads them: option names in any case, and a header is
# `[` to the line's last `]`, whatever follows it (`[name] # note` is the section `name`)
_KEY_LINE = re.compile(
    r"\s*(aws_access_key_id|aws_secret_access_key|aws_session_token)\s*[=:]", re.IGNORECASE
)
_SECTION = re.compile(r"\s*\[(.+)\]")


def path() -> str:
    """Where the AWS CLI and SDKs read long-lived keys."""
    return paths.aws_credentials_file()


def read_key(profile: str, where: str | None = None) -> Credentials:
    """The long-lived key of `profile`; UsageError if it has none, or only a temporary one."""
    where = where or path()
    parser = configparser.RawConfigParser()
    try:
        # a regular file only: a FIFO would block, /dev/zero never end (botocore reads none)
        if not os.path.isfile(where) or not parser.read(where, encoding="utf-8"):
            raise UsageError(f"there is no {where}", "set AWS_SHARED_CREDENTIALS_FILE to it")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{where} cannot be parsed: {str(exc).splitlines()[0]}", "fix it first"
        ) from None
    if not parser.has_section(profile):
        known = ", ".join(parser.sections()) or "none"
        raise UsageError(f"no profile {profile!r} in {where} (it has: {known})", "pass --profile")
    section = parser[profile]
    if "aws_session_token" in section:
        raise UsageError(
            f"profile {profile!r} holds a temporary key (it has aws_session_token)",
            "import the IAM user's long-lived key (AKIA...)",
        )
    key_id, secret = section.get("aws_access_key_id"), section.get("aws_secret_access_key")
    if not key_id or not secret:
        raise UsageError(f"profile {profile!r} in {where} has no access key", "pass --profile")
    return Credentials(key_id.strip(), secret.strip())


def without_key(text: str, profile: str) -> str:
    """`text` less the key lines of `[profile]`; the section goes too if nothing else is left
    (not even a comment: the user's notes stay)."""
    out: list[str] = []
    section: list[str] = []
    current: str | None = None

    def flush() -> None:
        body = [line for line in section[1:] if line.strip()]  # a comment is kept, its header too
        if current != profile or body or not section:
            out.extend(section)

    dropping = False
    for line in text.splitlines(keepends=True):
        if dropping and line[:1] in (" ", "\t") and line.strip():
            continue  # an indented line goes on the key's value (configparser's continuation)
        dropping = False
        header = _SECTION.match(line)
        if header:
            flush()
            section, current = [line], header.group(1)
            continue
        if current == profile and _KEY_LINE.match(line):
            dropping = True  # the secret, or its id: gone from the plaintext file
            continue
        section.append(line)
    flush()
    return "".join(out)


def _check_removed(before: str, after: str, profile: str, where: str) -> None:
    """The AWS CLI's reading of `after`: no key left in `profile`, every other profile as it
    was. Else nothing is written: a file kept whole beats one claimed clean and not."""
    old, new = configparser.RawConfigParser(), configparser.RawConfigParser()
    try:
        old.read_string(before)
        new.read_string(after)
        kept = all(dict(new[s]) == dict(old[s]) for s in old.sections() if s != profile)
        secrets = [old[profile].get(k, "") for k in ("aws_secret_access_key", "aws_session_token")]
        kept = kept and not any(piece in after for v in secrets for piece in v.split())
        kept = kept and set(new.sections()) <= set(old.sections())
    except (configparser.Error, KeyError):
        kept = False
    if not kept:
        raise ConfigError(
            f"cannot take the key out of {where} by its lines (the file is unchanged)",
            "delete the profile's key lines by hand (the keyring holds the key now)",
        )


def remove_key(profile: str, where: str | None = None) -> str:
    """Take `profile`'s key out of the file; returns the backup's path (0600, written and
    synced before the file is replaced, by rename: a crash leaves one whole copy or both)."""
    where = where or path()
    if os.path.islink(where):  # a rename would replace the link and leave the key behind it
        raise UsageError(
            f"{where} is a symbolic link: the key is still in {os.path.realpath(where)}",
            "delete its two key lines there by hand (the keyring holds the key now)",
        )
    try:
        with open(where, encoding="utf-8") as handle:
            text = handle.read()
        after = without_key(text, profile)
        _check_removed(text, after, profile, where)  # before any copy is made
        backup = f"{where}.jumpshell-backup-{time.strftime('%Y%m%d%H%M%S')}"
        _write(backup, text, exclusive=True)
    except OSError as exc:
        raise ConfigError(
            f"cannot back up {where}: {exc.strerror or exc} (the file is unchanged)",
            "delete its key lines by hand (the keyring holds the key now)",
        ) from None
    temp = f"{where}.{os.getpid()}.tmp"
    try:
        _write(temp, after, exclusive=False)
        os.replace(temp, where)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return backup


def _write(target: str, text: str, exclusive: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(target, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)  # the dir stays as it is
    os.fchmod(fd, 0o600)  # a secret's copy, whatever the umask
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
