"""Plots of a run folder: power-share fan chart, final polarity, leader share, alignment network."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.summary import major_states
from sim.metrics import POLARITIES
from sim.plots.network import network_figure
from sim.plots.style import POLARITY_COLORS, POLARITY_TITLES
from sim.scenario.schema import ScenarioConfig


def fan_figure(states: pd.DataFrame, shown: list[str], title: str = "Power shares") -> Figure:
    """Median and 5-95% band of each shown state's power share over time."""
    fig = Figure(figsize=(9, 5.5))
    ax = fig.subplots()
    colors = matplotlib.colormaps["tab20"]
    for k, state in enumerate(shown):
        by_year = states[states["state"] == state].groupby("year")["power_share"]
        q = by_year.quantile([0.05, 0.5, 0.95]).unstack()
        color = colors(k % 20)
        ax.fill_between(q.index, q[0.05], q[0.95], color=color, alpha=0.2, linewidth=0)
        ax.plot(q.index, q[0.5], color=color, label=state)
        ax.annotate(
            state,
            (q.index[-1], q[0.5].iloc[-1]),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=8,
            color=color,
            va="center",
        )
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_ylabel("share of world power (median, 5-95% band)")
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(ncol=4, fontsize=8, frameon=False)
    ax.set_title(title)
    fig.tight_layout()
    return fig


def fan_chart(states: pd.DataFrame, shown: list[str], path: Path) -> None:
    """``fan_figure`` saved to ``path``."""
    fan_figure(states, shown).savefig(path, dpi=120)


def polarity_figure(system: pd.DataFrame, column: str = "polarity") -> Figure:
    """Share of runs ending unipolar, bipolar, multipolar (``bloc_polarity``: among blocs)."""
    last = system["year"].max()
    share = system[system["year"] == last][column].value_counts(normalize=True)
    values = [share.get(kind, 0.0) for kind in POLARITIES]
    fig = Figure(figsize=(5.5, 4))
    ax = fig.subplots()
    bars = ax.bar(POLARITIES, values, color=[POLARITY_COLORS[k] for k in POLARITIES])
    ax.bar_label(bars, labels=[f"{v:.0%}" for v in values])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("share of runs")
    ax.set_title(f"{POLARITY_TITLES[column]} in {last}")
    fig.tight_layout()
    return fig


def polarity_bars(system: pd.DataFrame, path: Path) -> None:
    """``polarity_figure`` saved to ``path``."""
    polarity_figure(system).savefig(path, dpi=120)


def leader_figure(system: pd.DataFrame) -> Figure:
    """Distribution over runs of the leading state's final power share, by leader."""
    last = system["year"].max()
    final = system[system["year"] == last]
    fig = Figure(figsize=(6.5, 4))
    ax = fig.subplots()
    bins = np.linspace(final["leader_share"].min() * 0.95, final["leader_share"].max() * 1.05, 25)
    for leader, group in final.groupby("leader"):
        ax.hist(group["leader_share"], bins=bins, alpha=0.6, label=f"leader {leader}")
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(f"leader's share of world power in {last}")
    ax.set_ylabel("runs")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def leader_share_hist(system: pd.DataFrame, path: Path) -> None:
    """``leader_figure`` saved to ``path``."""
    leader_figure(system).savefig(path, dpi=120)


def alignment_network(
    states: pd.DataFrame, dyads: pd.DataFrame, threshold: float, path: Path
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
        f"Alignment in {last}: solid = allied in most runs, dotted = mean affinity "
        f"≥ {threshold:.2f}; colour = bloc; size = power share",
    )
    fig.savefig(path, dpi=120)


def plot_run(tables: dict[str, pd.DataFrame], config: ScenarioConfig, folder: Path) -> list[Path]:
    """Draw every plot of a run folder into ``folder`` and return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "power_share_fan.png": lambda p: fan_chart(tables["states"], major_states(config), p),
        "polarity_final.png": lambda p: polarity_bars(tables["system"], p),
        "leader_share_final.png": lambda p: leader_share_hist(tables["system"], p),
        "alignment_network.png": lambda p: alignment_network(
            tables["states"], tables["dyads"], config.parameters.power.bloc_affinity, p
        ),
    }
    for name, draw in paths.items():
        draw(folder / name)
    return [folder / name for name in paths]


def plot_results(results, folder: Path) -> list[Path]:
    """Draw a run's plots into ``folder/plots`` (the ``draw`` step of writing a run folder)."""
    return plot_run(results.tables(), results.scenario, Path(folder) / "plots")
