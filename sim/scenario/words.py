"""How a value found in a scenario is named in a message."""

from __future__ import annotations

from typing import Any


def describe(value: Any) -> str:
    """A value as written in a message: its repr, cut short past 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def kind_of(value: Any) -> str:
    """What a value is, in words: 'a number (3)', 'a list', ..."""
    if isinstance(value, bool) or value is None:
        return f"{value!r}"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({describe(value)})"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"
