"""sim: an agent-based simulation of strategic alliances between states, built on Mesa.

The Python API mirrors the command line::

    import sim
    res = sim.run("scenarios/sanctions.yaml", runs=50, seed=1)
    res.states        # tidy DataFrame: run, year, state, gdp_usd_bn, power_share, ...
    res.summary       # the dict written to summary.json
    sim.run_sweep("scenarios/sanctions.yaml", "out", grid=["parameters.arms.choice_odds=0,0.5"])
    sim.run("scenarios/sanctions.yaml", execution=sim.Execution(jobs=4), out="results/x")
    sim.discover("out", "polarity=multipolar").sentence   # which inputs lead there

Names are imported when first used (PEP 562), so ``import sim`` is instant.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_HOMES = {
    "run": "sim.api",
    "run_sweep": "sim.api",
    "compare": "sim.api",
    "sensitivity": "sim.api",
    "discover": "sim.api",
    "estimate": "sim.api",
    "Estimates": "sim.estimation.report",
    "load": "sim.api",
    "Execution": "sim.experiments.settings",
    "Output": "sim.experiments.settings",
    "Design": "sim.experiments.settings",
    "DEFAULT_OUT": "sim.experiments.settings",
    "load_folder": "sim.experiments.runner",
    "Results": "sim.experiments.runner",
    "Discovery": "sim.analysis.discovery.find",
    "Comparison": "sim.experiments.comparison",
    "SweepResult": "sim.experiments.sweep.result",
    "SensitivityResult": "sim.experiments.sweep.sensitivity",
    "ScenarioError": "sim.errors",
    "Problem": "sim.errors",
    "load_scenario": "sim.scenario.loader",
    "OUTCOMES": "sim.outcomes",
}

__all__ = [
    "DEFAULT_OUT",
    "OUTCOMES",
    "Comparison",
    "Design",
    "Discovery",
    "Estimates",
    "Execution",
    "Output",
    "Problem",
    "Results",
    "ScenarioError",
    "SensitivityResult",
    "SweepResult",
    "compare",
    "discover",
    "estimate",
    "load",
    "load_folder",
    "load_scenario",
    "run",
    "run_sweep",
    "sensitivity",
]

if TYPE_CHECKING:  # for editors and type checkers; at run time names load on first use
    from sim.analysis.discovery.find import Discovery
    from sim.api import compare, discover, estimate, load, run, run_sweep, sensitivity
    from sim.errors import Problem, ScenarioError
    from sim.estimation.report import Estimates
    from sim.experiments.comparison import Comparison
    from sim.experiments.runner import Results, load_folder
    from sim.experiments.settings import DEFAULT_OUT, Design, Execution, Output
    from sim.experiments.sweep.result import SweepResult
    from sim.experiments.sweep.sensitivity import SensitivityResult
    from sim.outcomes import OUTCOMES
    from sim.scenario.loader import load_scenario


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        if name in {"api", "cli", "plots", "experiments", "analysis"}:
            return importlib.import_module(f"sim.{name}")
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
