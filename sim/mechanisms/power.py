"""Power: each row's share of the world's capabilities, by several indices.

``composite`` weighs military capability, GDP, energy use and population
(``power.weights``); ``cinc`` is the Correlates of War's CINC with its six
components weighted equally: military spending, military personnel (held at 2014),
iron and steel (2014 output grown with GDP, an industrial proxy), primary energy
(2014 grown as energy consumption), total and urban population (2014 values moved
with the population path: urbanisation is not modelled); ``gdp`` and ``capability``
are single shares; ``net`` is net power, GDP × GDP per capita (Beckley 2018), which
discounts the output a large population must spend on itself.

Net power is not additive: the remainder of the world (``ROW``, not a state) counts
with the sum of its countries' net power, not with that of one country holding all
their output and people (which would be far smaller); an acting group (``EUU``) is one
state and counts with its own GDP and population.

References:
    Singer, Bremer & Stuckey (1972), NMC v6 (CINC).
    Beckley (2018), "The Power of Nations: Measuring What Matters", International
    Security 43(2) (net power, GDP × GDP per capita).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import metrics
from sim.world import country_data, membership
from sim.world_state import SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

INDICES = ("capability", "net", "composite", "cinc", "gdp")  # every index a run records
CINC = ("milper_k", "irst_kt", "pec_kt_coal", "tpop_k", "upop_k")  # their 2014 values
NET = Field(STATE, "net power in the start year, GDP²/population (US$ bn² per million)", SHARED)
STATE = {
    **{
        name: Field(STATE, f"CINC component {name} in the start year (NMC v6)", SHARED)
        for name in CINC
    },
    "net_power0": NET,
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """The CINC components' and net power's start-year values."""
    for name in CINC:
        stack(world.state, name, [starts[0].attributes[name]])
    stack(world.state, "net_power0", [start_net_power(starts[0])])


def net_power(gdp: np.ndarray, population: np.ndarray) -> np.ndarray:
    """GDP × GDP per capita (Beckley 2018), 0 where there is no one."""
    return np.divide(gdp * gdp, population, out=np.zeros_like(gdp), where=population > 0)


def start_net_power(world: StartingWorld) -> np.ndarray:
    """Each row's start-year net power; ``ROW``'s is the sum over its countries."""
    a = world.attributes
    net = net_power(a["gdp_usd_bn"], a["population_m"])
    table = country_data().states
    countries = net_power(
        table["gdp_usd_bn"].fillna(0.0).to_numpy(), table["population_m"].fillna(0.0).to_numpy()
    )
    net[-1] = membership(list(world.ids[:-1]))[-1] @ countries
    return net


def net_shares(world: Ensemble) -> np.ndarray:
    """This year's net power of every row of every run, as shares of the world's.

    A row's net power moves as GDP² / population from its start-year value (for a
    state, that is its GDP × GDP per capita).
    """
    net = world.state.net_power0 * np.square(world.gdp_ratio()) / world.population_ratio()
    return net / net.sum(axis=-1, keepdims=True)


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
        "net": net_shares(world),
    }
