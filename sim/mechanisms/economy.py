"""GDP: working-age population times output per worker, converging toward a frontier.

GDP_i = L_i y_i, L_i the working-age population (15-64) of the UN WPP 2022 (sim/trends.py).
Trend output per worker grows at g_i = g_F + β x_i, x_i the log gap to the state's
steady state relative to a frontier growing at g_F (sim/convergence.py); x_i(0)
is set so that trend growth reproduces the state's 2015-24 growth of output per
worker, and a state poorer than the frontier never has trend growth below
``min_trend_growth``. Actual GDP growth is

    g_Y = (1 + g_i)(L_i(t+1)/L_i(t)) - 1 + s σ_i ε + z_i + η Δgap_i
          + (ΔR_i - ΔC_i + ΔX_i)/Y_i - Δℓ_i,

with σ the 1995-2014 s.d. of growth, scaled by ``growth_shock_scale``; gap the
trade/GDP gap to the gravity path, η = ``trade_gdp_elasticity``; R the net energy
export revenue at the price index; C the premium paid to replace lost pipeline
gas; X arms export revenue; z a scenario growth shock; ℓ the sanctions' level
loss, closing ``loss_adjustment`` of its gap each year. Shocks and policy effects
move the level of GDP for good (Cerra & Saxena 2008): they do not feed back into
the trend. GDP never falls by more than half in a year (a floor that keeps every
stock positive under extreme settings).

References:
    Barro & Sala-i-Martin (1992); Dellink et al. (2017) (SSP GDP projections);
    Bloom & Williamson (1998) (working-age population and growth); Frankel & Romer
    (1999) (trade and income); IMF (2015) Russia Article IV and Gurvich & Prilepskiy
    (2015) (size of sanction losses).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from sim import convergence, trends
from sim.mechanisms import draws, pipelines, sanctions
from sim.mechanisms.batch import power

if TYPE_CHECKING:
    from sim.model import WorldModel
    from sim.scenario.schema import Economy

WORST_YEAR = -0.5


def energy_revenue(model: WorldModel) -> np.ndarray:
    """Net energy export revenue (US$ bn) against 2014 consumption, at this year's prices.

    Production other than the change in pipeline exports is valued at the oil-based
    ``energy_value_usd_bn_per_ej``; the pipeline change at the contract gas price.
    """
    value = model.params.economy.energy_value_usd_bn_per_ej * model.price_index
    pipeline_change = pipelines.gas_value_usd_bn(model, model.gas_flow - model.gas_flow0)
    return value * (model.energy_production_base - model.energy_consumption0) + (
        pipeline_change.sum(axis=-1)
    )


def gas_replacement_cost(model: WorldModel) -> np.ndarray:
    """Premium (US$ bn) importers pay to replace pipeline gas lost since the start year."""
    change = pipelines.gas_value_usd_bn(model, model.gas_flow0 - model.gas_flow).sum(axis=-2)
    return model.params.economy.lng_premium * np.clip(change, 0.0, None)


def update(model: WorldModel) -> None:
    """Grow every economy by one year."""
    p = model.params
    shock = draws.normal(model.shock_rng, (model.n,)) * model.growth_sd
    shock = shock * p.economy.growth_shock_scale
    trade_effect = p.economy.trade_gdp_elasticity * (model.trade_gap - model.trade_gap_previous)
    revenue = energy_revenue(model)
    cost = gas_replacement_cost(model)
    energy_effect = model.per_gdp(revenue - model.energy_revenue - (cost - model.gas_import_cost))
    arms_exports = model.arms_flow.sum(axis=-1)
    arms_effect = model.per_gdp(arms_exports - model.arms_exports)
    target = sanctions.level_loss_target(model)
    loss = model.level_loss + p.sanctions.loss_adjustment * (target - model.level_loss)
    loss_effect = (loss - model.level_loss) / (1.0 - model.level_loss)
    e = p.economy
    below = convergence.below_frontier(model.trend_gap, model.log_steady_state)
    trend = convergence.trend_growth(
        model.trend_gap, e.frontier_growth, model.convergence, below, e.min_trend_growth
    )
    model.trend_gap = convergence.next_gap(model.trend_gap, e.frontier_growth, trend)
    t = min(model.year - model.config.start_year, model.population_path.shape[-1] - 1)
    workers = model.working_age_path[..., t]
    workers_growth = np.divide(
        workers, model.working_age, out=np.ones_like(workers), where=model.working_age > 0
    )
    model.population, model.working_age = model.population_path[..., t], workers
    model.growth = np.maximum(
        (1.0 + trend) * workers_growth
        - 1.0
        + shock
        + model.growth_shock
        + trade_effect
        + energy_effect
        + arms_effect
        - loss_effect,
        WORST_YEAR,
    )
    model.gdp = model.gdp * (1.0 + model.growth)
    model.energy_revenue, model.gas_import_cost, model.level_loss = revenue, cost, loss
    model.arms_exports = arms_exports
    model.energy_consumption_ratio = power(model.gdp_ratio(), p.economy.energy_gdp_elasticity)
    model.energy_consumption = model.energy_consumption0 * model.energy_consumption_ratio


def initial_gap(
    params: Economy, states: tuple[str, ...], gdp: np.ndarray, workers: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's starting log gap to its steady state, and ln c_i (sim/convergence.py).

    The gap reproduces the row's trend growth of output per worker over 2015-24
    (sim/trends.py); a row without data starts at its steady state (trend growth g_F).
    A row without people (an empty ``ROW``) counts as at the frontier.
    """
    target, _ = trends.per_worker_growth(states)
    target = np.where(np.isfinite(target), target, params.frontier_growth)
    rows = (*states, "ROW")
    for state, value in params.trend_growth.items():
        target[rows.index(state)] = value
    beta = speeds(params, states)
    gap = _initial_gap(tuple(target.tolist()), params.frontier_growth, tuple(beta.tolist()))
    income = np.divide(gdp, workers, out=np.zeros_like(gdp), where=workers > 0)
    log_c = convergence.log_steady_state(gap, income, trends.frontier_income())
    return gap, np.where(np.isfinite(log_c), log_c, gap)


@functools.lru_cache(maxsize=64)
def _initial_gap(target: tuple, frontier_growth: float, beta: tuple) -> np.ndarray:
    """``convergence.initial_gap`` (a root search), once per distinct set of inputs."""
    gap = convergence.initial_gap(
        np.array(target), frontier_growth, np.array(beta), trends.CALIBRATION_YEARS
    )
    gap.setflags(write=False)
    return gap


def speeds(params: Economy, states: tuple[str, ...]) -> np.ndarray:
    """β per row: the scenario's ``convergence_by_state``, else the calibrated, else global."""
    fitted = {**trends.calibrated_convergence(), **params.convergence_by_state}
    return np.array([fitted.get(state, params.convergence) for state in (*states, "ROW")])
