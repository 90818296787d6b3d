"""Heatmaps of a sweep: an outcome over two parameters, each cell with its runs counted.

The colour scale of a median spans the 5th to 95th percentile of the outcome over
every run, not the range of the cell medians: a difference between cells smaller
than the spread of the runs then looks as small as it is, instead of filling the
whole scale. Shares of runs use the scale 0-100%. Each cell carries its value, at a
precision that resolves the cells' range and no finer, and its number of runs;
cells without runs are hatched and the title says so. A panel that is 0% in every
cell is left out, and the figure says which.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from sim.plots.binning import (
    ANNOTATE_CELLS,
    Surface,
    _panels,
    _save,
    is_probability,
    is_share,
    label,
    surface,
)

EMPTY_HATCH = "///"
SCALE = (0.05, 0.95)  # the colour scale of medians: these quantiles of every run


def decimals(values: np.ndarray, percent: bool) -> int:
    """Decimals that tell the cells apart: two significant digits of their range, 0 to 4."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    width = float(np.ptp(values)) * (100 if percent else 1) if values.size else 0.0
    if width <= 0:
        return 0 if percent else 2
    return int(np.clip(math.ceil(-math.log10(width)) + 1, 0, 4))


def number(value: float, places: int, percent: bool) -> str:
    """``value`` with ``places`` decimals, in percent when ``percent``."""
    return f"{value * 100:.{places}f}%" if percent else f"{value:.{places}f}"


def _mesh_axis(ticks: np.ndarray, binned: bool, set_ticks) -> np.ndarray:
    """Cell edges along one axis; grid values become labelled unit cells."""
    if binned:
        return np.asarray(ticks, dtype=float)
    set_ticks(range(len(ticks)), [f"{v:g}" if _is_number(v) else str(v) for v in ticks])
    return np.arange(len(ticks) + 1) - 0.5


def _centres(edges: np.ndarray) -> np.ndarray:
    return (edges[:-1] + edges[1:]) / 2


def _ink(background: tuple[float, ...]) -> str:
    """Black or white, whichever reads better on a cell of colour ``background``."""
    r, g, b = background[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _is_number(value) -> bool:
    """Whether a grid value is a number (formatted compactly) rather than a label."""
    return isinstance(value, int | float | np.number)


def draw_surface(
    ax, fig, cells: Surface, name: str, xlabel: str, ylabel: str, places: int, **style
) -> bool:
    """One heatmap panel with its colour bar, every cell with its value and runs.

    Returns:
        Whether a cell has no run (hatched).
    """
    xe = _mesh_axis(cells.x, cells.binned[0], ax.set_xticks)
    ye = _mesh_axis(cells.y, cells.binned[1], ax.set_yticks)
    ax.patch.set_facecolor("white")
    ax.patch.set_hatch(EMPTY_HATCH)
    ax.patch.set_edgecolor("0.75")
    mesh = ax.pcolormesh(xe, ye, np.ma.masked_invalid(cells.z), **style)
    percent = is_share(name)
    counts = cells.n if cells.n is not None else np.isfinite(cells.z).astype(int)
    if cells.z.size <= ANNOTATE_CELLS:
        for (i, j), v in np.ndenumerate(cells.z):
            if np.isfinite(v):
                ax.text(
                    _centres(xe)[j],
                    _centres(ye)[i],
                    f"{number(v, places, percent)}\nn={counts[i, j]}",
                    ha="center",
                    va="center",
                    fontsize=6,
                    color=_ink(mesh.cmap(mesh.norm(v))),
                )
    shown = FuncFormatter(lambda v, _: number(v, places, percent))
    bar = fig.colorbar(mesh, ax=ax, format=shown)
    bar.set_label(label(name), fontsize=8)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_ylabel(ylabel, fontsize=9)
    if not cells.binned[0]:
        for tick in ax.get_xticklabels():
            tick.set(rotation=30, ha="right")
    return bool(np.any(~np.isfinite(cells.z)))


def _empty_note(any_empty: bool, binned: bool) -> str:
    if not any_empty:
        return ""
    why = "a sample leaves some pairs of bins without a point" if binned else "no run there"
    return f"\nhatched cells: no run ({why})"


def _surfaces(
    runs: pd.DataFrame, pair: tuple[str, str], names: list[str], grid: tuple[bool, bool], bins: int
) -> tuple[dict, list[str], list[str]]:
    """Each outcome's surface over ``pair``, the zero panels and the outcomes to draw.

    A share of runs that is 0% in every cell is named, not drawn; at least the first
    outcome is drawn.
    """
    p, q = pair
    cells = {
        name: surface(
            runs[p], runs[q], runs[name], grid=grid, probability=is_probability(name), bins=bins
        )
        for name in names
    }
    zero = [n for n in names if is_probability(n) and np.nanmax(cells[n].z, initial=0.0) == 0]
    return cells, zero, [n for n in names if n not in zero] or names[:1]


def heatmap_figure(
    runs: pd.DataFrame,
    pair: tuple[str, str],
    names: list[str],
    grid: tuple[bool, bool],
    bins: int,
    title: str,
    path: Path,
) -> Path:
    """Median of each outcome (share of runs for probabilities) over two parameters."""
    p, q = pair
    cells, zero, drawn = _surfaces(runs, pair, names, grid, bins)
    fig, axes = _panels(len(drawn), width=6.4, height=5.0)
    empty = False
    for ax, name in zip(axes, drawn, strict=True):
        z = cells[name].z
        if is_probability(name):
            style = {"cmap": "viridis", "vmin": 0.0, "vmax": 1.0}
            places = 0
            head = f"{label(name)}: share of runs"
        else:
            low, high = runs[name].quantile(list(SCALE))
            low, high = (low, high) if high > low else (low - 0.5, high + 0.5)
            style = {"cmap": "viridis", "vmin": low, "vmax": high}
            places = decimals(z, is_share(name))
            span = [number(v, places, is_share(name)) for v in (np.nanmin(z), np.nanmax(z))]
            head = (
                f"median {label(name)}\ncells {span[0]} to {span[1]}; colour scale: 5-95% of runs"
            )
        empty |= draw_surface(ax, fig, cells[name], name, p, q, places, **style)
        ax.set_title(head, fontsize=9)
    note = _empty_note(empty, any(cells[drawn[0]].binned))
    if zero:
        note += "\n0% in every cell, not drawn: " + ", ".join(label(n) for n in zero)
    return _save(fig, path, title + note)


def polarity_surface_figure(
    runs: pd.DataFrame,
    pair: tuple[str, str],
    grid: tuple[bool, bool],
    bins: int,
    title: str,
    path: Path,
) -> Path:
    """P(multipolar) and P(unipolar) over two parameters; a polarity no run ends in is named."""
    p, q = pair
    kinds = {"p_multipolar": "Blues", "p_unipolar": "Reds"}
    cells, zero, drawn = _surfaces(runs, pair, list(kinds), grid, bins)
    fig, axes = _panels(len(drawn), width=6.4, height=5.0)
    empty = False
    for ax, name in zip(axes, drawn, strict=True):
        style = {"cmap": kinds[name], "vmin": 0.0, "vmax": 1.0}
        empty |= draw_surface(ax, fig, cells[name], name, p, q, 0, **style)
        ax.set_title(f"{label(name)}: share of runs", fontsize=10)
    note = _empty_note(empty, any(cells[drawn[0]].binned))
    if zero:
        note += "\nno run ends so, not drawn: " + ", ".join(label(n) for n in zero)
    return _save(fig, path, title + note)
