"""Validate a located tree against the schema, each pydantic error told where it was written.

Pydantic's errors name a location in its own terms (union tags included) and
its own words; here each becomes a problem at the file, line and column of the
value, in the words of a scenario file.
"""

from __future__ import annotations

import difflib
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.errors import ScenarioError
from sim.scenario.fields import PATH_PATTERN, STATE_ID_PATTERN
from sim.scenario.located import KEY, Located, Path_
from sim.scenario.schema import ScenarioConfig
from sim.scenario.schema_walk import union_members
from sim.scenario.words import describe


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the schema block at pydantic location ``loc`` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        options = union_members(current)
        if len(options) > 1:  # a tagged union: the tag is part of the location
            chosen = [m for m in options if _tag(m) == part]
            if not chosen:
                return []
            current = chosen[0]
            continue
        current = options[0]
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        elif get_origin(current) is list:
            current = get_args(current)[0]
        else:
            return []
    options = union_members(current)
    if len(options) == 1 and isinstance(options[0], type) and issubclass(options[0], BaseModel):
        return list(options[0].model_fields)
    return []


def _tag(model: Any) -> str | None:
    """The tag a union member is chosen by: its ``kind`` literal, or its lowercased name."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return "values" if get_origin(model) is list else None
    field = model.model_fields.get("kind")
    args = getattr(field.annotation, "__args__", ()) if field else ()
    return args[0] if args else model.__name__.lower()


def _data_path(data: Any, loc: tuple, missing: bool = False) -> Path_:
    """The path in the user's data for a pydantic error location (drops union tags).

    With ``missing``, the last part names a field that is absent from the data.
    """
    path: list[str] = []
    node = data
    for i, part in enumerate(loc):
        key = str(part)
        if isinstance(node, dict) and key in node:
            node = node[key]
            path.append(key)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(key)
        elif missing and i == len(loc) - 1:
            path.append(key)
    return tuple(path)


PATTERNS = {
    STATE_ID_PATTERN: "a state id of three capital letters (ISO 3166 alpha-3, such as USA)",
    PATH_PATTERN: "a dotted field path such as parameters.trade.diversion_share",
}
WORDS = {  # pydantic's words -> the words of a scenario file
    "a valid dictionary or object to extract fields from": "a mapping of fields",
    "a valid dictionary or instance of": "a mapping of fields for",
    "a valid dictionary": "a mapping",
}


def error_message(error: dict[str, Any]) -> str:
    """One pydantic error in the words of a scenario file: what was expected, what was found."""
    context = error.get("ctx") or {}
    if "message" in context:  # the schema's own checks say it all
        return context["message"]
    kind = error["type"]
    found = error["input"]
    if kind in ("too_short", "too_long"):
        bound = context["min_length" if kind == "too_short" else "max_length"]
        items = f"{bound} item{'s' if bound != 1 else ''}"
        limit = "at least" if kind == "too_short" else "at most"
        return f"expected {limit} {items}, got {len(found)}: {describe(found)}"
    if kind == "string_pattern_mismatch":
        expected = PATTERNS.get(context.get("pattern"), f"text matching {context.get('pattern')}")
        return f"expected {expected}, got {describe(found)}"
    message = error["msg"].replace("Value error, ", "")
    for pydantic_words, ours in WORDS.items():
        message = message.replace(pydantic_words, ours)
    message = f"{message[0].lower()}{message[1:]}"
    if kind == "value_error" and isinstance(found, dict):
        return message
    if kind == "string_type" and isinstance(found, (bool, int, float)):
        return f"{message}, got {found!r} (put it in quotes to make it text)"
    if ", got " in message:  # pydantic already says what it found
        return f"{message}: {describe(found)}"
    return f"{message}, got {describe(found)}"


def validate(located: Located, schema: type[BaseModel] = ScenarioConfig):
    """Validate a composed tree against the schema, reporting every problem with its place."""
    try:
        return schema.model_validate(located.data)
    except ValidationError as err:
        problems = []
        for error in err.errors():
            loc = (*error["loc"], *((error.get("ctx") or {}).get("at") or ()))
            kind = error["type"]
            path = _data_path(located.data, loc, missing=kind in ("missing", "extra_forbidden"))
            if kind == "extra_forbidden":
                path = (*path, KEY)
                known = _fields_at(schema, loc[:-1])
                hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
                message = "unknown field"
                message += f"; did you mean {hint[0]!r}?" if hint else ""
                if known:
                    message += f" (expected one of: {', '.join(known)})"
            elif kind == "missing":
                message = f"required {'item' if isinstance(loc[-1], int) else 'field'} is missing"
            elif kind == "union_tag_invalid":
                message = (
                    f"unknown event kind {error['input'].get('kind')!r} "
                    f"(expected one of: {error['ctx']['expected_tags']})"
                )
                path = (*path, "kind")
            elif kind == "union_tag_not_found":
                message = "an event needs a 'kind' field"
            else:
                message = error_message(error)
            problem = located.problem(path, message)
            if problem not in problems:
                problems.append(problem)
        raise ScenarioError(problems) from None
