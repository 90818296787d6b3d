"""The library: every command of ``sim`` as a Python function returning a result object.

The command line is a thin layer over these functions, so a folder written from
Python equals one written by the command line. Each function takes plain
arguments (paths, numbers, lists of ``path=value`` strings); with ``out`` it also
writes the results folder, atomically, figures included unless ``plots=False``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sim.experiments.runner import Results, load
from sim.scenario.schema import Scenario


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT_OUT"


DEFAULT_OUT: Any = _Default()  # a new timestamped folder under results/<scenario name>/


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped the work; nothing was written to ``out``."""

    def __init__(self, out: Path):
        super().__init__(str(out))
        self.out = out


def run(
    scenario: str | Path | dict | Scenario,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    jobs: int | None = 1,
    overrides: list[str] | None = None,
    progress: bool = False,
    out: str | Path | None = None,
    plots: bool = True,
    argv: list[str] | None = None,
) -> Results:
    """Run a scenario's replicates; return their tables and summary, and write them to ``out``.

    Args:
        scenario: A YAML path, a dict with the same fields, or a loaded Scenario.
        runs: Replicates (default: the scenario's ``runs``).
        seed: Master seed (default: the scenario's ``seed``).
        years: Years to simulate (default: the scenario's ``years``).
        jobs: Worker processes; ``None`` or 0 uses every core.
        overrides: ``path=value`` strings applied to the scenario.
        progress: Show a progress bar.
        out: Results folder to write (``DEFAULT_OUT``: ``results/NAME/TIMESTAMP``);
            ``None`` writes nothing.
        plots: Draw the figures into the folder.
        argv: The command line recorded in the manifest (default ``sys.argv``).

    Returns:
        The results: ``states``, ``dyads``, ``system``, ``events`` DataFrames,
        ``summary``, and ``folder`` when written.

    Example:
        >>> import sim
        >>> res = sim.run("scenarios/sanctions.yaml", runs=50, seed=1)  # doctest: +SKIP
        >>> res.states.query("year == 2040 and state == 'RUS'").power_share.median()
    """
    from sim.experiments import runner
    from sim.experiments.folders import check_out, default_out, write_results

    config = load(scenario, overrides, runs=runs, seed=seed, years=years)
    folder = None
    if out is not None:
        folder = default_out(config) if out is DEFAULT_OUT else Path(out)
        check_out(folder)  # a bad folder costs nothing
    try:
        results = runner.run(config, jobs=jobs, progress=progress)
        if folder is not None:
            draw = None
            if plots:
                from sim.plots.runs import plot_results as draw
            write_results(results, folder, draw=draw, argv=argv)
            results.folder = folder
    except KeyboardInterrupt:
        if folder is None:
            raise
        raise Interrupted(folder) from None
    return results


def run_sweep(*args: Any, **kwargs: Any):
    """Run a parameter sweep into a resumable folder (``sim sweep``)."""
    from sim.experiments.sweep import run_sweep as sweep

    return sweep(*args, **kwargs)


def discover(*args: Any, **kwargs: Any):
    """Which inputs of a sweep or uncertain run lead to an outcome (``sim discover``)."""
    from sim.analysis.discovery import discover as find

    return find(*args, **kwargs)


__all__ = ["DEFAULT_OUT", "Interrupted", "discover", "load", "run", "run_sweep"]
