"""Plots of a sweep folder: outcomes against each parameter, heatmaps, polarity surfaces.

Everything is drawn from the folder's files (manifest, design, outcomes and, when
present, sensitivity.json), so a sweep's plots can be redrawn at any time, also
while it runs or after it was interrupted. A grid parameter is summarised at each
of its values; sampled parameters (lhs, sobol, morris) put runs into quantile
bins, so that every bin holds about the same number of runs. A design that
crosses a grid with a sample is drawn with each parameter treated as its kind.
"""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from sim.analysis.sensitivity import (
    DEFAULT_OUTCOMES,
    read_report,
    read_sweep,
    run_values,
)
from sim.errors import Problem, ScenarioError
from sim.metrics import POLARITIES
from sim.plots.binning import (
    BINS,
    _panels,
    _save,
    groups,
    is_probability,
    is_share,
    label,
    wilson,
)
from sim.plots.heatmaps import heatmap_figure, polarity_surface_figure
from sim.plots.sensitivity import sensitivity_chart
from sim.plots.style import POLARITY_COLORS, scenario_index

INDEX = "parameters.power.index"
BINS_2D = 8
BAND = (0.05, 0.5, 0.95)
MAX_PAIRS_ALL = 3  # up to this many parameters, every pair gets a heatmap


