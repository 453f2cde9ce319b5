"""An account's environment class (production, staging, dev, sandbox, other); lean.

One rule for every user of it (prompt colours, entry hooks, listings): the production flag
wins; else an `environment`/`env`/`stage` tag; else the last part of the account's name that
names an environment (`payments-prod`, `data_stg`); else `other`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `import typing` costs ~4 ms: hooks.py uses this on the warm path
if TYPE_CHECKING:
    from collections.abc import Mapping

ENV_CLASSES = ("production", "staging", "dev", "sandbox", "other")
_WORDS = {
    "production": ("prod", "production", "prd", "live"),
    "staging": ("staging", "stage", "stg", "preprod", "uat", "qa"),
    "dev": ("dev", "development", "develop", "test"),
    "sandbox": ("sandbox", "sbx", "sand", "playground"),
}
CLASS_OF = {word: cls for cls, words in _WORDS.items() for word in words}
TAGS = ("environment", "env", "stage")


def env_class(account: str, tags: Mapping[str, str], production: bool) -> str:
    """The class of an account named `account` with `tags` (see the module's rule)."""
    if production:
        return "production"
    lowered = {k.lower(): v for k, v in tags.items()}
    for key in TAGS:
        found = CLASS_OF.get(lowered.get(key, "").strip().lower())
        if found:
            return found
    name = account.lower()
    for sep in "_./ \t":
        name = name.replace(sep, "-")
    return next((CLASS_OF[p] for p in reversed(name.split("-")) if p in CLASS_OF), "other")
