"""Bilateral trade: a gravity path bent by sanctions, diversion, alliances and affinity.

Without policy, each pair's trade grows with the geometric mean of the two
economies (trade/GDP stays at its 2014 level): T̄_ij = T⁰_ij √(Y_i Y_j / Y⁰_i Y⁰_j).
Sanctions cut a share of it; a share of what a state loses is diverted to its
unsanctioned partners in proportion to affinity × size (the gravity-model
intuition); new alliances, trade agreements and affinity changes scale it;
pipeline gas adds its value. Trade moves part of the way to that target each year.

References:
    Tinbergen (1962); Anderson & van Wincoop (2003) (gravity).
    Frankel & Romer (1999) (trade and income).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import pipelines, sanctions

if TYPE_CHECKING:
    from sim.model import WorldModel


def gravity_path(trade0: np.ndarray, gdp: np.ndarray, gdp0: np.ndarray) -> np.ndarray:
    """Trade each pair would have at today's GDPs with 2014 trade intensities."""
    growth = np.divide(gdp, gdp0, out=np.ones_like(gdp), where=gdp0 > 0)
    return trade0 * np.sqrt(np.outer(growth, growth))


def diversion(
    gravity: np.ndarray, cut: np.ndarray, affinity: np.ndarray, share: float
) -> np.ndarray:
    """Trade re-routed to unsanctioned partners: D_ik ∝ a_ik · T̄_ik (1 - cut_ik)."""
    lost = (gravity * cut).sum(axis=1)
    weight = affinity * gravity * (1.0 - cut)
    np.fill_diagonal(weight, 0.0)
    total = weight.sum(axis=1, keepdims=True)
    return (
        share * lost[:, None] * np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)
    )


def target_trade(model: WorldModel) -> tuple[np.ndarray, np.ndarray]:
    """The trade each pair is heading to this year, and its no-policy gravity path."""
    p = model.params
    gravity = gravity_path(model.trade0, model.gdp, model.gdp0)
    weights = np.array([getattr(p.sanctions.trade_cut, s) for s in sanctions.SECTOR_INDEX])
    cut = sanctions.trade_cut(model.sanctions, weights)
    policy = (
        (1.0 + model.trade_bonus)
        * np.clip(1.0 + p.trade.affinity_elasticity * (model.affinity - model.affinity0), 0.0, None)
        * (1.0 + p.trade.alliance_bonus * (model.allied - model.allied0))
    )
    diverted = diversion(gravity, cut, model.affinity, p.trade.diversion_share)
    gas = pipelines.gas_value_usd_bn(model, model.gas_flow - model.gas_flow0)
    target = gravity * (1.0 - cut) * policy + diverted + diverted.T + gas + gas.T
    np.fill_diagonal(target, 0.0)
    return np.clip(target, 0.0, None), gravity


def update(model: WorldModel) -> None:
    """Move trade's deviation from gravity toward its target; record each state's gap.

    Only the policy-driven deviation adjusts gradually, so that without any policy
    trade follows its gravity path exactly.
    """
    target, gravity = target_trade(model)
    model.trade_deviation += model.params.trade.adjustment_rate * (
        target - gravity - model.trade_deviation
    )
    model.trade = np.clip(gravity + model.trade_deviation, 0.0, None)
    model.trade_gap_previous = model.trade_gap
    model.trade_gap = model.per_gdp(model.trade.sum(axis=1) - gravity.sum(axis=1))
