"""Walks over the schema's types: a union's members, and where state ids are held.

The checks against the world need every state id a scenario names. Rather than a
list of field names to keep in step with the schema, the fields are found from
their types: a field holds state ids when its type holds ``StateId`` (alone, in
a list, in a union, in a mapping's values), and the schema blocks are found by
following the fields' types from the scenario down.
"""

from __future__ import annotations

from functools import cache
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from sim.scenario.fields import STATE_ID
from sim.scenario.located import Path_


def union_members(annotation: Any) -> list[Any]:
    """The alternatives of a union (``X | None`` and ``Annotated`` unwrapped)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return union_members(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return [
            m for arg in get_args(annotation) for m in union_members(arg) if m is not type(None)
        ]
    return [annotation]


def _parts(annotation: Any) -> tuple[Any, ...]:
    """The types a type is built from, as far as values go: a mapping's keys are names."""
    args = get_args(annotation)
    origin = get_origin(annotation)
    if origin is Annotated:
        return args[:1]
    if origin is dict:
        return args[1:]
    return args


def _is_block(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def marks_state_id(annotation: Any) -> bool:
    """Whether a type is ``StateId`` (or a constrained ``StateId``)."""
    return get_origin(annotation) is Annotated and any(
        meta is STATE_ID for meta in get_args(annotation)[1:]
    )


def holds_state_ids(annotation: Any) -> bool:
    """Whether values of a type are or contain state ids, schema blocks aside.

    A nested schema block is not looked into here: its own fields are found when
    the walk reaches it. A mapping's keys are names, not checked as state ids.
    """
    if marks_state_id(annotation):
        return True
    if _is_block(annotation):
        return False
    return any(holds_state_ids(part) for part in _parts(annotation))


def _blocks(annotation: Any) -> list[type[BaseModel]]:
    """The schema blocks a type holds, in unions, lists and mapping values."""
    if _is_block(annotation):
        return [annotation]
    return [block for part in _parts(annotation) for block in _blocks(part)]


@cache
def state_id_fields(model: type[BaseModel]) -> dict[type[BaseModel], tuple[str, ...]]:
    """Each schema block reachable from ``model``, with its fields that hold state ids.

    Blocks without such fields are left out; the result is shared, do not change it.
    """
    found: dict[type[BaseModel], tuple[str, ...]] = {}
    waiting = [model]
    while waiting:
        block = waiting.pop(0)
        if block in found:
            continue
        types = {name: info.rebuild_annotation() for name, info in block.model_fields.items()}
        found[block] = tuple(name for name, kind in types.items() if holds_state_ids(kind))
        waiting += [nested for kind in types.values() for nested in _blocks(kind)]
    return {block: names for block, names in found.items() if names}


def state_ids(block: BaseModel) -> list[tuple[Path_, str]]:
    """Every state id a validated block (a whole scenario) names, with its path, in order.

    Paths are the data's: field names, mapping keys and list positions as text,
    such as ``("events", "sanctions_2014", "senders", "0")``.
    """
    holders = state_id_fields(type(block))
    found: list[tuple[Path_, str]] = []

    def visit(value: Any, path: Path_, holds: bool) -> None:
        if isinstance(value, BaseModel):
            names = holders.get(type(value), ())
            for name in type(value).model_fields:
                visit(getattr(value, name), (*path, name), name in names)
        elif isinstance(value, str):
            if holds:
                found.append((path, value))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                visit(item, (*path, str(index)), holds)
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(item, (*path, str(key)), holds)

    visit(block, (), False)
    return found
