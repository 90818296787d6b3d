"""The world's axes as the mechanisms meet them: the runs first, then rows and partners.

Every own array of the world (``sim.world_state``) has the runs as its leading
axis: a state's quantity is (R, n), a pair's (R, n, n), the sanctions (R, sectors,
n, n); a single run is R = 1. The mechanisms are written for that one shape:

- axes are counted from the end (``axis=-1`` is the partner, ``axis=-2`` the row of
  a pair), ``swap`` is the transpose of every run's pairs, ``zero_diagonal`` sets
  their diagonals;
- a set of pairs is an index tuple ``(run, a, b)`` and a set of rows ``(run, a)``, as
  ``np.nonzero`` gives them;
- a parameter is an (R,) array (``sim.run_parameters``): ``rate[:, None]`` meets a
  state's (R, n), ``rate[:, None, None]`` a pair's (R, n, n), and ``rate[run]``
  gives each entry of a set of pairs its run's value.

Every run computes exactly what it would compute alone: the same operations on the
same numbers in the same order (tests/test_ensemble.py).
"""

from __future__ import annotations

import numpy as np


def power(base: np.ndarray, exponent: np.ndarray) -> np.ndarray:
    """``base ** exponent``, each run (``base[r]``) raised to its own exponent as a number.

    numpy raises to some numbers (0.5, 2) by a faster route whose last bit can differ
    from the general power; a run raises to its exponent the same way whatever runs
    it is advanced with.
    """
    return np.stack([row**e for row, e in zip(base, exponent.tolist(), strict=True)])


def swap(pairs: np.ndarray) -> np.ndarray:
    """The transpose of every (n, n) array: ``[..., j, i]`` at ``[..., i, j]``."""
    return np.swapaxes(pairs, -1, -2)


def zero_diagonal(pairs: np.ndarray, value: float = 0.0) -> None:
    """Set each (n, n) array's diagonal to ``value``, in place."""
    rows = np.arange(pairs.shape[-1])
    pairs[..., rows, rows] = value


def rows_of(values: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``values[..., i, columns[..., i]]``: each row's entry in its own column."""
    return np.take_along_axis(values, columns[..., None], axis=-1)[..., 0]


def pair_min(values: np.ndarray) -> np.ndarray:
    """[..., i, j]: the smaller of the pair's two values."""
    return np.minimum(values[..., :, None], values[..., None, :])


def pair_gap(values: np.ndarray) -> np.ndarray:
    """[..., i, j]: the absolute difference of the pair's two values."""
    return np.abs(values[..., :, None] - values[..., None, :])
