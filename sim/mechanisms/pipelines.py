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

from sim.mechanisms.affinity import Shifts
from sim.mechanisms.batch import at
from sim.mechanisms.sanctions import SECTOR_INDEX

if TYPE_CHECKING:
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
    """Add a contract and apply the affinity gain that comes with signing it (an event).

    A contract price (US$/MMBtu at energy price index 1) replaces the pair's default,
    ``pipelines.gas_price_usd_mmbtu``.
    """
    contract = Contract(exporter, importer, capacity, first_gas, ramp_years, first_gas + duration)
    _add(model, contract, origin, price)
    shifts = Shifts(model.affinity.shape)
    shifts.add((np.array([exporter]), np.array([importer])), model.params.pipelines.affinity_gain)
    shifts.apply(model)


def _add(model: WorldModel, contract: Contract, origin: str, price: float | None = None) -> None:
    """Keep a signed contract (at its price, if it has its own) and log it."""
    exporter, importer = contract.exporter, contract.importer
    if price is not None:
        model.gas_price[exporter, importer] = price
    model.contracts.append(contract)
    model.log("pipeline", model.ids[exporter], model.ids[importer], contract.capacity_bcm, origin)


def contracted(model: WorldModel) -> np.ndarray:
    """This year's contracted gas volumes (bcm/year), before any sanctions."""
    gas = np.zeros(model.gas_flow0.shape)
    for run, state in model.runs():
        for contract in state.contracts:
            gas[(*run, contract.exporter, contract.importer)] += contract.volume(model.year)
    return gas


def flows(model: WorldModel) -> np.ndarray:
    """This year's gas flows (bcm/year), after energy sanctions in either direction."""
    return contracted(model) * (1.0 - model.between[SECTOR_INDEX["energy"]])


def deliverable(model: WorldModel) -> np.ndarray:
    """Capacity under live contracts at full ramp, after energy sanctions (bcm/year)."""
    capacity = np.zeros(model.gas_flow0.shape)
    for run, state in model.runs():
        for contract in state.contracts:
            if contract.end > model.year:
                capacity[(*run, contract.exporter, contract.importer)] += contract.capacity_bcm
    return capacity * (1.0 - model.between[SECTOR_INDEX["energy"]])


def update(model: WorldModel) -> None:
    """Deliver this year's gas and move exporters' energy production with their exports."""
    model.gas_flow = flows(model)
    change = model.gas_flow.sum(axis=-1) - model.gas_flow0.sum(axis=-1)
    tech = model.params.sanctions.technology_energy_loss * model.tech_exposure
    model.energy_production_base = model.energy_production0 * (1.0 - tech)
    model.energy_production = np.clip(model.energy_production_base + EJ_PER_BCM * change, 0.0, None)
    model.gas_production = np.clip(model.gas_production0 + change, 0.0, None)


def seek_pipelines(model: WorldModel, deciding: np.ndarray) -> tuple[np.ndarray, ...]:
    """Exporters that lost part of their pipeline market offer contracts: (exporter, importer, bcm).

    An exporter that lost more than ``seek_threshold`` of its start-year pipeline
    exports (net of volumes contracted but not yet flowing) offers a contract to the
    state, not energy-sanctioning it, with the largest affinity × unmet gas demand; the
    buyer signs if its affinity with the exporter is at least ``min_affinity``. The
    offer is ``deal_share`` of the lost volume (an exporter sells only gas it no longer
    delivers), capped at the buyer's unmet demand. An importer chosen by several
    exporters in one year splits its unmet demand between them in proportion to their
    offers, so together they never contract more than it lacks.

    Args:
        model: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.

    Returns:
        The offers' exporters, importers and volumes (after their runs in an ensemble).
    """
    p = model.params.pipelines
    start = model.gas_flow0.sum(axis=-1)
    none = (*(np.zeros(0, int) for _ in range(start.ndim + 1)), np.zeros(0))
    if not (deciding & (start > 0)).any():
        return none
    capacity = deliverable(model)
    lost = start - capacity.sum(axis=-1)
    sellers = np.nonzero(deciding & (start > 0) & (lost > p.seek_threshold * start))
    if len(sellers[0]) == 0:
        return none
    *run, exporter = sellers
    unmet = np.clip(model.gas_consumption - model.gas_production - capacity.sum(axis=-2), 0, None)
    energy = model.between[SECTOR_INDEX["energy"]][sellers]
    demand = unmet[run[0]] if run else unmet[None, :]  # each exporter's run's unmet demand
    score = model.affinity[sellers] * demand * (energy == 0) * model.acts[None, :]
    score[np.arange(len(exporter)), exporter] = 0.0
    importer = score.argmax(axis=1)
    best = score[np.arange(len(exporter)), importer]
    signs = (best > 0) & (model.affinity[(*run, importer, exporter)] >= at(p.min_affinity, sellers))
    run = [r[signs] for r in run]
    exporter, importer = exporter[signs], importer[signs]
    offer = np.minimum(
        at(p.deal_share, (*run, exporter)) * lost[(*run, exporter)], unmet[(*run, importer)]
    )
    buyer = np.ravel_multi_index((*run, importer), unmet.shape)
    offered = np.bincount(buyer, offer, minlength=unmet.size)[buyer]
    wanted = unmet[(*run, importer)]
    scale = np.divide(wanted, offered, out=np.ones(len(offer)), where=offered > 0)
    return (*run, exporter, importer, offer * np.minimum(1.0, scale))


def carry_out(model: WorldModel, offers: tuple[np.ndarray, ...], shifts: Shifts) -> None:
    """Sign the year's contracts: first gas after ``build_years``, ramp, duration."""
    for *run, exporter, importer, volume in zip(*(part.tolist() for part in offers), strict=True):
        state = model.member(run)
        p = state.params.pipelines
        first_gas = model.year + p.build_years
        end = first_gas + p.duration_years
        _add(state, Contract(exporter, importer, volume, first_gas, p.ramp_years, end), "decision")
        pair = (*(np.array([r]) for r in run), np.array([exporter]), np.array([importer]))
        shifts.add(pair, p.affinity_gain)
