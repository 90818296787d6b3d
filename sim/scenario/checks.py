"""Checks beyond one field's type: state ids, events, dates and sweep paths.

State ids are checked against the world data, events against the acting states
and the run's years, and sweep paths against the scenario's fields;
uncertainties are checked in ``sim.scenario.uncertain``.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel

from sim.errors import Problem, ScenarioError
from sim.scenario.loader import KEY, Located
from sim.scenario.schema import Scenario
from sim.scenario.uncertain import uncertainty_problems
from sim.world import known_ids, members

_STATE_FIELDS = (
    "senders",
    "target",
    "seller",
    "buyer",
    "exporter",
    "importer",
    "members",
    "participants",
    "states",
)


def _unknown(state: str, known: set[str]) -> str:
    hint = difflib.get_close_matches(state, sorted(known), n=1)
    return f"unknown state id {state!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")


def _world_problems(scenario: Scenario, located: Located) -> list[Problem]:
    known = known_ids()
    problems = []
    covered: dict[str, str] = {}
    for i, state in enumerate(scenario.world.states):
        path = ("world", "states", str(i))
        if state not in known:
            problems.append(located.problem(path, _unknown(state, known)))
            continue
        for country in members(state):
            if country in covered:
                problems.append(
                    located.problem(
                        path, f"{state} overlaps {covered[country]} (both include {country})"
                    )
                )
            covered[country] = state
    return problems


def _reference_problems(base: tuple[str, ...], item, acting: set[str], located: Located):
    """Problems with the state ids an event or pipeline names."""
    problems = []
    for field in _STATE_FIELDS:
        value = getattr(item, field, None)
        if value is None:
            continue
        for i, state in enumerate([value] if isinstance(value, str) else value):
            path = (*base, field) if isinstance(value, str) else (*base, field, str(i))
            if state not in acting:
                message = f"{state!r} is not an acting state of this scenario"
                problems.append(located.problem(path, f"{message} ({', '.join(sorted(acting))})"))
    return problems


def _event_problems(scenario: Scenario, located: Located) -> list[Problem]:
    acting = set(scenario.world.states)
    first, last = scenario.start_year, scenario.end_year
    problems = []
    for key, event in scenario.active_events().items():
        base = ("events", key)
        if not first <= event.year <= last:
            message = f"expected a year within the run {first}-{last}, got {event.year}"
            problems.append(located.problem((*base, "year"), message))
        problems += _reference_problems(base, event, acting, located)
    for key, pipeline in scenario.world.pipelines.items():
        if pipeline is not None:
            problems += _reference_problems(("world", "pipelines", key), pipeline, acting, located)
    return problems


def _trend_problems(scenario: Scenario, located: Located) -> list[Problem]:
    """Per-state growth parameters may name only the scenario's rows (acting states, ROW)."""
    rows = [*scenario.world.states, "ROW"]
    economy = scenario.parameters.economy
    return [
        located.problem(
            ("parameters", "economy", field, state),
            f"{state!r} is not a row of this scenario ({', '.join(sorted(rows))})",
        )
        for field in ("trend_growth", "convergence_by_state")
        for state in getattr(economy, field)
        if state not in rows
    ]


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


def path_problem(scenario: Scenario, path: str) -> str | None:
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


def _sweep_problems(scenario: Scenario, located: Located) -> list[Problem]:
    sweep = scenario.sweep
    if sweep is None:
        return []
    entries = [("sweep", "grid", path) for path in sweep.grid]
    if sweep.sample is not None:
        entries += [("sweep", "sample", "vary", path) for path in sweep.sample.vary]
    problems = []
    for entry in entries:
        message = path_problem(scenario, entry[-1])
        if message:
            problems.append(located.problem((*entry, KEY), message))
    return problems


def check_against_world(scenario: Scenario, located: Located) -> None:
    """Raise a ScenarioError listing every reference the world data cannot satisfy."""
    problems = _world_problems(scenario, located) + _event_problems(scenario, located)
    problems += _trend_problems(scenario, located)
    problems += _sweep_problems(scenario, located)
    problems += uncertainty_problems(scenario, located)
    acting = set(scenario.world.states)
    for i, state in enumerate(scenario.major_states):
        if state not in acting:
            problems.append(
                located.problem(("major_states", str(i)), f"{state!r} is not in world.states")
            )
    if problems:
        raise ScenarioError(problems)
