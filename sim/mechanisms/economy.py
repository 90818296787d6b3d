"""GDP: working-age population times output per worker, converging toward a frontier.

GDP_i = L_i y_i, L_i the working-age population (15-64) of the UN WPP 2022 (sim/trends.py).
In the record years 2015-24 output per worker grows at the row's fitted or observed
rate r_i (sim/trends.py); from 2025 trend output per worker grows at g_i = g_F + β x_i,
x_i the log gap to the state's steady state relative to a frontier growing at g_F
(sim/convergence.py), with x_i in 2024 and β fitted on the row's SSP2 GDP path
(sim/long_run.py); a state poorer than the frontier never has trend growth below
``min_trend_growth``. Actual GDP growth is

    g_Y = (1 + g_i)(L_i(t+1)/L_i(t)) - 1 + d_i + s_i,
    d_i = s σ_i ε + z_i + η Δgap'_i + (ΔR_i - ΔC_i + ΔX_i)/Y_i - p_i - c Δm_i,

with σ the 1995-2014 s.d. of growth, scaled by ``growth_shock_scale``; gap' the
trade/GDP gap to the gravity path without the trade with the states that have
sanctioned the state, η = ``trade_gdp_elasticity``; R the net energy export revenue at
the price index; C the premium paid to replace lost pipeline gas; X arms export
revenue; z a scenario growth shock; p the growth lost to sanctions that are still new
and s the partners' spillover (sim/mechanisms/growth_effects.py); c Δm the cost of a
military burden above 2014's (sim/mechanisms/military.py). Shocks and policy effects
move the level of GDP for good (Cerra & Saxena 2008): they do not feed back into
the trend. GDP never falls by more than half in a year (a floor that keeps every
stock positive under extreme settings).

References:
    Barro & Sala-i-Martin (1992); Dellink et al. (2017) (SSP GDP projections);
    Bloom & Williamson (1998) (working-age population and growth); Frankel & Romer
    (1999) (trade and income); Neuenkirch & Neumeier (2015) (sanctions and growth).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import convergence, long_run, trends
from sim.mechanisms import draws, growth_effects, military, pipelines
from sim.mechanisms.axes import power
from sim.world_state import FIXED, SHARED, STATE, STATE_YEAR, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.scenario.schema import Economy
    from sim.world import StartingWorld

WORST_YEAR = -0.5
STATE = {
    "gdp0": Field(STATE, "GDP in the start year, US$ bn", SHARED),
    "gdp": Field(STATE, "GDP, US$ bn (constant 2015 US$)", physical=True),
    "growth": Field(STATE, "this year's real GDP growth (fraction)"),
    "growth_sd": Field(STATE, "s.d. of yearly growth, 1995-2014 (fraction)", SHARED),
    "growth_shock": Field(STATE, "this year's scripted growth shocks (fraction)"),
    "population_path": Field(STATE_YEAR, "population by year, million (UN WPP)", SHARED),
    "working_age_path": Field(STATE_YEAR, "population 15-64 by year, million", SHARED),
    "population0": Field(STATE, "population in the start year, million", SHARED),
    "population": Field(STATE, "population, million", physical=True),
    "working_age": Field(STATE, "population 15-64, million"),
    "convergence": Field(STATE, "β, the speed of convergence to the steady state (1/yr)", FIXED),
    "trend_gap": Field(STATE, "log gap of output per worker to the steady state"),
    "record_growth": Field(STATE, "growth of output per worker in the record years", FIXED),
    "log_steady_state": Field(STATE, "ln c_i, the steady state relative to the frontier", FIXED),
    "level_loss": Field(STATE, "GDP level lost to the growth penalty of sanctions (share)"),
    "energy_consumption0": Field(STATE, "energy consumption in the start year, EJ", SHARED),
    "energy_consumption": Field(STATE, "energy consumption, EJ", physical=True),
    "energy_consumption_ratio": Field(STATE, "energy consumption relative to the start year"),
    "price_index": Field((), "the energy price index (start year = 1)", physical=True),
    "energy_revenue": Field(STATE, "net energy export revenue at this year's prices, US$ bn"),
    "gas_import_cost": Field(STATE, "premium paid to replace lost pipeline gas, US$ bn"),
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """Start-year GDP and people, and each run's convergence speeds and trend gaps."""
    s, config = world.state, world.config
    attributes = starts[0].attributes
    stack(s, "gdp0", [attributes["gdp_usd_bn"]])
    stack(s, "gdp", [attributes["gdp_usd_bn"]])
    stack(s, "growth_sd", [attributes["growth_sd_pct"] / 100.0])
    states = tuple(config.world.states)
    population, working_age = trends.population_paths(states, config.start_year, config.years)
    stack(s, "population_path", [population])
    stack(s, "working_age_path", [working_age])
    stack(s, "population0", [population[:, 0]])
    stack(s, "population", [population[:, 0]])
    stack(s, "working_age", [working_age[:, 0]])
    params = [run.params.economy for run in world.runs]
    stack(s, "convergence", [speeds(e, states) for e in params])
    gaps = [initial_gap(e, states, s.gdp0, s.working_age[0]) for e in params]
    stack(s, "trend_gap", [gap for gap, _, _ in gaps])
    stack(s, "log_steady_state", [log_c for _, log_c, _ in gaps])
    stack(s, "record_growth", [record for _, _, record in gaps])
    stack(s, "energy_consumption0", [attributes["energy_consumption_ej"]])
    stack(s, "energy_consumption", [attributes["energy_consumption_ej"]])
    s.energy_consumption_ratio[...] = 1.0
    s.price_index[...] = 1.0
    s.energy_revenue = energy_revenue(world)


