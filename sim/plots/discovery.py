"""Figures of a scenario discovery, after EMA Workbench's own two.

``peeling_trajectory.png`` is the coverage-density trade-off of EMA's
``show_tradeoff``: one dot per box of the peeling trajectory, coloured by the number
of restricted inputs, with the chosen box ringed and the density threshold and base
rate marked. ``box.png`` is EMA's ``inspect(style="graph")``: each restricted input's
range over the runs, the box's limits on it, its quasi-p values beside its name.
Both are drawn here on a ``Figure`` because EMA's draw through pyplot's global state.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure

from sim.analysis.discovery.find import Discovery, Limit
from sim.analysis.discovery.report import BOX_FIGURE, TRAJECTORY_FIGURE, box_stats, limit_cells

DPI = 120
RANGE_COLOR = "#d9d9d9"
BOX_COLOR = "#2166ac"
CHOSEN_COLOR = "crimson"
BAR_WIDTH = 8


def plot_trajectory(result: Discovery, path: Path) -> Path:
    """Coverage against density of every box on the peeling trajectory."""
    trajectory = result.trajectory
    most = int(trajectory["res_dim"].max())
    colors = matplotlib.colormaps["viridis"]
    fig = Figure(figsize=(6.4, 5.2))
    ax = fig.subplots()
    dots = ax.scatter(
        trajectory["coverage"],
        trajectory["density"],
        c=trajectory["res_dim"],
        cmap=colors,
        norm=BoundaryNorm(np.arange(-0.5, most + 1.5), colors.N),
    )
    bar = fig.colorbar(dots, ax=ax, ticks=np.arange(most + 1), drawedges=True)
    bar.set_label("restricted inputs")
    chosen = trajectory.loc[result.box.index]
    ax.scatter(
        [chosen["coverage"]],
        [chosen["density"]],
        s=160,
        facecolors="none",
        edgecolors=CHOSEN_COLOR,
        linewidths=1.5,
        label=f"box {result.box.index} (chosen)",
    )
    close = abs(result.threshold - result.base_rate) < 0.08  # labels would collide
    lower = "base rate" if result.base_rate <= result.threshold else "threshold"
    for level, name, style in [
        (result.threshold, "threshold", "--"),
        (result.base_rate, "base rate", ":"),
    ]:
        below = close and name == lower  # the lower label goes under its line
        ax.axhline(level, color="grey", linestyle=style, linewidth=0.8)
        ax.text(
            0.02,
            level - 0.02 if below else level + 0.02,
            f"{name} {level:.0%}",
            fontsize=8,
            va="top" if below else "baseline",
        )
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.set_aspect("equal")
    ax.set_xlabel("coverage")
    ax.set_ylabel("density")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    ax.set_title(f"PRIM peeling trajectory: {result.label}", fontsize=10)
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    return path


def _numeric_row(ax, limit: Limit, y: float) -> None:
    """The box's part of a numeric input's range, its limits above, the range's ends beside."""
    first, last = limit.range
    low = 0.0 if limit.low is None else (limit.low - first) / (last - first)
    high = 1.0 if limit.high is None else (limit.high - first) / (last - first)
    ax.plot([low, high], [y, y], color=BOX_COLOR, linewidth=BAR_WIDTH, solid_capstyle="butt")
    for x, value in [(low, limit.low), (high, limit.high)]:
        if value is not None:
            ax.text(x, y + 0.25, f"{value:.3g}", ha="center", fontsize=8, color=BOX_COLOR)
    ax.text(-0.02, y, f"{first:.3g}", ha="right", va="center", fontsize=8)
    ax.text(1.02, y, f"{last:.3g}", ha="left", va="center", fontsize=8)


def _classes_row(ax, limit: Limit, y: float) -> None:
    """Each class of a categorical input along its row; those the box keeps in colour."""
    positions = np.linspace(0, 1, len(limit.range))
    for x, name in zip(positions, limit.range, strict=True):
        kept = name in limit.values
        color = BOX_COLOR if kept else "white"
        ax.scatter([x], [y], s=120, color=color, edgecolors="grey", zorder=3)  # above the bar
        ax.text(x, y + 0.25, name, ha="center", fontsize=8, color=BOX_COLOR if kept else "black")


def plot_box(result: Discovery, path: Path) -> Path:
    """The chosen box's limits on each restricted input, most significant at the top."""
    limits = result.box.limits
    if not limits:
        fig = Figure(figsize=(6, 1.5))
        ax = fig.subplots()
        ax.axis("off")
        ax.text(0.5, 0.5, result.sentence, ha="center", va="center", wrap=True, fontsize=9)
        fig.savefig(path, dpi=DPI, bbox_inches="tight")
        return path
    fig = Figure(figsize=(10, max(3.0, 1.0 + 0.6 * len(limits))))
    ax = fig.subplots()
    rows = range(len(limits) - 1, -1, -1)
    for y, limit in zip(rows, limits, strict=True):
        ax.plot([0, 1], [y, y], color=RANGE_COLOR, linewidth=BAR_WIDTH, solid_capstyle="butt")
        if limit.values is None:
            _numeric_row(ax, limit, y)
        else:
            _classes_row(ax, limit, y)
    ax.set_yticks(list(rows), [f"{lim.input} ({limit_cells(lim)[2]})" for lim in limits])
    ax.set_xticks([])
    ax.set_xlim(-0.15, 1.15)
    ax.set_ylim(-0.6, len(limits) - 0.3)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(
        f"PRIM box {result.box.index}: {result.label}\n{box_stats(result.box)}; "
        "quasi-p values beside the inputs",
        fontsize=10,
    )
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    return path


def draw_discovery(result: Discovery, folder: Path) -> list[Path]:
    """Both figures into ``folder`` (the ``draw`` of ``write_discovery``); the files drawn."""
    return [
        plot_trajectory(result, folder / TRAJECTORY_FIGURE),
        plot_box(result, folder / BOX_FIGURE),
    ]
