"""The shell completion scripts, generated from the argparse parser so no flag drifts.

`python -m jumpshell.cli.completegen --write` rewrites completions/ (shipped as
jumpshell/shipped_completions); tests/shells/test_completions.py fails when they differ from
what the parser gives, so a new verb or flag is one command away from every shell.
Targets, tags and themes are not in the scripts: they ask `jumpshell __complete` per Tab.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Iterator

from jumpshell.cli import completefish, completeshells
from jumpshell.cli.completeshells import Flag, Verb
from jumpshell.cli.parser import build

SHELLS = {"bash": "jumpshell.bash", "zsh": "_jumpshell", "fish": "jumpshell.fish"}


def model(parser: argparse.ArgumentParser | None = None) -> list[Verb]:
    """Every command path of the parser, the top first; then `help`'s own paths."""
    verbs = list(_walk(parser or build(), "", ""))
    helper = next(v for v in verbs if v.path == "help")
    return [
        dataclasses.replace(v, positional="", subs=verbs[0].subs) if v is helper else v
        for v in verbs
    ] + list(_help_paths(verbs, helper))


def _help_paths(verbs: list[Verb], helper: Verb) -> Iterator[Verb]:
    """`help VERB [ACTION]` mirrors the verbs: `help key <Tab>` offers key's actions, as
    `key <Tab>` does, and `help demo <Tab>` demo's `code` (help demo code shows demo's help)."""
    for verb in verbs[1:]:
        if verb.path == "help":
            continue
        positional = verb.positional if verb.positional.startswith("choices:") else ""
        yield Verb(f"help {verb.path}", verb.help, helper.flags, positional, verb.subs)


def _walk(parser: argparse.ArgumentParser, path: str, text: str) -> Iterator[Verb]:
    flags: list[Flag] = []
    positional = ""
    subs: list[tuple[str, str]] = []
    children: list[tuple[str, argparse.ArgumentParser, str]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, child in action.choices.items():
                subs.append((name, _clean(helps.get(name, ""))))
                children.append((name, child, helps.get(name, "")))
        elif action.help == argparse.SUPPRESS:
            continue
        elif action.option_strings:
            flags.append(_flag(action))
        elif not positional:
            positional = _positional(action, path)
    yield Verb(path, _clean(text), tuple(flags), positional, tuple(subs))
    for name, child, child_help in children:
        yield from _walk(child, f"{path} {name}".strip(), child_help)


def _flag(action: argparse.Action) -> Flag:
    value: str | None = None
    if action.nargs != 0:
        if action.choices:
            value = "choices:" + " ".join(str(c) for c in action.choices)
        elif action.dest == "tag":
            value = "tags"
        elif action.dest == "each":  # run --each SELECTOR...: target names (or globs)
            value = "targets"
        elif action.dest == "theme":
            value = "themes"
        elif any(w in action.dest for w in ("file", "path")):
            value = "files"
        else:
            value = ""
    repeat = isinstance(action, argparse._AppendAction | argparse._CountAction)
    return Flag(tuple(action.option_strings), _clean(action.help or ""), value, repeat)


def _positional(action: argparse.Action, path: str) -> str:
    if action.choices:
        return "choices:" + " ".join(str(c) for c in action.choices)
    if action.dest in ("target", "targets"):
        return action.dest
    if path.startswith("theme"):
        return "themes"
    named = f"{action.dest} {action.metavar or ''}".lower()
    return "files" if "file" in named or "path" in named else ""  # else: nothing to offer


def _clean(text: str) -> str:
    """Help text as one line that no shell quoting trips on (%(default)s left as is)."""
    text = " ".join(str(text).split())
    for bad, good in (("'", ""), ('"', ""), ("`", ""), ("$", ""), ("\\", "/")):
        text = text.replace(bad, good)
    return text.replace("[", "(").replace("]", ")").replace(":", " -")


def render(shell: str) -> str:
    """The script for `shell` (bash, zsh or fish)."""
    verbs = model()
    return {
        "bash": completeshells.bash,
        "zsh": completeshells.zsh,
        "fish": completefish.fish,
    }[shell](verbs)


def shipped_dir() -> str:
    """The scripts as installed (jumpshell/shipped_completions -> ../completions)."""
    return os.path.join(os.path.dirname(os.path.dirname(__file__)), "shipped_completions")


def main(argv: list[str]) -> int:
    """`--write`: regenerate the shipped scripts; else print which differ (exit 1 if any)."""
    stale = []
    for shell, file in SHELLS.items():
        path = os.path.join(shipped_dir(), file)
        text = render(shell)
        try:
            with open(path, encoding="utf-8") as handle:
                same = handle.read() == text
        except OSError:
            same = False
        if same:
            continue
        if "--write" in argv:
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        stale.append(path)
    for path in stale:
        print(("wrote " if "--write" in argv else "stale: ") + path)
    return 1 if stale and "--write" not in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
