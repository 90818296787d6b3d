"""Many yes/no choices drawn at once, in an order fixed by the rows, never by who moves first.

Every decision rule marks the (run, decider, partner) entries it could choose this
year and the chance of each; one call draws them all. Each run draws its own
eligible entries from its own generator, in row-major order (decider, then
partner), so the same seed gives the same choices however the agents are listed and
whatever runs it is advanced with, and nothing is drawn when nothing is eligible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Generators = Sequence[np.random.Generator]  # one per run


def pairs(rngs: Generators, eligible: np.ndarray, chance: np.ndarray) -> tuple[np.ndarray, ...]:
    """The eligible pairs chosen this year, as (run, rows, columns).

    Args:
        rngs: Each run's generator.
        eligible: Boolean (runs × deciders × partners) mask of the pairs that may be chosen.
        chance: The yearly chance of each pair (an array of the mask's shape) or one
            chance per run, shape (R,).
    """
    return _chosen(rngs, np.nonzero(eligible), chance)


def rows(rngs: Generators, eligible: np.ndarray, chance: np.ndarray) -> tuple[np.ndarray, ...]:
    """The eligible rows chosen this year (one draw per eligible row, in row order)."""
    return _chosen(rngs, np.nonzero(eligible), chance)


def _chosen(
    rngs: Generators, found: tuple[np.ndarray, ...], chance: np.ndarray
) -> tuple[np.ndarray, ...]:
    count = len(found[0])
    if count == 0:
        return found
    at = chance[found[0]] if chance.ndim == 1 else chance[found]
    kept = uniform(rngs, found[0]) < at
    return tuple(part[kept] for part in found)


def uniform(rngs: Generators, runs: np.ndarray) -> np.ndarray:
    """One uniform draw for each entry of ``runs``, each from its run's own generator.

    ``runs`` gives each draw's run, sorted (as ``np.nonzero`` lists them).
    """
    per_run = np.bincount(runs, minlength=len(rngs))
    return np.concatenate([rngs[r].random(c) for r, c in enumerate(per_run.tolist()) if c])


def normal(rngs: Generators, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal draws of ``shape`` for each run, the runs first."""
    return np.stack([g.normal(size=shape) for g in rngs])
