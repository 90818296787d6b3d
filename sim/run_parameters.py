"""The runs' parameters stacked once: each number a real array with the run axis.

An ensemble of R runs (``sim.ensemble``) reads its parameters as arrays of shape
(R,), one value a run, whether the runs share the value or not:
``params.arms.choice_odds[run]`` is a run's rate, and a mechanism meets its arrays
with the axes it needs, ``rate[:, None]`` against a state's (R, n) and
``rate[:, None, None]`` against a pair's (R, n, n). A choice of mechanism (a word,
such as ``alliances.mode``) is one value the runs must share; the runs'
per-country tables (``economy.convergence_by_state``, ``economy.trend_growth``) are
read from each run's own scenario when its world is built, not here.

The runs' values are checked against each other when the ensemble is built, before
the first year: a difference the ensemble cannot carry is refused with the
parameter's path.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
from pydantic import BaseModel

from sim.errors import Problem, ScenarioError


def stack_parameters(sections: list[BaseModel], path: str = "parameters") -> SimpleNamespace:
    """Each numeric field of the runs' ``sections`` as an (R,) array, nested as they are.

    Raises:
        ScenarioError: The runs differ in a word (a choice of mechanism), which runs
            advanced together must share.
    """
    first = sections[0]
    stacked: dict[str, Any] = {}
    for name in type(first).model_fields:
        values = [getattr(section, name) for section in sections]
        where = f"{path}.{name}"
        if isinstance(values[0], BaseModel):
            stacked[name] = stack_parameters(values, where)
        elif isinstance(values[0], bool):
            stacked[name] = np.array(values, bool)
        elif isinstance(values[0], int | float):
            kind = int if all(type(v) is int for v in values) else float
            stacked[name] = np.array(values, kind)
        elif isinstance(values[0], str):
            if any(value != values[0] for value in values[1:]):
                message = f"runs advanced together must share it, got {sorted(set(values))}"
                raise ScenarioError(Problem("", 0, 0, where, message))
            stacked[name] = values[0]
        # anything else (per-country tables) is read from each run's scenario
    return SimpleNamespace(**stacked)
