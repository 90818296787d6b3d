"""A sensitivity analysis: a Sobol or Morris sweep, then the indices of chosen outcomes.

The sweep is an ordinary one (same folder, same ``resume``); its folder also gets
``sensitivity.json`` and ``sensitivity.md`` (``sim.analysis.sensitivity``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from sim.analysis.sensitivity import (
    DEFAULT_OUTCOMES,
    METHODS,
    analyse,
    check_outcome_names,
    format_table,
    write_report,
)
from sim.experiments.settings import Design, Execution, Output, Settings
from sim.experiments.sweep.plan import Plan, option_error, plan_sweep
from sim.experiments.sweep.result import SweepResult
from sim.experiments.sweep.runner import run_sweep

SAMPLES = {"sobol": 64, "morris": 16}  # default n: Sobol base samples, Morris trajectories
RUNS = 4  # default replicates per design point


@dataclass
class SensitivityResult:
    """The indices of a sensitivity analysis and the sweep they come from.

    Attributes:
        method: ``sobol`` or ``morris``.
        indices: One row per (outcome, parameter): ``S1``, ``S1_conf``, ``ST``,
            ``ST_conf`` (Sobol') or ``mu``, ``mu_star``, ``mu_star_conf``,
            ``sigma`` (Morris); ``attrs["conf_level"]`` the confidence level.
        sweep: The sweep: its folder, design, outcomes and per-point summary.
    """

    method: str
    indices: pd.DataFrame
    sweep: SweepResult

    @property
    def folder(self) -> Path:
        """The sweep folder, where ``sensitivity.json`` is."""
        return self.sweep.folder

    def table(self) -> str:
        """The indices as the command line prints them: one block per outcome."""
        return format_table(self.indices, self.method)


def plan_sensitivity(
    scenario: str | Path | dict | None,
    method: str,
    design: Design,
    outcomes: list[str] | None,
    overrides: list[str] | None,
    settings: Settings,
    execution: Execution,
    output: Output,
) -> tuple[Plan, list[str]]:
    """The checked sweep of a sensitivity analysis and the outcomes to analyse.

    The design samples ``design.vary`` (and any sampled parameters of the
    scenario's sweep block) with ``method``; ``n`` defaults to ``SAMPLES[method]``
    and the runs per point to ``RUNS``.

    Raises:
        ScenarioError: For an unknown method, a grid in the design (only sampled
            parameters have indices) or an unknown outcome, before anything runs.
    """
    if method not in METHODS:
        raise option_error("--method", f"expected one of {METHODS}, got {method!r}")
    design = Design(
        sample=method, n=design.n or SAMPLES[method], vary=design.vary, levels=design.levels
    )
    if settings.runs is None:
        settings = replace(settings, runs=RUNS)
    plan = plan_sweep(scenario, design, overrides, settings, execution, output)
    if plan.sweep.grid:
        message = "a sensitivity analysis varies sampled parameters only (no grid)"
        raise option_error("--vary", message)
    columns = list(DEFAULT_OUTCOMES if outcomes is None else outcomes)
    check_outcome_names(columns, [*plan.config.world.states, "ROW"])
    return plan, columns


def run_sensitivity(
    plan: Plan,
    columns: list[str],
    execution: Execution,
    output: Output,
    draw: Callable[[SensitivityResult, Path], object] | None = None,
) -> SensitivityResult:
    """Run the sweep into ``output.out``, analyse it, write the report and figures.

    ``draw(result, folder)`` adds the figures once ``sensitivity.json`` is
    written (``sim.plots.sweep.plot_sweep`` draws the sweep's and the chart).

    Raises:
        KeyboardInterrupt: After Ctrl-C or SIGTERM, once every finished run is kept.
    """
    sweep = run_sweep(plan, execution, output)
    out = sweep.folder
    method = plan.sweep.sample.method
    indices = analyse(
        plan.meta(), plan.design, sweep.outcomes, columns, seed=plan.seed, folder=str(out)
    )
    write_report(out, indices, method)
    result = SensitivityResult(method, indices, sweep)
    if draw is not None:
        draw(result, out)
    return result
