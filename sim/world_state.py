"""The world's arrays, declared once: each field's axes and whether the runs share it.

Every quantity the year computes is a field of one ``WorldState``. A mechanism
declares the fields it owns in a ``Block`` beside its equations (``STATE`` in its
module) and fills them in its ``start`` function; ``sim.year.DECLARATION`` puts the
blocks together. Each field says:

- its **axes**, after the run axis: ``STATE`` (n,), ``PAIR`` (n, n), ``SECTOR_PAIR``
  (sectors, n, n), ``SECTOR`` (sectors,), ``STATE_YEAR`` (n, years + 1), or ``()``
  for one number a run;
- its **role**: ``OWN`` fields hold every run's values, the run axis first, (R, ...);
  ``FIXED`` fields too, but are set when the world starts and never written after
  (each run's start-year flows: read-only once the world has
  started); ``SHARED`` fields are one array for all runs, without a run axis, never
  written (the distances, who acts, the 2014 trade);
- whether it is **physical**, a stock or flow that can never be negative. Every
  floating-point field is checked finite at the end of each year, and a physical
  one non-negative too (``sim.finite``).

A single run is R = 1: there is no other shape. Stacking the runs' starting values,
taking one run's view and letting go of the arrays are each one function of the
declaration (``stack``, ``run_view``, ``release``). ``WorldState`` has a slot for each
declared field and nothing else, so a mechanism cannot keep an undeclared array on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

STATE = ("state",)
PAIR = ("state", "state")
SECTOR_PAIR = ("sector", "state", "state")
SECTOR = ("sector",)
STATE_YEAR = ("state", "year")
OWN = "own"
FIXED = "fixed"
SHARED = "shared"
RUN_AXIS = (OWN, FIXED)  # the roles whose arrays have the runs first


@dataclass(frozen=True)
class Field:
    """One declared array of the world.

    Attributes:
        axes: The field's axes after the run axis (``STATE``, ``PAIR``, ...).
        doc: What the field holds, with its unit.
        role: ``OWN`` (each run its own, run axis first), ``FIXED`` (the same, never
            written once the world has started) or ``SHARED`` (one for all runs).
        dtype: The numpy type of its values.
        physical: A stock or a flow, never below zero (the yearly check, ``sim.finite``).
    """

    axes: tuple[str, ...]
    doc: str
    role: str = OWN
    dtype: type = np.float64
    physical: bool = False

    def shape(self, runs: int, sizes: Mapping[str, int]) -> tuple[int, ...]:
        """The field's shape in a world of ``runs`` runs and these axis ``sizes``."""
        own = (runs,) if self.role in RUN_AXIS else ()
        return (*own, *(sizes[axis] for axis in self.axes))


Block = Mapping[str, Field]  # a mechanism's fields, by name


def declare(blocks: Iterable[Block]) -> dict[str, Field]:
    """The blocks as one declaration; a name declared twice is an error."""
    fields: dict[str, Field] = {}
    for block in blocks:
        for name, field in block.items():
            if name in fields:
                raise ValueError(f"world field {name!r} is declared twice")
            fields[name] = field
    return fields


class WorldState:
    """The declared arrays of R runs (built by ``empty`` or ``stack``; one slot a field)."""

    __slots__ = ("__weakref__",)
    fields: dict[str, Field] = {}

    @classmethod
    def of(cls, fields: dict[str, Field]) -> type[WorldState]:
        """The state class of a declaration: a slot for each field, nothing else."""
        return type("WorldState", (cls,), {"__slots__": tuple(fields), "fields": fields})


def empty(state_class: type[WorldState], runs: int, sizes: Mapping[str, int]) -> WorldState:
    """A state whose every field is zeros of its declared shape and type.

    Args:
        state_class: The declaration's class (``WorldState.of``).
        runs: R, the number of runs.
        sizes: The length of each axis: ``state`` (n), ``sector``, ``year``.
    """
    state = state_class()
    for name, field in state_class.fields.items():
        setattr(state, name, np.zeros(field.shape(runs, sizes), field.dtype))
    return state


def stack(state: WorldState, name: str, values: list[np.ndarray]) -> None:
    """Set a field's starting values: each run's (in run order), or one for every run.

    An own field is written into its declared array, so a value of the wrong shape is
    refused; a shared field takes the (first) value, read-only.
    """
    field = state.fields[name]
    if field.role == SHARED:
        shared = np.array(values[0], field.dtype)
        shared.setflags(write=False)
        setattr(state, name, shared)
    else:
        getattr(state, name)[...] = values[0] if len(values) == 1 else np.stack(values)


def run_view(state: WorldState, name: str, run: int) -> np.ndarray:
    """One field as one run sees it: a view of its row, or the shared array itself."""
    value = getattr(state, name)
    return value[run] if state.fields[name].role in RUN_AXIS else value


def check_shapes(state: WorldState, runs: int, sizes: Mapping[str, int]) -> list[str]:
    """The fields whose array is not of its declared shape or type (none in a sound world)."""
    wrong = []
    for name, field in state.fields.items():
        value = getattr(state, name, None)
        if (
            not isinstance(value, np.ndarray)
            or value.shape != field.shape(runs, sizes)
            or value.dtype != field.dtype
        ):
            wrong.append(name)
    return wrong


def freeze(state: WorldState) -> None:
    """Make the fixed fields read-only, once the world has started."""
    for name, field in state.fields.items():
        if field.role == FIXED:
            getattr(state, name).setflags(write=False)


def release(state: WorldState) -> None:
    """Let go of every array (a finished world's tables keep what they use)."""
    for name in state.fields:
        if hasattr(state, name):
            delattr(state, name)
