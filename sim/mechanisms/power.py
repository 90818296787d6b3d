"""Power: each row's share of the world's capabilities, by several indices.

``composite`` weighs military capability, GDP, energy use and population
(``power.weights``); ``cinc`` is the Correlates of War's CINC with its six
components weighted equally: military spending, military personnel (held at 2014),
iron and steel (2014 output grown with GDP, an industrial proxy), primary energy
(2014 grown as energy consumption), total and urban population (2014 values moved
with the population path: urbanisation is not modelled); ``gdp`` and ``capability``
are single shares.

References:
    Singer, Bremer & Stuckey (1972), NMC v6 (CINC).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import metrics
from sim.world_state import SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

CINC = ("milper_k", "irst_kt", "pec_kt_coal", "tpop_k", "upop_k")  # their 2014 values
STATE = {
    name: Field(STATE, f"CINC component {name} in the start year (NMC v6)", SHARED) for name in CINC
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """The CINC components' start-year values."""
    for name in CINC:
        stack(world.state, name, [starts[0].attributes[name]])


def cinc_shares(world: Ensemble) -> np.ndarray:
    """This year's CINC of every row of every run (its six components weighted equally)."""
    s = world.state
    components = {
        "milex": s.milex,
        "milper": s.milper_k,  # held at 2014: the same in every run
        "irst": s.irst_kt * world.gdp_ratio(),
        "pec": s.pec_kt_coal * s.energy_consumption_ratio,
        "tpop": s.tpop_k * world.population_ratio(),
        "upop": s.upop_k * world.population_ratio(),
    }
    return metrics.power_index(components, dict.fromkeys(components, 1.0))


def indices(world: Ensemble) -> dict[str, np.ndarray]:
    """This year's power indices of every row of every run, each summing to 1 in a run."""
    s = world.state
    w = world.params.power.weights
    composite = {
        "military": s.capability,
        "economy": s.gdp,
        "energy": s.energy_consumption,
        "population": s.population,
    }
    weights = {
        "military": w.military[:, None],
        "economy": w.economy[:, None],
        "energy": w.energy[:, None],
        "population": w.population[:, None],
    }
    return {
        "composite": metrics.power_index(composite, weights),
        "cinc": cinc_shares(world),
        "gdp": s.gdp / s.gdp.sum(axis=-1, keepdims=True),
        "capability": s.capability / s.capability.sum(axis=-1, keepdims=True),
    }
