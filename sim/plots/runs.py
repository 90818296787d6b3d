"""Plots of a run folder: power-share fan chart, final polarity, leader share, alignment network."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.summary import major_states
from sim.metrics import POLARITIES
from sim.plots.style import POLARITY_COLORS
from sim.scenario.schema import Scenario


def fan_chart(states: pd.DataFrame, shown: list[str], path: Path) -> None:
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
    ax.set_ylabel("share of world power (median, 5-95% band)")
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.legend(ncol=4, fontsize=8, frameon=False)
    ax.set_title("Power shares")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def polarity_bars(system: pd.DataFrame, path: Path) -> None:
    """Share of runs ending unipolar, bipolar, multipolar."""
    last = system["year"].max()
    share = system[system["year"] == last]["polarity"].value_counts(normalize=True)
    values = [share.get(kind, 0.0) for kind in POLARITIES]
    fig = Figure(figsize=(5.5, 4))
    ax = fig.subplots()
    bars = ax.bar(POLARITIES, values, color=[POLARITY_COLORS[k] for k in POLARITIES])
    ax.bar_label(bars, labels=[f"{v:.0%}" for v in values])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("share of runs")
    ax.set_title(f"Polarity in {last}")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def leader_share_hist(system: pd.DataFrame, path: Path) -> None:
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
    fig.savefig(path, dpi=120)


def alignment_network(
    states: pd.DataFrame, dyads: pd.DataFrame, threshold: float, path: Path
) -> None:
    """Final-year network: edges where pairs are allied in most runs or highly aligned."""
    last = states["year"].max()
    final = states[(states["year"] == last) & (states["state"] != "ROW")]
    size = final.groupby("state")["power_share"].median()
    bloc = final.groupby("state")["bloc"].agg(lambda s: s.mode().iloc[0])
    pairs = dyads[
        (dyads["year"] == last)
        & (dyads["a"] < dyads["b"])
        & (dyads["a"] != "ROW")
        & (dyads["b"] != "ROW")
    ]
    runs = states["run"].nunique()
    mean = pairs.groupby(["a", "b"]).agg(affinity=("affinity", "sum"), allied=("allied", "sum"))
    mean = mean / runs
    graph, everyone = nx.Graph(), nx.Graph()
    graph.add_nodes_from(size.index)
    for (a, b), row in mean.iterrows():
        everyone.add_edge(a, b, weight=row["affinity"] ** 4 + row["allied"])
        if row["allied"] >= 0.5 or row["affinity"] >= threshold:
            graph.add_edge(a, b, allied=row["allied"] >= 0.5, weight=row["affinity"])
    # every pair pulls by its alignment, so that blocs sit apart but on one page
    layout = nx.spring_layout(everyone, seed=0, weight="weight")
    blocs = sorted(set(bloc))
    palette = matplotlib.colormaps["tab10"]
    colors = [palette(blocs.index(bloc[s]) % 10) for s in graph.nodes]
    fig = Figure(figsize=(8, 6.5))
    ax = fig.subplots()
    allied = [e for e in graph.edges if graph.edges[e]["allied"]]
    aligned = [e for e in graph.edges if not graph.edges[e]["allied"]]
    nx.draw_networkx_edges(graph, layout, edgelist=aligned, style="dotted", alpha=0.4, ax=ax)
    nx.draw_networkx_edges(graph, layout, edgelist=allied, width=2.0, ax=ax)
    nx.draw_networkx_nodes(
        graph,
        layout,
        node_color=colors,
        ax=ax,
        node_size=[200 + 6000 * size[s] for s in graph.nodes],
    )
    nx.draw_networkx_labels(graph, layout, font_size=8, ax=ax)
    ax.set_title(
        f"Alignment in {last}: solid = allied in most runs, dotted = mean affinity "
        f"≥ {threshold:.2f}; colour = bloc; size = power share",
        fontsize=9,
    )
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def plot_run(tables: dict[str, pd.DataFrame], config: Scenario, folder: Path) -> list[Path]:
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
