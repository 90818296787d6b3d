"""The world as a Mesa model: one run, its states as agents.

A ``WorldModel`` is one run of a scenario as Mesa knows it: its ``State`` agents,
its generators (``self.rng``, ``self.random``), and what the run does alone (its
scripted events, pipeline contracts, events log). Its arrays are views of its row
of an ``Ensemble`` (``sim.ensemble``): ``model.gdp`` is the run's (n,) slice of the
ensemble's (R, n) ``gdp``, and so for every field the world declares
(``sim.year.DECLARATION``). Built on its own, a model is an ensemble of one, and
``step`` advances it a year (``sim.year.advance``); the runs of a sweep are built
as ensembles of many (``together``), and only the ensemble steps them.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np

from sim.agents import State
from sim.ensemble import Ensemble
from sim.event_log import EventLog
from sim.mechanisms import events
from sim.mechanisms.pipelines import Contract
from sim.recorder import TABLES, RunRecord
from sim.scenario.schema import ScenarioConfig
from sim.world import build_world
from sim.world_state import run_view
from sim.year import DECLARATION


class WorldModel(mesa.Model):
    """States interacting through sanctions, arms, pipelines, alliances and exercises.

    Attributes:
        config: The validated scenario (``Model.scenario`` is Mesa's own).
        params: The scenario's parameters.
        ids: Row ids: acting states, then ``ROW``.
        ensemble: The ensemble whose run ``run`` this model is.
        states: The ``State`` agents (an AgentSet); ``deciding``, those that act.
    """

    def __init__(
        self,
        config: ScenarioConfig,
        rng: np.random.Generator | int | None = None,
        tables: tuple[str, ...] = TABLES,
        alone: bool = True,
    ):
        """Build the run's starting world; alone, as an ensemble of one, recording its start.

        Args:
            config: The validated scenario.
            rng: The run's generator (or a seed for one).
            tables: The recorder's tables the run will be asked for (every one by
                default); a run that keeps no dyads records none.
            alone: Build the ensemble of this run alone; ``together`` builds runs
                without one and joins them itself.
        """
        super().__init__(rng=rng)
        # Exogenous shocks (growth, affinity noise) draw from their own stream, split off
        # before anything else, so that scenarios compared on the same seed share them
        # whatever their decisions draw (common random numbers).
        self.shock_rng = np.random.default_rng(self.rng.integers(2**63))
        self.config = config
        self.params = config.parameters
        self.starting_world = build_world(
            config.world.states,
            self.params.military.depreciation,
            config.world.capability_history_start,
            config.start_year,
        )
        self.ids = self.starting_world.ids
        self.index = {state: i for i, state in enumerate(self.ids)}
        self.n = len(self.ids)
        names = self.starting_world.names
        for i, (iso3, name) in enumerate(zip(self.ids, names, strict=True)):
            State(self, i, iso3, name, acts=i < self.n - 1)
        self.states = self.agents_by_type[State]
        self.deciding = self.states.select(lambda state: state.acts)
        self.by_id = {agent.iso3: agent for agent in self.states}
        self.events_log = EventLog(self.ids)
        self.contracts: list[Contract] = []
        self.schedule = events.Schedule(config)
        self.sides: np.ndarray | None = None  # landscape sides of the acting states
        if alone:
            Ensemble([self], tables)

    def join(self, ensemble: Ensemble, run: int) -> None:
        """Become run ``run`` of ``ensemble`` (called by the ensemble as it is built)."""
        self.ensemble = ensemble
        self.run_index = run

    def __getattr__(self, name: str) -> Any:
        """A declared field of the world: this run's view of it (``sim.world_state``)."""
        if name in DECLARATION and "ensemble" in vars(self):
            return run_view(self.ensemble.state, name, self.run_index)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        """A declared field is written into this run's view of it, never shadowed."""
        if name in DECLARATION and "ensemble" in vars(self):
            run_view(self.ensemble.state, name, self.run_index)[...] = value
        else:
            super().__setattr__(name, value)

    @property
    def year(self) -> int:
        """The calendar year of the current state."""
        return self.ensemble.year

    @property
    def recorder(self) -> RunRecord:
        """This run's records."""
        return self.ensemble.recorder.of_run(self.run_index)

    @property
    def deliveries(self) -> Any:
        """The arms deals being delivered (every run's: ``arms.Deliveries``)."""
        return self.ensemble.deliveries

    def power_indices(self) -> dict[str, np.ndarray]:
        """This year's power indices of every row (``mechanisms.power``)."""
        return {
            name: values[self.run_index] for name, values in self.ensemble.power_indices().items()
        }

    def log(self, kind: str, source: str, target: str, magnitude: float, origin: str) -> None:
        """Record something that happened this year (exogenous or chosen)."""
        self.ensemble.log(self.run_index, kind, source, target, magnitude, origin)

    # --------------------------------------------------------------------- step

    def step(self) -> None:
        """Advance one year (a run built alone; an ensemble's runs are stepped by it)."""
        if len(self.ensemble.runs) > 1:
            raise RuntimeError("a run of an ensemble of many is stepped by its ensemble")
        self.ensemble.step()

    def run(self) -> None:
        """Run every remaining year of the scenario."""
        for _ in range(self.config.end_year - self.year):
            self.step()


def together(
    configs: list[ScenarioConfig],
    seeds: list[np.random.SeedSequence],
    tables: tuple[str, ...] = TABLES,
) -> Ensemble:
    """The runs of ``configs``, each with its seed, as one ensemble (not yet advanced)."""
    runs = [
        WorldModel(config, rng=np.random.default_rng(seed), tables=tables, alone=False)
        for config, seed in zip(configs, seeds, strict=True)
    ]
    return Ensemble(runs, tables)
