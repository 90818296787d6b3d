"""Many yes/no choices drawn at once, in an order fixed by the rows, never by who moves first.

Every decision rule marks the (decider, partner) pairs it could choose this year and the
chance of each; one call draws them all from the model's generator. Draws go to the
eligible pairs in row-major order (decider, then partner), so the same seed gives the
same choices however the agents are listed, and nothing is drawn when nothing is
eligible.

In an ensemble (``sim.ensemble``) the mask has the runs as a leading axis and each run
draws its own eligible pairs from its own generator, the same numbers in the same
order as it would alone.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sim.mechanisms.batch import at

Generators = np.random.Generator | Sequence[np.random.Generator]


def pairs(
    rng: Generators, eligible: np.ndarray, chance: float | np.ndarray
) -> tuple[np.ndarray, ...]:
    """The eligible pairs chosen this year, as (rows, columns), after the run if any.

    Args:
        rng: The model's generator (an ensemble's: one per run).
        eligible: Boolean (deciders × partners) mask of the pairs that may be chosen.
        chance: The yearly chance of each pair (an array of the mask's shape) or of all.
    """
    return _chosen(rng, np.nonzero(eligible), chance)


def rows(
    rng: Generators, eligible: np.ndarray, chance: float | np.ndarray
) -> tuple[np.ndarray, ...]:
    """The eligible rows chosen this year (one draw per eligible row, in row order)."""
    return _chosen(rng, np.nonzero(eligible), chance)


def _chosen(
    rng: Generators, found: tuple[np.ndarray, ...], chance: float | np.ndarray
) -> tuple[np.ndarray, ...]:
    count = len(found[0])
    if count == 0:
        return found
    kept = uniform(rng, found[0], count) < at(chance, found)
    return tuple(part[kept] for part in found)


def uniform(rng: Generators, runs: np.ndarray, count: int) -> np.ndarray:
    """``count`` uniform draws; in an ensemble, each run's from its own generator.

    ``runs`` gives each draw's run (sorted, as ``np.nonzero`` lists them); a single
    run's generator ignores it.
    """
    if isinstance(rng, np.random.Generator):
        return rng.random(count)
    per_run = np.bincount(runs, minlength=len(rng))
    return np.concatenate([rng[r].random(c) for r, c in enumerate(per_run.tolist()) if c])


def normal(rng: Generators, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal draws of ``shape`` for a run, or for each run of an ensemble."""
    if isinstance(rng, np.random.Generator):
        return rng.normal(size=shape)
    return np.stack([g.normal(size=shape) for g in rng])
