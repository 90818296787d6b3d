"""Landscape theory of aggregation: two-bloc configurations, energy and stable alignments.

Each actor i has a size s_i > 0; a symmetric propensity p (zero diagonal, positive =
wants to be together) and a configuration x (side 0 or 1 per actor) give d_ij = 1 when
i and j are on different sides. Frustration F_i = Σ_j s_j p_ij d_ij; energy
E = Σ_{i<j} s_i s_j p_ij d_ij (half the double sum). Flipping actor i changes its
frustration by G_i = Σ_j s_j p_ij (1 - 2 d_ij) and E by exactly s_i G_i, so actors
lowering their own frustration never raise E. A configuration is stable (a local
minimum) when no G_i < 0. x and 1 - x are one partition; the canonical form puts actor
0 on side 0.

References:
    Axelrod & Bennett (1993), "A Landscape Theory of Aggregation", British Journal of
    Political Science 23(2): 211-233.
"""

from __future__ import annotations

import math

import numpy as np

MAX_ACTORS = 24
_CHUNK = 1 << 16
_TOL = 1e-12  # relative: flips gaining less than this share of |weights| do not count


def _arrays(sizes, propensity) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(sizes, dtype=float)
    p = np.asarray(propensity, dtype=float)
    if s.ndim != 1 or s.size == 0 or p.shape != (s.size, s.size):
        raise ValueError(f"need n >= 1 sizes and an n x n propensity, got {s.shape}, {p.shape}")
    if not np.array_equal(p, p.T) or np.any(np.diag(p) != 0):
        raise ValueError("propensity must be symmetric with a zero diagonal")
    return s, p


