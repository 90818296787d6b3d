"""One run's arrays or many runs' at once: what the mechanisms need to be written for both.

A single run (``sim.model.WorldModel``) holds a state's quantities as (n,) arrays
and a pair's as (n, n). An ensemble (``sim.ensemble.Ensemble``) advances R runs of
one scenario together and holds the same quantities with the runs as a leading
axis: (R, n) and (R, n, n); the sanctions, sector first, as (sectors, R, n, n).
The mechanisms are written once for both shapes:

- axes are counted from the end (``axis=-1`` is the partner, ``axis=-2`` the row
  of a pair), ``swap`` replaces ``.T`` and ``zero_diagonal`` ``np.fill_diagonal``;
- a set of pairs is an index tuple as ``np.nonzero`` gives it, ``(a, b)`` in a
  run and ``(run, a, b)`` in an ensemble; rows are ``(a,)`` or ``(run, a)``;
- a parameter the runs share is a number; one that differs between them is a
  ``PerRun`` array, which lines up with the leading axis of whatever it meets,
  and ``at`` takes its value at a set of pairs or rows.

Every run of an ensemble computes exactly what it would compute alone: the same
operations on the same numbers in the same order (tests/test_ensemble.py).
"""

from __future__ import annotations

import numpy as np


class PerRun(np.ndarray):
    """A parameter's value in each run of an ensemble, shape (R,).

    In arithmetic with an array of the ensemble (R first) it lines up with the runs:
    against (R, n) it acts as (R, 1), against (R, n, n) as (R, 1, 1). Combined only
    with numbers and other ``PerRun`` values it stays one value per run. Meeting a
    one-dimensional array (a row shared by all runs, such as ``acts``) is an error,
    even when that array happens to have R entries.
    """

    def __new__(cls, values) -> PerRun:
        """The runs' values, in run order (integers stay integers)."""
        return np.asarray(values).view(cls)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        others = [x for x in inputs if isinstance(x, np.ndarray) and not isinstance(x, PerRun)]
        ndim = max((x.ndim for x in others), default=0)
        runs = len(self)
        for x in others:  # an ensemble's arrays are (R, ...); a (n,) one is shared by its runs
            if x.ndim == 1 or (x.ndim > 1 and x.shape[0] not in (1, runs)):
                raise ValueError(f"a value per run (R = {runs}) met an array of shape {x.shape}")
        tail = (1,) * max(ndim - 1, 0)
        plain = [
            x.view(np.ndarray).reshape(runs, *tail) if isinstance(x, PerRun) else x for x in inputs
        ]
        result = getattr(ufunc, method)(*plain, **kwargs)
        if ndim == 0 and isinstance(result, np.ndarray) and result.shape == (runs,):
            return result.view(PerRun)
        return result


def at(value: float | np.ndarray, index: tuple[np.ndarray, ...]) -> float | np.ndarray:
    """A parameter (or an array of the model's shape) at a set of pairs or rows.

    A number is the same everywhere; a ``PerRun`` value is taken at each entry's run
    (the index's first array); an array of the model's shape at the entries themselves.
    """
    if isinstance(value, PerRun):
        return value.view(np.ndarray)[index[0]]
    if isinstance(value, np.ndarray):
        return value[index]
    return value


def lined_up(value: float | np.ndarray, like: np.ndarray) -> float | np.ndarray:
    """A parameter shaped to meet ``like`` where numpy would not line it up itself.

    ``np.where`` and other functions that are not ufuncs broadcast from the right; a
    ``PerRun`` value is given the trailing axes of ``like`` for them.
    """
    if isinstance(value, PerRun):
        return value.view(np.ndarray).reshape(len(value), *(1,) * (like.ndim - 1))
    return value


def power(base: np.ndarray, exponent: float | np.ndarray) -> np.ndarray:
    """``base ** exponent``, each run with its own exponent as a number.

    numpy raises to some numbers (0.5, 2) by a faster route whose last bit can differ
    from the general power; a run raises to its exponent the same way in an ensemble
    as alone.
    """
    if isinstance(exponent, PerRun):
        return np.stack([row**e for row, e in zip(base, exponent.tolist(), strict=True)])
    return base**exponent


def swap(pairs: np.ndarray) -> np.ndarray:
    """The transpose of every (n, n) array: ``[..., j, i]`` at ``[..., i, j]``."""
    return np.swapaxes(pairs, -1, -2)


def zero_diagonal(pairs: np.ndarray, value: float = 0.0) -> None:
    """Set each (n, n) array's diagonal to ``value``, in place (``np.fill_diagonal``)."""
    if pairs.ndim == 2:
        np.fill_diagonal(pairs, value)
    else:
        rows = np.arange(pairs.shape[-1])
        pairs[..., rows, rows] = value


def rows_of(values: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``values[..., i, columns[..., i]]``: each row's entry in its own column."""
    return np.take_along_axis(values, columns[..., None], axis=-1)[..., 0]
