"""What policy and partners do to a state's growth: sanctions suffered, partners' shocks.

**Sanctions.** A target's growth falls, while the sanctions it suffers are new, by

    p_i(t) = max(0, P_i(t) - P_i(t - D)),    P_i = Σ_k r_k Σ_j s_k,ji w_ij,

P_i the growth penalty rate of the sanctions in force on i (fraction a year), s_k,ji the
intensity of sender j's sector-k sanctions on i (counter-sanctions left out: they answer
sanctions and cost their sender through trade), w_ij j's share of i's 2014 trade
(``sanctions.exposure``), r_k = ``sanctions.growth_penalty.<sector>``, and D =
``sanctions.penalty_years``: each rise of the pressure lowers growth for D years, then
stops; the output lost is not made up. Neuenkirch & Neumeier (2015) measure the total
effect of sanctions on the target's growth (trade included): the target's trade with the
states that sanction it therefore leaves the trade channel (``excluded_trade_change``),
and the penalty stands for all of it; its trade with everyone else, and the senders'
trade with it, stay in the trade channel.

**Spillovers.** A partner's growth away from its trend moves a state's growth in
proportion to the state's exports to it as a share of its GDP:

    s_i = ε Σ_j (T_ij / 2) / Y_i · d_j,    ε = ``economy.spillover_elasticity``,

d_j the partner's growth this year less its trend growth (shocks and policy), exports
taken as half the pair's two-way trade (the model's convention, ``sanctions.trade_cut``).
Only the first round is counted: the state's own answer does not travel back within the
year.

References:
    Neuenkirch & Neumeier (2015), European Journal of Political Economy 40.
    Gutmann, Neuenkirch & Neumeier (2023), Journal of Comparative Economics 51(4).
    Arora & Vamvakidis (2005), IMF Staff Papers 52(1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import sanctions, trade
from sim.mechanisms.axes import swap
from sim.world_state import PAIR, STATE, STATE_YEAR, Field

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "sanction_pressure": Field(
        STATE_YEAR, "growth penalty rate of the sanctions each state suffers, by year"
    ),
    "sanction_penalty": Field(STATE, "this year's growth lost to sanctions suffered (fraction)"),
    "sanctioned_by": Field(
        PAIR, "[target, sender] the sender has pressed sanctions on the target", dtype=bool
    ),
    "trade_gap_parts": Field(PAIR, "each partner's part of last year's trade gap (share of GDP)"),
    "spillover": Field(STATE, "this year's growth from partners' growth deviations (fraction)"),
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:  # noqa: ARG001
    """Nothing has hit growth yet: no pressure recorded, trade on its gravity path."""
    s = world.state
    s.sanction_pressure[...] = 0.0
    s.sanction_penalty[...] = 0.0
    s.sanctioned_by[...] = False
    s.trade_gap_parts[...] = 0.0
    s.spillover[...] = 0.0


def pressing(world: Ensemble) -> np.ndarray:
    """[run, sector, sender, target] the intensities in force, counter-sanctions left out."""
    s = world.state
    return s.sanctions * ~s.countering[:, None]


def pressure(world: Ensemble) -> np.ndarray:
    """[run, state] P_i: the growth penalty rate of the sanctions each state suffers."""
    s, rates = world.state, world.params.sanctions.growth_penalty
    suffered = swap(pressing(world))  # [run, sector, target, sender]
    total = np.zeros(s.gdp.shape)
    for sector, k in sanctions.SECTOR_INDEX.items():
        rate = getattr(rates, sector)[:, None]
        if suffered[:, k].any():
            total += rate * (suffered[:, k] * s.exposure).sum(axis=-1)
    return total


def sanction_penalty(world: Ensemble) -> np.ndarray:
    """[run, state] p_i(t): the growth lost this year to sanctions that are still new.

    Also records this year's pressure and which senders have pressed each target.
    """
    s = world.state
    t = world.year - world.config.start_year
    years = world.params.sanctions.penalty_years
    now = pressure(world)
    s.sanction_pressure[..., t] = now
    back = t - years  # [run]
    index = np.clip(back, 0, None)[:, None, None]
    earlier = np.take_along_axis(s.sanction_pressure, index, axis=-1)[..., 0]
    before = np.where((back >= 0)[:, None], earlier, 0.0)
    s.sanctioned_by |= swap(pressing(world).max(axis=-3) > 0)
    s.sanction_penalty = np.clip(now - before, 0.0, None)
    return s.sanction_penalty


def excluded_trade_change(world: Ensemble) -> np.ndarray:
    """[run, state] the change in the trade gap with the states that sanctioned it.

    Each partner's part of the gap is (T_ij - T̄_ij) / Y_i; the change over the year of the
    parts of the partners that have ever pressed sanctions on the state leaves its trade
    channel (the sanctions' growth penalty measures it). The parts are stored for next year.
    """
    s = world.state
    gravity = trade.gravity_path(s.trade0, s.gdp, s.gdp0)
    gdp = s.gdp[..., :, None]
    parts = np.divide(s.trade - gravity, gdp, out=np.zeros_like(s.trade), where=gdp > 0)
    change = np.where(s.sanctioned_by, parts - s.trade_gap_parts, 0.0).sum(axis=-1)
    s.trade_gap_parts = parts
    return change


def spillover(world: Ensemble, deviation: np.ndarray) -> np.ndarray:
    """[run, state] ε Σ_j (T_ij / 2) / Y_i · d_j, with ``deviation`` d [run, state]."""
    s = world.state
    gdp = s.gdp[..., :, None]
    exports = np.divide(s.trade / 2.0, gdp, out=np.zeros_like(s.trade), where=gdp > 0)
    # NOTE: a partner whose numbers have broken (not finite) passes nothing on, so that the
    # yearly check (sim.finite) names the state that broke, not each of its trading partners
    exports = np.where(np.isfinite(exports), exports, 0.0)
    deviation = np.where(np.isfinite(deviation), deviation, 0.0)
    elasticity = world.params.economy.spillover_elasticity[:, None]
    s.spillover = elasticity * np.einsum("rij,rj->ri", exports, deviation)
    return s.spillover