def _gains(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """G (rows of x are configs): change in each actor's frustration if it switched.

    With spins σ = 1 - 2x, 1 - 2 d_ij = σ_i σ_j, so G_i = σ_i Σ_j w_ij σ_j.
    """
    spin = 1.0 - 2.0 * x
    return spin * (spin @ w.T)


def _chunks(n: int):
    """Yield blocks of canonical configs (actor 0 on side 0), all 2^(n-1) in bit order."""
    shifts = np.arange(n - 1, dtype=np.int64)
    for start in range(0, 1 << (n - 1), _CHUNK):
        k = np.arange(start, min(start + _CHUNK, 1 << (n - 1)), dtype=np.int64)
        bits = ((k[:, None] >> shifts) & 1).astype(np.uint8)
        yield np.hstack([np.zeros((k.size, 1), np.uint8), bits])


def energy(sizes, propensity, sides) -> float:
    """Energy E = Σ_{i<j} s_i s_j p_ij d_ij of one configuration (half the double sum).

    References: Axelrod & Bennett (1993), British Journal of Political Science 23(2).
    """
    s, p = _arrays(sizes, propensity)
    x = np.asarray(sides, dtype=float)
    return float(x @ (np.outer(s, s) * p) @ (1 - x)) + 0.0  # the cut: pairs split by x


def frustration(sizes, propensity, sides) -> np.ndarray:
    """Per-actor frustration F_i = Σ_j s_j p_ij d_ij.

    References: Axelrod & Bennett (1993), British Journal of Political Science 23(2).
    """
    s, p = _arrays(sizes, propensity)
    x = np.asarray(sides)
    return (s * p * (x[:, None] != x[None, :])).sum(axis=1)


def all_energies(sizes, propensity) -> tuple[np.ndarray, np.ndarray]:
    """Every canonical configuration (actor 0 on side 0) and its energy.

    Returns:
        ``(configs, energies)``: a (2^(n-1), n) uint8 array of sides and the energies.

    References: Axelrod & Bennett (1993), British Journal of Political Science 23(2).
    """
    s, p = _arrays(sizes, propensity)
    j = np.outer(s, s) * p
    configs = np.concatenate(list(_chunks(s.size)))
    energies = np.empty(len(configs))
    for start in range(0, len(configs), _CHUNK):
        x = configs[start : start + _CHUNK].astype(float)
        energies[start : start + _CHUNK] = np.einsum("ij,ij->i", x @ j, 1 - x) + 0.0
    return configs, energies


def local_minima(sizes, propensity) -> list[np.ndarray]:
    """Exhaustively find the stable canonical configurations: no single flip lowers E.

    References: Axelrod & Bennett (1993), British Journal of Political Science 23(2).
    """
    s, p = _arrays(sizes, propensity)
    w = s * p  # w_ij = s_j p_ij
    tol = _TOL * np.abs(w).sum(axis=1)
    found = [x[(_gains(w, x) >= -tol).all(axis=1)] for x in _chunks(s.size)]
    return list(np.concatenate(found))


def descend(
    sizes, propensity, sides, rng: np.random.Generator, path: list | None = None
) -> np.ndarray:
    """Let a random actor that can lower its frustration switch, until none can.

    Args:
        sizes: Actor sizes, all > 0.
        propensity: Symmetric propensity matrix with zero diagonal.
        sides: Starting configuration (0/1 per actor); not modified.
        rng: Chooses the actor to switch among those who gain.
        path: If given, the start's energy and the energy after each switch are appended.

    Returns:
        The stable configuration reached (uint8 array, not canonicalised).

    References: Axelrod & Bennett (1993), British Journal of Political Science 23(2).
    """
    s, p = _arrays(sizes, propensity)
    w, j = s * p, np.outer(s, s) * p
    tol = _TOL * np.abs(w).sum(axis=1)
    x = np.asarray(sides, dtype=np.uint8).copy()
    while True:
        if path is not None:
            path.append(float(x @ j @ (1 - x)) + 0.0)
        movers = np.flatnonzero(_gains(w, x[None, :])[0] < -tol)
        if movers.size == 0:
            return x
        x[movers[rng.integers(movers.size)]] ^= 1


def canonical(sides) -> tuple[int, ...]:
    """The partition as a tuple with actor 0 on side 0."""
    x = np.asarray(sides, dtype=np.uint8)
    return tuple(int(v) for v in (x ^ x[0]))


def basins(sizes, propensity, starts: int, rng: np.random.Generator) -> dict[tuple, float]:
    """Share of uniform random starts that descend to each canonical stable configuration.

    References: Axelrod & Bennett (1993), British Journal of Political Science 23(2).
    """
    if starts < 1:
        raise ValueError(f"starts must be at least 1, got {starts}")
    counts: dict[tuple, int] = {}
    for _ in range(starts):
        end = canonical(descend(sizes, propensity, rng.integers(0, 2, len(sizes)), rng))
        counts[end] = counts.get(end, 0) + 1
    return {config: c / starts for config, c in counts.items()}


def _matrix(ids: list[str], propensities) -> np.ndarray:
    index = {a: i for i, a in enumerate(ids)}
    p = np.zeros((len(ids), len(ids)))
    seen: dict[frozenset, float] = {}
    for a, b, value in propensities:
        if a == b:
            raise ValueError(f"propensity of {a!r} with itself is not allowed")
        if a not in index or b not in index:
            raise ValueError(f"propensity ({a!r}, {b!r}) names an actor with no size")
        if not math.isfinite(value):
            raise ValueError(f"propensity ({a!r}, {b!r}) must be finite, got {value}")
        pair = frozenset((a, b))
        if seen.setdefault(pair, value) != value:
            raise ValueError(f"pair ({a!r}, {b!r}) listed twice: {seen[pair]} and {value}")
        p[index[a], index[b]] = p[index[b], index[a]] = value
    return p


def analyse(
    sizes: dict[str, float], propensities: list[tuple[str, str, float]], starts=1000, seed=0
) -> dict:
    """Every stable two-bloc configuration with its energy and basin of attraction.

    Args:
        sizes: Actor id -> size (> 0); the first actor's bloc is listed first.
        propensities: ``(a, b, p_ab)``, symmetric; unlisted pairs are 0.
        starts: Random starts used to estimate the basins.
        seed: Seed of the random starts and descents.

    Returns:
        ``{"minima": [{"energy", "blocs": [[ids], [ids]], "basin"}, ...]}``, lowest
        energy first; every local minimum appears, basin 0 if no start reached it.

    Raises:
        ValueError: No actors or more than 24, a size <= 0, or a bad propensity list.

    References: Axelrod & Bennett (1993), British Journal of Political Science 23(2).
    """
    ids = list(sizes)
    if not 1 <= len(ids) <= MAX_ACTORS:
        raise ValueError(f"need 1 to {MAX_ACTORS} actors (exhaustive search), got {len(ids)}")
    for a, size in sizes.items():
        if not (math.isfinite(size) and size > 0):
            raise ValueError(f"size of {a!r} must be positive and finite, got {size}")
    s, p = np.array([sizes[a] for a in ids], dtype=float), _matrix(ids, propensities)
    shares = basins(s, p, starts, np.random.default_rng(seed))
    minima = []
    for x in local_minima(s, p):
        blocs = [sorted(a for a, side in zip(ids, x, strict=True) if side == k) for k in (0, 1)]
        e = float(f"{energy(s, p, x):.12g}") + 0.0
        minima.append({"energy": e, "blocs": blocs, "basin": shares.get(canonical(x), 0.0)})
    minima.sort(key=lambda m: (m["energy"], m["blocs"]))
    return {"minima": minima}


def format_table(result: dict) -> str:
    """Plain-text table of :func:`analyse` output: rank, energy, basin %, blocs."""
    lines = [f"{'rank':>4}  {'energy':>12}  {'basin':>7}  blocs"]
    for rank, m in enumerate(result["minima"], start=1):
        blocs = " | ".join("+".join(b) or "-" for b in m["blocs"])
        lines.append(f"{rank:>4}  {m['energy']:>12.6g}  {m['basin']:>7.1%}  {blocs}")
    return "\n".join(lines)
