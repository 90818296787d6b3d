"""Plots of a comparison: outcome distributions, ECDFs, fan charts, polarity.

``draw_comparison`` draws them from a comparison in memory, as the folder is
written; ``plot_comparison`` redraws them from the files in a comparison folder
(``comparison.json``, ``outcomes.parquet``, ``power_share.parquet``) without
rerunning a scenario. Both draw the same figures from the same numbers.
"""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim.metrics import POLARITIES

if TYPE_CHECKING:
    from sim.experiments.comparison import Comparison

DPI = 120
COLUMNS = 3


def scenario_colors(names: list[str]) -> dict[str, Any]:
    """One colour per scenario, the same in every plot."""
    palette = matplotlib.colormaps["tab10"]
    return {name: palette(k % 10) for k, name in enumerate(names)}


def _axis_format(kind: str):
    if kind == "share":
        return PercentFormatter(1.0, decimals=None)
    if kind == "gdp":
        return FuncFormatter(lambda value, _: f"{value:,.0f}")
    return FuncFormatter(lambda value, _: f"{value:g}")


def _unit(kind: str) -> str:
    return {"share": "share of world power", "gdp": "US$ bn, 2014 prices"}.get(kind, "")


def _grid(panels: int, width: float = 4.4, height: float = 3.4):
    columns = min(COLUMNS, panels)
    rows = math.ceil(panels / columns)
    fig = Figure(figsize=(width * columns, height * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax in axes.flat[panels:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:panels])


def _title(label: str) -> str:
    return "\n".join(textwrap.wrap(label, 40))


def distributions(
    outcomes: pd.DataFrame, result: dict[str, Any], colors: dict[str, Any], path: Path
) -> None:
    """One panel per outcome: each scenario's runs as a violin with the runs as dots."""
    names = result["scenarios"]
    fig, axes = _grid(len(result["columns"]))
    jitter = np.random.default_rng(0)  # fixed, so redrawing gives the same picture
    for ax, column in zip(axes, result["columns"], strict=True):
        entry = result["outcomes"][column]
        for position, name in enumerate(names, start=1):
            values = outcomes.loc[outcomes["scenario"] == name, column].dropna().to_numpy()
            if np.ptp(values) > 0:
                body = ax.violinplot(values, [position], widths=0.8, showextrema=False)
                for patch in body["bodies"]:
                    patch.set_facecolor(colors[name])
                    patch.set_alpha(0.35)
            offsets = jitter.uniform(-0.12, 0.12, len(values))
            ax.scatter(position + offsets, values, s=8, color=colors[name], alpha=0.7, lw=0)
            ax.hlines(np.median(values), position - 0.3, position + 0.3, color="black", lw=1.5)
        ax.set_xticks(range(1, len(names) + 1), names, fontsize=8)
        ax.yaxis.set_major_formatter(_axis_format(entry["kind"]))
        ax.set_ylabel(_unit(entry["kind"]), fontsize=8)
        ax.set_title(_title(entry["label"]), fontsize=9)
    year = f" in {result['year']}" if result.get("year") else ""
    fig.suptitle(f"Outcomes{year}: one dot per run, black line = median")
    fig.savefig(path, dpi=DPI)


def ecdfs(
    outcomes: pd.DataFrame, result: dict[str, Any], colors: dict[str, Any], path: Path
) -> None:
    """One panel per outcome: the share of runs ending at or below each value."""
    fig, axes = _grid(len(result["columns"]))
    for ax, column in zip(axes, result["columns"], strict=True):
        entry = result["outcomes"][column]
        for name in result["scenarios"]:
            values = outcomes.loc[outcomes["scenario"] == name, column].dropna()
            ax.ecdf(values, color=colors[name], label=name)
        ax.xaxis.set_major_formatter(_axis_format(entry["kind"]))
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(_unit(entry["kind"]), fontsize=8)
        ax.set_ylabel("share of runs at or below", fontsize=8)
        ax.set_title(_title(entry["label"]), fontsize=9)
    axes[0].legend(fontsize=8, frameon=False)
    year = f" in {result['year']}" if result.get("year") else ""
    fig.suptitle(f"Outcomes{year}: cumulative distribution over runs")
    fig.savefig(path, dpi=DPI)


def fan_charts(shares: pd.DataFrame, result: dict[str, Any], path: Path) -> None:
    """Power shares over time, one panel per scenario on a shared axis: median and 5-95%."""
    names = result["scenarios"]
    shown = [s for s in result.get("major_states", []) if s in set(shares["state"])]
    shown = shown or sorted(set(shares["state"]) - {"ROW"})
    palette = matplotlib.colormaps["tab20" if len(shown) > 10 else "tab10"]
    fig = Figure(figsize=(5.2 * len(names), 4.6), layout="constrained")
    axes = fig.subplots(1, len(names), sharey=True, squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        ours = shares[shares["scenario"] == name]
        for k, state in enumerate(shown):
            by_year = ours[ours["state"] == state].groupby("year")["power_share"]
            q = by_year.quantile([0.05, 0.5, 0.95]).unstack()
            color = palette(k % palette.N)
            ax.fill_between(q.index, q[0.05], q[0.95], color=color, alpha=0.2, linewidth=0)
            ax.plot(q.index, q[0.5], color=color, label=state)
        ax.set_title(name)
        ax.set_xlabel("year")
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes[0][0].set_ylabel("share of world power")
    axes[0][-1].legend(fontsize=8, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.suptitle("Power shares: median of runs (line) and 5-95% range (band)")
    fig.savefig(path, dpi=DPI)


def polarity_bars(result: dict[str, Any], colors: dict[str, Any], path: Path) -> None:
    """Share of runs ending unipolar, bipolar, multipolar, with Wilson intervals."""
    names = result["scenarios"]
    tables = result["polarity"]
    fig = Figure(figsize=(6 * len(tables), 4.4), layout="constrained")
    axes = fig.subplots(1, len(tables), squeeze=False)
    width = 0.8 / len(names)
    x = np.arange(len(POLARITIES))
    for ax, table in zip(axes[0], tables.values(), strict=True):
        for k, name in enumerate(names):
            cells = [table["scenarios"][name][kind] for kind in POLARITIES]
            share = np.array([c["share"] for c in cells])
            error = [share - [c["ci_low"] for c in cells], [c["ci_high"] for c in cells] - share]
            where = x + (k - (len(names) - 1) / 2) * width
            ax.bar(where, share, width, yerr=error, capsize=3, color=colors[name], label=name)
            for left, value, cell in zip(where, share, cells, strict=True):
                ax.annotate(
                    f"{value:.0%}",
                    (left, cell["ci_high"]),
                    xytext=(0, 3),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7,
                )
        ax.set_xticks(x, POLARITIES)
        ax.set_ylim(0, 1.1)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylabel("share of runs")
        ax.set_title(table["label"])
    axes[0][0].legend(fontsize=8, frameon=False)
    year = f" in {result['year']}" if result.get("year") else ""
    level = f"{result['confidence']:.0%}"
    fig.suptitle(f"How the world ends{year} (error bars: {level} Wilson intervals)")
    fig.savefig(path, dpi=DPI)


def _draw(
    result: dict[str, Any], outcomes: pd.DataFrame, shares: pd.DataFrame | None, folder: Path
) -> list[Path]:
    plots = folder / "plots"
    plots.mkdir(exist_ok=True)
    colors = scenario_colors(result["scenarios"])
    drawn = []
    if result["columns"]:
        drawn.append(plots / "distributions.png")
        distributions(outcomes, result, colors, drawn[-1])
        drawn.append(plots / "ecdf.png")
        ecdfs(outcomes, result, colors, drawn[-1])
    if shares is not None:
        drawn.append(plots / "power_share_fan.png")
        fan_charts(shares, result, drawn[-1])
    if result["polarity"]:
        drawn.append(plots / "polarity.png")
        polarity_bars(result, colors, drawn[-1])
    return drawn


def draw_comparison(comparison: Comparison, folder: Path) -> list[Path]:
    """Draw every plot of ``comparison`` into ``folder/plots`` and return the files.

    The ``draw`` callback of ``sim.experiments.comparison.compare``.
    """
    return _draw(comparison.result, comparison.outcomes, comparison.power_shares, Path(folder))


def plot_comparison(folder: Path) -> list[Path]:
    """Redraw every plot of a comparison folder into ``folder/plots`` and return the files."""
    folder = Path(folder)
    result = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    outcomes = pd.read_parquet(folder / "outcomes.parquet")
    shares = folder / "power_share.parquet"
    return _draw(result, outcomes, pd.read_parquet(shares) if shares.is_file() else None, folder)
