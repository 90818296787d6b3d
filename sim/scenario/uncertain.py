"""Checks of a scenario's ``uncertainties:`` block against the scenario's own fields.

Each uncertain path must name a number or a choice of the scenario, and every
value its distribution can produce must be one the field accepts. The field's
bounds are not repeated here: each end of a range (each discrete value) is set
on the scenario, which is validated again, so the schema stays their only source.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from sim.errors import Problem
from sim.scenario.located import KEY, Located
from sim.scenario.paths import NUMBER, WHOLE, field_kind, set_path
from sim.scenario.references import major_state_problems, reference_problems
from sim.scenario.schema import ScenarioConfig, Uncertainty
from sim.scenario.validation import error_message

RUN_SETTINGS = ("name", "description", "runs", "seed", "years", "start_year", "sweep")
RUN_SETTINGS += ("uncertainties", "extends", "backtest", "major_states")


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


def refusal(
    base: dict[str, Any], path: str, value: Any, file: str, known: frozenset[str] = frozenset()
) -> str | None:
    """Why the scenario ``base`` cannot take ``value`` at ``path`` (None if it can).

    ``base`` is a scenario's JSON dump without its uncertainties and sweep, so the
    checks that apply are those of what it names. Problems in ``known`` are the
    scenario's own, reported already: the value is not their cause.
    """
    data = copy.deepcopy(base)
    set_path(data, path, value)
    try:
        config = ScenarioConfig.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        at = "" if where == path else f" (at {where})"
        return f"{path} = {value!r}: {error_message(first)}{at}"
    located = Located(data, {}, file)
    problems = reference_problems(config, located) + major_state_problems(config, located)
    problems = [p for p in problems if p.message not in known]
    return f"{path} = {value!r}: {problems[0].message}" if problems else None


def _path_problems(scenario: ScenarioConfig, path: str, uncertainty: Uncertainty) -> str | None:
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


def uncertainty_problems(
    scenario: ScenarioConfig, located: Located, known: frozenset[str] = frozenset()
) -> list[Problem]:
    """Every problem of the ``uncertainties:`` block, each at its line in the file.

    ``known`` holds the messages of the scenario's own problems (an event outside
    the run, say): a drawn value is refused only for a problem it causes.
    """
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
            message = refusal(base, path, value, located.file, known)
            if message:
                problems.append(located.problem((*entry, *where), message))
                break
    return problems
