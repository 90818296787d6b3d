"""What sweep figures share: outcome labels, groups of runs, intervals, the two-parameter surface.

Kept apart from ``sim.plots.sweep`` so that its profiles and ``sim.plots.heatmaps``
both build on it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.sensitivity import POLARITY_OUTCOMES
from sim.outcomes import describe, find

BINS = 10
Z90 = 1.6448536269514722  # normal quantile of 0.95: a two-sided 90% (5-95%) interval
ANNOTATE_CELLS = 64


def is_probability(name: str) -> bool:
    """Whether the outcome is a 0/1 per run, summarised as a share of runs."""
    found = find(name)
    return name in POLARITY_OUTCOMES or (found is not None and found[0].kind == "flag")


def is_share(name: str) -> bool:
    """Whether the outcome is a fraction, shown in percent."""
    return is_probability(name) or describe(name)[1] == "share"


def label(name: str) -> str:
    """A readable axis label for an outcome (as declared in ``sim.outcomes``)."""
    if name in POLARITY_OUTCOMES:
        return f"P({POLARITY_OUTCOMES[name]})"
    text = describe(name)[0]
    return f"P({text.lower()})" if is_probability(name) else text


def ordered_values(values: pd.Series) -> list:
    """A grid parameter's distinct values: numbers ascending, labels in design order."""
    unique = list(dict.fromkeys(values))
    return sorted(unique) if pd.api.types.is_numeric_dtype(values) else unique


def groups(x: pd.Series, grid: bool, bins: int = BINS) -> tuple[pd.Series, np.ndarray | None]:
    """The group of each run, and the bin edges when binned.

    On a grid a run's group is its parameter value (a categorical in grid order);
    otherwise it is the number of its quantile bin, ``bins`` of them or fewer when
    values repeat (as on a Morris design's levels).
    """
    if grid:
        return pd.Series(pd.Categorical(x, categories=ordered_values(x)), index=x.index), None
    codes, edges = pd.qcut(x, bins, labels=False, retbins=True, duplicates="drop")
    return codes.astype(int), edges


def wilson(hits: np.ndarray, n: np.ndarray, z: float = Z90) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a share ``hits / n``; sane at 0 and 1, unlike the normal one.

    References:
        Wilson, E. B. (1927). Probable inference, the law of succession, and
        statistical inference. JASA 22(158):209-212.
    """
    hits, n = np.asarray(hits, dtype=float), np.asarray(n, dtype=float)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@dataclass(frozen=True)
class Surface:
    """An outcome over two parameters.

    Attributes:
        x: Along the first parameter, bin edges when binned, else its grid values.
        y: The same along the second.
        z: The summary per cell, shape (len(y cells), len(x cells)); NaN where empty.
        binned: Whether ``x`` and ``y`` (in that order) are bin edges.
        n: The runs in each cell, shape of ``z``; 0 where empty.
    """

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray
    binned: tuple[bool, bool]
    n: np.ndarray | None = None


def _axis(values: pd.Series, grid: bool, bins: int) -> tuple[pd.Series, np.ndarray, list]:
    """A surface axis: each run's group, the axis ticks (values or edges), the cell keys."""
    group, edges = groups(values, grid, bins)
    if grid:
        ticks = np.array(ordered_values(values), dtype=object)
        return group, ticks, list(ticks)
    return group, edges, list(range(len(edges) - 1))


def surface(
    x: pd.Series,
    y: pd.Series,
    value: pd.Series,
    *,
    grid: tuple[bool, bool],
    probability: bool,
    bins: int = BINS,
) -> Surface:
    """Median ``value`` (share of runs when ``probability``) per cell of two parameters.

    ``grid`` says, for ``x`` then ``y``, whether the parameter is on a grid (one
    cell per value) or sampled (quantile bins), so mixed designs are handled.
    """
    gx, xs, x_keys = _axis(x, grid[0], bins)
    gy, ys, y_keys = _axis(y, grid[1], bins)
    by = value.groupby([gx.rename("gx"), gy.rename("gy")], observed=True)
    cells = (by.mean() if probability else by.median()).unstack("gx")
    cells = cells.reindex(index=y_keys, columns=x_keys)
    counts = by.size().unstack("gx").reindex(index=y_keys, columns=x_keys).fillna(0)
    return Surface(
        xs,
        ys,
        cells.to_numpy(dtype=float),
        binned=(not grid[0], not grid[1]),
        n=counts.to_numpy(dtype=int),
    )


def _panels(count: int, width: float = 6.0, height: float = 4.2):
    """A figure with ``count`` panels, two per row; unused panels hidden."""
    ncols = min(2, count)
    nrows = -(-count // ncols)
    fig = Figure(figsize=(width * ncols, height * nrows))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax in axes.flat[count:]:
        ax.axis("off")
    return fig, list(axes.flat[:count])


def _save(fig, path: Path, title: str) -> Path:
    """Title, lay out and write a figure."""
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return path
