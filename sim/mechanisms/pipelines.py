"""Pipeline gas: contracts with capacity, ramp-up and duration; exporters seek new markets.

Flows ``model.gas_flow[e, i]`` (bcm/year, exporter → importer) are the sum of the
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

from sim.mechanisms.sanctions import SECTOR_INDEX, pair_intensity

if TYPE_CHECKING:
    from sim.agents import State
    from sim.model import WorldModel

EJ_PER_BCM = 0.04  # EI standard: 40 MJ per cubic metre
MMBTU_PER_BCM = 37.91e6  # 4e16 J / 1.0551e9 J per MMBtu


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


def gas_value_usd_bn(model: WorldModel, bcm: np.ndarray) -> np.ndarray:
    """Value (US$ bn) of pairwise gas volumes (exporter × importer, bcm).

    Each pair is valued at its contract price (``model.gas_price``, US$/MMBtu) times
    this year's energy price index.
    """
    return bcm * MMBTU_PER_BCM * model.gas_price * model.price_index / 1e9


def existing_contracts(model: WorldModel) -> list[Contract]:
    """Contracts for the pipelines the scenario says already deliver in the start year."""
    year = model.config.start_year
    return [
        Contract(
            model.index[p.exporter], model.index[p.importer], p.capacity_bcm, year, 0, year + 1000
        )
        for p in model.config.world.pipelines.values()
        if p is not None
    ]


def sign(
    model: WorldModel,
    exporter: int,
    importer: int,
    capacity: float,
    first_gas: int,
    ramp_years: int,
    duration: int,
    origin: str,
    price: float | None = None,
) -> None:
    """Add a contract and the affinity gain that comes with signing it.

    A contract price (US$/MMBtu at energy price index 1) replaces the pair's default,
    ``pipelines.gas_price_usd_mmbtu``.
    """
    if price is not None:
        model.gas_price[exporter, importer] = price
    model.contracts.append(
        Contract(exporter, importer, capacity, first_gas, ramp_years, first_gas + duration)
    )
    gain = model.params.pipelines.affinity_gain
    model.shift_affinity(exporter, importer, gain)
    model.log("pipeline", model.ids[exporter], model.ids[importer], capacity, origin)


def contracted(model: WorldModel) -> np.ndarray:
    """This year's contracted gas volumes (bcm/year), before any sanctions."""
    gas = np.zeros((model.n, model.n))
    for contract in model.contracts:
        gas[contract.exporter, contract.importer] += contract.volume(model.year)
    return gas


def flows(model: WorldModel) -> np.ndarray:
    """This year's gas flows (bcm/year), after energy sanctions in either direction."""
    energy = pair_intensity(model.sanctions)[SECTOR_INDEX["energy"]]
    return contracted(model) * (1.0 - energy)


def deliverable(model: WorldModel) -> np.ndarray:
    """Capacity under live contracts at full ramp, after energy sanctions (bcm/year)."""
    capacity = np.zeros((model.n, model.n))
    for contract in model.contracts:
        if contract.end > model.year:
            capacity[contract.exporter, contract.importer] += contract.capacity_bcm
    energy = pair_intensity(model.sanctions)[SECTOR_INDEX["energy"]]
    return capacity * (1.0 - energy)


def update(model: WorldModel) -> None:
    """Deliver this year's gas and move exporters' energy production with their exports."""
    model.gas_flow = flows(model)
    change = model.gas_flow.sum(axis=1) - model.gas_flow0.sum(axis=1)
    tech = model.params.sanctions.technology_energy_loss * model.tech_exposure
    model.energy_production_base = model.energy_production0 * (1.0 - tech)
    model.energy_production = np.clip(model.energy_production_base + EJ_PER_BCM * change, 0.0, None)
    model.gas_production = np.clip(model.gas_production0 + change, 0.0, None)


def seek_pipeline(agent: State) -> None:
    """An exporter that lost part of its pipeline market looks for a new buyer.

    Losing more than ``seek_threshold`` of its start-year pipeline exports (net of
    volumes contracted but not yet flowing), it offers a contract to the
    unsanctioning state with the largest affinity × unmet gas demand; the buyer
    signs if its affinity with the exporter is at least ``min_affinity``.
    """
    model = agent.model
    p = model.params.pipelines
    e = agent.index
    start = model.gas_flow0[e].sum()
    if start <= 0:
        return
    capacity = deliverable(model)
    lost = start - capacity[e].sum()
    if lost <= p.seek_threshold * start:
        return
    unmet = np.clip(model.gas_consumption - model.gas_production - capacity.sum(axis=0), 0, None)
    energy = pair_intensity(model.sanctions)[SECTOR_INDEX["energy"]][e]
    score = model.affinity[e] * unmet * (energy == 0) * model.acts
    score[e] = 0.0
    k = int(np.argmax(score))
    if score[k] <= 0 or model.affinity[k, e] < p.min_affinity:
        return
    volume = min(p.deal_share * lost, unmet[k])
    sign(
        model, e, k, volume, model.year + p.build_years, p.ramp_years, p.duration_years, "decision"
    )
