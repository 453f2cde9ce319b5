"""Selectors over the config's rows, and the selection made ready: for tmux and fan-out."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jumpshell.envclass import env_class
from jumpshell.errors import JumpshellError, UsageError
from jumpshell.targetrows import TargetRow

if TYPE_CHECKING:
    from jumpshell.engine import Engine
    from jumpshell.targets import Target

GLOB = frozenset("*?[")
PARALLEL = 16  # AssumeRoles in flight at once; the agent makes one per role however many ask


@dataclass(frozen=True)
class Selector:
    """What the user asked for: names or globs, tags (k=v), production or not, or all."""

    names: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    production: bool | None = None
    every: bool = False

    @property
    def empty(self) -> bool:
        return not (self.names or self.tags or self.every or self.production is not None)


def parse_tag(text: str) -> tuple[str, str]:
    """`team=payments` -> ("team", "payments")."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise UsageError(f"--tag {text!r} is not KEY=VALUE", "write it like --tag team=payments")
    return key, value


def select(found: Sequence[TargetRow], selector: Selector) -> list[str]:
    """Target names, in the order asked: plain names as given (resolved later, with their
    suggestions), globs over aliases (`*-prod`: each account's default role; `*/Admin` over
    full names), then the rows the filters keep (their default roles unless a glob chose).

    Filters (tags, production) narrow the globs and `--all`; alone they select from every
    account. Duplicates are dropped."""
    names: list[str] = []
    globs = [n for n in selector.names if GLOB & set(n)]
    plain = [n for n in selector.names if n not in globs]
    names.extend(plain)
    filtered = globs or selector.every or selector.tags or selector.production is not None
    if filtered:
        for row in found:
            if _keeps(row, selector, globs):
                names.append(row.name)
    elif not plain:
        raise UsageError("no target given", "name targets, a glob like '*-prod', --tag or --all")
    unique = list(dict.fromkeys(names))
    if not unique:
        raise UsageError(f"{_shown(selector)} matches no target", "see `jumpshell list`")
    return unique


def _shown(selector: Selector) -> str:
    """The selection as it was asked for: `'*-prod' --no-production`."""
    words = [repr(n) if GLOB & set(n) else n for n in selector.names]
    words += [f"--tag {k}={v}" for k, v in selector.tags]
    if selector.production is not None:
        words.append("--production" if selector.production else "--no-production")
    if selector.every:
        words.append("--all")
    return " ".join(words)


def _keeps(row: TargetRow, selector: Selector, globs: list[str]) -> bool:
    if selector.production is not None and row.production != selector.production:
        return False
    if any(pair not in row.tags for pair in selector.tags):
        return False
    if not globs:
        return row.default
    for pattern in globs:
        if "/" in pattern and fnmatch.fnmatchcase(row.name, pattern):
            return True
        if "/" not in pattern and row.default and fnmatch.fnmatchcase(row.account, pattern):
            return True
    return False


def warm(engine: Engine, chosen: Sequence[Target], duration: int | None = None) -> dict[str, str]:
    """One MFA session per jump user (one prompt), then every role assumed at once, so each
    pane's `jumpshell shell` (or fan-out run) finds its credentials held.
    Returns the refusals: name -> why."""
    for jump in dict.fromkeys(t.jump.name for t in chosen):
        engine.session(jump)
    distinct = list({t.cache_key: t for t in chosen}.values())

    def one(target: Target) -> tuple[str, str | None]:
        try:
            engine.credentials(target, duration)
        except JumpshellError as exc:
            return target.name, exc.render()
        return target.name, None

    with ThreadPoolExecutor(max_workers=max(1, min(PARALLEL, len(distinct)))) as pool:
        results = list(pool.map(one, distinct))
    return {name: why for name, why in results if why is not None}


def class_of(target: Target, by_name: Mapping[str, TargetRow]) -> str:
    """The target's environment class (production, staging, ...), its tags included."""
    row = by_name.get(f"{target.account_name}/{target.role_name}")
    tags = dict(row.tags) if row else {}
    return env_class(target.account_name, tags, target.production)
