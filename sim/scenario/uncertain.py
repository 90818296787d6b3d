"""Checks of a scenario's ``uncertainties:`` block against the scenario's own fields.

Each uncertain path must name a number or a choice of the scenario, and every
value its distribution can produce must be one the field accepts. The field's
bounds are not repeated here: each end of a range (each discrete value) is set
on the scenario, which is validated again, so the schema stays their only source.
"""

from __future__ import annotations

import copy
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.errors import Problem, ScenarioError
from sim.scenario.loader import KEY, Located, _members, _message
from sim.scenario.schema import Scenario, Uncertainty

RUN_SETTINGS = ("name", "description", "runs", "seed", "years", "start_year", "sweep")
RUN_SETTINGS += ("uncertainties", "extends", "backtest", "major_states")
NUMBER, WHOLE, CHOICE = "number", "whole number", "choice"


def _kind(annotation: Any) -> str | None:
    """NUMBER, WHOLE or CHOICE for a field's type; None for anything else."""
    members = _members(annotation)
    if len(members) != 1:
        return None
    kind = members[0]
    if get_origin(kind) is Literal:
        return CHOICE
    return {float: NUMBER, int: WHOLE}.get(kind)


def field_kind(scenario: Scenario, path: str) -> tuple[str | None, str | None]:
    """(kind of the field at ``path``, None) or (None, what is wrong with ``path``).

    An entry missing from a mapping of numbers (``parameters.economy.trend_growth.USA``)
    is allowed: setting it creates it.
    """
    from sim.scenario.checks import path_problem

    node: Any = scenario
    annotation: Any = Scenario
    *parents, leaf = path.split(".")
    for part in parents:
        if isinstance(node, BaseModel) and part in type(node).model_fields:
            annotation, node = type(node).model_fields[part].annotation, getattr(node, part)
        elif isinstance(node, dict) and part in node:
            annotation, node = get_args(_members(annotation)[0])[1], node[part]
        else:
            return None, path_problem(scenario, path)
    if isinstance(node, BaseModel) and leaf in type(node).model_fields:
        return _kind(type(node).model_fields[leaf].annotation), None
    if isinstance(node, dict) and get_origin(_members(annotation)[0]) is dict:
        kind = _kind(get_args(_members(annotation)[0])[1])
        if leaf in node or kind is not None:
            return kind, None
    return None, path_problem(scenario, path)


def candidates(uncertainty: Uncertainty) -> list[tuple[tuple[str, ...], Any]]:
    """Each extreme value a distribution can draw, with where it is written in the block."""
    kind = uncertainty.kind
    if kind == "uniform":
        return [
            (("uniform", "0"), uncertainty.uniform[0]),
            (("uniform", "1"), uncertainty.uniform[1]),
        ]
    if kind == "triangular":
        low, _, high = uncertainty.triangular
        return [(("triangular", "0"), low), (("triangular", "2"), high)]
    if kind == "normal":
        return [
            (("normal", "low"), uncertainty.normal.low),
            (("normal", "high"), uncertainty.normal.high),
        ]
    values, _ = uncertainty.choices()
    if isinstance(uncertainty.discrete, dict):
        return [
            (("discrete", str(key), KEY), v)
            for key, v in zip(uncertainty.discrete, values, strict=True)
        ]
    return [(("discrete", str(i)), v) for i, v in enumerate(values)]


def refusal(base: dict[str, Any], path: str, value: Any, file: str) -> str | None:
    """Why the scenario ``base`` cannot take ``value`` at ``path`` (None if it can)."""
    from sim.design import set_path
    from sim.scenario.checks import check_against_world

    data = copy.deepcopy(base)
    set_path(data, path, value)
    try:
        config = Scenario.model_validate(data)
        check_against_world(config, Located(data, {}, file))
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        at = "" if where == path else f" (at {where})"
        return f"{path} = {value!r}: {_message(first)}{at}"
    except ScenarioError as err:
        return f"{path} = {value!r}: {err.problems[0].message}"
    return None


def _path_problems(scenario: Scenario, path: str, uncertainty: Uncertainty) -> str | None:
    if path.split(".")[0] in RUN_SETTINGS:
        return f"{path} cannot be uncertain: it sets how the runs themselves run"
    kind, wrong = field_kind(scenario, path)
    if wrong:
        return wrong
    if kind is None:
        return f"{path} is not a number or a choice, so it cannot be drawn"
    if kind != NUMBER and uncertainty.kind != "discrete":
        what = "whole number" if kind == WHOLE else "choice"
        return f"{path} is a {what}: list its values with discrete: [...], not {uncertainty.kind}"
    return None


def uncertainty_problems(scenario: Scenario, located: Located) -> list[Problem]:
    """Every problem of the ``uncertainties:`` block, each at its line in the file."""
    uncertain = scenario.active_uncertainties()
    if not uncertain:
        return []
    base = scenario.model_dump(mode="json")
    base.pop("uncertainties")  # each value is checked on the scenario without the others
    base.pop("sweep", None)  # and without a sweep block, whose problems are reported apart
    problems = []
    for path, uncertainty in uncertain.items():
        entry = ("uncertainties", path)
        message = _path_problems(scenario, path, uncertainty)
        if message:
            problems.append(located.problem((*entry, KEY), message))
            continue
        for where, value in candidates(uncertainty):
            message = refusal(base, path, value, located.file)
            if message:
                problems.append(located.problem((*entry, *where), message))
                break
    return problems
