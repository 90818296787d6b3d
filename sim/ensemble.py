"""Many runs of one scenario advanced together, the runs as a leading axis of every array.

A year of a small world is about a thousand numpy calls on arrays of a few hundred
numbers: the calls, not the arithmetic, are the cost. An ``Ensemble`` of R runs
makes the same calls once for all R, on (R, n) and (R, n, n) arrays, and runs the
year with the same function as a single run (``sim.model.advance``); the mechanisms
are written for both shapes (``sim.mechanisms.batch``).

Each run is still a whole ``WorldModel`` (its Mesa agents, generator, scripted
events, contracts, deals, events log and recorder), whose arrays are views of the
ensemble's: what a run does alone (its scripted events, the landscape's sides, its
recording) it does on its own model, and the ensemble sees it. Each run draws from
its own generators in the order it would alone, and computes the same operations on
the same numbers, so its tables are identical to those of ``run_one`` with the same
scenario and seed (tests/test_ensemble.py). Runs may differ in any numeric
parameter (a ``PerRun`` value); they must share the states, the years and the
choice of mechanisms (``alliances.mode``, ``power.index``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel

from sim.agents import Choices, choose
from sim.mechanisms.batch import PerRun
from sim.mechanisms.sanctions import SECTOR_INDEX
from sim.model import WorldModel, advance
from sim.recorder import TABLES, Recorder
from sim.scenario.schema import Scenario

SECTOR_FIRST = ("sanctions", "between")  # (sectors, R, n, n): a sector's slice is one array
SHARED = ("acts",)  # the same in every run, never written
OWN = ("trade_cut_weights",)  # held by the ensemble as one value (or PerRun) per sector


def per_run(values: Sequence[Any]) -> Any:
    """One value if every run has it, else a ``PerRun`` array of the runs' numbers."""
    first = values[0]
    if all(value == first for value in values[1:]):
        return first
    if all(isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in values):
        return PerRun(values)
    raise ValueError("the runs of an ensemble differ in a setting that must be the same in all")


def _each_run(run: np.ndarray) -> Iterator[tuple[int, np.ndarray]]:
    """Each run among the entries ``run`` names, and which entries are its (in order)."""
    for r in np.unique(run).tolist():
        yield r, run == r


class _Section:
    """One section of the runs' parameters: each field one value, or one per run."""

    def __init__(self, name: str, sections: list[Any]):
        self._name = name
        self._sections = sections

    def __getattr__(self, field: str) -> Any:
        values = [getattr(section, field) for section in self._sections]
        if isinstance(values[0], BaseModel) and any(v != values[0] for v in values[1:]):
            nested = _Section(f"{self._name}.{field}", values)  # e.g. power.weights
            setattr(self, field, nested)
            return nested
        try:
            value = per_run(values)
        except ValueError:
            raise ValueError(
                f"the runs of an ensemble differ in parameters.{self._name}.{field},"
                " which must be the same in all"
            ) from None
        setattr(self, field, value)  # parameters do not change during a run
        return value


class _Parameters:
    """The runs' ``Parameters``: ``params.arms.offer_rate`` is a number or a ``PerRun``."""

    def __init__(self, runs: list[WorldModel]):
        self._runs = runs

    def __getattr__(self, name: str) -> _Section:
        section = _Section(name, [getattr(run.params, name) for run in self._runs])
        setattr(self, name, section)
        return section


class _Deliveries:
    """The runs' arms deals: each run keeps its own (``arms.Deliveries``)."""

    def __init__(self, runs: list[WorldModel]):
        self._runs = runs

    def add(self, run, seller, buyer, value, years) -> None:
        """Deals of many runs: each run's go to its own deliveries, in order."""
        for r, mine in _each_run(run):
            own = int(years[r]) if isinstance(years, PerRun) else years
            self._runs[r].deliveries.add(seller[mine], buyer[mine], value[mine], own)

    def deliver(self, flow: np.ndarray, embargo: np.ndarray) -> None:
        """Each run's deliveries into its own flows (``flow[r]``)."""
        for r, state in enumerate(self._runs):
            state.deliveries.deliver(flow[r], embargo[r])


