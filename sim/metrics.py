"""Power, concentration, polarity and blocs: pure functions of arrays.

References:
    Singer, Bremer & Stuckey (1972) (CINC: a state's mean share of world capabilities).
    Ray & Singer (1973), "Measuring the Concentration of Power" (CON).
    Laakso & Taagepera (1979) (effective number, 1/Σs²).
    Organski & Kugler (1980), *The War Ledger* (power transition).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

POLARITIES = ("unipolar", "bipolar", "multipolar")


def power_index(components: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """CINC-style composite: the weighted mean of each row's share of every component.

    Args:
        components: Component name -> non-negative values per row (all rows of the world;
            in an ensemble, each run's rows along the last axis).
        weights: Component name -> weight (normalised here to sum to one).

    Returns:
        One index per row; the indices sum to 1 over the rows.
    """
    total_weight = sum(weights.values())
    index = np.zeros_like(next(iter(components.values())), dtype=float)
    for name, values in components.items():
        total = values.sum(axis=-1, keepdims=True)  # per run, in an ensemble (sim.ensemble)
        share = weights[name] / total_weight * values  # a weight of 0 adds nothing
        index += np.divide(share, total, out=np.zeros_like(share), where=total > 0)
    return index


def _normalised(shares: np.ndarray) -> np.ndarray:
    """Shares renormalised to sum to one; equal shares when none of the actors has power."""
    total = shares.sum(axis=-1, keepdims=True)
    even = np.full(shares.shape, 1.0 / shares.shape[-1])
    return np.divide(shares, total, out=even, where=total > 0)


# The measures below take the actors' shares along the last axis: (m,) for one run,
# (R, m) for every run of an ensemble at once; each returns one value a run (an array
# of the leading shape, 0-d for one run).


def concentration(shares: np.ndarray) -> np.ndarray:
    """Ray-Singer CON over the given actors: √((Σ s² - 1/N) / (1 - 1/N)), s renormalised."""
    n = shares.shape[-1]
    if n < 2:
        return np.ones(shares.shape[:-1])
    s = _normalised(shares)
    return np.sqrt(np.maximum((np.square(s).sum(axis=-1) - 1.0 / n) / (1.0 - 1.0 / n), 0.0))


def effective_poles(shares: np.ndarray) -> np.ndarray:
    """Effective number of poles among the given actors: 1 / Σ s², s renormalised."""
    s = _normalised(shares)
    return 1.0 / np.square(s).sum(axis=-1)


def polarity(
    shares: np.ndarray, pole_share: float | np.ndarray, unipolar_ratio: float | np.ndarray
) -> np.ndarray:
    """Classify the system from actors' shares of world power.

    A pole holds at least ``pole_share`` of world power. The system is unipolar when
    the leader holds at least ``unipolar_ratio`` times the runner-up's share (or is
    the only pole), bipolar with exactly two poles, multipolar with three or more
    (or none: power diffused below the threshold). The thresholds are numbers, or
    one per run.
    """
    ranked = np.sort(shares, axis=-1)[..., ::-1]
    poles = (ranked >= np.asarray(pole_share)[..., None]).sum(axis=-1)
    runner_up = ranked[..., 1] if shares.shape[-1] > 1 else np.zeros(shares.shape[:-1])
    unipolar = (poles == 1) | ((poles >= 1) & (ranked[..., 0] >= unipolar_ratio * runner_up))
    return np.where(unipolar, "unipolar", np.where(poles == 2, "bipolar", "multipolar"))


def polarity_band(
    shares: np.ndarray,
    pole_share: float | np.ndarray,
    band: float | np.ndarray,
    unipolar_ratio: float | np.ndarray,
    ratio_band: float | np.ndarray = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The polarity at both ends of a band of pole thresholds, and whether it is fragile.

    The verdict is *fragile* when some pole threshold within ``pole_share ± band``, or
    some unipolar ratio within ``unipolar_ratio ± ratio_band``, classes the system
    differently from the thresholds themselves. The number of poles falls as the
    threshold rises and takes every value between its counts at the two ends (the
    threshold equal to the k-th largest share makes k poles), and the leader is far
    enough ahead for unipolarity or not, so each class reachable inside the band is
    that of one of those counts with one of those two answers.

    Returns:
        The classes at ``pole_share - band`` and at ``pole_share + band`` (at
        ``unipolar_ratio``), and the flag.
    """
    low = np.maximum(np.asarray(pole_share) - band, 0.0)
    high = np.asarray(pole_share) + band
    headline = polarity(shares, pole_share, unipolar_ratio)
    ranked = np.sort(shares, axis=-1)[..., ::-1]
    most = (ranked >= np.asarray(low)[..., None]).sum(axis=-1)
    fewest = (ranked >= np.asarray(high)[..., None]).sum(axis=-1)
    runner_up = ranked[..., 1] if shares.shape[-1] > 1 else np.zeros(shares.shape[:-1])
    offsets = np.array([-1.0, 1.0]).reshape((2,) + (1,) * headline.ndim)
    ratios = np.maximum(np.asarray(unipolar_ratio) + offsets * np.asarray(ratio_band), 1.0)
    fragile = np.zeros(headline.shape, bool)
    for leads in ranked[..., 0] >= ratios * runner_up:  # at the lowest ratio, then the highest
        for poles in range(4):  # 3 stands for three or more: all multipolar
            reached = (fewest <= poles) & (most >= poles) if poles < 3 else most >= poles
            unipolar = (poles == 1) | ((poles >= 1) & leads)
            kind = np.where(unipolar, "unipolar", "bipolar" if poles == 2 else "multipolar")
            fragile |= reached & (kind != headline)
    return (
        polarity(shares, low, unipolar_ratio),
        polarity(shares, high, unipolar_ratio),
        fragile,
    )


