"""The picker's tests reuse the in-process Engine over the demo world (tests/core/conftest.py)."""

from tests.core.conftest import engine, prompts

__all__ = ["engine", "prompts"]
