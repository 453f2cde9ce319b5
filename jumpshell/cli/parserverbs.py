"""The verbs with actions or shared option groups (key, login/logout/lock/status, theme,
shell/switch, run --each, tmux, help), built from cli/parserparts.py; parser.py calls them."""

from __future__ import annotations

import argparse
from typing import Any

from jumpshell.cli.parserparts import assume_options, target_arg, verb


def key_verb(subs: Any) -> None:
    """`key add|rotate|remove` (cli/setup.py)."""
    key = verb(
        subs,
        "key",
        "the jump user's long-lived key in the keyring",
        "The jump user's access key lives in the OS keyring, never in a file jumpshell "
        "writes. ACTION is add, rotate, remove or import.",
        """jumpshell key add
        jumpshell key rotate""",
    )
    key_subs = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    add = verb(
        key_subs,
        "add",
        "store the key (prompts, or two lines on stdin)",
        "Asks for the access key id and (hidden) secret, checks with AWS that the key is the "
        "jump user's, and stores it in the keyring. Without a terminal it reads the id and "
        "the secret as two lines on stdin.",
        'printf \'%s\\n%s\\n\' "$ID" "$SECRET" | jumpshell key add',
    )
    add.add_argument(
        "--no-check", action="store_true", help="store without asking AWS whose key it is (offline)"
    )
    rotate = verb(
        key_subs,
        "rotate",
        "create a new key, store it, delete the old one",
        "Creates a new access key for the jump user, checks it, stores it, then deletes the "
        "old one: at no point is there no working key stored.",
        "jumpshell key rotate --jump gov",
    )
    rotate.add_argument("--mfa-code", help="the current MFA code (else a prompt)")
    rotate.add_argument(
        "--delete-unknown",
        action="store_true",
        help="first delete the jump user's other key, the one that is not stored",
    )
    remove = verb(
        key_subs,
        "remove",
        "delete the stored key",
        "Deletes the jump user's key from the keyring (AWS keeps it: deactivate it there).",
        "jumpshell key remove",
    )
    imported = verb(
        key_subs,
        "import",
        "move a key from ~/.aws/credentials into the keyring (checked like add)",
        "Moves the jump user's key from ~/.aws/credentials into the keyring: checked with AWS "
        "as `key add` does and read back, then deleted from the plaintext file if you agree "
        "(a 0600 backup is written first). An interrupt at any step leaves the key where it was.",
        "jumpshell key import --profile jump",
    )
    imported.add_argument(
        "--profile",
        help="the ~/.aws/credentials profile (default: aws_profile, else default)",
    )
    imported.add_argument(
        "--yes",
        action="store_true",
        help="then delete it from the plaintext file without asking (a backup is kept)",
    )
    for action in (add, rotate, remove, imported):
        action.add_argument("--jump", default="default", help="which jump account (default)")


def session_verbs(subs: Any) -> None:
    """`login`, `logout`, `lock`, `status`."""
    login = verb(
        subs,
        "login",
        "start an MFA session (GetSessionToken)",
        "Asks for the MFA code (or runs mfa_command, or shows mfa_prompt's dialog) and "
        "starts an MFA session the agent holds: every role after it needs no code until it "
        "ends (session_duration, 12h by default). Commands log in by themselves when needed.",
        "jumpshell login --jump gov",
    )
    login.add_argument("--jump", default="default", help="which jump account (default)")
    login.add_argument("--mfa-code", help="the current MFA code (else mfa_command, else a prompt)")
    logout = verb(
        subs,
        "logout",
        "forget the MFA session and role credentials",
        "The agent forgets the jump user's MFA session, the role credentials made from it "
        "and the production confirmations they carried; shells opened from it stop getting "
        "fresh credentials.",
        "jumpshell logout",
    )
    logout.add_argument("--jump", default="default", help="which jump account (default)")
    verb(
        subs,
        "lock",
        "forget every session of every jump account and stop the agent",
        "What a screen locker runs: every MFA session, role credential and confirmation is "
        "forgotten and the agent stops. It works without a config.",
        "xss-lock -- jumpshell lock",
    )
    status = verb(
        subs,
        "status",
        "MFA session and role credential expiries",
        "When each jump user's MFA session ends, and the role credentials the agent holds.",
        "jumpshell status --json",
    )
    status.add_argument(
        "--json", action="store_true", help="JSON, times as ISO 8601 (as AWS_CREDENTIAL_EXPIRATION)"
    )


