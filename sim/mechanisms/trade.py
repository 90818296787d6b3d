"""Bilateral trade: a gravity path bent by sanctions, diversion, alliances and affinity.

Without policy, each pair's trade grows with the geometric mean of the two
economies (trade/GDP stays at its 2014 level): T̄_ij = T⁰_ij √(Y_i Y_j / Y⁰_i Y⁰_j).
Sanctions cut a share of it (energy sanctions the pair's energy trade, the other
sectors the rest); a share of what a state loses with a partner is diverted to
third countries in proportion to affinity × size (the gravity-model intuition);
new alliances, trade agreements and affinity changes scale it; pipeline gas
contracted since the start year adds its value. Trade falls to a lower target
within the year and moves part of the way to a higher one.

References:
    Tinbergen (1962); Anderson & van Wincoop (2003) (gravity).
    Frankel & Romer (1999) (trade and income).
    Kwon, Nagengast, Yoon & Yotov (2026), Deutsche Bundesbank Discussion Paper
    2026-6 (complete trade sanctions erode about 58% of bilateral trade).
    Crozet & Hinz (2020), Economic Policy 35(101) (trade lost to untargeted goods).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import pipelines, sanctions
from sim.mechanisms.axes import swap, zero_diagonal
from sim.world_state import FIXED, PAIR, SECTOR, SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "trade0": Field(PAIR, "bilateral trade in the start year, US$ bn (IMF DOTS)", SHARED),
    "trade": Field(PAIR, "bilateral trade, US$ bn", physical=True),
    "trade_deviation": Field(
        PAIR, "trade's policy-driven deviation from gravity, share of the gravity path"
    ),
    "trade_bonus": Field(PAIR, "trade agreements' boost to the pair's trade (share)"),
    "trade_gap": Field(STATE, "trade's gap to its gravity path, share of GDP"),
    "trade_gap_previous": Field(STATE, "last year's trade gap, share of GDP"),
    "trade_cut_weights": Field(
        SECTOR, "share of the pair's trade each sector's sanctions stop", FIXED
    ),
    "energy_trade_share": Field(PAIR, "energy's share of the pair's start-year trade", FIXED),
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """Start-year trade, each run's sanctions weights and energy's share of each pair's trade."""
    s = world.state
    stack(s, "trade0", [starts[0].trade])
    s.trade[...] = s.trade0
    s.trade_cut_weights = cut_weights(world)
    s.energy_trade_share = energy_share(world)


def gravity_path(trade0: np.ndarray, gdp: np.ndarray, gdp0: np.ndarray) -> np.ndarray:
    """Trade each pair would have at today's GDPs with 2014 trade intensities."""
    growth = np.divide(gdp, gdp0, out=np.ones_like(gdp), where=gdp0 > 0)
    return trade0 * np.sqrt(growth[..., :, None] * growth[..., None, :])


def diversion(
    gravity: np.ndarray, cut: np.ndarray, affinity: np.ndarray, share: float | np.ndarray
) -> np.ndarray:
    """Trade re-routed to third countries: D_ik = d Σ_{j≠k} L_ij w_ik / Σ_{m≠j} w_im.

    L_ij = T̄_ij cut_ij is what i loses with j; it goes to i's other partners k in
    proportion to w_ik = a_ik T̄_ik (1 - cut_ik), never back to j itself (trade lost to a
    sanction does not return through the same pair). Computed for all pairs at once:
    Σ_{j≠k} L_ij / (W_i - w_ij) = S_i - L_ik / (W_i - w_ik), with W_i = Σ_m w_im.
    """
    lost = gravity * cut
    weight = affinity * gravity * (1.0 - cut)
    zero_diagonal(weight)
    zero_diagonal(lost)
    others = weight.sum(axis=-1, keepdims=True) - weight  # W_i - w_ij
    per_weight = np.divide(lost, others, out=np.zeros_like(lost), where=others > 1e-12)
    return share * weight * (per_weight.sum(axis=-1, keepdims=True) - per_weight)


def energy_share(world: Ensemble) -> np.ndarray:
    """Energy's share of each pair's start-year trade (``sanctions.energy_trade_share``).

    Net energy exports are valued at the 2014 price (``economy.energy_value_usd_bn_per_ej``),
    like the start-year trade they are a share of.
    """
    s = world.state
    value = world.params.economy.energy_value_usd_bn_per_ej[:, None]
    net = value * (s.energy_production0 - s.energy_consumption0)
    return sanctions.energy_trade_share(s.trade0, net)


def cut_weights(world: Ensemble) -> np.ndarray:
    """Each run's ``sanctions.trade_cut`` weights, (R, sectors) in the sanctions' order."""
    weights = world.params.sanctions.trade_cut
    return np.stack([getattr(weights, sector) for sector in sanctions.SECTOR_INDEX], axis=-1)


def target_trade(world: Ensemble) -> tuple[np.ndarray, np.ndarray]:
    """The trade each pair is heading to this year, and its no-policy gravity path."""
    p, s = world.params.trade, world.state
    gravity = gravity_path(s.trade0, s.gdp, s.gdp0)
    weights = s.trade_cut_weights
    cut = sanctions.trade_cut(s.between, weights, s.energy_trade_share)
    policy = (
        (1.0 + s.trade_bonus)
        * np.clip(
            1.0 + p.affinity_elasticity[:, None, None] * (s.affinity - s.affinity0), 0.0, None
        )
        * (1.0 + p.alliance_bonus[:, None, None] * (s.allied - s.allied0))
    )
    diverted = diversion(gravity, cut, s.affinity, p.diversion_share[:, None, None])
    # Contracts signed or ended since the start year change the pair's trade; energy
    # sanctions on the start-year volumes are already in the cut (the energy share).
    energy = sanctions.SECTOR_INDEX["energy"]
    energy_kept = 1.0 - weights[:, energy, None, None] * s.between[:, energy]
    new_gas = pipelines.contracted(world) - s.gas_flow0
    gas = pipelines.gas_value_usd_bn(world, new_gas) * energy_kept
    target = gravity * (1.0 - cut) * policy + diverted + swap(diverted) + gas + swap(gas)
    zero_diagonal(target)
    return np.clip(target, 0.0, None), gravity


def update(world: Ensemble) -> None:
    """Move trade's deviation from gravity toward its target; record each state's gap.

    Only the policy-driven deviation adjusts, so that without any policy trade follows
    its gravity path exactly. The deviation is a share of the gravity path, so that a
    pair whose economies shrink keeps the share of its gravity trade a sanction left
    it (a deviation in US$ would outlast the trade it was cut from); a pair that did not
    trade in the start year has no gravity path and trades its target (a new pipeline's
    gas) as it is. The deviation falls toward a
    lower target at ``cut_adjustment_rate`` (bans bite within months: EU imports from
    Russia fell from EUR 22 bn in March 2022 to EUR 3.8 bn in March 2023, Eurostat)
    and rises toward a higher one at ``adjustment_rate``.
    """
    p, s = world.params.trade, world.state
    target, gravity = target_trade(world)
    heading = np.divide(target, gravity, out=np.ones_like(target), where=gravity > 0) - 1.0
    gap = heading - s.trade_deviation
    rate = np.where(gap < 0, p.cut_adjustment_rate[:, None, None], p.adjustment_rate[:, None, None])
    s.trade_deviation += rate * gap
    s.trade = np.clip(np.where(gravity > 0, gravity * (1.0 + s.trade_deviation), target), 0, None)
    s.trade_gap_previous = s.trade_gap
    s.trade_gap = world.per_gdp(s.trade.sum(axis=-1) - gravity.sum(axis=-1))