def energy_revenue(world: Ensemble) -> np.ndarray:
    """Net energy export revenue (US$ bn) against 2014 consumption, at this year's prices.

    Production other than the change in pipeline exports is valued at the oil-based
    ``energy_value_usd_bn_per_ej``; the pipeline change at the contract gas price.
    """
    s = world.state
    value = world.params.economy.energy_value_usd_bn_per_ej * s.price_index
    pipeline_change = pipelines.gas_value_usd_bn(world, s.gas_flow - s.gas_flow0)
    return value[:, None] * (s.energy_production_base - s.energy_consumption0) + (
        pipeline_change.sum(axis=-1)
    )


def gas_replacement_cost(world: Ensemble) -> np.ndarray:
    """Premium (US$ bn) importers pay to replace pipeline gas lost since the start year."""
    s = world.state
    change = pipelines.gas_value_usd_bn(world, s.gas_flow0 - s.gas_flow).sum(axis=-2)
    return world.params.economy.lng_premium[:, None] * np.clip(change, 0.0, None)


def update(world: Ensemble) -> None:
    """Grow every economy by one year."""
    p, s = world.params, world.state
    e = p.economy
    shock = draws.normal(world.shock_rngs, (world.n,)) * s.growth_sd
    shock = shock * e.growth_shock_scale[:, None]
    penalty = growth_effects.sanction_penalty(world)  # first: it marks who has sanctioned whom
    trade_change = s.trade_gap - s.trade_gap_previous
    trade_effect = e.trade_gdp_elasticity[:, None] * (
        trade_change - growth_effects.excluded_trade_change(world)
    )
    revenue = energy_revenue(world)
    cost = gas_replacement_cost(world)
    energy_effect = world.per_gdp(revenue - s.energy_revenue - (cost - s.gas_import_cost))
    arms_exports = s.arms_flow.sum(axis=-1)
    arms_effect = world.per_gdp(arms_exports - s.arms_exports)
    loss = 1.0 - (1.0 - s.level_loss) * (1.0 - penalty)
    deviation = (
        shock
        + s.growth_shock
        + trade_effect
        + energy_effect
        + arms_effect
        - penalty
        - military.burden_drag(world)
    )
    spillover = growth_effects.spillover(world, deviation)
    frontier = e.frontier_growth[:, None]
    if world.year <= trends.RECORD_END:  # the record years
        trend = s.record_growth
    else:
        below = convergence.below_frontier(s.trend_gap, s.log_steady_state)
        trend = convergence.trend_growth(
            s.trend_gap, frontier, s.convergence, below, e.min_trend_growth[:, None]
        )
    s.trend_gap = convergence.next_gap(s.trend_gap, frontier, trend)
    t = min(world.year - world.config.start_year, s.population_path.shape[-1] - 1)
    workers = s.working_age_path[..., t]
    workers_growth = np.divide(
        workers, s.working_age, out=np.ones_like(s.working_age), where=s.working_age > 0
    )
    s.population[...] = s.population_path[..., t]
    s.working_age[...] = workers
    s.growth = np.maximum((1.0 + trend) * workers_growth - 1.0 + deviation + spillover, WORST_YEAR)
    s.gdp = s.gdp * (1.0 + s.growth)
    s.energy_revenue, s.gas_import_cost, s.level_loss = revenue, cost, loss
    s.arms_exports = arms_exports
    s.energy_consumption_ratio = power(world.gdp_ratio(), e.energy_gdp_elasticity)
    s.energy_consumption = s.energy_consumption0 * s.energy_consumption_ratio


def initial_gap(
    params: Economy, states: tuple[str, ...], gdp: np.ndarray, workers: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's 2014 log gap to its steady state, ln c_i and its record-years growth.

    The record years (2015-24) grow output per worker at the row's fitted or observed
    rate (sim/trends.py; ``trend_growth`` replaces it); the gap they carry the row to
    in 2024 is the long-run anchor of sim/long_run.py, so the 2014 gap is worked back
    from it. A row without people (an empty ``ROW``) counts as at the frontier.
    """
    record, _ = trends.per_worker_growth(states)
    record = np.where(np.isfinite(record), record, params.frontier_growth)
    rows = (*states, "ROW")
    for state, value in params.trend_growth.items():
        record[rows.index(state)] = value
    handover, fitted, _ = long_run.anchors(states, params.convergence)
    # a β the scenario sets keeps the row's 2025 trend growth, g_F + β x, and changes
    # how fast it returns to the frontier's
    handover = handover * fitted / speeds(params, states)
    gap = long_run.handover_to_start(handover, record, params.frontier_growth)
    income = np.divide(gdp, workers, out=np.zeros_like(gdp), where=workers > 0)
    log_c = convergence.log_steady_state(gap, income, trends.frontier_income())
    return gap, np.where(np.isfinite(log_c), log_c, gap), record


def speeds(params: Economy, states: tuple[str, ...]) -> np.ndarray:
    """β per row: the scenario's ``convergence_by_state``, else the SSP2 fit (sim/long_run.py)."""
    _, fitted, _ = long_run.anchors(states, params.convergence)
    chosen = params.convergence_by_state
    return np.array([chosen.get(row, b) for row, b in zip((*states, "ROW"), fitted, strict=True)])
