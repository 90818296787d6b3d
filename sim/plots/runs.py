"""Plots of a run folder: power-share fan chart, final polarity, leader share, alignment network."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.summary import major_states
from sim.metrics import POLARITIES
from sim.plots.binning import wilson
from sim.plots.network import network_figure
from sim.plots.style import (
    PALE,
    POLARITY_COLORS,
    POLARITY_TITLES,
    end_labels,
    index_name,
    run_title,
    state_color,
)
from sim.scenario.schema import ScenarioConfig


def _row_note(states: pd.DataFrame, shown: list[str]) -> str:
    """Say that the rest of the world is left out, and how big it is, when it is."""
    if "ROW" in shown or "ROW" not in set(states["state"]):
        return ""
    last = states[(states["year"] == states["year"].max()) & (states["state"] == "ROW")]
    return f"; rest of the world (ROW, median {last['power_share'].median():.0%}) not drawn"


def fan_figure(
    states: pd.DataFrame,
    shown: list[str],
    title: str = "Power shares",
    *,
    name: str | None = None,
    index: str | None = None,
) -> Figure:
    """Median and 5-95% band of each shown state's power share over time.

    Args:
        states: The states table (run, year, state, power_share).
        shown: The states drawn, each in its own colour (``sim.plots.style.state_color``).
        title: What the figure shows; the scenario, run count and index follow it.
        name: The scenario's name.
        index: The power index behind the shares.
    """
    fig = Figure(figsize=(9, 5.5))
    ax = fig.subplots()
    ends = {}
    for state in shown:
        by_year = states[states["state"] == state].groupby("year")["power_share"]
        q = by_year.quantile([0.05, 0.5, 0.95]).unstack()
        if q.empty:
            continue
        color = state_color(state)
        ax.fill_between(q.index, q[0.05], q[0.95], color=color, alpha=0.2, linewidth=0)
        ax.plot(q.index, q[0.5], color=color, label=state, lw=2 if color in PALE else 1.5)
        ends[state] = (q.index[-1], q[0.5].iloc[-1])
    first, last = states["year"].min(), states["year"].max()
    ax.set_xlim(first, last + max(1.0, 0.08 * (last - first)))  # room for the end labels
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel("share of world power (median, 5-95% band)")
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    runs = states["run"].nunique() if "run" in states else 1
    ax.set_title(run_title(title + _row_note(states, shown), name, runs, index), fontsize=10)
    fig.tight_layout()
    end_labels(ax, ends)
    return fig


def fan_chart(
    states: pd.DataFrame, shown: list[str], path: Path, config: ScenarioConfig | None = None
) -> None:
    """``fan_figure`` saved to ``path``, titled with ``config``'s name and index."""
    name = config.name if config is not None else None
    fan_figure(states, shown, name=name, index=index_name(config)).savefig(path, dpi=120)