def slug(path: str) -> str:
    """A file-name part for a parameter path (``parameters.`` dropped: every path has it)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", path.removeprefix("parameters."))


def profile(
    x: pd.Series, y: pd.Series, *, grid: bool, probability: bool, bins: int = BINS
) -> pd.DataFrame:
    """An outcome along one parameter, per grid value or quantile bin.

    Args:
        x: The parameter value of each run.
        y: The outcome of each run (0/1 when ``probability``).
        grid: Whether ``x`` takes the values of a grid (else it is binned).
        probability: Summarise as a share of runs with its 90% Wilson interval
            rather than as the median and the 5th-95th percentiles.
        bins: The number of quantile bins when binned.

    Returns:
        One row per group, in order: ``x`` (the grid value, or the bin's median
        parameter value), ``lo``, ``mid``, ``hi`` and ``n`` (runs).
    """
    group, _ = groups(x, grid, bins)
    by = y.groupby(group, observed=True, sort=True)
    n = by.size()
    if probability:
        mid = by.mean()
        lo, hi = wilson(mid * n, n)
    else:
        q = by.quantile(list(BAND)).unstack()
        lo, mid, hi = q[BAND[0]], q[BAND[1]], q[BAND[2]]
    at = pd.Series(n.index, index=n.index) if grid else x.groupby(group).median()
    return pd.DataFrame(
        {"x": at.to_numpy(), "lo": np.asarray(lo), "mid": mid.to_numpy(), "hi": np.asarray(hi)}
    ).assign(n=n.to_numpy())


def polarity_profile(
    x: pd.Series, polarity: pd.Series, *, grid: bool, bins: int = BINS
) -> pd.DataFrame:
    """Share of runs ending in each polarity, per grid value or quantile bin of ``x``.

    Returns:
        One row per group: ``x`` as in ``profile``, then one column per polarity.
    """
    group, _ = groups(x, grid, bins)
    share = pd.crosstab(group, polarity, normalize="index")
    share = share.reindex(columns=list(POLARITIES), fill_value=0.0)
    at = share.index.to_series() if grid else x.groupby(group).median().loc[share.index]
    return share.reset_index(drop=True).assign(x=at.to_numpy())[["x", *POLARITIES]]


def _bins_2d(points: int) -> int:
    """Bins per axis of a sampled heatmap: about three design points per cell, 3 to 8.

    At most 8, so that each of the 64 cells can carry its value and run count legibly.
    """
    return int(np.clip(round(np.sqrt(points / 3)), 3, BINS_2D))


def _format_axis(axis, name: str) -> None:
    """Percent ticks on an axis that shows a share."""
    if is_share(name):
        axis.set_major_formatter(PercentFormatter(1.0))


def _x_positions(values: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    """Where to draw profile points, and tick labels when the values are not numbers."""
    if pd.api.types.is_numeric_dtype(values):
        return values.to_numpy(dtype=float), None
    return np.arange(len(values)), [str(v) for v in values]


def outcomes_figure(
    runs: pd.DataFrame, parameter: str, names: list[str], grid: bool, title: str, path: Path
) -> Path:
    """Each outcome against one parameter: median line and 5-95% band, runs behind."""
    fig, axes = _panels(len(names))
    x = runs[parameter]
    for ax, name in zip(axes, names, strict=True):
        probability = is_probability(name)
        prof = profile(x, runs[name], grid=grid, probability=probability)
        at, ticks = _x_positions(prof["x"])
        if not grid and not probability:
            ax.scatter(x, runs[name], s=6, color="0.4", alpha=0.35, linewidth=0, rasterized=True)
        ax.fill_between(at, prof["lo"], prof["hi"], color="#2166ac", alpha=0.25, linewidth=0)
        ax.plot(at, prof["mid"], color="#2166ac", marker="o" if grid else ".")
        if ticks:
            ax.set_xticks(at, ticks, rotation=30, ha="right")
        summary = "share of runs, 90% interval" if probability else "median, 5-95% band"
        ax.set_ylabel(f"{label(name)}\n({summary})", fontsize=9)
        ax.set_xlabel(parameter, fontsize=9)
        _format_axis(ax.yaxis, name)
        if probability:
            ax.set_ylim(-0.02, 1.02)
    return _save(fig, path, title)


def polarity_area_figure(
    runs: pd.DataFrame, parameter: str, grid: bool, title: str, path: Path
) -> Path:
    """Stacked shares of runs ending unipolar, bipolar and multipolar along a parameter."""
    shares = polarity_profile(runs[parameter], runs["polarity"], grid=grid)
    at, ticks = _x_positions(shares["x"])
    colors = [POLARITY_COLORS[kind] for kind in POLARITIES]
    fig = Figure(figsize=(7, 4.2))
    ax = fig.subplots()
    if ticks:
        bottom = np.zeros(len(shares))
        for kind, color in zip(POLARITIES, colors, strict=True):
            ax.bar(at, shares[kind], bottom=bottom, color=color, label=kind, width=0.7)
            bottom += shares[kind].to_numpy()
        ax.set_xticks(at, ticks, rotation=30, ha="right")
    else:
        ax.stackplot(at, *(shares[kind] for kind in POLARITIES), colors=colors, labels=POLARITIES)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("share of runs")
    ax.set_xlabel(parameter, fontsize=9)
    handles, labels = ax.get_legend_handles_labels()
    # listed top to bottom as stacked
    ax.legend(
        handles[::-1],
        labels[::-1],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        frameon=False,
        fontsize=8,
    )
    ax.set_title("Polarity at the end of the runs", fontsize=10)
    return _save(fig, path, title)


def _title(manifest: dict, finished: int, points: int, index: str | None = None) -> str:
    """The line over every sweep plot: scenario, design, index, and progress when unfinished."""
    design = manifest.get("design", {})
    runs = int(manifest.get("runs", 0))
    text = f"{manifest.get('scenario', 'sweep')}: {design.get('method', '?')} design, "
    text += f"{points} points × {runs} runs"
    if index:
        text += f", power index: {index}"
    status = manifest.get("status", "complete")
    if status != "complete":
        text += f" ({status}: {finished} of {points * runs} runs finished)"
    return text


def grid_parameters(design_meta: dict, parameters: list[str]) -> set[str]:
    """The parameters on a grid (listed with ``values``); a design may mix grid and samples."""
    listed = design_meta.get("parameters")
    if not listed:
        return set(parameters) if design_meta.get("method") == "grid" else set()
    return {p["path"] for p in listed if "values" in p}


def _runs(table: pd.DataFrame, design: pd.DataFrame, names: list[str], file: str) -> pd.DataFrame:
    """One row per finished run: its parameter values, the outcomes and the polarity flags."""
    columns = {name: run_values(table, name, file) for name in names}
    if "polarity" in table.columns:
        columns["polarity"] = table["polarity"]
        columns.update({name: run_values(table, name) for name in ("p_multipolar", "p_unipolar")})
    return table[["point"]].assign(**columns).merge(design, on="point")


def plot_sweep(folder: Path, outcomes: list[str] | None = None) -> list[Path]:
    """Draw every plot of a sweep folder into ``folder/plots`` and return the files.

    Args:
        folder: The sweep folder (manifest.json, design.parquet, outcomes.parquet).
        outcomes: Outcome names, as ``sim.analysis.sensitivity.run_values`` accepts; by default
            leader_share, effective_poles, con and p_multipolar.

    Returns:
        ``outcomes_<parameter>.png`` and ``polarity_<parameter>.png`` per parameter;
        ``heatmap_<p>__<q>.png`` and ``polarity_<p>__<q>.png`` per pair of parameters
        (every pair when there are at most three, else the first two);
        ``sensitivity.png`` when the folder has sensitivity.json.

    Raises:
        ScenarioError: If the folder is not a sweep, has no finished run yet, or an
            outcome is unknown.
    """
    folder = Path(folder)
    manifest, design, table = read_sweep(folder)
    if table.empty:
        raise ScenarioError(
            Problem(str(folder), 0, 0, "outcomes", "no finished run yet: nothing to plot")
        )
    names = list(outcomes or DEFAULT_OUTCOMES)
    runs = _runs(table, design, names, str(folder))
    parameters = [c for c in design.columns if c != "point"]
    on_grid = grid_parameters(manifest["design"], parameters)
    index = "swept" if INDEX in parameters else scenario_index(folder / "scenario.yaml")
    title = _title(manifest, len(table), len(design), index)
    out = folder / "plots"
    out.mkdir(parents=True, exist_ok=True)
    pooled = "; other parameters pooled" if len(parameters) > 1 else ""
    paths = []
    for p in parameters:
        paths.append(
            outcomes_figure(
                runs, p, names, p in on_grid, title + pooled, out / f"outcomes_{slug(p)}.png"
            )
        )
        if "polarity" in runs.columns:
            paths.append(
                polarity_area_figure(
                    runs, p, p in on_grid, title + pooled, out / f"polarity_{slug(p)}.png"
                )
            )
    pairs = list(combinations(parameters, 2))
    if len(parameters) > MAX_PAIRS_ALL:
        pairs = pairs[:1]
    bins = _bins_2d(len(design))
    pooled = "; other parameters pooled" if len(parameters) > 2 else ""
    for pair in pairs:
        both = f"{slug(pair[0])}__{slug(pair[1])}"
        grid = (pair[0] in on_grid, pair[1] in on_grid)
        paths.append(
            heatmap_figure(
                runs, pair, names, grid, bins, title + pooled, out / f"heatmap_{both}.png"
            )
        )
        if "polarity" in runs.columns:
            paths.append(
                polarity_surface_figure(
                    runs, pair, grid, bins, title + pooled, out / f"polarity_{both}.png"
                )
            )
    if (folder / "sensitivity.json").is_file():
        result, method = read_report(folder)
        sensitivity_chart(result, method, out / "sensitivity.png")
        paths.append(out / "sensitivity.png")
    return paths


def draw_sweep(result: object, folder: Path) -> list[Path]:  # noqa: ARG001 - the draw hook
    """The ``draw(result, folder)`` hook of sweeps and sensitivity analyses.

    Every plot is drawn from the folder's files (``plot_sweep``), so the result
    itself is not needed: a redraw gives the same figures.
    """
    return plot_sweep(folder)
