"""The alignment network: states as nodes sized by power, allied and aligned pairs as edges.

One drawing serves a results folder (the final year over every run) and the
explorer (one model, year by year).
"""

from __future__ import annotations

import matplotlib
import networkx as nx
import numpy as np
from matplotlib.figure import Figure


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
    blocs = sorted(set(bloc))
    palette = matplotlib.colormaps["tab10"]
    colors = [palette(blocs.index(b) % 10) for b in bloc]
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
    nx.draw_networkx_labels(graph, positions, font_size=8, ax=ax)
    ax.set_title(title, fontsize=9)
    ax.axis("off")
    fig.tight_layout()
    return fig
