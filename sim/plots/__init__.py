"""Every figure, drawn from results in memory or from a results folder.

Figures are drawn on ``matplotlib.figure.Figure`` objects, never through pyplot's
global state, so drawing files leaves an interactive session's backend alone.
"""

from __future__ import annotations

import json
from pathlib import Path

from sim.errors import Problem, ScenarioError


def _manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        raise ScenarioError(
            Problem(str(folder), 0, 0, "", "not a results folder (no readable manifest.json)")
        ) from None


def plot_folder(folder: str | Path) -> list[Path]:
    """(Re)draw every plot of a run, sweep or comparison folder; return the files drawn."""
    folder = Path(folder)
    manifest = _manifest(folder)
    kind = manifest.get("kind", "run")
    if manifest.get("status", "complete") != "complete":
        raise ScenarioError(
            Problem(
                str(folder),
                0,
                0,
                "",
                f"this {kind} is incomplete ({manifest.get('runs_done', 0)} of "
                f"{manifest.get('tasks', '?')} runs); finish it with "
                f"`sim sweep --resume --out {folder}` first",
            )
        )
    if kind == "sweep":
        from sim.plots.sweep import plot_sweep

        return plot_sweep(folder)
    if kind == "comparison":
        from sim.plots.comparison import plot_comparison

        return plot_comparison(folder)
    from sim.experiments.runner import load_folder
    from sim.plots.runs import plot_results

    return plot_results(load_folder(folder), folder)
