"""The CLI's verbs, without argparse: the warm path and the config check need the list too.

`jumpshell TARGET` is short for `jumpshell shell TARGET`, and `jumpshell TARGET -- CMD` for
`run`: a first word that is no verb is a target. Verbs win over account aliases.
"""

from __future__ import annotations

# Every verb of cli/parser.py (tests/cli/test_ssh_style.py holds them equal), and those
# being built beside it (shell, switch, theme), so that an alias never shadows one later.
VERBS = (
    "init",
    "key",
    "login",
    "logout",
    "lock",
    "status",
    "run",
    "env",
    "credential-process",
    "list",
    "whoami",
    "audit",
    "demo",
    "shell",
    "switch",
    "theme",
    "pick",
    "tmux",
    "completions",
    "help",
    "import",
)


def expand(argv: list[str], bare: str) -> list[str]:
    """`TARGET [...] -- CMD` -> `run TARGET [...] -- CMD`; `TARGET [...]` -> `BARE TARGET [...]`.

    Leading `--debug` stays in front; any other first word that is an option or a verb
    leaves argv as it is.
    """
    start = 0
    while start < len(argv) and argv[start] == "--debug":
        start += 1
    if start == len(argv) or argv[start].startswith("-") or argv[start] in VERBS:
        return argv
    verb = "run" if "--" in argv[start:] else bare
    return [*argv[:start], verb, *argv[start:]]
