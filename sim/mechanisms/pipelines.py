"""Pipeline gas: contracts with capacity, ramp-up and duration; exporters seek new markets.

Flows ``gas_flow[run, e, i]`` (bcm/year, exporter → importer) are the sum of the
pair's contracts at this year's ramp, cut by energy sanctions in either
direction. Changes from the start year move the exporter's energy production
(1 bcm = 0.04 EJ at EI's 40 MJ/m³) and the pair's trade (its value at the contract
price); an importer that loses pipeline gas pays a premium for replacing it.
Mutual dependence raises affinity (lock-in).

References:
    Power of Siberia contract, 21 May 2014 (sim/data/README.md, events_2014).
    Högselius (2013), *Red Gas* (pipeline interdependence).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim import routes
from sim.mechanisms.affinity import Shifts, dependence
from sim.mechanisms.sanctions import SECTOR_INDEX
from sim.world_state import FIXED, PAIR, SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.scenario.schema import ScenarioConfig
    from sim.world import StartingWorld

EJ_PER_BCM = 0.04  # EI standard: 40 MJ per cubic metre
MMBTU_PER_BCM = 37.91e6  # 4e16 J / 1.0551e9 J per MMBtu
ENERGY = SECTOR_INDEX["energy"]
STATE = {
    "energy_production0": Field(STATE, "energy production in the start year, EJ", SHARED),
    "energy_production_base": Field(STATE, "energy production before pipeline changes, EJ"),
    "energy_production": Field(STATE, "energy production, EJ", physical=True),
    "gas_consumption": Field(
        STATE, "gas consumption (held at the start year), bcm", SHARED, physical=True
    ),
    "gas_production0": Field(STATE, "gas production in the start year, bcm", SHARED),
    "gas_production": Field(STATE, "gas production, bcm", physical=True),
    "gas_flow0": Field(
        PAIR, "pipeline gas flows in the start year, bcm/yr (exporter, importer)", FIXED
    ),
    "gas_flow": Field(PAIR, "pipeline gas flows, bcm/yr (exporter, importer)", physical=True),
    "gas_price": Field(
        PAIR, "each pair's contract gas price, US$/MMBtu at price index 1", physical=True
    ),
    "gas_dependence0": Field(PAIR, "start-year pipeline gas dependence of the pair (0-2)", FIXED),
    "land_border": Field(
        PAIR, "the rows share a land border (COW direct contiguity)", SHARED, bool
    ),
    "sea_route": Field(PAIR, "water contiguity within the longest subsea line", SHARED, bool),
    "subsea_km": Field(PAIR, "the water a line between the rows crosses, km (COW)", SHARED),
    "line_distance_km": Field(PAIR, "distance a line between the rows would run, km", SHARED),
}


@dataclass
class Contract:
    """A gas supply contract between two rows of the model."""

    exporter: int
    importer: int
    capacity_bcm: float
    first_gas: int
    ramp_years: int
    end: int

    def volume(self, year: int) -> float:
        """Contracted volume in ``year`` (bcm): linear ramp to capacity, none after the end."""
        if year < self.first_gas or year >= self.end:
            return 0.0
        if self.ramp_years == 0:
            return self.capacity_bcm
        return self.capacity_bcm * min(1.0, (year - self.first_gas + 1) / self.ramp_years)


def gas_value_usd_bn(world: Ensemble, bcm: np.ndarray) -> np.ndarray:
    """Value (US$ bn) of pairwise gas volumes (runs × exporters × importers, bcm).

    Each pair is valued at its contract price (``gas_price``, US$/MMBtu) times this
    year's energy price index.
    """
    s = world.state
    return bcm * MMBTU_PER_BCM * s.gas_price * s.price_index[:, None, None] / 1e9


def existing_contracts(config: ScenarioConfig, index: dict[str, int]) -> list[Contract]:
    """Contracts for the pipelines the scenario says already deliver in the start year."""
    year = config.start_year
    return [
        Contract(index[p.exporter], index[p.importer], p.capacity_bcm, year, 0, year + 1000)
        for p in config.world.pipelines.values()
        if p is not None
    ]


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """Start-year energy and gas, the contracts already delivering, and their flows."""
    s = world.state
    attributes = starts[0].attributes
    for name, column in (
        ("energy_production0", "energy_production_ej"),
        ("energy_production", "energy_production_ej"),
        ("energy_production_base", "energy_production_ej"),
        ("gas_consumption", "gas_consumption_bcm"),
        ("gas_production0", "gas_production_bcm"),
        ("gas_production", "gas_production_bcm"),
    ):
        stack(s, name, [attributes[column]])
    s.gas_price[...] = world.params.pipelines.gas_price_usd_mmbtu[:, None, None]
    for run in world.runs:
        run.contracts.extend(existing_contracts(run.config, world.index))
    s.gas_flow0 = flows(world)
    s.gas_flow = s.gas_flow0.copy()
    s.gas_dependence0 = dependence(s.gas_flow0, s.gas_consumption)
    land, sea = routes.contiguity_matrices(list(world.config.world.states))
    sea_route = ~land & (sea <= routes.MAX_SUBSEA_KM)
    stack(s, "land_border", [land])
    stack(s, "sea_route", [sea_route])
    stack(s, "subsea_km", [np.where(sea_route, sea, 0.0)])
    stack(s, "line_distance_km", [starts[0].distance])


def sign(
    world: Ensemble,
    run: int,
    exporter: int,
    importer: int,
    capacity: float,
    first_gas: int,
    ramp_years: int,
    duration: int,
    origin: str,
    price: float | None = None,
) -> None:
    """Add a contract to a run and apply the affinity gain of signing it (an event).

    A contract price (US$/MMBtu at energy price index 1) replaces the pair's default,
    ``pipelines.gas_price_usd_mmbtu``.
    """
    contract = Contract(exporter, importer, capacity, first_gas, ramp_years, first_gas + duration)
    _add(world, run, contract, origin, price)
    shifts = Shifts(world.state.affinity.shape)
    pair = (np.array([run]), np.array([exporter]), np.array([importer]))
    shifts.add(pair, world.params.pipelines.affinity_gain[pair[0]])
    shifts.apply(world)


def _add(
    world: Ensemble, run: int, contract: Contract, origin: str, price: float | None = None
) -> None:
    """Keep a signed contract of one run (at its price, if it has its own) and log it."""
    exporter, importer = contract.exporter, contract.importer
    if price is not None:
        world.state.gas_price[run, exporter, importer] = price
    world.runs[run].contracts.append(contract)
    ids = world.ids
    world.log(run, "pipeline", ids[exporter], ids[importer], contract.capacity_bcm, origin)


def contracted(world: Ensemble) -> np.ndarray:
    """This year's contracted gas volumes (bcm/year), before any sanctions."""
    gas = np.zeros(world.state.gas_flow0.shape)
    for r, run in enumerate(world.runs):
        for contract in run.contracts:
            gas[r, contract.exporter, contract.importer] += contract.volume(world.year)
    return gas


