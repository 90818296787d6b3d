"""Plots of a scenario discovery, drawn by EMA Workbench's own functions.

``peeling_trajectory.png`` is EMA's coverage-density trade-off (``show_tradeoff``:
one dot per box, coloured by the number of restricted inputs) with the chosen box
ringed and the density threshold marked; ``box.png`` is EMA's
``inspect(style="graph")``: each restricted input's range, the box's limits on it
and its quasi-p value, with the box's statistics beside.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display is needed or wanted

import matplotlib.pyplot as plt  # noqa: E402

from sim.analysis.discovery import Discovery  # noqa: E402
from sim.analysis.discovery_boxes import quiet_ema  # noqa: E402

DPI = 120


def plot_trajectory(result: Discovery, path: Path) -> Path:
    """Coverage against density of every box on the peeling trajectory."""
    with quiet_ema():
        from ema_workbench.analysis.scenario_discovery_util import plot_tradeoff

        fig = plot_tradeoff(result.trajectory)
    ax = fig.axes[0]
    chosen = result.trajectory.loc[result.box.index]
    ax.scatter(
        [chosen["coverage"]],
        [chosen["density"]],
        s=160,
        facecolors="none",
        edgecolors="crimson",
        linewidths=1.5,
        label=f"box {result.box.index} (chosen)",
    )
    ax.axhline(result.threshold, color="grey", linestyle="--", linewidth=0.8)
    ax.text(0.02, result.threshold + 0.02, f"threshold {result.threshold:.0%}", fontsize=8)
    ax.axhline(result.base_rate, color="grey", linestyle=":", linewidth=0.8)
    ax.text(0.02, result.base_rate + 0.02, f"base rate {result.base_rate:.0%}", fontsize=8)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.set_title(f"PRIM peeling trajectory: {result.label}", fontsize=10)
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return path


def plot_box(result: Discovery, path: Path) -> Path:
    """The chosen box's limits on each restricted input (EMA's ``inspect`` graph)."""
    if result.box.limits and result.prim_box is not None:
        # EMA sizes its statistics table by the axes: at least 3 inches keeps it legible
        fig, ax = plt.subplots(figsize=(10, max(3.0, 1.0 + 0.6 * result.box.res_dim)))
        with quiet_ema():
            result.prim_box.inspect(result.box.index, style="graph", ax=ax)
        ax.set_title(f"PRIM box {result.box.index}: {result.label}", fontsize=10)
    else:
        fig, ax = plt.subplots(figsize=(6, 1.5))
        ax.axis("off")
        ax.text(0.5, 0.5, result.sentence, ha="center", va="center", wrap=True, fontsize=9)
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return path
