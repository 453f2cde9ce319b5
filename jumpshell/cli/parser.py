"""The argparse front end's grammar and every verb's help text; imports nothing heavy."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from jumpshell import __version__
from jumpshell.cli.helptext import EPILOG, Formatter
from jumpshell.envformat import FORMATS

TARGET_HELP = "prod, prod/ReadOnly, 222222222222/Admin or a role ARN"


def _target(sub: argparse.ArgumentParser, help_text: str = TARGET_HELP) -> None:
    sub.add_argument("target", help=help_text)


def _assume_options(sub: argparse.ArgumentParser, yes: str | None = None) -> None:
    sub.add_argument("--mfa-code", help="the current MFA code (else mfa_command, else a prompt)")
    sub.add_argument("--region", help="region for the target (default: the account's)")
    sub.add_argument("--duration", help="role session length, e.g. 30m (AWS caps it at 1h)")
    sub.add_argument("--yes", action="store_true", help=yes or "skip the production confirmation")


class _Parser(argparse.ArgumentParser):
    """argparse with errors as one stderr line, like every other jumpshell error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"jumpshell: {message} (see `{self.prog} --help`)\n")


_COMMON = _Parser(add_help=False)
# SUPPRESS: a verb without --debug leaves `jumpshell --debug VERB` as it was
_COMMON.add_argument(
    "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
)


def _sub(
    subs: Any,
    name: str,
    help: str,
    description: str | None = None,
    example: str | None = None,
    **options: Any,
) -> argparse.ArgumentParser:
    """A verb's parser: its one-line help, a description, examples (one per line, each
    `COMMAND  # what it does` or a bare command). `--debug` works after the verb too.

    Every verb gives all three (tests/cli/test_help.py fails on one that does not).
    """
    epilog = None
    if example is not None:
        lines = [line.strip() for line in example.strip().splitlines()]
        heading = "example:" if len(lines) == 1 else "examples:"
        epilog = heading + "\n" + "\n".join(f"  {line}" for line in lines)
    parser: argparse.ArgumentParser = subs.add_parser(
        name,
        parents=[_COMMON],
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=Formatter,
        **options,
    )
    return parser


