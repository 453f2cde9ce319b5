"""The parts every verb's parser is built from: one-line errors, `--debug` after any verb, a
verb's description and examples, the target and assume options. Imports nothing heavy."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from jumpshell.cli.helptext import Formatter

TARGET_HELP = "prod, prod/ReadOnly, 222222222222/Admin or a role ARN"


def target_arg(sub: argparse.ArgumentParser, help_text: str = TARGET_HELP) -> None:
    sub.add_argument("target", help=help_text)


def assume_options(sub: argparse.ArgumentParser, yes: str | None = None) -> None:
    sub.add_argument("--mfa-code", help="the current MFA code (else mfa_command, else a prompt)")
    sub.add_argument("--region", help="region for the target (default: the account's)")
    sub.add_argument("--duration", help="role session length, e.g. 30m (AWS caps it at 1h)")
    sub.add_argument("--yes", action="store_true", help=yes or "skip the production confirmation")


class Parser(argparse.ArgumentParser):
    """argparse with errors as one stderr line, like every other jumpshell error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"jumpshell: {message} (see `{self.prog} --help`)\n")


COMMON = Parser(add_help=False)
# SUPPRESS: a verb without --debug leaves `jumpshell --debug VERB` as it was
COMMON.add_argument(
    "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
)


def verb(
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
        parents=[COMMON],
        help=help,
        description=description,
        epilog=epilog,
        formatter_class=Formatter,
        **options,
    )
    return parser
