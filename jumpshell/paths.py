"""Where jumpshell keeps things: XDG config, state and runtime paths; dirs 0700, files 0600.

The config file and the runtime dir are on the warm path (`run`, `env`, completion), so they
are resolved with `os` alone; so is the state dir on Linux (platformdirs' rule, written out),
elsewhere it comes from platformdirs.
"""

from __future__ import annotations

import os
import sys

APP = "jumpshell"


def aws_config_file() -> str:
    """Where the AWS CLI and SDKs read profiles: `$AWS_CONFIG_FILE`, else ~/.aws/config."""
    return os.path.expanduser(os.environ.get("AWS_CONFIG_FILE") or "~/.aws/config")


def aws_credentials_file() -> str:
    """Where they read long-lived keys: `$AWS_SHARED_CREDENTIALS_FILE`, else ~/.aws/credentials."""
    return os.path.expanduser(os.environ.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials")


def config_file() -> str:
    """`$JUMPSHELL_CONFIG`, else `$XDG_CONFIG_HOME/jumpshell/config.toml`."""
    explicit = os.environ.get("JUMPSHELL_CONFIG")
    if explicit:
        return os.path.abspath(os.path.expanduser(explicit))
    return os.path.join(config_dir(), "config.toml")


def config_dir() -> str:
    """`$XDG_CONFIG_HOME/jumpshell` (the config, the user's themes)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, APP)


def runtime_dir() -> str:
    """`$XDG_RUNTIME_DIR/jumpshell`, else `/run/user/UID/jumpshell`, else a per-uid tmp dir."""
    if os.environ.get("JUMPSHELL_RUNTIME_DIR"):
        return os.environ["JUMPSHELL_RUNTIME_DIR"]
    base = os.environ.get("XDG_RUNTIME_DIR")
    if not base:
        candidate = f"/run/user/{os.getuid()}"
        base = candidate if os.path.isdir(candidate) else None
    if base:
        return os.path.join(base, APP)
    tmp = os.environ.get("TMPDIR", "/tmp")
    return os.path.join(tmp, f"{APP}-{os.getuid()}")


def agent_socket() -> str:
    """The agent's Unix socket."""
    return os.path.join(runtime_dir(), "agent.sock")


def state_dir() -> str:
    """`$XDG_STATE_HOME/jumpshell` (audit log, inventory, recents)."""
    if os.environ.get("JUMPSHELL_STATE_DIR"):
        return os.environ["JUMPSHELL_STATE_DIR"]
    if sys.platform.startswith("linux"):  # platformdirs' own rule there, without its ~11 ms
        base = os.environ.get("XDG_STATE_HOME", "")
        return os.path.join(base if base.strip() else os.path.expanduser("~/.local/state"), APP)
    import platformdirs

    return platformdirs.user_state_dir(APP, appauthor=False)


def audit_file() -> str:
    """The append-only audit log."""
    return os.path.join(state_dir(), "audit.jsonl")


def private_dir(path: str) -> str:
    """Create `path` (and parents) as 0700 and make sure it stays 0700 and ours.

    A dir another user made first (a shared /tmp fallback) is refused, never used.
    """
    import stat

    from jumpshell.errors import UsageError

    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
        found = os.lstat(path)
    except OSError as exc:  # e.g. XDG_RUNTIME_DIR names a file: name the file, not the errno
        blocker = path
        while not os.path.lexists(blocker) and os.path.dirname(blocker) != blocker:
            blocker = os.path.dirname(blocker)
        if os.path.lexists(blocker) and not os.path.isdir(blocker):
            problem = f"{blocker} is not a directory"
        else:
            problem = f"cannot make {path}: {exc.strerror}"
        raise UsageError(
            problem,
            "point XDG_RUNTIME_DIR (sockets, locks) or XDG_STATE_HOME (audit log) at a directory",
        ) from None
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid():
        raise UsageError(
            f"{path} is not a directory of yours: jumpshell will not keep sessions there",
            "remove it, or set XDG_RUNTIME_DIR to a private directory",
        )
    if found.st_mode & stat.S_ISVTX:  # /tmp and its like: shared, never ours to close
        raise UsageError(
            f"{path} is a shared directory (sticky, like /tmp): jumpshell keeps its private "
            "files in a directory of its own",
            "point XDG_RUNTIME_DIR or XDG_STATE_HOME at a directory of yours",
        )
    if found.st_mode & 0o077:
        os.chmod(path, 0o700)
    return path


def open_private(
    path: str, flags: int = os.O_WRONLY | os.O_CREAT | os.O_APPEND, own_dir: bool = True
) -> int:
    """Open a file that only its owner may read (0600), creating its dir as 0700.

    `own_dir`: the dir is jumpshell's (state, runtime), made private if it is not; else (a
    path the user chose, e.g. JUMPSHELL_CONFIG) a missing dir is made 0700 and an existing one
    is left as it is: `init` with JUMPSHELL_CONFIG=/tmp/x.toml must not close /tmp.
    """
    if own_dir:
        private_dir(os.path.dirname(path))
    else:
        os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
    fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)
    return fd


def replace_private(final: str, data: bytes) -> None:
    """`final` made to hold `data` whole (a 0600 temp file beside it, then a rename: readers
    see the old file or the new one, never half); the temp is gone if anything fails.
    OSError, or JumpshellError for a dir that is not jumpshell's: the caches swallow both."""
    temp = f"{final}.{os.getpid()}.tmp"
    fd = open_private(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0))
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, final)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