def blocs(
    affinity: np.ndarray, allied: np.ndarray, threshold: float, rivals: np.ndarray | None = None
) -> np.ndarray:
    """Group actors whose average pairwise alignment is at least ``threshold``; rivals apart.

    Alignment is affinity, or 1 for allied pairs. Average-linkage hierarchical
    clustering on 1 - alignment, cut at 1 - threshold, so that each bloc's
    members are on average at least ``threshold`` aligned with each other. A pair
    of strategic rivals (``rivals``, boolean) never shares a bloc: its distance is
    n², so that any two clusters holding one rival each are on average more than 1
    apart (at most n²/4 pairs lie between them) and never merge below the cut.

    Returns:
        A cluster number per actor (1-based, arbitrary order).
    """
    n = len(affinity)
    if n == 1:
        return np.ones(1, dtype=int)
    alignment = np.maximum(affinity, allied)
    distance = np.clip(1.0 - (alignment + alignment.T) / 2.0, 0.0, 1.0)
    if rivals is not None:
        distance[rivals | rivals.T] = float(n * n)
    np.fill_diagonal(distance, 0.0)
    from scipy.spatial.distance import squareform  # on first use: a sweep's parent never clusters

    condensed = squareform(distance, checks=False)
    return cut_tree(average_linkage(condensed, n), n, 1.0 - threshold + 1e-12)


def average_linkage(condensed: np.ndarray, n: int) -> np.ndarray:
    """``scipy.cluster.hierarchy.linkage(condensed, "average")``, without its checks.

    The recorder clusters every run every year; scipy's entry point validates its input
    each time, which cost twice the clustering itself. The same compiled routine is
    called directly when this scipy has it (the tests compare the two).
    """
    from scipy.cluster import hierarchy

    routine = _nn_chain()
    if routine is None:
        return hierarchy.linkage(condensed, method="average")
    return routine(condensed, n, 2)  # 2: scipy's code for average linkage


@functools.cache
def _nn_chain() -> Any:
    """The compiled nearest-neighbour-chain linkage of scipy, or None if this scipy hides it."""
    try:
        from scipy.cluster.hierarchy import _hierarchy_impl
    except ImportError:
        return None
    methods = getattr(_hierarchy_impl, "_LINKAGE_METHODS", {})
    routine = getattr(getattr(_hierarchy_impl, "_hierarchy", None), "nn_chain", None)
    return routine if methods.get("average") == 2 else None


def cut_tree(tree: np.ndarray, n: int, height: float) -> np.ndarray:
    """Flat clusters of a linkage whose merges up to ``height`` are kept.

    The same partition as ``scipy.cluster.hierarchy.fcluster(tree, height,
    "distance")`` for a monotonic linkage such as average linkage (labels numbered
    by first member), without its per-call validation of the tree.
    """
    parent = list(range(2 * n - 1))
    for k, (a, b, merged_at, _) in enumerate(tree.tolist()):
        if merged_at > height:
            break  # merge heights only grow
        parent[int(a)] = parent[int(b)] = n + k
    number: dict[int, int] = {}  # each cluster's root -> its number, by first member
    labels = []
    for leaf in range(n):
        path, root = [], leaf
        while parent[root] != root:
            path.append(root)
            root = parent[root]
        for node in path:  # later leaves of this cluster find the root at once
            parent[node] = root
        labels.append(number.setdefault(root, len(number) + 1))
    return np.array(labels)


def bloc_names(labels: np.ndarray, ids: list[str], power: np.ndarray) -> list[str]:
    """Name each actor's bloc after its most powerful member (the first listed on a tie)."""
    strongest: dict[int, int] = {}
    shares = power.tolist()
    for member, label in enumerate(labels.tolist()):
        best = strongest.get(label)
        if best is None or shares[member] > shares[best]:
            strongest[label] = member
    return [ids[strongest[label]] for label in labels.tolist()]


def bloc_shares(labels: np.ndarray, shares: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each bloc's summed share of world power, and the bloc label of each entry."""
    blocs_found = np.unique(labels)
    totals = np.array([shares[labels == b].sum() for b in blocs_found])
    return totals, blocs_found


def power_transition(
    shares: np.ndarray,
    affinity: np.ndarray,
    parity: float | np.ndarray,
    dissatisfied_below: float | np.ndarray,
) -> np.ndarray:
    """Organski & Kugler: the runner-up is within ``parity`` of the leader and dissatisfied.

    Args:
        shares: Actors' power shares, (m,) or (R, m).
        affinity: Actors' pairwise affinity, (m, m) or (R, m, m) (dissatisfaction = low
            affinity with the leader).
        parity: Runner-up share / leader share at or above which the two are at parity.
        dissatisfied_below: Affinity with the leader below which the runner-up is dissatisfied.
    """
    m = shares.shape[-1]
    if m < 2:
        return np.zeros(shares.shape[:-1], bool)
    flat, pairs = shares.reshape(-1, m), affinity.reshape(-1, m, m)
    order = np.argsort(flat, axis=-1)[:, ::-1]
    rows, leader, challenger = np.arange(len(flat)), order[:, 0], order[:, 1]
    first, second = flat[rows, leader], flat[rows, challenger]
    at_parity = second >= parity * first
    dissatisfied = pairs[rows, leader, challenger] < dissatisfied_below
    return ((first > 0) & at_parity & dissatisfied).reshape(shares.shape[:-1])
