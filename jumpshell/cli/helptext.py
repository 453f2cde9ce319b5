"""How jumpshell's help reads: git's layout, the top-level epilog, and `help VERB`'s lookup."""

from __future__ import annotations

import argparse
import textwrap


class Formatter(argparse.HelpFormatter):
    """Descriptions and epilogs as written, git's way: prose paragraphs are filled to the
    width, indented lines (examples, tables) are kept as they are."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out = []
        for paragraph in text.split("\n\n"):
            lines = paragraph.splitlines()
            if any(line.startswith(" ") for line in lines[1:]) or paragraph.startswith(" "):
                out.append("\n".join(indent + line for line in lines))
            else:
                out.append(
                    textwrap.fill(
                        " ".join(lines), width, initial_indent=indent, subsequent_indent=indent
                    )
                )
        return "\n\n".join(out)


# What the top-level help ends with: exit codes (DESIGN.md) and what jumpshell reads from
# the environment (every os.environ/getenv in the code; tests/cli/test_help.py checks).
EPILOG = """\
examples:
  jumpshell init                         write a config (asks each value)
  jumpshell key add                      store the jump user's access key in the keyring
  jumpshell login                        one MFA prompt: a session for every role below
  jumpshell prod                         your shell as prod's first role (= shell prod)
  jumpshell run prod/ReadOnly -- aws s3 ls
  eval "$(jumpshell env dev)"            set a target in the current shell
  jumpshell help run                     a verb's help (= jumpshell run --help)

exit codes:
  0    ok (run: the command's own code; 128+N for a signal)
  2    usage or config error
  3    authentication refused (MFA code, AccessDenied, expired key)
  4    AWS or the session agent unreachable
  5    keyring unavailable
  130  cancelled by the user

environment:
  JUMPSHELL_CONFIG                 the config file (default
                                   $XDG_CONFIG_HOME/jumpshell/config.toml)
  XDG_CONFIG_HOME, XDG_DATA_HOME   where config, themes and keyring files live
  XDG_RUNTIME_DIR, JUMPSHELL_RUNTIME_DIR
                                   where the agent's socket lives (TMPDIR if neither)
  JUMPSHELL_STATE_DIR              audit log and caches (default XDG_STATE_HOME/jumpshell)
  JUMPSHELL_STS_TIMEOUT, JUMPSHELL_LOCK_TIMEOUT, JUMPSHELL_MFA_COMMAND_TIMEOUT
                                   seconds to wait for STS, a lock, mfa_command
                                   or an mfa_prompt dialog
  JUMPSHELL_KEYRING_PASSPHRASE_FD  an fd to read the encrypted keyring's passphrase from
  JUMPSHELL_TMUX_SOCKET            a tmux server of its own for `tmux`
  PYTHON_KEYRING_BACKEND           the keyring backend to use (keyring's own setting)
  AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_STS, AWS_CA_BUNDLE,
  AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
                                   the STS endpoint, as botocore reads them
  AWS_CONFIG_FILE                  the AWS config whose role profiles are targets too
                                   (default ~/.aws/config)
  AWS_SHARED_CREDENTIALS_FILE      with source_profile, and for `key import`: where the key is
  SHELL                            the shell `shell` opens
  NO_COLOR                         plain prompt prefixes (no-color.org)
  TMUX                             inside tmux, `tmux` opens a window, not a session
  JUMPSHELL_TARGET, JUMPSHELL_CHAIN, JUMPSHELL_ACCOUNT_ID, JUMPSHELL_PRODUCTION,
  AWS_CONTAINER_AUTHORIZATION_TOKEN, AWS_CREDENTIAL_EXPIRATION
                                   set in jumpshell shells; read by status, whoami, switch
  JUMPSHELL_DEMO_URL, JUMPSHELL_DEMO_SERIAL, JUMPSHELL_DEMO_HINT
                                   set in `jumpshell demo`'s shell: its local AWS
"""


def find(parser: argparse.ArgumentParser, words: list[str]) -> argparse.ArgumentParser:
    """The parser of `words` (a verb and its action) under `parser`; `error`s on a word
    that is none."""
    for word in words:
        subs = subparsers(parser)
        if word in subs:
            parser = subs[word]
        elif _choice(parser, word):  # `help demo code`: an argument of demo's, in its help
            return parser
        elif subs:
            parser.error(f"{parser.prog} has no verb {word!r} (known: {', '.join(subs)})")
        else:
            parser.error(f"{parser.prog} has no actions: {word!r} is not one")
    return parser


def _choice(parser: argparse.ArgumentParser, word: str) -> bool:
    """Whether `word` is a value one of the parser's positionals takes (demo's `code`)."""
    return any(
        not a.option_strings and a.choices is not None and word in a.choices
        for a in parser._actions
        if not isinstance(a, argparse._SubParsersAction)
    )


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The verbs (or actions) directly under `parser`, by name."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}
