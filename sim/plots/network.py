"""The alignment network: states as nodes sized by power, allied and aligned pairs as edges.

One drawing serves a results folder (the final year over every run) and the
explorer (one model, year by year).
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import networkx as nx
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from sim.plots.style import NO_BLOC_COLOR, renderer, state_color


def layout(names: list[str], affinity: np.ndarray, allied: np.ndarray) -> dict[str, np.ndarray]:
    """Where each state sits: every pair pulls by its alignment (``affinity⁴ + allied``).

    Blocs sit apart but on one page; the layout is seeded, so the same
    alignment always gives the same picture.
    """
    everyone = nx.Graph()
    everyone.add_nodes_from(names)
    for i, j in zip(*np.triu_indices(len(names), 1), strict=True):
        weight = affinity[i, j] ** 4 + allied[i, j]
        if weight > 0:
            everyone.add_edge(names[i], names[j], weight=float(weight))
    return nx.spring_layout(everyone, seed=0, weight="weight")


def network_figure(
    names: list[str],
    share: np.ndarray,
    bloc: list[str],
    affinity: np.ndarray,
    allied: np.ndarray,
    threshold: float,
    title: str,
    positions: dict[str, np.ndarray] | None = None,
    size: tuple[float, float] = (8, 6.5),
) -> Figure:
    """States sized by power share and coloured by bloc; allied pairs solid, aligned dotted.

    Args:
        names: The states, in the order of the arrays.
        share: Each state's power share.
        bloc: Each state's bloc name.
        affinity: Pairwise affinity (n×n); a pair at ``threshold`` or above is aligned.
        allied: Pairwise alliance, 0 to 1 (the share of runs allied, or 0/1 in one run);
            0.5 or more is drawn as allied.
        threshold: The affinity from which a pair is drawn as aligned.
        title: The figure's title.
        positions: Where each state sits (``layout`` of these arrays if not given).
        size: The figure's size in inches.
    """
    if positions is None:
        positions = layout(names, affinity, allied)
    graph = nx.Graph()
    graph.add_nodes_from(names)
    for i, j in zip(*np.triu_indices(len(names), 1), strict=True):
        if allied[i, j] >= 0.5 or affinity[i, j] >= threshold:
            graph.add_edge(names[i], names[j], allied=bool(allied[i, j] >= 0.5))
    colors = [bloc_color(b) for b in bloc]
    fig = Figure(figsize=size)
    ax = fig.subplots()
    allied_edges = [e for e in graph.edges if graph.edges[e]["allied"]]
    aligned_edges = [e for e in graph.edges if not graph.edges[e]["allied"]]
    nx.draw_networkx_edges(
        graph, positions, edgelist=aligned_edges, style="dotted", alpha=0.4, ax=ax
    )
    nx.draw_networkx_edges(graph, positions, edgelist=allied_edges, width=2.0, ax=ax)
    nx.draw_networkx_nodes(
        graph,
        positions,
        nodelist=names,
        node_color=colors,
        ax=ax,
        node_size=[200 + 6000 * s for s in share],
    )
    ax.margins(0.08)
    ax.set_title(title, fontsize=9)
    ax.axis("off")
    ax.legend(
        handles=bloc_legend(bloc),
        title="bloc (named after its strongest member)",
        title_fontsize=8,
        fontsize=8,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
    )
    fig.tight_layout()
    _labels(ax, names, positions)
    return fig


def bloc_color(bloc: str) -> str:
    """A bloc's colour: its namesake's (``sim.plots.style.state_color``); pale when none."""
    return state_color(bloc) if bloc else NO_BLOC_COLOR


def bloc_legend(bloc: list[str]) -> list:
    """One legend entry per bloc present, largest first, and one for states in no bloc."""
    count = Counter(bloc)
    return [
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=8,
            markerfacecolor=bloc_color(b),
            markeredgecolor="grey",
            label=f"{b} bloc ({n})" if b else f"no bloc ({n})",
        )
        for b, n in sorted(count.items(), key=lambda item: (item[0] == "", -item[1], item[0]))
    ]


def _labels(ax, names: list[str], positions: dict[str, np.ndarray], steps: int = 60) -> None:
    """The states' names at their nodes, nudged apart where two would overlap."""
    texts = [
        ax.text(*positions[name], name, fontsize=8, ha="center", va="center", zorder=5)
        for name in names
    ]
    drawer = renderer(ax.figure)
    for _ in range(steps):
        boxes = [t.get_window_extent(drawer).expanded(1.1, 1.2) for t in texts]
        moved = False
        for i, j in combinations(range(len(texts)), 2):
            if not boxes[i].overlaps(boxes[j]):
                continue
            moved = True
            dx = boxes[j].x0 + boxes[j].x1 - boxes[i].x0 - boxes[i].x1
            dy = boxes[j].y0 + boxes[j].y1 - boxes[i].y0 - boxes[i].y1
            step = np.array([dx, dy]) / (np.hypot(dx, dy) or 1.0)
            if not np.any(step):
                step = np.array([0.0, 1.0])
            for text, sign in ((texts[i], -1), (texts[j], 1)):
                x, y = ax.transData.transform(text.get_position())
                text.set_position(ax.transData.inverted().transform((x, y) + sign * 2 * step))
        if not moved:
            return
