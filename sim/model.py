"""The world as a Mesa model: states as agents, dyadic quantities as n×n arrays.

One step is one year. The row recorded for year Y is the world at the end of Y:
the step that produces it applies the scenario's events dated Y, lets every
acting state decide at once on that start-of-year world and carries the choices
out together (``State.decide``, ``State.carry_out``), then advances the vectorised
dynamics: gas, trade, economy, arms, military, affinity. Events dated in the start year
are applied before the start row is recorded; their effects show from the
next year on.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim import finite, metrics, trends
from sim.agents import Choices, State
from sim.event_log import EventLog
from sim.mechanisms import (
    affinity,
    alliances,
    arms,
    economy,
    events,
    exercises,
    military,
    pipelines,
    sanctions,
    threat,
    trade,
)
from sim.recorder import TABLES, Recorder
from sim.scenario.schema import Scenario
from sim.world import build_world


class WorldModel(mesa.Model):
    """States interacting through sanctions, arms, pipelines, alliances and exercises.

    Attributes:
        config: The validated scenario (``Model.scenario`` is Mesa's own).
        ids: Row ids: acting states, then ``ROW``.
        year: The calendar year of the current state.
    """

    def __init__(
        self,
        config: Scenario,
        rng: np.random.Generator | int | None = None,
        tables: tuple[str, ...] = TABLES,
    ):
        """Build the starting world of ``config`` and record its start year.

        Args:
            config: The validated scenario.
            rng: The run's generator (or a seed for one).
            tables: The recorder's tables the run will be asked for (every one by
                default); a run that keeps no dyads records none.
        """
        super().__init__(rng=rng)
        # Exogenous shocks (growth, affinity noise) draw from their own stream, split off
        # before anything else, so that scenarios compared on the same seed share them
        # whatever their decisions draw (common random numbers).
        self.shock_rng = np.random.default_rng(self.rng.integers(2**63))
        self.config = config
        self.params = config.parameters
        start = build_world(
            config.world.states,
            self.params.military.depreciation,
            config.world.capability_history_start,
            config.start_year,
        )
        self.ids = start.ids
        self.index = {state: i for i, state in enumerate(self.ids)}
        self.n = len(self.ids)
        self.year = config.start_year
        self.acts = np.ones(self.n, bool)
        self.acts[-1] = False
        self._init_arrays(start)
        for i, (iso3, name) in enumerate(zip(start.ids, start.names, strict=True)):
            State(self, i, iso3, name, acts=bool(self.acts[i]))
        self.states = self.agents_by_type[State]
        self.deciding = self.states.select(lambda state: state.acts)
        self.by_id = {agent.iso3: agent for agent in self.states}
        self.contracts.extend(pipelines.existing_contracts(self))
        self.gas_flow0 = pipelines.flows(self)
        self.gas_flow = self.gas_flow0.copy()
        self.gas_dependence0 = affinity.dependence(self.gas_flow0, self.gas_consumption)
        self.schedule = events.Schedule(config)
        self.schedule.apply(self, self.year)  # the start row already holds start-year events
        self.between = sanctions.pair_intensity(self.sanctions)
        exercises.train(self)
        self.recorder = Recorder(self, tables)
        self.recorder.record()

    def _init_arrays(self, start) -> None:
        a = start.attributes
        n = self.n
        self.gdp0 = a["gdp_usd_bn"].copy()
        self.gdp = self.gdp0.copy()
        self.growth_sd = a["growth_sd_pct"] / 100.0
        self.growth = np.zeros(n)
        states = tuple(self.config.world.states)
        self.population_path, self.working_age_path = trends.population_paths(
            states, self.config.start_year, self.config.years
        )
        self.population0 = self.population_path[:, 0]
        self.population = self.population0.copy()
        self.working_age = self.working_age_path[:, 0]
        self.convergence = economy.speeds(self.params.economy, states)
        self.trend_gap, self.log_steady_state = economy.initial_gap(
            self.params.economy, states, self.gdp0, self.working_age
        )
        self.milex_share = np.divide(
            a["milex_usd_bn"], self.gdp0, out=np.zeros(n), where=self.gdp0 > 0
        )
        self.milex = a["milex_usd_bn"].copy()
        self.capability = start.capability.copy()
        self.energy_consumption0 = a["energy_consumption_ej"].copy()
        self.energy_consumption = self.energy_consumption0.copy()
        self.energy_consumption_ratio = np.ones(n)
        self.cinc_base = {
            k: a[k].copy() for k in ("milper_k", "irst_kt", "pec_kt_coal", "tpop_k", "upop_k")
        }
        self.energy_production0 = a["energy_production_ej"].copy()
        self.energy_production = self.energy_production0.copy()
        self.energy_production_base = self.energy_production0.copy()
        self.gas_consumption = a["gas_consumption_bcm"].copy()
        self.gas_production0 = a["gas_production_bcm"].copy()
        self.gas_production = self.gas_production0.copy()
        self.arms_exports_tiv = a["arms_exports_tiv_m"].copy()
        self.level_loss = np.zeros(n)
        self.growth_shock = np.zeros(n)
        self.arms_exports = np.zeros(n)
        self.trade_gap = np.zeros(n)
        self.trade_gap_previous = np.zeros(n)
        self.price_index = 1.0
        # dyadic state
        self.trade0 = start.trade.copy()
        self.trade = start.trade.copy()
        self.trade_deviation = np.zeros((n, n))
        self.trade_bonus = np.zeros((n, n))  # from trade agreements
        self.exposure = sanctions.exposure_shares(self.trade0)
        self.trade_cut_weights = trade.cut_weights(self)
        self.affinity0 = start.affinity.copy()
        self.affinity = start.affinity.copy()
        self.allied0 = start.allied.copy()
        self.allied = start.allied.copy()
        self.distance = start.distance
        self.proximity: np.ndarray | None = None  # the threat's proximity term (threat.reach)
        self.sanctions = np.zeros((len(sanctions.SECTOR_INDEX), n, n))  # [sector, sender, target]
        self.between = np.zeros_like(self.sanctions)  # intensity in either direction, per sector
        self.countering = np.zeros((n, n), bool)
        self.tech_exposure = np.zeros(n)
        self.arms_background = start.arms / 1000.0  # TIV bn/yr, 2010-14 mean
        self.arms_flow = self.arms_background.copy()
        self.deliveries = arms.Deliveries()
        self.contracts: list[pipelines.Contract] = []
        self.gas_flow = np.zeros((n, n))
        self.gas_flow0 = np.zeros((n, n))
        self.gas_price = np.full((n, n), self.params.pipelines.gas_price_usd_mmbtu)
        self.events_log = EventLog(self.ids)
        self.exercised = np.zeros((n, n), bool)  # pairs that exercised this year
        self.exercising = np.zeros(n, bool)  # states that exercised this year
        self.sides: np.ndarray | None = None  # landscape sides of the acting states
        acting = self.affinity0[np.ix_(self.acts, self.acts)]
        self.landscape_center = float(acting[~np.eye(len(acting), dtype=bool)].mean())
        self.is_seller = arms.sellers(self)
        self.energy_trade_share = trade.energy_share(self)  # of start-year trade: fixed
        self.energy_revenue = economy.energy_revenue(self)
        self.gas_import_cost = np.zeros(n)
        threat.update(self)
        self.threat0 = self.threat.max(axis=1)
        self.milex_share0 = self.milex_share.copy()
        self.arms_exports = self.arms_flow.sum(axis=1)
        self.arms_dependence0 = affinity.dependence(self.arms_flow, self.arms_flow.sum(axis=0))

    # ------------------------------------------------------------------ helpers

    def gdp_ratio(self) -> np.ndarray:
        """GDP relative to the start year (1 for an empty row: ROW when every country acts)."""
        return np.divide(self.gdp, self.gdp0, out=np.ones_like(self.gdp), where=self.gdp0 > 0)

    def population_ratio(self) -> np.ndarray:
        """Population relative to the start year (1 for an empty row)."""
        return np.divide(
            self.population,
            self.population0,
            out=np.ones_like(self.population),
            where=self.population0 > 0,
        )

    def per_gdp(self, values: np.ndarray) -> np.ndarray:
        """``values / gdp`` (0 for an empty row)."""
        return np.divide(values, self.gdp, out=np.zeros_like(self.gdp), where=self.gdp > 0)

    def runs(self) -> list[tuple[tuple[int, ...], WorldModel]]:
        """Each run the model advances and its index prefix: this run alone, with none.

        An ensemble (``sim.ensemble.Ensemble``) lists its runs with their positions.
        """
        return [((), self)]

    def member(self, run: tuple[int, ...] | list[int]) -> WorldModel:  # noqa: ARG002
        """The run at an index prefix (``runs``): this one."""
        return self

    def log_many(
        self,
        kind: str,
        sources: np.ndarray,
        targets: np.ndarray,
        magnitude: float | np.ndarray,
        origin: str,
    ) -> None:
        """``log`` for many pairs of rows at once (one magnitude, or one per pair)."""
        self.events_log.add_many(self.year, kind, sources, targets, magnitude, origin)

    def power_indices(self) -> dict[str, np.ndarray]:
        """This year's power indices of every row, each summing to 1.

        ``composite`` weighs capability, GDP, energy and population
        (``power.weights``); ``cinc`` is CINC's six components with equal weights —
        military spending, military personnel (held at 2014), iron and steel (2014
        output grown with GDP, an industrial proxy), primary energy (2014 grown as
        energy consumption), total and urban population (2014 values moved with the
        population path: urbanisation is not modelled); ``gdp`` and
        ``capability`` are single shares.
        """
        w = self.params.power.weights
        growth = self.energy_consumption_ratio
        cinc = {
            "milex": self.milex,
            "milper": self.cinc_base["milper_k"],
            "irst": self.cinc_base["irst_kt"] * self.gdp_ratio(),
            "pec": self.cinc_base["pec_kt_coal"] * growth,
            "tpop": self.cinc_base["tpop_k"] * self.population_ratio(),
            "upop": self.cinc_base["upop_k"] * self.population_ratio(),
        }
        composite = {
            "military": self.capability,
            "economy": self.gdp,
            "energy": self.energy_consumption,
            "population": self.population,
        }
        weights = {
            "military": w.military,
            "economy": w.economy,
            "energy": w.energy,
            "population": w.population,
        }
        return {
            "composite": metrics.power_index(composite, weights),
            "cinc": metrics.power_index(cinc, dict.fromkeys(cinc, 1.0)),
            "gdp": self.gdp / self.gdp.sum(axis=-1, keepdims=True),
            "capability": self.capability / self.capability.sum(axis=-1, keepdims=True),
        }

    def log(self, kind: str, source: str, target: str, magnitude: float, origin: str) -> None:
        """Record something that happened this year (exogenous or chosen)."""
        self.events_log.add(self.year, kind, source, target, magnitude, origin)

    # --------------------------------------------------------------------- step

    def step(self) -> None:
        """Advance one year."""
        advance(self)

    def record(self) -> None:
        """Record the year just ended."""
        self.recorder.record()

    def decide(self) -> Choices:
        """The year's choices of every acting state (``State.decide`` over the AgentSet)."""
        return State.decide(self.deciding)

    def run(self) -> None:
        """Run every year of the scenario."""
        for _ in range(self.config.years):
            self.step()


def advance(world: WorldModel) -> None:
    """One year of a run, or of an ensemble's runs together (``sim.ensemble``).

    What each run does alone (its scripted events, the landscape's sides, its
    recording) is done run by run; everything else once for all runs.
    """
    world.year += 1
    world.exercised[...] = False
    world.growth_shock[...] = 0.0
    for _, run in world.runs():
        run.schedule.apply(run, world.year)
    threat.update(world)
    world.between = sanctions.pair_intensity(world.sanctions)  # as the year starts
    world.arms_embargo = world.between[sanctions.SECTOR_INDEX["arms"]]
    State.carry_out(world, world.decide())
    world.between = sanctions.pair_intensity(world.sanctions)  # after the year's decisions
    if world.params.alliances.mode == "landscape":
        for _, run in world.runs():
            alliances.align_by_landscape(run)
    world.tech_exposure = sanctions.exposure(world, "technology")
    pipelines.update(world)
    arms.update(world)
    trade.update(world)
    economy.update(world)
    military.update(world)
    affinity.update(world)
    finite.check(world)  # a world gone non-finite stops its run here (RunFailed)
    world.record()
