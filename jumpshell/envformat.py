"""Render an environment for `jumpshell env` and `credential-process`; lean (warm path)."""

from __future__ import annotations

TYPE_CHECKING = False  # the warm path (`jumpshell env`) skips typing and collections
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

FORMATS = ("sh", "fish", "json", "dotenv")


def _sh_quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def _fish_quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def render(sets: Mapping[str, str], unsets: Iterable[str], fmt: str) -> str:
    """`sets` exported and `unsets` removed, in the shell syntax `fmt`."""
    unsets = sorted(set(unsets) - set(sets))
    if fmt in ("json", "dotenv"):
        import json

        if fmt == "json":
            return json.dumps(dict(sorted(sets.items())), indent=2)
        return "\n".join(f"{k}={json.dumps(v)}" for k, v in sorted(sets.items()))
    if fmt == "fish":
        lines = [f"set -e {k};" for k in unsets]
        # `set -e` of an unset name is status 4, and fish's `set -gx` passes the status on:
        # without `true` a `... | source; and CMD` would stop at CMD.
        lines += ["true;"] if unsets else []
        lines += [f"set -gx {k} {_fish_quote(v)};" for k, v in sorted(sets.items())]
        return "\n".join(lines)
    lines = [f"unset {k};" for k in unsets]
    lines += [f"export {k}={_sh_quote(v)};" for k, v in sorted(sets.items())]
    return "\n".join(lines)


def credential_process(sets: Mapping[str, str]) -> str:
    """The `credential_process` JSON (Version 1) of a target environment.

    Written by hand, byte for byte what `json.dumps` gives: `import json` (and the `re` it
    pulls in) is a few ms of a warm `credential-process`, which the AWS SDKs run per client.
    """
    fields = (
        ("AccessKeyId", sets["AWS_ACCESS_KEY_ID"]),
        ("SecretAccessKey", sets["AWS_SECRET_ACCESS_KEY"]),
        ("SessionToken", sets.get("AWS_SESSION_TOKEN", "")),
        ("Expiration", sets.get("AWS_CREDENTIAL_EXPIRATION", "")),
    )
    return '{"Version": 1, ' + ", ".join(f'"{k}": {_json_string(v)}' for k, v in fields) + "}"


_JSON_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _json_string(value: str) -> str:
    """`value` as a JSON string, ASCII only, as `json.dumps` writes it."""
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'  # keys and tokens: printable ASCII, nothing to escape
    return '"' + "".join(_json_char(c) for c in value) + '"'


def _json_char(char: str) -> str:
    if char in _JSON_ESCAPES:
        return _JSON_ESCAPES[char]
    code = ord(char)
    if 0x20 <= code < 0x7F:
        return char
    if code > 0xFFFF:  # outside the BMP: a UTF-16 surrogate pair, as JSON has it
        code -= 0x10000
        return f"\\u{0xD800 | code >> 10:04x}\\u{0xDC00 | code & 0x3FF:04x}"
    return f"\\u{code:04x}"
