"""Sanctions: who sanctions whom, in which sectors, and what it costs.

``model.sanctions[k, i, j]`` is the intensity (0-1) of sector ``k`` sanctions
that state ``i`` imposes on state ``j``. Costs reach GDP through two channels:
the trade the sanctions cut (see ``sim.mechanisms.trade``) and a level loss for
finance and technology sanctions, proportional to the target's exposure to its
senders (their share of its 2014 trade).

References:
    Hufbauer, Schott, Elliott & Oegg (2007), *Economic Sanctions Reconsidered*.
    Gurvich & Prilepskiy (2015), Russian Journal of Economics 1(4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.scenario.schema import SECTORS

if TYPE_CHECKING:
    from sim.agents import State
    from sim.model import WorldModel

SECTOR_INDEX = {sector: k for k, sector in enumerate(SECTORS)}


def pair_intensity(sanctions: np.ndarray) -> np.ndarray:
    """Per sector, the intensity between each pair in either direction, shape (k, n, n)."""
    return np.maximum(sanctions, sanctions.transpose(0, 2, 1))


def trade_cut(sanctions: np.ndarray, weights: np.ndarray, energy_share: np.ndarray) -> np.ndarray:
    """Share of each pair's trade its sanctions stop, the energy part apart from the rest.

    cut_ij = 1 - [(1 - e_ij) · Π_{k≠energy} (1 - w_k s_k,ij) + e_ij · (1 - w_energy s_energy,ij)]

    Energy sanctions stop the pair's energy trade (share ``energy_share``); the other
    sectors stop its other trade. So a cut in energy imports also shrinks energy's share
    of what remains, and a pair without energy trade loses nothing to an energy embargo.
    """
    cut = weights[:, None, None] * pair_intensity(sanctions)
    energy = SECTOR_INDEX["energy"]
    other = np.delete(1.0 - cut, energy, axis=0).prod(axis=0)
    return 1.0 - ((1.0 - energy_share) * other + energy_share * (1.0 - cut[energy]))


def energy_trade_share(trade: np.ndarray, net_energy_exports: np.ndarray) -> np.ndarray:
    """Energy's share of each pair's trade: e_ij = (x_i + x_j) / 2.

    x_i = net energy exports / exports, clipped to [0, 1], is the energy share of i's
    exports (0 for a net importer), with i's exports taken as half its two-way trade;
    each side's exports are taken as half the pair's trade and as energy-rich as its
    exports to the world.
    """
    exports = trade.sum(axis=1) / 2.0
    share = np.divide(net_energy_exports, exports, out=np.zeros_like(exports), where=exports > 0)
    share = np.clip(share, 0.0, 1.0)
    return (share[:, None] + share[None, :]) / 2.0


def exposure_shares(trade: np.ndarray) -> np.ndarray:
    """Row-normalised trade: w_ij = T_ij / Σ_k T_ik (each partner's share of i's trade)."""
    total = trade.sum(axis=1, keepdims=True)
    return np.divide(trade, total, out=np.zeros_like(trade), where=total > 0)


def exposure(model: WorldModel, sector: str) -> np.ndarray:
    """Exposure-weighted intensity each state suffers in ``sector``: Σ_j s_ji · w_ij."""
    suffered = model.sanctions[SECTOR_INDEX[sector]].T  # [target, sender]
    return (suffered * model.exposure).sum(axis=1)


def level_loss_target(model: WorldModel) -> np.ndarray:
    """Long-run GDP level loss from finance and technology sanctions (share of GDP)."""
    p = model.params.sanctions
    return p.finance_loss * exposure(model, "finance") + p.technology_loss * exposure(
        model, "technology"
    )


def impose(
    model: WorldModel, senders: list[int], target: int, intensities: dict[str, float], origin: str
) -> None:
    """Set the senders' sanctions on the target (replacing any earlier package)."""
    for sender in senders:
        for sector, value in intensities.items():
            model.sanctions[SECTOR_INDEX[sector], sender, target] = value
        kind = "sanction" if max(intensities.values(), default=0) > 0 else "sanction_lifted"
        model.log(
            kind,
            model.ids[sender],
            model.ids[target],
            max(intensities.values(), default=0.0),
            origin,
        )


def lift(model: WorldModel, senders: list[int], target: int, origin: str) -> None:
    """Lift every sector of the senders' sanctions on the target."""
    impose(model, senders, target, dict.fromkeys(SECTORS, 0.0), origin)


def concession_chance(cost: float, hazard: float, half_cost: float) -> float:
    """Yearly chance a target concedes: hazard × cost / (cost + half_cost)."""
    return hazard * cost / (cost + half_cost) if cost > 0 else 0.0


def consider_conceding(agent: State) -> bool:
    """A target weighs its costs (level loss and trade shortfall) and may concede.

    On concession every sender lifts its sanctions on the target. About a third
    of sanction episodes succeed in Hufbauer, Schott & Elliott's data; the chance
    grows with the cost the target bears, and diverted trade that replaces what
    it lost lowers that cost.
    """
    model = agent.model
    p = model.params.sanctions
    i = agent.index
    senders = np.nonzero((model.sanctions[:, :, i].max(axis=0) > 0) & ~model.countering[:, i])[0]
    if len(senders) == 0:
        return False
    cost = model.level_loss[i] + max(0.0, -model.trade_gap[i])
    if model.rng.random() >= concession_chance(cost, p.success_hazard, p.success_half_cost):
        return False
    for j in senders:
        model.log("sanction_success", model.ids[j], agent.iso3, cost, "decision")
    lift(model, [int(j) for j in senders], i, "decision")
    return True


def answer_sanctions(agent: State) -> None:
    """A sanctioned state answers each sender with trade counter-sanctions (or drops them).

    The answer is proportional to the strongest sector the sender applies (the
    2014 Russian food ban answered Western finance and technology sanctions).
    """
    model = agent.model
    p = model.params.sanctions
    i = agent.index
    if not model.sanctioned[i] and not model.countering[i].any():
        return  # nothing to answer, nothing to drop (the common case: skip the n×n work)
    consider_conceding(agent)
    # per sender; counter-sanctions are not answered, so answers never escalate in a loop
    incoming = model.sanctions[:, :, i].max(axis=0) * ~model.countering[:, i]
    trade_k = SECTOR_INDEX["trade"]
    current = model.sanctions[trade_k, i, :]
    wanted = p.counter_ratio * incoming
    draws = model.rng.random(model.n)
    for j in np.nonzero((wanted > current + 1e-12) & (draws < p.counter_probability))[0]:
        model.sanctions[trade_k, i, j] = wanted[j]
        model.countering[i, j] = True
        model.log("counter_sanction", agent.iso3, model.ids[j], wanted[j], "decision")
    for j in np.nonzero((incoming == 0) & (current > 0) & model.countering[i])[0]:
        model.sanctions[trade_k, i, j] = 0.0
        model.countering[i, j] = False
        model.log("sanction_lifted", agent.iso3, model.ids[j], 0.0, "decision")