def flows(world: Ensemble) -> np.ndarray:
    """This year's gas flows (bcm/year), after energy sanctions in either direction."""
    return contracted(world) * (1.0 - world.state.between[:, ENERGY])


def deliverable(world: Ensemble) -> np.ndarray:
    """Capacity under live contracts at full ramp, after energy sanctions (bcm/year)."""
    capacity = np.zeros(world.state.gas_flow0.shape)
    for r, run in enumerate(world.runs):
        for contract in run.contracts:
            if contract.end > world.year:
                capacity[r, contract.exporter, contract.importer] += contract.capacity_bcm
    return capacity * (1.0 - world.state.between[:, ENERGY])


def update(world: Ensemble) -> None:
    """Deliver this year's gas and move exporters' energy production with their exports."""
    s = world.state
    s.gas_flow = flows(world)
    change = s.gas_flow.sum(axis=-1) - s.gas_flow0.sum(axis=-1)
    tech = world.params.sanctions.technology_energy_loss[:, None] * s.tech_exposure
    s.energy_production_base = s.energy_production0 * (1.0 - tech)
    s.energy_production = np.clip(s.energy_production_base + EJ_PER_BCM * change, 0.0, None)
    s.gas_production = np.clip(s.gas_production0 + change, 0.0, None)


def seek_pipelines(world: Ensemble, deciding: np.ndarray) -> tuple[np.ndarray, ...]:
    """Exporters that lost part of their pipeline market offer contracts: (exporter, importer, bcm).

    An exporter that lost more than ``seek_threshold`` of its start-year pipeline
    exports (net of volumes contracted but not yet flowing) offers a contract to the
    state, not energy-sanctioning it and reachable by a line (``has_route``), with the
    largest affinity × unmet gas demand per US$ of a line's cost per bcm/yr of capacity
    (``sim.routes.cost_usd_bn`` over the pair's distance, subsea where only water joins
    them): a deal weighs alignment, demand and cost. The buyer signs if its affinity
    with the exporter is at least ``min_affinity``. The offer is ``deal_share`` of the
    lost volume (an exporter sells only gas it no longer delivers), capped at the
    buyer's unmet demand. An importer chosen by several
    exporters in one year splits its unmet demand between them in proportion to their
    offers, so together they never contract more than it lacks.

    Args:
        world: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.

    Returns:
        The offers' runs, exporters, importers and volumes.
    """
    p, s = world.params.pipelines, world.state
    start = s.gas_flow0.sum(axis=-1)
    none = (*(np.zeros(0, int) for _ in range(3)), np.zeros(0))
    if not (deciding & (start > 0)).any():
        return none
    capacity = deliverable(world)
    lost = start - capacity.sum(axis=-1)
    sellers = np.nonzero(deciding & (start > 0) & (lost > p.seek_threshold[:, None] * start))
    if len(sellers[0]) == 0:
        return none
    run, exporter = sellers
    unmet = np.clip(s.gas_consumption - s.gas_production - capacity.sum(axis=-2), 0, None)
    energy = s.between[:, ENERGY][sellers]
    cost = routes.cost_usd_bn(s.line_distance_km, 1.0, s.subsea_km)
    value = np.divide(1.0, cost, out=np.zeros_like(cost), where=cost > 0)[exporter]
    score = s.affinity[sellers] * unmet[run] * value * (energy == 0) * s.acts[None, :]
    score[np.arange(len(exporter)), exporter] = 0.0
    importer = np.array(
        [reachable(world, r, e, row) for r, e, row in zip(run, exporter, score, strict=True)],
        dtype=int,
    )
    best = score[np.arange(len(exporter)), importer]
    signs = (best > 0) & (s.affinity[run, importer, exporter] >= p.min_affinity[run])
    run, exporter, importer = run[signs], exporter[signs], importer[signs]
    offer = np.minimum(p.deal_share[run] * lost[run, exporter], unmet[run, importer])
    buyer = np.ravel_multi_index((run, importer), unmet.shape)
    offered = np.bincount(buyer, offer, minlength=unmet.size)[buyer]
    wanted = unmet[run, importer]
    scale = np.divide(wanted, offered, out=np.ones(len(offer)), where=offered > 0)
    return (run, exporter, importer, offer * np.minimum(1.0, scale))