def theme_verb(subs: Any) -> None:
    """`theme list|show` (cli/theme.py)."""
    theme = verb(
        subs,
        "theme",
        "prompt themes: theme list, theme show minimal",
        "Themes colour and label the prompt prefix of jumpshell shells by "
        "environment (production, staging, dev, sandbox, other). Yours go in "
        "$XDG_CONFIG_HOME/jumpshell/themes/NAME.toml; NO_COLOR is respected.",
        "jumpshell theme show high-contrast",
    )
    theme_subs = theme.add_subparsers(dest="theme_command", metavar="ACTION", required=True)
    verb(
        theme_subs,
        "list",
        "the shipped themes and yours; * marks [defaults] theme",
        "The shipped themes and those in $XDG_CONFIG_HOME/jumpshell/themes; * marks the one "
        "[defaults] theme names.",
        "jumpshell theme list",
    )
    show = verb(
        theme_subs,
        "show",
        "sample prefixes for each environment and a nested shell",
        "Prints a theme's prompt prefix for each environment class and for a shell opened "
        "inside another.",
        "jumpshell theme show minimal --no-color",
    )
    show.add_argument("name", nargs="?", help="a theme (default: [defaults] theme in the config)")
    show.add_argument("--no-color", action="store_true", help="plain labels, as NO_COLOR gives")


def shell_verbs(subs: Any) -> None:
    """`shell` and `switch` (cli/shell.py)."""
    shell = verb(
        subs,
        "shell",
        "open your shell as a role: shell prod (credentials refresh all day)",
        "Your own $SHELL (bash, zsh, fish; rc files as usual) with the target's "
        "credentials and a prompt prefix such as [prod:Admin]. `exit` returns.",
        """jumpshell shell prod/ReadOnly
        jumpshell prod   # the same""",
    )
    target_arg(shell)
    assume_options(shell)
    shell.add_argument(
        "--static",
        action="store_true",
        help="plain AWS_* keys (they end with the role session, 1h) instead of the agent's "
        "refreshing endpoint",
    )
    switch = verb(
        subs,
        "switch",
        "inside a jumpshell shell: move it to another target in place",
        "Inside a shell opened by `jumpshell shell`, moves that shell to another "
        "target: credentials, prompt, title and JUMPSHELL_* follow.",
        "jumpshell switch dev",
    )
    target_arg(switch)
    assume_options(switch)
    switch.add_argument("--emit", choices=("bash", "zsh", "fish"), help=argparse.SUPPRESS)
    switch.add_argument("--shell-pid", type=int, help=argparse.SUPPRESS)


def fanout_options(run: argparse.ArgumentParser) -> None:
    """`run --each` (cli/fanout.py)."""
    from jumpshell.cli.fanout import add_run_options

    add_run_options(run)


def tmux_verb(subs: Any) -> None:
    """`tmux` (cli/tmux.py)."""
    from jumpshell.cli.tmux import add_parser

    add_parser(
        verb(
            subs,
            "tmux",
            "one tmux pane per account: tmux '*-prod' --layout tiled",
            "Opens one pane per selected target, each a `jumpshell shell`, titled "
            "alias:Role with its environment's border colour. MFA is asked once and every "
            "role assumed in parallel before the panes open. Inside tmux: a new window; "
            "outside: a new session, attached unless --detach.",
            """jumpshell tmux '*-prod' --layout tiled
            jumpshell tmux --tag team=payments --no-production""",
        )
    )


def help_verb(subs: Any) -> None:
    """`help [VERB [ACTION]]` (commands.cmd_help)."""
    helper = verb(
        subs,
        "help",
        "a verb's help: help run, help key add",
        "Prints the help of a verb (and of its action), as `jumpshell VERB --help` does; "
        "alone, the help of jumpshell itself.",
        """jumpshell help run
        jumpshell help key rotate""",
    )
    helper.add_argument("verb", nargs="*", metavar="VERB", help="a verb, and its action")
