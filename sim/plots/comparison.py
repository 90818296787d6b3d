"""Plots of a comparison: outcome distributions, ECDFs, fan charts, polarity.

``draw_comparison`` draws them from a comparison in memory, as the folder is
written; ``plot_comparison`` redraws them from the files in a comparison folder
(``comparison.json``, ``outcomes.parquet``, ``power_share.parquet``) without
rerunning a scenario. Both draw the same figures from the same numbers.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from sim.folder_checks import read_json, read_table
from sim.metrics import POLARITIES
from sim.plots.style import end_labels, scenario_index, state_color

if TYPE_CHECKING:
    from sim.experiments.comparison import Comparison

DPI = 120
COLUMNS = 3
LINE_STYLES = ("-", "--", ":", "-.")


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
    fig.suptitle(f"Outcomes{year}: one dot per run, black line = median; {_about(result)}")
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
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4))  # wide numbers: few ticks
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(_unit(entry["kind"]), fontsize=8)
        ax.set_ylabel("share of runs at or below", fontsize=8)
        ax.set_title(_title(entry["label"]), fontsize=9)
    axes[0].legend(fontsize=8, frameon=False)
    year = f" in {result['year']}" if result.get("year") else ""
    fig.suptitle(f"Outcomes{year}: cumulative distribution over runs; {_about(result)}")
    fig.savefig(path, dpi=DPI)


def _quantiles(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """The 5th, 50th and 95th percentiles of ``column`` over runs, one row per year."""
    return table.groupby("year")[column].quantile([0.05, 0.5, 0.95]).unstack()


def fan_charts(shares: pd.DataFrame, result: dict[str, Any], path: Path) -> None:
    """Power shares in every scenario overlaid, and each scenario's difference from the reference.

    The top panel draws each state's median share, one line style per scenario, the
    reference's 5-95% band behind; the bottom one each other scenario's difference from
    the reference, state by state: the median and 5-95% range over pairs of runs with a
    common seed when the runs are paired, else the difference of the medians. Two
    near-identical fans side by side hide what differs; a difference shows it.
    """
    names = result["scenarios"]
    reference = names[0]
    shown = [s for s in result.get("major_states", []) if s in set(shares["state"])]
    shown = shown or sorted(set(shares["state"]) - {"ROW"})
    paired = bool(result.get("paired")) and "run" in shares.columns
    fig = Figure(figsize=(9, 8.5), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    wide = shares.pivot_table(
        index=["run", "year"], columns=["scenario", "state"], values="power_share", observed=True
    )
    ends = {}
    for state in shown:
        color = state_color(state)
        for k, name in enumerate(names):
            if (name, state) not in wide.columns:
                continue
            q = _quantiles(wide[(name, state)].rename("v").reset_index(), "v")
            if k == 0:
                top.fill_between(q.index, q[0.05], q[0.95], color=color, alpha=0.15, lw=0)
                ends[state] = (q.index[-1], q[0.5].iloc[-1])
            top.plot(q.index, q[0.5], color=color, ls=LINE_STYLES[k % len(LINE_STYLES)])
            if k == 0 or (reference, state) not in wide.columns:
                continue
            if paired:
                gap = (wide[(name, state)] - wide[(reference, state)]).rename("v").reset_index()
                d = _quantiles(gap, "v")
            else:
                ref = _quantiles(wide[(reference, state)].rename("v").reset_index(), "v")
                d = (q - ref)[[0.5]].assign(**{0.05: np.nan, 0.95: np.nan})
            ls = LINE_STYLES[k % len(LINE_STYLES)]
            bottom.fill_between(d.index, d[0.05], d[0.95], color=color, alpha=0.12, lw=0)
            bottom.plot(d.index, d[0.5], color=color, ls=ls)
    bottom.axhline(0, color="grey", lw=0.8)
    top.yaxis.set_major_formatter(PercentFormatter(1.0))
    bottom.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v * 100:+.2f}"))
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    top.set_ylabel("share of world power")
    what = "paired runs: median and 5-95% range" if paired else "difference of medians"
    bottom.set_ylabel(f"difference from {reference}\n(percentage points; {what})", fontsize=9)
    bottom.set_xlabel("year")
    styles = [
        Line2D([], [], color="black", ls=LINE_STYLES[k % len(LINE_STYLES)], label=name)
        for k, name in enumerate(names)
    ]
    top.legend(handles=styles, fontsize=8, frameon=False, loc="upper left", ncol=len(names))
    first, last = shares["year"].min(), shares["year"].max()
    top.set_xlim(first, last + max(1.0, 0.08 * (last - first)))
    index = result.get("index")
    fig.suptitle(
        f"Power shares: {' vs '.join(names)}, {_runs_text(result)}"
        + (f", power index: {index}" if index else "")
        + f"\ncolour = state (median line, {reference}'s 5-95% band); style = scenario; "
        "rest of the world not drawn",
        fontsize=10,
    )
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")  # the end labels are placed on the laid-out page
    end_labels(top, ends)
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
    fig.suptitle(
        f"How the world ends{year} (error bars: {level} Wilson intervals)\n{_about(result)}"
    )
    fig.savefig(path, dpi=DPI)


def _about(result: dict[str, Any]) -> str:
    """Runs and power index, for a title."""
    index = result.get("index")
    return _runs_text(result) + (f", power index: {index}" if index else "")


def _runs_text(result: dict[str, Any]) -> str:
    """How many runs each scenario has: ``40 runs each``, or each scenario's count."""
    runs = result.get("runs") or {}
    if not isinstance(runs, dict):
        return f"{runs} runs each"
    counts = set(runs.values())
    if len(counts) == 1:
        return f"{counts.pop()} runs each"
    return ", ".join(f"{name} {n} runs" for name, n in runs.items())


def _draw(
    result: dict[str, Any], outcomes: pd.DataFrame, shares: pd.DataFrame | None, folder: Path
) -> list[Path]:
    result = {
        **result,
        "index": result.get("index")
        or scenario_index(folder / "scenarios" / result["scenarios"][0] / "scenario.yaml"),
    }
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
    result = read_json(folder / "comparison.json")
    outcomes = read_table(folder / "outcomes.parquet")
    shares = folder / "power_share.parquet"
    return _draw(result, outcomes, read_table(shares) if shares.is_file() else None, folder)
