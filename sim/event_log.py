"""What happened in a run, year by year: the events table, kept as batches of arrays.

Every event is a row of ``COLUMNS``: the year, its kind (``arms_sale``, ``exercise``,
``sanction``, ...), the state it came from and the one it reached (``""`` for none),
its magnitude and its origin (``decision`` or a scripted event's). Decision rules log
many pairs of one kind at once — world_all.yaml holds about 2,600 exercises a year —
so the log keeps each call as one batch (row indices and magnitudes as arrays) and
builds the table's columns once, at the end of the run, instead of a Python tuple per
event.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

COLUMNS = ("year", "kind", "source", "target", "magnitude", "origin")


class Event(NamedTuple):
    """One event, as a row of the events table."""

    year: int
    kind: str
    source: str
    target: str
    magnitude: float
    origin: str


class _Batch(NamedTuple):
    year: int
    kind: str
    sources: np.ndarray  # row indices (len(ids): no state)
    targets: np.ndarray
    magnitudes: np.ndarray
    origin: str


class EventLog:
    """The events of one run, in the order they were logged.

    Args:
        ids: The world's row ids; events name their states by these.
    """

    def __init__(self, ids: list[str]):
        self._names = np.array([*ids, ""], dtype=object)  # row -> id; the last: no state
        self._rows = {state: row for row, state in enumerate(self._names.tolist())}
        self._batches: list[_Batch] = []
        self._count = 0

    def add(
        self, year: int, kind: str, source: str, target: str, magnitude: float, origin: str
    ) -> None:
        """Log one event between two states named by id (``""`` for none)."""
        rows = np.array([self._rows[source], self._rows[target]])
        self._append(_Batch(year, kind, rows[:1], rows[1:], np.array([magnitude], float), origin))

    def add_many(
        self,
        year: int,
        kind: str,
        sources: np.ndarray,
        targets: np.ndarray,
        magnitude: float | np.ndarray,
        origin: str,
    ) -> None:
        """Log events of one kind between pairs of rows (one magnitude, or one per pair)."""
        if len(sources) == 0:
            return
        # copies: the caller's arrays may change after the call
        sizes = np.broadcast_to(np.array(magnitude, dtype=float), (len(sources),))
        self._append(_Batch(year, kind, np.array(sources), np.array(targets), sizes, origin))

    def _append(self, batch: _Batch) -> None:
        self._batches.append(batch)
        self._count += len(batch.sources)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Event]:
        names = self._names
        for b in self._batches:
            for source, target, size in zip(
                names[b.sources].tolist(),
                names[b.targets].tolist(),
                b.magnitudes.tolist(),
                strict=True,
            ):
                yield Event(b.year, b.kind, source, target, size, b.origin)

    def columns(self) -> dict[str, np.ndarray]:
        """The events table as columns: strings as object arrays, one entry per event."""
        batches = self._batches
        if not batches:  # typed, so that a run without events has the same schema
            return {
                "year": np.array([], np.int32),
                **dict.fromkeys(("kind", "source", "target"), np.array([], str)),
                "magnitude": np.array([], np.float64),
                "origin": np.array([], str),
            }
        counts = [len(b.sources) for b in batches]
        return {
            "year": np.repeat(np.array([b.year for b in batches], np.int32), counts),
            "kind": np.repeat(np.array([b.kind for b in batches], object), counts),
            "source": self._names[np.concatenate([b.sources for b in batches])],
            "target": self._names[np.concatenate([b.targets for b in batches])],
            "magnitude": np.concatenate([b.magnitudes for b in batches]),
            "origin": np.repeat(np.array([b.origin for b in batches], object), counts),
        }
