"""Checks of what a scenario names: states, the run's years, rows and sweep paths.

The acting states are checked against the world data; every other state id the
scenario names (found from the schema's ``StateId`` fields, not from a list)
against the acting states; events against the run's years; per-row parameters
against the rows; sweep paths against the scenario's fields; arms deals against
their buyers' economies (``sim.scenario.magnitudes``).
"""

from __future__ import annotations

import difflib

from sim.errors import Problem
from sim.scenario.located import KEY, Located, Path_
from sim.scenario.magnitudes import deal_problems
from sim.scenario.paths import path_problem
from sim.scenario.schema import ScenarioConfig
from sim.scenario.schema_walk import state_ids
from sim.world import known_ids, members

# Ids that are checked on their own: the acting states themselves (against the
# world data), and the states shown, which have their own message.
OWN_CHECKS = (("world", "states"), ("major_states",))


def _unknown(state: str, known: set[str]) -> str:
    hint = difflib.get_close_matches(state, sorted(known), n=1)
    return f"unknown state id {state!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")


def _world_problems(scenario: ScenarioConfig, located: Located) -> list[Problem]:
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


def _acting_problems(
    references: list[tuple[Path_, str]], acting: set[str], located: Located
) -> list[Problem]:
    listed = ", ".join(sorted(acting))
    return [
        located.problem(path, f"{state!r} is not an acting state of this scenario ({listed})")
        for path, state in references
        if state not in acting
    ]


def _reference_problems(scenario: ScenarioConfig, located: Located) -> list[Problem]:
    """Each event's year and state ids, then every other state id the scenario names."""
    acting = set(scenario.world.states)
    first, last = scenario.start_year, scenario.end_year
    references = [
        (path, state)
        for path, state in state_ids(scenario)
        if not any(path[: len(own)] == own for own in OWN_CHECKS)
    ]
    problems = []
    for key, event in scenario.active_events().items():
        base = ("events", key)
        if not first <= event.year <= last:
            message = f"expected a year within the run {first}-{last}, got {event.year}"
            problems.append(located.problem((*base, "year"), message))
        named = [(path, state) for path, state in references if path[:2] == base]
        problems += _acting_problems(named, acting, located)
    others = [(path, state) for path, state in references if path[0] != "events"]
    return problems + _acting_problems(others, acting, located)


def _trend_problems(scenario: ScenarioConfig, located: Located) -> list[Problem]:
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


def _sweep_problems(scenario: ScenarioConfig, located: Located) -> list[Problem]:
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


def reference_problems(scenario: ScenarioConfig, located: Located) -> list[Problem]:
    """The problems of the acting states, events, per-row parameters and sweep paths."""
    problems = _world_problems(scenario, located) + _reference_problems(scenario, located)
    problems += deal_problems(scenario, located)
    return problems + _trend_problems(scenario, located) + _sweep_problems(scenario, located)


def major_state_problems(scenario: ScenarioConfig, located: Located) -> list[Problem]:
    """The states shown in tables and plots must be acting states."""
    acting = set(scenario.world.states)
    return [
        located.problem(("major_states", str(i)), f"{state!r} is not in world.states")
        for i, state in enumerate(scenario.major_states)
        if state not in acting
    ]
