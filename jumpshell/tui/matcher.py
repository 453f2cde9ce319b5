"""The picker's filter: fuzzy as fzf is (the query's characters in order, any gaps), no textual.

Measured at 30,000 rows on the dev machine: a compiled subsequence regex over one lowered
string per row takes 4-30 ms a query; Textual's `fuzzy.Matcher` takes 150-340 ms (it scores
every row). A longer query only narrows, so it is matched against the previous hits; rows
holding the query unbroken come first, then the config's order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jumpshell.envclass import env_class
from jumpshell.targetrows import TargetRow


@dataclass(frozen=True, slots=True)
class Entry:
    """A row and the text its filter searches (alias, id, role, region, class, tags)."""

    index: int  # the row's place in the config: the order among equal matches
    row: TargetRow
    env_class: str
    haystack: str


def entries(rows: Sequence[TargetRow]) -> list[Entry]:
    """One Entry per row, in the rows' order."""
    found = []
    for index, row in enumerate(rows):
        cls = env_class(row.account, dict(row.tags), row.production)
        tags = " ".join(f"{k}={v}" for k, v in row.tags)
        text = f"{row.name} {row.account_id} {row.region} {cls} {tags}"
        found.append(Entry(index, row, cls, text.lower()))
    return found


def pattern(query: str) -> re.Pattern[str]:
    """The query's characters in order, anything between them; case-insensitive."""
    return re.compile(".*?".join(re.escape(c) for c in query.lower()))


def narrow(
    query: str, every: Sequence[Entry], last: tuple[str, Sequence[Entry]] | None
) -> list[Entry]:
    """The entries matching `query`; from `last`'s hits when its query is a prefix of this one
    (a subsequence of the shorter query is in every hit of the longer)."""
    stripped = query.strip()
    if not stripped:
        return list(every)
    pool = every
    if last is not None and last[0].strip() and stripped.startswith(last[0].strip()):
        pool = last[1]
    search = pattern(stripped).search
    hits = [e for e in pool if search(e.haystack)]
    # the query as typed, unbroken, ranks first: "prod/ad" puts prod/Admin before prod-ish rows
    plain = stripped.lower()
    hits.sort(key=lambda e: (plain not in e.haystack, e.index))
    return hits