def willing_transit(world: Ensemble, run: int, exporter: int, importer: int) -> np.ndarray:
    """[row] rows a line may cross (docs/model.md#pipeline-routes).

    Acting rows that sanction neither end in energy and have an affinity of at least
    ``pipelines.min_affinity`` with both.
    """
    s = world.state
    energy = s.between[run, ENERGY]
    threshold = world.params.pipelines.min_affinity[run]
    affinity = s.affinity[run]
    return (
        s.acts
        & (energy[:, exporter] == 0)
        & (energy[:, importer] == 0)
        & (affinity[:, exporter] >= threshold)
        & (affinity[:, importer] >= threshold)
    )


def has_route(world: Ensemble, run: int, exporter: int, importer: int) -> bool:
    """Whether a line can join the pair (``sim.routes``).

    A shared border, a sea gap within the longest subsea line built, or a chain of land
    borders through willing transit rows.
    """
    s = world.state
    if s.land_border[exporter, importer]:
        return True
    if s.sea_route[exporter, importer]:
        return True
    willing = willing_transit(world, run, exporter, importer)
    return routes.land_route(s.land_border, willing, exporter, importer) is not None


def reachable(world: Ensemble, run: int, exporter: int, score: np.ndarray) -> int:
    """The best-scoring importer the exporter can reach by a line; itself (score 0) if none."""
    for importer in np.argsort(-score, kind="stable").tolist():
        if score[importer] <= 0:
            break
        if has_route(world, run, exporter, importer):
            return importer
    return exporter


def carry_out(world: Ensemble, offers: tuple[np.ndarray, ...], shifts: Shifts) -> None:
    """Sign the year's contracts: first gas after ``build_years``, ramp, duration."""
    for run, exporter, importer, volume in zip(*(part.tolist() for part in offers), strict=True):
        p = world.runs[run].params.pipelines
        first_gas = world.year + p.build_years
        end = first_gas + p.duration_years
        _add(
            world,
            run,
            Contract(exporter, importer, volume, first_gas, p.ramp_years, end),
            "decision",
        )
        pair = (np.array([run]), np.array([exporter]), np.array([importer]))
        shifts.add(pair, p.affinity_gain)
