"""The argparse front end's grammar; imports nothing heavy."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from jumpshell import __version__
from jumpshell.envformat import FORMATS


def _target(
    sub: argparse.ArgumentParser,
    help_text: str = "prod, prod/ReadOnly, 222222222222/Admin or a role ARN",
) -> None:
    sub.add_argument("target", help=help_text)


def _assume_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--mfa-code", help="the current MFA code (else mfa_command, else a prompt)")
    sub.add_argument("--region", help="region for the target (default: the account's)")
    sub.add_argument("--duration", help="role session length, e.g. 30m (AWS caps it at 1h)")
    sub.add_argument("--yes", action="store_true", help="skip the production confirmation")


class _Parser(argparse.ArgumentParser):
    """argparse with errors as one stderr line, like every other jumpshell error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"jumpshell: {message} (see `{self.prog} --help`)\n")


_COMMON = _Parser(add_help=False)
# SUPPRESS: a verb without --debug leaves `jumpshell --debug VERB` as it was
_COMMON.add_argument(
    "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
)


def _sub(subs: Any, name: str, **options: Any) -> argparse.ArgumentParser:
    """A verb's parser; `--debug` is accepted after the verb as well as before it."""
    parser: argparse.ArgumentParser = subs.add_parser(name, parents=[_COMMON], **options)
    return parser


