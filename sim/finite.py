"""The yearly check that a run's world is still a world: finite, and not negative where physical.

The schema bounds every magnitude a user can type (docs/model.md#bounds), but
bounds one at a time cannot rule out every combination that overflows. So at the
end of each year the model's state is checked (``check``): a value that is not
finite, or a stock or flow below zero, stops the run with ``RunFailed``, one line
naming the year, the state, the field and the scenario entry most likely to blame,
and the run is recorded as failed instead of being summarised.

What is checked follows the world's declaration (``sim.world_state``): in the start
year every floating-point field, then each year every quantity of a state and every
quantity of a pair that the tables record (``sim.year.CHECKED_YEARLY``), in the order
of the declaration; a field declared ``physical`` must also not be negative. The pairs'
other quantities feed a recorded one within the year (trade's deviation, the gas
price, threat), so nothing that is not finite is ever recorded; a field added to the
world is checked with the others.
``first_violation`` is the check itself: plain arrays in, the first violation out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.errors import RunFailed
from sim.scenario.schema import SECTORS, Parameters, ScenarioConfig
from sim.scenario.schema_walk import state_ids
from sim.world_state import SHARED

if TYPE_CHECKING:
    from sim.ensemble import Ensemble

TOLERANCE = 1e-9  # rounding leaves stocks at -1e-15, not -1e-9


@dataclass(frozen=True)
class Violation:
    """Where a year's state stopped being physical.

    Attributes:
        run: The run's position on the leading run axis (None without one).
        field: The array's name.
        row: The state's row (the sender of a sanction or flow), None for a scalar.
        partner: The other row of a pair, None for a per-state value.
        sector: The sanction sector's position, None for other arrays.
        value: The offending value.
    """

    run: int | None
    field: str
    row: int | None
    partner: int | None
    sector: int | None
    value: float

    @property
    def what(self) -> str:
        """``not finite`` or ``negative``."""
        return "negative" if np.isfinite(self.value) else "not finite"


def first_violation(
    arrays: Mapping[str, Any],
    runs: bool = False,
    nonnegative: Collection[str] = (),
) -> Violation | None:
    """The first value of ``arrays`` that is not finite, or negative where it must not be.

    Args:
        arrays: Each array by name: per state (n,), per pair (n, n), per sector and
            pair (sectors, n, n), or a scalar.
        runs: The arrays carry a leading run axis: (R,), (R, n), (R, n, n), (R, sectors, n, n).
        nonnegative: The names whose values must also be >= 0 (within ``TOLERANCE``).

    Returns:
        The first violation, in the order of ``arrays`` then of the runs, or None.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # the sums may overflow: asked below
        if _all_clean(arrays, nonnegative):
            return None
    for name, values in arrays.items():
        values = np.asarray(values, dtype=float)
        stacked = values if runs else values[None]
        physical = name in nonnegative
        with np.errstate(over="ignore", invalid="ignore"):  # the sum may overflow: asked below
            clean = _clean(stacked, physical)
        if clean:
            continue
        bad = ~np.isfinite(stacked)
        if physical:
            bad |= stacked < -TOLERANCE
        if not bad.any():  # a sum of large finite values overflowed: nothing wrong
            continue
        place = tuple(int(i) for i in np.argwhere(bad)[0])
        run, *index = place
        sector = index.pop(0) if len(index) == 3 else None
        return Violation(
            run=run if runs else None,
            field=name,
            row=index[0] if index else None,
            partner=index[1] if len(index) == 2 else None,
            sector=sector,
            value=float(stacked[place]),
        )
    return None


SMALL = 4096  # arrays up to this size are checked together


def _all_clean(arrays: Mapping[str, Any], nonnegative: Collection[str]) -> bool:
    """Whether every array is surely fine (the usual case), in few reductions.

    A year's check reads some thirty arrays; the small ones (a state's quantities, a
    small world's pairs) are joined and reduced at once, since at their size the
    calls, not the numbers, are the cost. The large ones are reduced one by one.
    """
    small: dict[bool, list[np.ndarray]] = {True: [], False: []}
    for name, values in arrays.items():
        values = np.asarray(values, dtype=float)
        physical = name in nonnegative
        if values.size <= SMALL:
            small[physical].append(values.ravel())
        elif not _clean(values, physical):
            return False
    return all(_clean(np.concatenate(parts), kind) for kind, parts in small.items() if parts)


