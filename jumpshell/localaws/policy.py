"""IAM policy evaluation for STS: actions, resources, principals and condition operators."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

Context = dict[str, Any]  # condition keys (lower case) -> str | list[str]


@dataclass(frozen=True)
class Request:
    """What a statement is matched against: action, resource, principal candidates, context."""

    action: str
    resource: str = "*"
    principals: tuple[str, ...] = ()
    context: Context = field(default_factory=dict)


@lru_cache(maxsize=4096)
def _pattern(glob: str, ignore_case: bool) -> re.Pattern[str]:
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def glob_match(glob: str, value: str, ignore_case: bool = False) -> bool:
    """IAM wildcard match: * any run of characters, ? exactly one."""
    return _pattern(glob, ignore_case).fullmatch(value) is not None


def _listify(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def arn_match(pattern: str, arn: str) -> bool:
    """ArnLike: each of the six colon-separated parts matched with wildcards."""
    want, have = pattern.split(":", 5), arn.split(":", 5)
    if len(want) != 6 or len(have) != 6:
        return glob_match(pattern, arn)
    return all(glob_match(w, h) for w, h in zip(want, have, strict=True))


def _num(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _epoch(value: str) -> float | None:
    """A date condition value: ISO 8601 ('2030-01-01T00:00:00Z', '2030-01-01') or epoch seconds."""
    from datetime import UTC, datetime

    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _compared(
    parse: Callable[[str], float | None],
) -> Callable[[Callable[[float, float], bool]], Callable[[str, str], bool]]:
    """Numeric* and Date* operators: both sides parsed, then `test`; unparseable never holds."""

    def operator(test: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
        def compare(have: str, want: str) -> bool:
            left, right = parse(have), parse(want)
            return left is not None and right is not None and test(left, right)

        return compare

    return operator


_COMPARISONS: dict[str, tuple[Callable[[float, float], bool], bool]] = {
    "equals": (lambda a, b: a == b, False),
    "notequals": (lambda a, b: a == b, True),
    "lessthan": (lambda a, b: a < b, False),
    "lessthanequals": (lambda a, b: a <= b, False),
    "greaterthan": (lambda a, b: a > b, False),
    "greaterthanequals": (lambda a, b: a >= b, False),
}


OPERATORS: dict[str, tuple[Callable[[str, str], bool], bool]] = {
    # name -> (positive test of one context value against one policy value, negated)
    "stringequals": (lambda h, w: h == w, False),
    "stringnotequals": (lambda h, w: h == w, True),
    "stringequalsignorecase": (lambda h, w: h.lower() == w.lower(), False),
    "stringnotequalsignorecase": (lambda h, w: h.lower() == w.lower(), True),
    "stringlike": (lambda h, w: glob_match(w, h), False),
    "stringnotlike": (lambda h, w: glob_match(w, h), True),
    "bool": (lambda h, w: h.lower() == w.lower(), False),
    "arnequals": (lambda h, w: arn_match(w, h), False),
    "arnlike": (lambda h, w: arn_match(w, h), False),
    "arnnotequals": (lambda h, w: arn_match(w, h), True),
    "arnnotlike": (lambda h, w: arn_match(w, h), True),
}
for _family, _parse in (("numeric", _num), ("date", _epoch)):
    for _name, (_test, _negated) in _COMPARISONS.items():
        OPERATORS[_family + _name] = (_compared(_parse)(_test), _negated)


def _one_condition(operator: str, key: str, wanted: Any, context: Context) -> bool:
    op = operator.lower()
    qualifier = ""
    if ":" in op:
        qualifier, op = op.split(":", 1)
    if_exists = op.endswith("ifexists")
    op = op.removesuffix("ifexists")
    present = key.lower() in context
    values = [str(v) for v in _listify(context.get(key.lower()))]
    wants = [str(w).lower() if isinstance(w, bool) else str(w) for w in _listify(wanted)]
    if op == "null":
        return any((w.lower() == "true") != present for w in wants)
    if op not in OPERATORS:
        return False  # an operator we do not know never matches (fail closed)
    test, negated = OPERATORS[op]
    if not present:
        return if_exists or negated or qualifier == "forallvalues"
    if qualifier == "forallvalues":
        hits = [any(test(v, w) for w in wants) for v in values]
        return all(not h for h in hits) if negated else all(hits)
    hit = any(test(v, w) for v in values for w in wants)
    return not hit if negated else hit


def conditions_hold(block: dict[str, Any] | None, context: Context) -> bool:
    """Every operator and every key of a Condition block holds in `context`."""
    for operator, keys in (block or {}).items():
        for key, wanted in keys.items():
            if not _one_condition(operator, key, wanted, context):
                return False
    return True


def _action_ok(statement: dict[str, Any], action: str) -> bool:
    if "NotAction" in statement:
        return not any(glob_match(a, action, True) for a in _listify(statement["NotAction"]))
    return any(glob_match(a, action, True) for a in _listify(statement.get("Action")))


_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def substitute(text: str, context: Context) -> str:
    """Policy variables such as ${aws:username}, from the request context.

    A variable the context lacks makes the resource match nothing (AWS does the same).
    """
    if "${" not in text:
        return text

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        special = {"*": "*", "?": "?", "$": "$"}
        if name in special:
            return special[name]
        found = _listify(context.get(name.lower()))
        return str(found[0]) if len(found) == 1 else "\x00"

    return _VARIABLE.sub(value, text)


def _resource_ok(statement: dict[str, Any], resource: str, context: Context) -> bool:
    if "NotResource" in statement:
        return not any(
            glob_match(substitute(r, context), resource) for r in _listify(statement["NotResource"])
        )
    if "Resource" not in statement:
        return True  # trust policies carry no Resource
    return any(
        glob_match(substitute(r, context), resource) for r in _listify(statement["Resource"])
    )


def principal_matches(principal: Any, candidates: Iterable[str]) -> bool:
    """Principal "*", or {"AWS": ids or ARNs} naming one of the caller's candidates."""
    if principal == "*":
        return True
    names = _listify(principal.get("AWS")) if isinstance(principal, dict) else []
    have = list(candidates)
    return any(n == "*" or any(glob_match(n, c) for c in have) for n in names)


def _statement_applies(statement: dict[str, Any], request: Request, trust: bool) -> bool:
    if not _action_ok(statement, request.action):
        return False
    if not trust and not _resource_ok(statement, request.resource, request.context):
        return False
    if trust:
        if "NotPrincipal" in statement:
            if principal_matches(statement["NotPrincipal"], request.principals):
                return False
        elif not principal_matches(statement.get("Principal"), request.principals):
            return False
    return conditions_hold(statement.get("Condition"), request.context)


def statements(documents: Iterable[str | dict[str, Any]]) -> list[dict[str, Any]]:
    """All statements of policy documents given as JSON text or dicts."""
    found: list[dict[str, Any]] = []
    for doc in documents:
        parsed = json.loads(doc) if isinstance(doc, str) else doc
        found.extend(_listify(parsed.get("Statement")))
    return found


def evaluate(
    documents: Iterable[str | dict[str, Any]], request: Request, trust: bool = False
) -> str:
    """ "allow", "deny" (an explicit Deny matched) or "implicit" (nothing allowed it)."""
    verdict = "implicit"
    for statement in statements(documents):
        if not _statement_applies(statement, request, trust):
            continue
        if statement.get("Effect") == "Deny":
            return "deny"
        if statement.get("Effect") == "Allow":
            verdict = "allow"
    return verdict
