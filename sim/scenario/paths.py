"""Dotted paths of scenario fields: set a value at one, say what one names.

``--set``, sweeps and uncertainties all address a field by its dotted path
(``parameters.trade.diversion_share``); ``set_path`` is the one place that
writes a value there, and ``path_problem`` and ``field_kind`` say whether (and
what) a path names in a scenario.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel

from sim.scenario.located import Path_
from sim.scenario.schema import ScenarioConfig
from sim.scenario.schema_walk import union_members

NUMBER, WHOLE, CHOICE = "number", "whole number", "choice"


class NotAMapping(KeyError):
    """A path goes inside a value that is not a mapping.

    A KeyError of the part of the path that holds the value, so ``except
    KeyError`` callers read it as ``err.args[0]``.

    Attributes:
        at: The path up to and including that part.
        value: What the data holds there.
    """

    def __init__(self, at: Path_, value: Any):
        super().__init__(at[-1])
        self.at = at
        self.value = value


def set_path(data: dict[str, Any], path: str | Sequence[str], value: Any) -> list[Path_]:
    """Set ``value`` at a dotted path of nested dicts, creating mappings on the way.

    Args:
        data: The tree to change, in place.
        path: ``"a.b.c"``, or its parts ``("a", "b", "c")``.
        value: What to put there.

    Returns:
        The paths of the mappings created on the way (absent or null before).

    Raises:
        NotAMapping: When a part of the path holds something other than a mapping.
    """
    parts = tuple(path.split(".") if isinstance(path, str) else path)
    created: list[Path_] = []
    node = data
    for depth, part in enumerate(parts[:-1]):
        child = node.get(part)
        if child is None:
            child = node[part] = {}
            created.append(parts[: depth + 1])
        if not isinstance(child, dict):
            raise NotAMapping(parts[: depth + 1], child)
        node = child
    node[parts[-1]] = value
    return created


def _closest(word: str, choices: list[str]) -> str:
    hint = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean {hint[0]!r}?" if hint else ""


def _per_row_values(annotation: Any) -> bool:
    """Whether a field is a mapping of row ids to plain values (``trend_growth``, …)."""
    if get_origin(annotation) is not dict:
        return False
    value = get_args(annotation)[1]
    return not (isinstance(value, type) and issubclass(value, BaseModel)) and get_origin(value) in (
        None,
        Annotated,
    )


def path_problem(scenario: ScenarioConfig, path: str) -> str | None:
    """What is wrong with a dotted path of a scenario field, or None if it names one.

    Sweeps set values by path; a path that names no field would otherwise fail at
    every design point, or (inside a value that is not a mapping) not at all.
    """
    node: Any = scenario
    annotation: Any = None
    parts = path.split(".")
    for depth, part in enumerate(parts):
        where = ".".join(parts[:depth]) or "a scenario"
        if isinstance(node, BaseModel):
            fields = type(node).model_fields
            if part not in fields:
                return f"{where} has no field {part!r}{_closest(part, list(fields))}"
            node, annotation = getattr(node, part), fields[part].annotation
        elif isinstance(node, dict):
            if depth == len(parts) - 1 and _per_row_values(annotation):
                rows = [*scenario.world.states, "ROW"]  # a new entry of per-row numbers
                if part in rows:
                    return None
                return f"{part!r} is not a row of this scenario ({', '.join(sorted(rows))})"
            if part not in node:
                names = list(node)
                listed = f" (it has: {', '.join(names)})" if names else " (it is empty)"
                return f"{where} has no entry {part!r}{_closest(part, names)}{listed}"
            node = node[part]
        else:
            kind = "a list" if isinstance(node, list) else f"{node!r}"
            return f"{where} is {kind}, not a mapping: a path cannot go inside it"
    return None


def _kind(annotation: Any) -> str | None:
    """NUMBER, WHOLE or CHOICE for a field's type; None for anything else."""
    members = union_members(annotation)
    if len(members) != 1:
        return None
    kind = members[0]
    if get_origin(kind) is Literal:
        return CHOICE
    return {float: NUMBER, int: WHOLE}.get(kind)


def field_kind(scenario: ScenarioConfig, path: str) -> tuple[str | None, str | None]:
    """(kind of the field at ``path``, None) or (None, what is wrong with ``path``).

    The kind is NUMBER, WHOLE, CHOICE, or None for a field that is none of them.
    An entry missing from a mapping of numbers (``parameters.economy.trend_growth.USA``)
    is allowed: setting it creates it.
    """
    node: Any = scenario
    annotation: Any = ScenarioConfig
    *parents, leaf = path.split(".")
    for part in parents:
        if isinstance(node, BaseModel) and part in type(node).model_fields:
            annotation, node = type(node).model_fields[part].annotation, getattr(node, part)
        elif isinstance(node, dict) and part in node:
            annotation, node = get_args(union_members(annotation)[0])[1], node[part]
        else:
            return None, path_problem(scenario, path)
    if isinstance(node, BaseModel) and leaf in type(node).model_fields:
        return _kind(type(node).model_fields[leaf].annotation), None
    if isinstance(node, dict) and get_origin(union_members(annotation)[0]) is dict:
        kind = _kind(get_args(union_members(annotation)[0])[1])
        if leaf in node or kind is not None:
            return kind, None
    return None, path_problem(scenario, path)