def _clean(values: np.ndarray, physical: bool) -> bool:
    """Whether ``values`` are surely fine, by reductions that allocate nothing (the usual case).

    NaN and infinities carry through a sum and a minimum; False asks for the exact check.
    """
    if values.size == 0:
        return True
    if physical:
        return bool(values.min() >= -TOLERANCE and values.max() < np.inf)
    return bool(np.isfinite(values.sum()))


def year_arrays(world: Ensemble, names: Collection[str]) -> dict[str, np.ndarray]:
    """The fields ``names`` (in the order given), each with the runs first."""
    state, runs = world.state, len(world.runs)
    arrays = {}
    for name in names:
        value = getattr(state, name)
        if state.fields[name].role == SHARED:
            value = np.broadcast_to(value, (runs, *value.shape))
        arrays[name] = value
    return arrays


def check(world: Ensemble, names: Collection[str], nonnegative: Collection[str]) -> None:
    """Raise ``RunFailed`` if the year just advanced left a run's world unphysical.

    Args:
        world: The runs.
        names: The floating-point fields to check, in the order to report them
            (``sim.year.CHECKED_YEARLY``, and every one in the start year).
        nonnegative: Those that are stocks or flows, never below zero.
    """
    found = first_violation(year_arrays(world, names), runs=True, nonnegative=nonnegative)
    if found is not None:
        run = world.runs[found.run]
        raise failure(run.config, run.ids, world.year, found)


MAGNITUDE = {  # the field of each kind of event whose size can break a world
    "pipeline": "capacity_bcm",
    "arms_deal": "value_usd_bn",
    "energy_price": "index",
    "trade_agreement": "trade_bonus",
    "growth_shock": "change_pct",
    "sanction": "sectors",
}


def _flat(data: dict[str, Any], path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    out = {}
    for key, value in data.items():
        if isinstance(value, dict) and value:
            out.update(_flat(value, (*path, key)))
        else:
            out[(*path, key)] = value
    return out


def suspects(config: ScenarioConfig, state: str | None, year: int) -> list[tuple[str, ...]]:
    """The scenario entries likeliest to have broken ``state``'s world by ``year``, in order.

    The scripted events dated up to ``year`` that name the state (or every row: a
    growth shock without states, an energy price), latest first, each at the field
    that sets its size; then the start-year pipelines that name it; then every
    parameter set away from its default.
    """
    named = {path[:2] for path, named in state_ids(config) if named == state}
    events = [
        (event.year, key, event)
        for key, event in config.active_events().items()
        if event.year <= year
        and (
            ("events", key) in named
            or event.kind == "energy_price"
            or (event.kind == "growth_shock" and not event.states)
        )
    ]
    found = [
        ("events", key, *((MAGNITUDE[event.kind],) if event.kind in MAGNITUDE else ()))
        for _, key, event in sorted(events, key=lambda item: -item[0])
    ]
    found += [
        ("world", "pipelines", key, "capacity_bcm")
        for key, pipeline in config.world.pipelines.items()
        if pipeline is not None and state in (pipeline.exporter, pipeline.importer)
    ]
    given = _flat(config.parameters.model_dump())
    default = _flat(Parameters().model_dump())
    found += [("parameters", *path) for path, value in given.items() if default.get(path) != value]
    return found


def failure(config: ScenarioConfig, ids: tuple[str, ...], year: int, found: Violation) -> RunFailed:
    """The ``RunFailed`` of a violation: its year, state and field, and what to blame."""
    state = ids[found.row] if found.row is not None else None
    where = f"{found.field}"
    if found.sector is not None:
        where += f" ({SECTORS[found.sector]})"
    if found.partner is not None:
        where += f" towards {ids[found.partner]}"
    blamed = suspects(config, state, year)
    message = (
        f"the run stopped in {year}: {state or 'the world'}'s {where} is {found.what} "
        f"({found.value:g})"
    )
    if blamed:
        others = [".".join(path) for path in blamed[1:4]]
        more = f" (or {', '.join(others)}{', ...' if len(blamed) > 4 else ''})" if others else ""
        message += f"; most likely caused by this entry{more}"
    else:
        message += "; no scripted event or parameter of the scenario names it"
    return RunFailed(message, blamed[0] if blamed else (), year, state, found.field)