def polarity_figure(
    system: pd.DataFrame,
    column: str = "polarity",
    *,
    name: str | None = None,
    index: str | None = None,
) -> Figure:
    """Share of runs ending unipolar, bipolar, multipolar (``bloc_polarity``: among blocs).

    Each bar has its 90% Wilson interval (``sim.plots.binning.wilson``): with few runs a
    share of runs is itself uncertain.
    """
    last = system["year"].max()
    final = system[system["year"] == last][column]
    runs = len(final)
    hits = np.array([(final == kind).sum() for kind in POLARITIES], dtype=float)
    values = hits / max(runs, 1)
    low, high = wilson(hits, np.full(len(hits), max(runs, 1)))
    fig = Figure(figsize=(5.5, 4.2))
    ax = fig.subplots()
    bars = ax.bar(
        POLARITIES,
        values,
        yerr=[values - low, high - values],
        capsize=4,
        color=[POLARITY_COLORS[k] for k in POLARITIES],
    )
    labels = [f"{v:.0%}\n[{lo:.0%}, {hi:.0%}]" for v, lo, hi in zip(values, low, high, strict=True)]
    for bar, text, top in zip(bars, labels, high, strict=True):
        ax.annotate(
            text,
            (bar.get_x() + bar.get_width() / 2, top),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    ax.set_ylim(0, 1.25)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_ylabel("share of runs (error bars: 90% Wilson interval)", fontsize=9)
    what = f"{POLARITY_TITLES[column]} in {last}"
    ax.set_title(run_title(what, name, runs, index), fontsize=10)
    fig.tight_layout()
    return fig


def polarity_bars(system: pd.DataFrame, path: Path, config: ScenarioConfig | None = None) -> None:
    """``polarity_figure`` saved to ``path``, titled with ``config``'s name and index."""
    name = config.name if config is not None else None
    polarity_figure(system, name=name, index=index_name(config)).savefig(path, dpi=120)


def leader_figure(
    system: pd.DataFrame, *, name: str | None = None, index: str | None = None
) -> Figure:
    """Distribution over runs of the leading state's final power share, by leader."""
    last = system["year"].max()
    final = system[system["year"] == last]
    fig = Figure(figsize=(6.5, 4.2))
    ax = fig.subplots()
    low, high = final["leader_share"].min(), final["leader_share"].max()
    bins = np.linspace(low * 0.95, high * 1.05, 25) if high > low else 10
    leaders = [(str(k), g["leader_share"]) for k, g in final.groupby("leader", observed=True)]
    ax.hist(
        [values for _, values in leaders],
        bins=bins,
        stacked=True,  # one leader's runs on another's, none hidden behind
        color=[state_color(k) for k, _ in leaders],
        label=[f"leader {k} ({len(v)} run{'s' if len(v) != 1 else ''})" for k, v in leaders],
    )
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(f"leader's share of world power in {last}")
    ax.set_ylabel("runs")
    ax.legend(frameon=False, fontsize=8)
    what = f"The leader's share of world power in {last}"
    ax.set_title(run_title(what, name, len(final), index), fontsize=10)
    fig.tight_layout()
    return fig


def leader_share_hist(
    system: pd.DataFrame, path: Path, config: ScenarioConfig | None = None
) -> None:
    """``leader_figure`` saved to ``path``, titled with ``config``'s name and index."""
    name = config.name if config is not None else None
    leader_figure(system, name=name, index=index_name(config)).savefig(path, dpi=120)


def alignment_network(
    states: pd.DataFrame,
    dyads: pd.DataFrame,
    threshold: float,
    path: Path,
    config: ScenarioConfig | None = None,
) -> None:
    """Final-year network: edges where pairs are allied in most runs or highly aligned."""
    last = states["year"].max()
    final = states[(states["year"] == last) & (states["state"] != "ROW")]
    size = final.groupby("state", observed=True)["power_share"].median()
    bloc = final.groupby("state", observed=True)["bloc"].agg(lambda s: s.mode().iloc[0])
    names = [str(s) for s in size.index]
    where = {name: k for k, name in enumerate(names)}
    pairs = dyads[(dyads["year"] == last) & dyads["a"].isin(names) & dyads["b"].isin(names)]
    runs = states["run"].nunique()
    mean = pairs.groupby(["a", "b"], observed=True)[["affinity", "allied"]].sum() / runs
    affinity, allied = np.zeros((2, len(names), len(names)))
    for (a, b), row in mean.iterrows():
        affinity[where[a], where[b]] = row["affinity"]
        allied[where[a], where[b]] = row["allied"]
    affinity = np.maximum(affinity, affinity.T)
    allied = np.maximum(allied, allied.T)
    fig = network_figure(
        names,
        size.to_numpy(),
        [bloc[s] for s in names],
        affinity,
        allied,
        threshold,
        run_title(
            f"Alignment in {last}: solid = allied in most runs, dotted = mean affinity "
            f"≥ {threshold:.2f}\ncolour = most frequent bloc; size = median power share; "
            "rest of the world not drawn",
            config.name if config is not None else None,
            runs,
            index_name(config),
        ),
    )
    fig.savefig(path, dpi=120)


def plot_run(tables: dict[str, pd.DataFrame], config: ScenarioConfig, folder: Path) -> list[Path]:
    """Draw every plot of a run folder into ``folder`` and return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "power_share_fan.png": lambda p: fan_chart(
            tables["states"], major_states(config), p, config
        ),
        "polarity_final.png": lambda p: polarity_bars(tables["system"], p, config),
        "leader_share_final.png": lambda p: leader_share_hist(tables["system"], p, config),
        "alignment_network.png": lambda p: alignment_network(
            tables["states"], tables["dyads"], config.parameters.power.bloc_affinity, p, config
        ),
    }
    for name, draw in paths.items():
        draw(folder / name)
    return [folder / name for name in paths]


def plot_results(results, folder: Path) -> list[Path]:
    """Draw a run's plots into ``folder/plots`` (the ``draw`` step of writing a run folder)."""
    return plot_run(results.tables(), results.scenario, Path(folder) / "plots")