def build() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = _Parser(
        prog="jumpshell",
        description="One MFA prompt, every AWS account: roles from your jump account.\n\n"
        "`jumpshell TARGET` opens your shell as TARGET; `jumpshell TARGET -- CMD` runs CMD "
        "as it. At a terminal, `jumpshell` alone opens the picker.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"jumpshell {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = _sub(
        subs,
        "init",
        "write a starter config",
        "Writes $JUMPSHELL_CONFIG (else $XDG_CONFIG_HOME/jumpshell/config.toml) with your "
        "jump account. At a terminal it asks each value it is not given and checks each "
        "answer as you type it; elsewhere the flags are needed.",
        "jumpshell init --account-id 111111111111 --user-name alice",
    )
    init.add_argument("--account-id", help="the jump account's 12-digit id")
    init.add_argument("--user-name", help="your IAM user name there")
    init.add_argument(
        "--mfa-serial", help="your MFA device's ARN (default: arn:aws:iam::ID:mfa/USER)"
    )
    init.add_argument("--region", help="region for STS calls (default: us-east-1)")
    init.add_argument("--force", action="store_true", help="overwrite an existing config")

    _key_verb(subs)
    _session_verbs(subs)

    run = _sub(
        subs,
        "run",
        "run one command as a role: run prod -- aws s3 ls",
        "Runs CMD with the target's credentials, region and JUMPSHELL_* in its environment; "
        "its exit code is jumpshell's. Put `--` between the target (and options) and the "
        "command. With no command, `run TARGET` opens your shell, as `shell TARGET` does. "
        "With --each, CMD runs once per selected target, --parallel at a time, each line "
        "prefixed with its target, then a summary; the exit code is 0 only if every run's is.",
        """jumpshell run prod -- aws sts get-caller-identity
        jumpshell run dev/ReadOnly --region eu-west-1 -- terraform plan
        jumpshell prod -- aws s3 ls   # the same as run
        jumpshell run --each '*-prod' --parallel 8 -- aws s3 ls""",
        usage="jumpshell run TARGET [options] -- CMD [ARGS...]\n"
        "       jumpshell run --each SELECTOR... [--parallel N] [options] -- CMD [ARGS...]",
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

    env = _sub(
        subs,
        "env",
        'print the environment: eval "$(jumpshell env prod)"',
        "Prints the target's environment (AWS_* keys, region, JUMPSHELL_*) for a shell to "
        "eval, or as JSON or dotenv; credential-selecting variables such as AWS_PROFILE are "
        "unset. `--unset` prints what removes them again.",
        """eval "$(jumpshell env prod)"
        jumpshell env prod --format fish | source
        eval "$(jumpshell env --unset)"   # leave the target""",
    )
    env.add_argument("target", nargs="?", help=TARGET_HELP)
    _assume_options(env)
    env.add_argument(
        "--format", choices=FORMATS, default="sh", help="shell syntax or file format (sh)"
    )
    env.add_argument(
        "--unset",
        action="store_true",
        help="print what removes every variable env sets (sh or fish), no TARGET",
    )

    _shell_verbs(subs)

    cred = _sub(
        subs,
        "credential-process",
        "credential_process JSON for ~/.aws/config",
        "Prints credentials as the JSON an AWS SDK's credential_process expects: a target's "
        "role, or with --session the jump user's MFA session (point your role profiles' "
        "source_profile at a profile using it: one MFA prompt for all of them). For production "
        "targets that ask to confirm, the question comes on the terminal (/dev/tty), once for "
        "the role credentials it unlocks (or confirm_for).",
        """jumpshell credential-process prod   # the JSON an SDK reads
        # in ~/.aws/config, for every AWS tool:
        [profile prod]
        credential_process = jumpshell credential-process prod
        region = eu-west-1
        # or one MFA session under your existing role_arn profiles:
        [profile jump-mfa]
        credential_process = jumpshell credential-process --session""",
    )
    cred.add_argument(
        "target", nargs="?", help="prod, prod/ReadOnly, 222222222222/Admin or a role ARN"
    )
    _assume_options(
        cred,
        "skip the production confirmation (for scripts; not in ~/.aws/config: there, "
        "confirm once on the terminal and it holds as long as the role credentials)",
    )
    cred.add_argument(
        "--session",
        action="store_true",
        help="the jump user's MFA session instead of a target's role",
    )
    cred.add_argument("--jump", default="default", help="which jump account (with --session)")

    listing = _sub(
        subs,
        "list",
        "accounts and roles",
        "Every account of the config, and every role profile of ~/.aws/config from the jump "
        "user's profile, with its id, region, roles (the first is the default) and source; "
        "PROD marks production.",
        "jumpshell list --json | jq -r '.[].name'",
    )
    listing.add_argument("--json", action="store_true", help="one JSON array, for scripts")
    listing.add_argument(
        "--skipped",
        action="store_true",
        help="the ~/.aws/config profiles that are not targets, each with why",
    )
    _sub(
        subs,
        "whoami",
        "jump user, MFA session, current target",
        "The jump users, their MFA sessions, and the target this shell is set up for.",
        "jumpshell whoami",
    )
    audit = _sub(
        subs,
        "audit",
        "the log of STS calls",
        "Every GetSessionToken and AssumeRole jumpshell made, with its outcome (no secrets).",
        "jumpshell audit --since 1d",
    )
    audit.add_argument("--since", help="only the last span of time, e.g. 1d, 3h")
    audit.add_argument("--json", action="store_true", help="one JSON object a line")

    _theme_verb(subs)
    pick = _sub(
        subs,
        "pick",
        "choose a target in a table (also `jumpshell` alone, at a terminal)",
        "A table of every target: type to filter, Enter opens a shell as the row's "
        "role, ? shows the keys, q quits.",
        'jumpshell run "$(jumpshell pick --print)" -- aws s3 ls',
    )
    pick.add_argument(
        "--print", action="store_true", help="write the chosen target to stdout, launch nothing"
    )
    _tmux_verb(subs)

    completions = _sub(
        subs,
        "completions",
        "print the shell completion script: completions zsh",
        "Prints the completion script for bash, zsh or fish (the README says where each "
        "goes; the same files are in completions/).",
        """jumpshell completions bash > ~/.local/share/bash-completion/completions/jumpshell
        jumpshell completions zsh > "${fpath[1]}/_jumpshell"
        jumpshell completions fish > ~/.config/fish/completions/jumpshell.fish""",
    )
    completions.add_argument("shell", choices=("bash", "zsh", "fish"), help="which shell's script")

    importing = _sub(
        subs,
        "import",
        "write ~/.aws/config's role profiles as [[account]] tables",
        "Shows the [[account]] tables equivalent to the AWS config's targets (the role "
        "profiles from your jump user's profile), then appends them to the config and sets "
        "aws_config = false, once you agree.",
        "jumpshell import aws-config --file ~/.aws/config.work",
    )
    importing.add_argument("source", choices=["aws-config"], help="what to import")
    importing.add_argument("--file", help="an AWS config file (default: AWS_CONFIG_FILE)")
    importing.add_argument("--yes", action="store_true", help="write without asking")

    demo = _sub(
        subs,
        "demo",
        "try jumpshell on an embedded local AWS (40+ accounts)",
        "Starts a local AWS with 40+ accounts and opens a shell where jumpshell uses it, "
        "with a config, keyring and dirs of its own: nothing touches yours.",
        """jumpshell demo
        jumpshell demo code   # inside it: the MFA code right now""",
    )
    demo.add_argument(
        "action",
        nargs="?",
        choices=["code"],
        help="code: print the running demo's MFA code (the demo ends when its shell exits)",
    )
    _help_verb(subs)
    return parser


def _key_verb(subs: Any) -> None:
    """`key add|rotate|remove` (cli/setup.py)."""
    key = _sub(
        subs,
        "key",
        "the jump user's long-lived key in the keyring",
        "The jump user's access key lives in the OS keyring, never in a file jumpshell "
        "writes. ACTION is add, rotate, remove or import.",
        """jumpshell key add
        jumpshell key rotate""",
    )
    key_subs = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    add = _sub(
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
    rotate = _sub(
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
    remove = _sub(
        key_subs,
        "remove",
        "delete the stored key",
        "Deletes the jump user's key from the keyring (AWS keeps it: deactivate it there).",
        "jumpshell key remove",
    )
    imported = _sub(
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


def _session_verbs(subs: Any) -> None:
    """`login`, `logout`, `lock`, `status`."""
    login = _sub(
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
    logout = _sub(
        subs,
        "logout",
        "forget the MFA session and role credentials",
        "The agent forgets the jump user's MFA session, the role credentials made from it "
        "and the production confirmations they carried; shells opened from it stop getting "
        "fresh credentials.",
        "jumpshell logout",
    )
    logout.add_argument("--jump", default="default", help="which jump account (default)")
    _sub(
        subs,
        "lock",
        "forget every session of every jump account and stop the agent",
        "What a screen locker runs: every MFA session, role credential and confirmation is "
        "forgotten and the agent stops. It works without a config.",
        "xss-lock -- jumpshell lock",
    )
    status = _sub(
        subs,
        "status",
        "MFA session and role credential expiries",
        "When each jump user's MFA session ends, and the role credentials the agent holds.",
        "jumpshell status --json",
    )
    status.add_argument(
        "--json", action="store_true", help="JSON, times as ISO 8601 (as AWS_CREDENTIAL_EXPIRATION)"
    )


def _theme_verb(subs: Any) -> None:
    """`theme list|show` (cli/theme.py)."""
    theme = _sub(
        subs,
        "theme",
        "prompt themes: theme list, theme show minimal",
        "Themes colour and label the prompt prefix of jumpshell shells by "
        "environment (production, staging, dev, sandbox, other). Yours go in "
        "$XDG_CONFIG_HOME/jumpshell/themes/NAME.toml; NO_COLOR is respected.",
        "jumpshell theme show high-contrast",
    )
    theme_subs = theme.add_subparsers(dest="theme_command", metavar="ACTION", required=True)
    _sub(
        theme_subs,
        "list",
        "the shipped themes and yours; * marks [defaults] theme",
        "The shipped themes and those in $XDG_CONFIG_HOME/jumpshell/themes; * marks the one "
        "[defaults] theme names.",
        "jumpshell theme list",
    )
    show = _sub(
        theme_subs,
        "show",
        "sample prefixes for each environment and a nested shell",
        "Prints a theme's prompt prefix for each environment class and for a shell opened "
        "inside another.",
        "jumpshell theme show minimal --no-color",
    )
    show.add_argument("name", nargs="?", help="a theme (default: [defaults] theme in the config)")
    show.add_argument("--no-color", action="store_true", help="plain labels, as NO_COLOR gives")


def _shell_verbs(subs: Any) -> None:
    """`shell` and `switch` (cli/shell.py)."""
    shell = _sub(
        subs,
        "shell",
        "open your shell as a role: shell prod (credentials refresh all day)",
        "Your own $SHELL (bash, zsh, fish; rc files as usual) with the target's "
        "credentials and a prompt prefix such as [prod:Admin]. `exit` returns.",
        """jumpshell shell prod/ReadOnly
        jumpshell prod   # the same""",
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
        "inside a jumpshell shell: move it to another target in place",
        "Inside a shell opened by `jumpshell shell`, moves that shell to another "
        "target: credentials, prompt, title and JUMPSHELL_* follow.",
        "jumpshell switch dev",
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
            "one tmux pane per account: tmux '*-prod' --layout tiled",
            "Opens one pane per selected target, each a `jumpshell shell`, titled "
            "alias:Role with its environment's border colour. MFA is asked once and every "
            "role assumed in parallel before the panes open. Inside tmux: a new window; "
            "outside: a new session, attached unless --detach.",
            """jumpshell tmux '*-prod' --layout tiled
            jumpshell tmux --tag team=payments --no-production""",
        )
    )


def _help_verb(subs: Any) -> None:
    """`help [VERB [ACTION]]` (commands.cmd_help)."""
    helper = _sub(
        subs,
        "help",
        "a verb's help: help run, help key add",
        "Prints the help of a verb (and of its action), as `jumpshell VERB --help` does; "
        "alone, the help of jumpshell itself.",
        """jumpshell help run
        jumpshell help key rotate""",
    )
    helper.add_argument("verb", nargs="*", metavar="VERB", help="a verb, and its action")