def build() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = _Parser(
        prog="jumpshell",
        description="One MFA prompt, every AWS account: roles from your jump account.",
    )
    parser.add_argument("--version", action="version", version=f"jumpshell {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = _sub(subs, "init", help="write a starter config")
    for flag in ("--account-id", "--user-name", "--mfa-serial", "--region"):
        init.add_argument(flag)
    init.add_argument("--force", action="store_true", help="overwrite an existing config")

    key = _sub(subs, "key", help="the jump user's long-lived key in the keyring")
    key_subs = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    for name, text in (
        ("add", "store the key (prompts, or two lines on stdin)"),
        ("rotate", "create a new key, store it, delete the old one"),
        ("remove", "delete the stored key"),
    ):
        action = _sub(key_subs, name, help=text)
        action.add_argument("--jump", default="default", help="which jump account")
        if name == "add":
            action.add_argument(
                "--no-check",
                action="store_true",
                help="store without asking AWS whose key it is (offline)",
            )
        if name == "rotate":
            action.add_argument("--mfa-code", help="the current MFA code (else a prompt)")
            action.add_argument(
                "--delete-unknown",
                action="store_true",
                help="first delete the jump user's other key, the one that is not stored",
            )

    login = _sub(subs, "login", help="start an MFA session (GetSessionToken)")
    login.add_argument("--jump", default="default")
    login.add_argument("--mfa-code")
    logout = _sub(subs, "logout", help="forget the MFA session and role credentials")
    logout.add_argument("--jump", default="default")
    _sub(subs, "lock", help="forget every session of every jump account and stop the agent")
    status = _sub(subs, "status", help="MFA session and role credential expiries")
    status.add_argument("--json", action="store_true")

    run = _sub(
        subs,
        "run",
        help="run one command as a role: run prod -- aws s3 ls",
        usage="jumpshell run TARGET [options] -- CMD [ARGS...]\n"
        "       jumpshell run --each SELECTOR... [--parallel N] [options] -- CMD [ARGS...]",
        epilog="example: jumpshell run --each '*-prod' --parallel 8 -- aws s3 ls",
    )
    run.add_argument(
        "target", nargs="?", help="prod, prod/ReadOnly, 222222222222/Admin or a role ARN"
    )
    _assume_options(run)
    _fanout_options(run)
    run.add_argument(
        "--refresh",
        action="store_true",
        help="give CMD the agent's credential endpoint (outlives 1h)",
    )

    env = _sub(subs, "env", help='print the environment: eval "$(jumpshell env prod)"')
    _target(env)
    _assume_options(env)
    env.add_argument("--format", choices=FORMATS, default="sh")

    _shell_verbs(subs)

    cred = _sub(subs, "credential-process", help="credential_process JSON for ~/.aws/config")
    _target(cred)
    _assume_options(cred)

    listing = _sub(subs, "list", help="accounts and roles")
    listing.add_argument("--json", action="store_true")
    _sub(subs, "whoami", help="jump user, MFA session, current target")
    audit = _sub(subs, "audit", help="the log of STS calls")
    audit.add_argument("--since", help="e.g. 1d, 3h")
    audit.add_argument("--json", action="store_true")

    theme = _sub(
        subs,
        "theme",
        help="prompt themes: theme list, theme show minimal",
        description="Themes colour and label the prompt prefix of jumpshell shells by "
        "environment (production, staging, dev, sandbox, other). Yours go in "
        "$XDG_CONFIG_HOME/jumpshell/themes/NAME.toml; NO_COLOR is respected.",
        epilog="example: jumpshell theme show high-contrast",
    )
    theme_subs = theme.add_subparsers(dest="theme_command", metavar="ACTION", required=True)
    _sub(theme_subs, "list", help="the shipped themes and yours; * marks [defaults] theme")
    show = _sub(theme_subs, "show", help="sample prefixes for each environment and a nested shell")
    show.add_argument("name", nargs="?", help="a theme (default: [defaults] theme in the config)")
    show.add_argument("--no-color", action="store_true", help="plain labels, as NO_COLOR gives")

    pick = _sub(
        subs,
        "pick",
        help="choose a target in a table (also `jumpshell` alone, at a terminal)",
        description="A table of every target: type to filter, Enter opens a shell as the row's "
        "role, ? shows the keys, q quits.",
        epilog='example: jumpshell run "$(jumpshell pick --print)" -- aws s3 ls',
    )
    pick.add_argument(
        "--print", action="store_true", help="write the chosen target to stdout, launch nothing"
    )
    _tmux_verb(subs)

    demo = _sub(subs, "demo", help="try jumpshell on an embedded local AWS (40+ accounts)")
    demo.add_argument(
        "action",
        nargs="?",
        choices=["code"],
        help="code: print the running demo's MFA code (the demo ends when its shell exits)",
    )
    return parser


def _shell_verbs(subs: Any) -> None:
    """`shell` and `switch` (cli/shell.py)."""
    shell = _sub(
        subs,
        "shell",
        help="open your shell as a role: shell prod (credentials refresh all day)",
        description="Your own $SHELL (bash, zsh, fish; rc files as usual) with the target's "
        "credentials and a prompt prefix such as [prod:Admin]. `exit` returns. "
        "Example: jumpshell shell prod/ReadOnly",
    )
    _target(shell)
    _assume_options(shell)
    shell.add_argument(
        "--static",
        action="store_true",
        help="plain AWS_* keys (they end with the role session, 1h) instead of the agent's "
        "refreshing endpoint",
    )
    switch = _sub(
        subs,
        "switch",
        help="inside a jumpshell shell: move it to another target in place",
        description="Inside a shell opened by `jumpshell shell`, moves that shell to another "
        "target: credentials, prompt, title and JUMPSHELL_* follow. Example: jumpshell switch dev",
    )
    _target(switch)
    _assume_options(switch)
    switch.add_argument("--emit", choices=("bash", "zsh", "fish"), help=argparse.SUPPRESS)
    switch.add_argument("--shell-pid", type=int, help=argparse.SUPPRESS)


def _fanout_options(run: argparse.ArgumentParser) -> None:
    """`run --each` (cli/fanout.py)."""
    from jumpshell.cli.fanout import add_run_options

    add_run_options(run)


def _tmux_verb(subs: Any) -> None:
    """`tmux` (cli/tmux.py)."""
    from jumpshell.cli.tmux import add_parser

    add_parser(
        _sub(
            subs,
            "tmux",
            help="one tmux pane per account: tmux '*-prod' --layout tiled",
            description="Opens one pane per selected target, each a `jumpshell shell`, titled "
            "alias:Role with its environment's border colour. MFA is asked once and every "
            "role assumed in parallel before the panes open. Inside tmux: a new window; "
            "outside: a new session, attached unless --detach.",
        )
    )