class Ensemble:
    """R runs of one scenario, advanced a year at a time together.

    Args:
        configs: Each run's scenario (the same states and years; parameters may differ).
        seeds: Each run's seed, as ``run_one`` takes it.
        tables: The recorder's tables the runs will be asked for.
    """

    def __init__(
        self,
        configs: Sequence[Scenario],
        seeds: Sequence[np.random.SeedSequence],
        tables: tuple[str, ...] = TABLES,
    ):
        if len({self.shares(config) for config in configs}) > 1:
            raise ValueError("the runs of an ensemble must share their states, years and modes")
        self.members = [
            WorldModel(config, rng=np.random.default_rng(seed), tables=tables)
            for config, seed in zip(configs, seeds, strict=True)
        ]
        first = self.members[0]
        self.config = first.config
        self.ids, self.index, self.n = first.ids, first.index, first.n
        self.acts = first.acts
        self.deciding_rows = np.zeros(self.n, bool)
        self.deciding_rows[first.deciding.get("index")] = True
        self.params = _Parameters(self.members)
        self.rng = [run.rng for run in self.members]
        self.shock_rng = [run.shock_rng for run in self.members]
        self.deliveries = _Deliveries(self.members)
        self.stacked: list[str] = []
        for name, value in vars(first).items():
            if isinstance(value, np.ndarray) and name not in SHARED + OWN:
                axis = 1 if name in SECTOR_FIRST else 0
                setattr(self, name, np.stack([vars(run)[name] for run in self.members], axis))
                self.stacked.append(name)
        self.cinc_base = {  # the CINC components' 2014 values (WorldModel.power_indices)
            name: np.stack([run.cinc_base[name] for run in self.members])
            for name in first.cinc_base
        }
        self.recorder = Recorder(self, tables)
        self._record_together()
        self.trade_cut_weights = [
            per_run([run.trade_cut_weights[k] for run in self.members])
            for k in SECTOR_INDEX.values()
        ]
        self._shared: dict[str, np.ndarray] = {}
        self._share()

    @staticmethod
    def shares(config: Scenario) -> tuple:
        """What runs must have in common to be advanced together: states, years, mechanisms."""
        p = config.parameters
        return (
            tuple(config.world.states),
            config.start_year,
            config.years,
            p.alliances.mode,
            p.power.index,
        )

    def _record_together(self) -> None:
        """Make each run's recorded arrays (its start year so far) views of the ensemble's."""
        for ours, name in ((self.recorder.states, "states"), (self.recorder.dyads, "dyads")):
            for column, values in ours.items():
                for r, run in enumerate(self.members):
                    theirs = getattr(run.recorder, name)
                    values[r] = theirs[column]
                    theirs[column] = values[r]
        self.recorder.row = self.members[0].recorder.row

    def record(self) -> None:
        """Record the year just ended: the arrays of every run at once, then each run's system."""
        power = self.recorder.record_arrays()
        self.recorder.row += 1
        for r, run in self.runs():
            run.recorder.record_system(power[r])

    # ------------------------------------------------------------ the runs' views

    def _share(self) -> None:
        """Point each run's arrays at its slice of the ensemble's current ones."""
        for name in self.stacked:
            value = getattr(self, name)
            if self._shared.get(name) is value:
                continue
            self._shared[name] = value
            if name in SECTOR_FIRST:
                for r, run in enumerate(self.members):
                    setattr(run, name, value[:, r])
            else:
                for r, run in enumerate(self.members):
                    setattr(run, name, value[r])

    def runs(self) -> list[tuple[tuple[int, ...], WorldModel]]:
        """Each run with its index prefix ``(r,)``, its arrays views of the ensemble's."""
        self._share()
        return [((r,), run) for r, run in enumerate(self.members)]

    def member(self, run: tuple[int, ...] | list[int]) -> WorldModel:
        """The run at an index prefix ``(r,)``, its arrays views of the ensemble's."""
        self._share()
        return self.members[run[0]]

    # ------------------------------------------------------- what the year reads

    @property
    def year(self) -> int:
        """The calendar year (every run's)."""
        return self.members[0].year

    @year.setter
    def year(self, value: int) -> None:
        for run in self.members:
            run.year = value

    @property
    def price_index(self) -> float | PerRun:
        """Each run's energy price index (set by its own scripted events)."""
        return per_run([run.price_index for run in self.members])

    def decide(self) -> Choices:
        """Every run's acting states' choices, all at once (``State.decide``)."""
        return choose(self, self.deciding_rows)

    def log_many(self, kind, run, sources, targets, magnitude, origin) -> None:
        """Log events of many runs: each run's in its own events log, in order."""
        sizes = np.broadcast_to(np.asarray(magnitude, dtype=float), (len(run),))
        for r, mine in _each_run(run):
            self.members[r].log_many(kind, sources[mine], targets[mine], sizes[mine], origin)

    power_indices = WorldModel.power_indices
    gdp_ratio = WorldModel.gdp_ratio
    population_ratio = WorldModel.population_ratio
    per_gdp = WorldModel.per_gdp

    def release(self) -> None:
        """Let go of every run's arrays once the runs' tables are built.

        The runs' tables keep what they use. The runs are Mesa models whose agents and
        recorders refer back to them, so without this their arrays (and the ensemble's)
        would wait for Python's cycle collector, and a worker making one ensemble after
        another would hold several at once (``Recorder.release``).
        """
        self.recorder.release()
        self._shared.clear()
        for name in self.stacked:
            for run in self.members:
                vars(run).pop(name, None)
            vars(self).pop(name, None)

    def run(self) -> None:
        """Run every year of the scenario, in every run."""
        for _ in range(self.config.years):
            advance(self)
        self._share()
