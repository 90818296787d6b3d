"""GDP: trend growth plus shocks, trade, energy revenue and sanctions' level losses.

g_i = g*_i - β ln(Y_i/Y⁰_i) + s σ_i ε + z_i + η Δgap_i + (ΔR_i - ΔC_i + ΔX_i)/Y_i - Δℓ_i,
where g* is the 2005-14 mean real growth, slowing by ``convergence`` (β) as the
economy grows; σ the 1995-2014 s.d. of growth, scaled by ``growth_shock_scale``;
gap the trade/GDP gap to the gravity path, η = ``trade_gdp_elasticity``; R the
net energy export revenue at the price index; C the premium paid to replace
lost pipeline gas; X arms export revenue; z a scenario growth shock; ℓ the
sanctions' level loss, closing ``loss_adjustment`` of its gap each year. GDP
never falls by more than half in a year (a floor that keeps every stock
positive under extreme settings).

References:
    Frankel & Romer (1999) (trade and income); IMF (2015) Russia Article IV and
    Gurvich & Prilepskiy (2015) (size of sanction losses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import pipelines, sanctions

if TYPE_CHECKING:
    from sim.model import WorldModel

WORST_YEAR = -0.5


def energy_revenue(model: WorldModel) -> np.ndarray:
    """Net energy export revenue (US$ bn) against 2014 consumption, at this year's prices.

    Production other than the change in pipeline exports is valued at the oil-based
    ``energy_value_usd_bn_per_ej``; the pipeline change at the contract gas price.
    """
    value = model.params.economy.energy_value_usd_bn_per_ej * model.price_index
    pipeline_change = pipelines.gas_value_usd_bn(model, model.gas_flow - model.gas_flow0)
    return value * (model.energy_production_base - model.energy_consumption0) + (
        pipeline_change.sum(axis=1)
    )


def gas_replacement_cost(model: WorldModel) -> np.ndarray:
    """Premium (US$ bn) importers pay to replace pipeline gas lost since the start year."""
    change = pipelines.gas_value_usd_bn(model, model.gas_flow0 - model.gas_flow).sum(axis=0)
    return model.params.economy.lng_premium * np.clip(change, 0.0, None)


def update(model: WorldModel) -> None:
    """Grow every economy by one year."""
    p = model.params
    shock = model.shock_rng.normal(size=model.n) * model.growth_sd * p.economy.growth_shock_scale
    trade_effect = p.economy.trade_gdp_elasticity * (model.trade_gap - model.trade_gap_previous)
    revenue = energy_revenue(model)
    cost = gas_replacement_cost(model)
    energy_effect = model.per_gdp(revenue - model.energy_revenue - (cost - model.gas_import_cost))
    arms_exports = model.arms_flow.sum(axis=1)
    arms_effect = model.per_gdp(arms_exports - model.arms_exports)
    target = sanctions.level_loss_target(model)
    loss = model.level_loss + p.sanctions.loss_adjustment * (target - model.level_loss)
    loss_effect = (loss - model.level_loss) / (1.0 - model.level_loss)
    trend = model.trend - p.economy.convergence * np.log(model.gdp_ratio())
    model.growth = np.maximum(
        trend
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
    model.energy_consumption_ratio = model.gdp_ratio() ** p.economy.energy_gdp_elasticity
    model.energy_consumption = model.energy_consumption0 * model.energy_consumption_ratio
