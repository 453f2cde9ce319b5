"""Reading the config file: `load` and `parse` (TOML errors with their line), then every check."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable

from jumpshell.config import Config
from jumpshell.configcheck import build
from jumpshell.errors import ConfigError


def load(path: str) -> Config:
    """Read and validate the config at `path`."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise ConfigError(
            f"no config at {path}", "run `jumpshell init` or set JUMPSHELL_CONFIG"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}", "check its permissions") from None
    # Notepad and some editors start UTF-8 files with a BOM; TOML forbids it, and it is harmless
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    config = parse(text, path)
    if any(j.aws_config for j in config.jumps.values()):
        from jumpshell.awsconfig import merge  # botocore's loader: only for those who use it

        config = merge(config)
    return config


def parse(text: str, path: str = "config.toml") -> Config:
    """Parse config text; `path` only names the file in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"at line (\d+)", str(exc))
        where = f"{path}:{line.group(1)}" if line else path
        reason = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise ConfigError(
            f"{where}: invalid TOML: {reason}", "fix the syntax on that line"
        ) from None
    except RecursionError:
        raise ConfigError(
            f"{_line_of(text, path, _deep)}: invalid TOML: arrays or tables nested too deeply",
            "look for a stray [ or {: a jumpshell config nests a few levels at most",
        ) from None
    except ValueError:  # Python's 4,300-digit limit on int(), which tomllib does not catch
        raise ConfigError(
            f"{_line_of(text, path, _long_number)}: invalid TOML: a number too long",
            'write durations like "12h" and account ids as 12 digits in quotes',
        ) from None
    return build(data, path, text)


def _line_of(text: str, path: str, bad: Callable[[str, int], tuple[bool, int]]) -> str:
    """'path:N' of the first line `bad` flags; it threads a state (e.g. a nesting depth)."""
    state = 0
    for number, line in enumerate(text.splitlines(), 1):
        found, state = bad(line, state)
        if found:
            return f"{path}:{number}"
    return path


def _deep(line: str, depth: int) -> tuple[bool, int]:
    for char in line:  # brackets in strings count too: only the line of an error depends on it
        depth += (char in "[{") - (char in "]}")
        if depth > 100:
            return True, depth
    return False, depth


def _long_number(line: str, state: int) -> tuple[bool, int]:
    return re.search(r"[0-9_]{4300}", line) is not None, state
