"""Many yes/no choices drawn at once, in an order fixed by the rows, never by who moves first.

Every decision rule marks the (decider, partner) pairs it could choose this year and the
chance of each; one call draws them all from the model's generator. Draws go to the
eligible pairs in row-major order (decider, then partner), so the same seed gives the
same choices however the agents are listed, and nothing is drawn when nothing is
eligible.
"""

from __future__ import annotations

import numpy as np


def pairs(
    rng: np.random.Generator, eligible: np.ndarray, chance: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The eligible pairs chosen this year, as (rows, columns).

    Args:
        rng: The model's generator.
        eligible: Boolean (deciders × partners) mask of the pairs that may be chosen.
        chance: The yearly chance of each pair (an array of the mask's shape) or of all.
    """
    rows, cols = np.nonzero(eligible)
    if len(rows) == 0:
        return rows, cols
    p = chance[rows, cols] if isinstance(chance, np.ndarray) else chance
    kept = rng.random(len(rows)) < p
    return rows[kept], cols[kept]


def rows(rng: np.random.Generator, eligible: np.ndarray, chance: float | np.ndarray) -> np.ndarray:
    """The eligible rows chosen this year (one draw per eligible row, in row order)."""
    (found,) = np.nonzero(eligible)
    if len(found) == 0:
        return found
    p = chance[found] if isinstance(chance, np.ndarray) else chance
    return found[rng.random(len(found)) < p]
