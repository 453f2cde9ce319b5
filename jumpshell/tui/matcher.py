"""The picker's filter: fuzzy as fzf is (the query's characters in order, any gaps), no textual.

Measured at 30,000 rows on the 2-core dev machine (`bench/tui_scale.py --matchers`): a compiled
subsequence regex over one lowered string per row, narrowing the previous hits as the query
grows, beats rapidfuzz's `partial_ratio` and Textual's `fuzzy.Matcher` (they score every row,
and neither keeps fzf's "in order" meaning); the README has the table. Rows holding the query
unbroken come first, then rows whose name alone matches, then the rest; within each, the
picker's order (`rank`), else the config's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from jumpshell.envclass import ENV_CLASSES, env_class
from jumpshell.recent import Use, frecency
from jumpshell.targetrows import TargetRow


@dataclass(frozen=True, slots=True)
class Entry:
    """A row and the text its filter searches: "account/role id region class tags"."""

    index: int  # the row's place in the config: the order among equal matches
    row: TargetRow
    env_class: str
    haystack: str
    tags: str  # "k=v k=v", as shown and as searched


def entries(rows: Sequence[TargetRow]) -> list[Entry]:
    """One Entry per row, in the rows' order."""
    found = []
    # an account's roles share its class and the haystack after the name: made once an account
    # (an account is one table of the config: its name and id fix its tags, region, flag)
    accounts: dict[tuple[str, str], tuple[str, str, str]] = {}
    for index, row in enumerate(rows):
        key = (row.account, row.account_id)
        shared = accounts.get(key)
        if shared is None:
            cls = env_class(row.account, dict(row.tags), row.production)
            tags = " ".join(f"{k}={v}" for k, v in row.tags)
            rest = f" {row.account_id} {row.region} {cls} {tags}".lower()
            shared = accounts[key] = (cls, tags, rest)
        cls, tags, rest = shared
        found.append(Entry(index, row, cls, row.name.lower() + rest, tags))
    return found


def pattern(query: str, group: bool = False) -> re.Pattern[str]:
    """The query's characters in order, anything between them; case-insensitive (the rows'
    haystacks are lowered). `[^c]*c` rather than `.*?c`: the first `c` after the last match is
    the only one worth trying, and the regex engine need not backtrack to learn it (5-10x
    faster on a row that does not match). `group`: each character is a group, to highlight."""
    lowered = query.lower()
    parts = []
    for index, char in enumerate(lowered):
        one = re.escape(char)
        found = f"({one})" if group else one
        parts.append(found if index == 0 else f"[^{one}]*{found}")
    return re.compile("".join(parts))


def narrow(
    query: str,
    every: Sequence[Entry],
    last: tuple[str, Sequence[Entry]] | None,
    rank: Sequence[int] | None = None,
) -> list[Entry]:
    """The entries matching `query`, in `every`'s order (`rank[e.index]` when given) after the
    unbroken matches; from `last`'s hits when its query is a prefix of this one (a subsequence
    of the shorter query is in every hit of the longer)."""
    stripped = query.strip()
    if not stripped:
        return list(every)
    pool = every
    if last is not None and last[0].strip() and stripped.startswith(last[0].strip()):
        pool = last[1]
    search = pattern(stripped).search
    plain = stripped.lower()
    unbroken, named, rest = [], [], []
    for e in pool:  # "prod/ad" puts prod/Admin before prod-ish rows
        if plain in e.haystack:
            unbroken.append(e)
        elif search(e.haystack):
            # all in the name ("account/role", the haystack's head) before a match spread
            # over the tags: "lockeduntr" means sandbox-locked/Untrusted, not .../ReadOnly
            # whose "u", "n", "t", "r" come from "us-east-1 ... environment"
            if search(e.haystack, 0, len(e.row.name)):
                named.append(e)
            else:
                rest.append(e)
    # the pool was in order, or a few runs of it (the last query's tiers): timsort merges
    # them in linear time
    key = _order(rank)
    unbroken.sort(key=key)
    named.sort(key=key)
    rest.sort(key=key)
    return unbroken + named + rest


def _order(rank: Sequence[int] | None) -> Callable[[Entry], int]:
    if rank is None:
        return _index
    return lambda e: rank[e.index]


def _index(entry: Entry) -> int:
    return entry.index


def spans(query: str, haystack: str) -> list[tuple[int, int]]:
    """Where `query` matches `haystack` (the characters to highlight): the unbroken match if
    there is one, else the subsequence's characters, leftmost; [] when it does not match."""
    plain = query.strip().lower()
    if not plain:
        return []
    at = haystack.find(plain)
    if at >= 0:
        return [(at, at + len(plain))]
    found = pattern(plain, group=True).search(haystack)
    if found is None:
        return []
    return [found.span(i) for i in range(1, len(plain) + 1)]


Sort = Literal["recent", "name", "environment"]
SORTS: tuple[Sort, ...] = ("recent", "name", "environment")  # `o` cycles; favourites first


def order(
    every: Sequence[Entry],
    sort: Sort,
    favourites: Collection[str],
    used: Mapping[str, Use],
    now: float,
) -> tuple[list[Entry], list[int]]:
    """`every` in the picker's order, and each entry's place in it by `Entry.index` (what
    `narrow` takes as `rank`): favourites first, then by `sort` ("recent": frecency, most
    first; "name"; "environment": production first, as ENV_CLASSES), then the config's order."""
    if sort == "recent" and not favourites and not any(e.row.name in used for e in every):
        return list(every), list(range(len(every)))  # no history yet: the config's order
    classes = {cls: i for i, cls in enumerate(ENV_CLASSES)}

    def key(e: Entry) -> tuple[bool, float | str | int, str, int]:
        first: float | str | int
        if sort == "recent":
            first = -frecency(used.get(e.row.name), now)
        elif sort == "environment":
            first = classes.get(e.env_class, len(classes))
        else:
            first = ""
        name = e.row.name.lower() if sort != "recent" else ""
        return (e.row.name not in favourites, first, name, e.index)

    ordered = sorted(every, key=key)
    rank = [0] * len(every)
    for place, e in enumerate(ordered):
        rank[e.index] = place
    return ordered, rank
