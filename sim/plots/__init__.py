"""Every figure, drawn from results in memory or from a results folder.

Figures are drawn on ``matplotlib.figure.Figure`` objects, never through pyplot's
global state, so drawing files leaves an interactive session's backend alone.
"""

from __future__ import annotations

from pathlib import Path


def plot_folder(folder: str | Path) -> list[Path]:
    """(Re)draw every plot of a run, sweep or comparison folder; return the files drawn."""
    from sim.experiments.folders import finished_manifest

    folder = Path(folder)
    kind = finished_manifest(folder).get("kind", "run")
    if kind == "sweep":
        from sim.plots.sweep import plot_sweep

        return plot_sweep(folder)
    if kind == "comparison":
        from sim.plots.comparison import plot_comparison

        return plot_comparison(folder)
    from sim.experiments.runner import load_folder
    from sim.plots.runs import plot_results

    return plot_results(load_folder(folder), folder)
