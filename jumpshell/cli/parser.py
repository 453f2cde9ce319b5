"""The argparse front end's grammar and every verb's help text; imports nothing heavy."""

from __future__ import annotations

import argparse

from jumpshell import __version__
from jumpshell.cli import parserverbs
from jumpshell.cli.helptext import EPILOG
from jumpshell.cli.parserparts import TARGET_HELP, Parser, assume_options, verb
from jumpshell.envformat import FORMATS


def build() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = Parser(
        prog="jumpshell",
        description="One MFA prompt, every AWS account: roles from your jump account.\n\n"
        "`jumpshell TARGET` opens your shell as TARGET; `jumpshell TARGET -- CMD` runs CMD "
        "as it. At a terminal, `jumpshell` alone opens the picker.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"jumpshell {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = verb(
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

    parserverbs.key_verb(subs)
    parserverbs.session_verbs(subs)

    run = verb(
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
    assume_options(run)
    parserverbs.fanout_options(run)
    run.add_argument(
        "--refresh",
        action="store_true",
        help="give CMD the agent's credential endpoint (outlives 1h)",
    )

    env = verb(
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
    assume_options(env)
    env.add_argument(
        "--format", choices=FORMATS, default="sh", help="shell syntax or file format (sh)"
    )
    env.add_argument(
        "--unset",
        action="store_true",
        help="print what removes every variable env sets (sh or fish), no TARGET",
    )

    parserverbs.shell_verbs(subs)

    cred = verb(
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
    assume_options(
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

    listing = verb(
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
    verb(
        subs,
        "whoami",
        "jump user, MFA session, current target",
        "The jump users, their MFA sessions, and the target this shell is set up for.",
        "jumpshell whoami",
    )
    audit = verb(
        subs,
        "audit",
        "the log of STS calls",
        "Every GetSessionToken and AssumeRole jumpshell made, with its outcome (no secrets).",
        "jumpshell audit --since 1d",
    )
    audit.add_argument("--since", help="only the last span of time, e.g. 1d, 3h")
    audit.add_argument("--json", action="store_true", help="one JSON object a line")

    parserverbs.theme_verb(subs)
    pick = verb(
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
    parserverbs.tmux_verb(subs)

    completions = verb(
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

    importing = verb(
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

    demo = verb(
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
    parserverbs.help_verb(subs)
    return parser
