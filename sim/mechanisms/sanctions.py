"""Sanctions: who sanctions whom, in which sectors, and what it costs.

``sanctions[run, k, i, j]`` is the intensity (0-1) of sector ``k`` sanctions
that state ``i`` imposes on state ``j``. Costs reach the target's GDP through a growth
penalty proportional to its exposure to its senders (their share of its 2014 trade;
``sim.mechanisms.growth_effects``), and everyone else's through the trade the sanctions
cut (see ``sim.mechanisms.trade``).

References:
    Hufbauer, Schott, Elliott & Oegg (2007), *Economic Sanctions Reconsidered*.
    Gurvich & Prilepskiy (2015), Russian Journal of Economics 1(4).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import draws, estimated
from sim.mechanisms.axes import swap
from sim.scenario.schema import SECTORS
from sim.world_state import PAIR, SECTOR_PAIR, SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

SECTOR_INDEX = {sector: k for k, sector in enumerate(SECTORS)}
STATE = {
    "sanctions": Field(
        SECTOR_PAIR, "intensity (0-1) of each sector's sanctions, sender on target", physical=True
    ),
    "between": Field(SECTOR_PAIR, "each sector's intensity between the pair, either direction"),
    "countering": Field(
        PAIR, "the sanction is a counter-sanction (state on its sender)", dtype=bool
    ),
    "exposure": Field(PAIR, "each partner's share of a state's start-year trade", SHARED),
    "tech_exposure": Field(STATE, "exposure-weighted technology sanctions suffered (0-1)"),
    "sanction_years": Field(PAIR, "years the sender's sanction on the target has been in force"),
    "sanction_since": Field(
        PAIR, "years since the sender's sanction on the target was last in force (0: now)"
    ),
}
NEVER = 99.0  # sanction_since of a pair never sanctioned in the run


def start(world: Ensemble, starts: list[StartingWorld]) -> None:  # noqa: ARG001
    """Each state's exposure to each partner: its share of the state's start-year trade."""
    stack(world.state, "exposure", [exposure_shares(world.state.trade0)])
    world.state.sanction_since[...] = NEVER


def pair_intensity(sanctions: np.ndarray) -> np.ndarray:
    """Per sector, the intensity between each pair in either direction, shape (R, k, n, n).

    A sector nobody sanctions in is left at zero: the maximum with its transpose reads
    the n×n array across its rows, which in a world of many states costs more than the
    rest of the year's sanctions arithmetic.
    """
    between = np.zeros_like(sanctions)
    for sector in range(sanctions.shape[-3]):
        intensity = sanctions[:, sector]
        if intensity.any():
            np.maximum(intensity, swap(intensity), out=between[:, sector])
    return between


def trade_cut(pair: np.ndarray, weights: np.ndarray, energy_share: np.ndarray) -> np.ndarray:
    """Share of each pair's trade its sanctions stop, the energy part apart from the rest.

    ``pair`` is the sanctions' intensity in either direction (``pair_intensity``),
    (R, k, n, n); ``weights`` each run's weight of each sector, (R, k).

    cut_ij = 1 - [(1 - e_ij) · Π_{k≠energy} (1 - w_k s_k,ij) + e_ij · (1 - w_energy s_energy,ij)]

    Energy sanctions stop the pair's energy trade (share ``energy_share``); the other
    sectors stop its other trade. So a cut in energy imports also shrinks energy's share
    of what remains, and a pair without energy trade loses nothing to an energy embargo.
    """
    energy = SECTOR_INDEX["energy"]
    other = np.ones(pair[:, 0].shape)
    for sector in SECTOR_INDEX.values():  # one n×n product at a time: no (k, n, n) copies
        if sector != energy:
            other *= 1.0 - weights[:, sector, None, None] * pair[:, sector]
    kept = 1.0 - weights[:, energy, None, None] * pair[:, energy]
    return 1.0 - ((1.0 - energy_share) * other + energy_share * kept)


def energy_trade_share(trade: np.ndarray, net_energy_exports: np.ndarray) -> np.ndarray:
    """Energy's share of each pair's trade: e_ij = (x_i + x_j) / 2.

    x_i = net energy exports / exports, clipped to [0, 1], is the energy share of i's
    exports (0 for a net importer), with i's exports taken as half its two-way trade;
    each side's exports are taken as half the pair's trade and as energy-rich as its
    exports to the world.
    """
    exports = trade.sum(axis=-1) / 2.0
    share = np.divide(
        net_energy_exports,
        exports,
        out=np.zeros_like(net_energy_exports),
        where=exports > 0,
    )
    share = np.clip(share, 0.0, 1.0)
    return (share[..., :, None] + share[..., None, :]) / 2.0


def exposure_shares(trade: np.ndarray) -> np.ndarray:
    """Row-normalised trade: w_ij = T_ij / Σ_k T_ik (each partner's share of i's trade)."""
    total = trade.sum(axis=-1, keepdims=True)
    return np.divide(trade, total, out=np.zeros_like(trade), where=total > 0)


def exposure(world: Ensemble, sector: str) -> np.ndarray:
    """Exposure-weighted intensity each state suffers in ``sector``: Σ_j s_ji · w_ij."""
    s = world.state
    suffered = swap(s.sanctions[:, SECTOR_INDEX[sector]])  # [run, target, sender]
    return (suffered * s.exposure).sum(axis=-1)


def impose(
    world: Ensemble,
    run: int,
    senders: list[int],
    target: int,
    intensities: dict[str, float],
    origin: str,
) -> None:
    """Set the senders' sanctions on the target in one run (replacing any earlier package)."""
    ids = world.ids
    for sender in senders:
        for sector, value in intensities.items():
            world.state.sanctions[run, SECTOR_INDEX[sector], sender, target] = value
        strongest = max(intensities.values(), default=0.0)
        kind = "sanction" if strongest > 0 else "sanction_lifted"
        world.log(run, kind, ids[sender], ids[target], strongest, origin)


def lift(world: Ensemble, run: int, senders: list[int], target: int, origin: str) -> None:
    """Lift every sector of the senders' sanctions on the target in one run."""
    impose(world, run, senders, target, dict.fromkeys(SECTORS, 0.0), origin)


def concession_chance(world: Ensemble, pressing: np.ndarray) -> np.ndarray:
    """[run, target] the yearly chance each target concedes: the estimated hazard.

    The logit of a sanction ending in the target's concession (TIES cases imposed
    1990-2005, ``sim/data/estimated/sanction_ending.csv``; docs/estimation.md), with
    the target's major-power status and polyarchy (2014), its share of the CINC of
    itself and its largest sender, whether the United States is among its senders, and
    the log of the years the oldest of its sanctions has been in force, this year
    included (TIES counts the imposition year as the first). TIES's coding of
    the target's costs as severe has no counterpart in the model and is taken as not
    severe (its coefficient is not significant). ``sanctions.concession_odds`` scales
    the odds (1: as estimated).

    Args:
        world: The world as the year starts.
        pressing: [run, sender, target] the sanctions in force that are not counter-sanctions.
    """
    s = world.state
    cinc = np.exp(s.log_cinc)  # each row's CINC share at the end of last year
    largest = np.where(pressing, cinc[..., :, None], 0.0).max(axis=-2)  # [run, target]
    share = np.divide(cinc, cinc + largest, out=np.ones_like(cinc), where=largest > 0)
    usa = world.index.get("USA")
    by_us = pressing[..., usa, :] if usa is not None else np.zeros_like(share, bool)
    years = np.where(pressing, s.sanction_years, 0.0).max(axis=-2) + 1.0
    covariates = {
        "target_major": s.major_power,
        "target_polyarchy": s.polyarchy,
        "log_target_cinc_share": np.log(np.maximum(share, 1e-12)),
        "sender_us": by_us.astype(float),
        "target_costs_severe": 0.0,
        "log_years": np.log(np.maximum(years, 1.0)),
    }
    odds = world.params.sanctions.concession_odds[:, None]
    return estimated.probability("sanction_ending", covariates, odds)


def ending_chance(world: Ensemble) -> np.ndarray:
    """[run, sender, target] the yearly chance a sanction ends without the target's concession.

    The competing risk of ``concession_chance``: the logit of a TIES case ending any
    other way (the sender backs down, a stalemate, a settlement;
    ``sim/data/estimated/sanction_ending_other.csv``), on the same covariates taken for
    the pair: the target's major-power status and polyarchy, its share of the CINC of
    itself and this sender, whether the sender is the United States, and the log of the
    years this sanction has been in force, this year included. ``sanctions.ending_odds``
    scales the odds (1: as estimated, 0: only concession ends a sanction).
    """
    s = world.state
    cinc = np.exp(s.log_cinc)
    pair = cinc[..., None, :] + cinc[..., :, None]
    share = np.divide(cinc[..., None, :], pair, out=np.ones_like(pair), where=pair > 0)
    us = np.zeros(world.n)
    if "USA" in world.index:
        us[world.index["USA"]] = 1.0
    covariates = {
        "target_major": s.major_power[..., None, :],
        "target_polyarchy": s.polyarchy[..., None, :],
        "log_target_cinc_share": np.log(np.maximum(share, 1e-12)),
        "sender_us": us[:, None],
        "target_costs_severe": 0.0,
        "log_years": np.log(s.sanction_years + 1.0),
    }
    odds = world.params.sanctions.ending_odds[:, None, None]
    return estimated.probability("sanction_ending_other", covariates, odds)


def age(world: Ensemble) -> None:
    """Each sanction's years in force at the end of the year (0 once lifted).

    Run at the end of every year, and once on the start year's sanctions: a sanction
    in force in the start year has been in force one year when the next begins, as
    TIES counts the imposition year as the first.
    """
    s = world.state
    in_force = s.sanctions.max(axis=-3) > 0
    s.sanction_years = np.where(in_force, s.sanction_years + 1.0, 0.0)
    s.sanction_since = np.where(in_force, 0.0, np.minimum(s.sanction_since + 1.0, NEVER))


@dataclass
class Answers:
    """The year's answers to sanctions, decided on the world as the year starts.

    Attributes:
        conceding: [target] the target concedes: its senders lift their sanctions.
        pressing: [sender, target] sanctions in force that are not counter-sanctions.
        ended: (sender, target) sanctions that end without the target's concession.
        cost: [target] the cost each target bears (level loss plus trade shortfall).
        counter: (state, sender) pairs that impose or raise a counter-sanction.
        level: The intensity of each new counter-sanction.
        dropped: (state, sender) rows that drop a counter-sanction.
    """

    conceding: np.ndarray
    pressing: np.ndarray
    ended: tuple[np.ndarray, ...]
    cost: np.ndarray
    counter: tuple[np.ndarray, ...]
    level: np.ndarray
    dropped: tuple[np.ndarray, ...]


def answer_sanctions(world: Ensemble, deciding: np.ndarray) -> Answers | None:
    """Every sanctioned state's answer: concede, counter-sanction each sender, or drop them.

    A target concedes with the estimated yearly chance of ``concession_chance`` (TIES):
    imposed sanctions rarely end in concession, least of all for strong, autocratic
    targets and old sanctions (docs/estimation.md). Each sanction on a target that does
    not concede ends otherwise (its sender backs down, a stalemate, a settlement) with
    the chance of ``ending_chance``, the competing risk estimated on the same cases.
    A target that does not concede answers each sender, with chance
    ``counter_probability``, by a trade sanction of ``counter_ratio`` × the strongest
    sector the sender applies (the 2014 Russian food ban answered Western finance and
    technology sanctions); counter-sanctions are not answered, so answers never
    escalate in a loop. A state drops a counter-sanction once the sanctions it answered
    are gone, including those its own concession lifts.

    Args:
        world: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    s = world.state
    strongest = s.sanctions.max(axis=-3)  # [run, sender, target]
    if not strongest.any():
        return None
    p = world.params.sanctions
    pressing = (strongest > 0) & ~s.countering
    cost = s.level_loss + np.maximum(0.0, -s.trade_gap)
    chance = concession_chance(world, pressing)
    conceding = np.zeros(cost.shape, bool)
    conceding[draws.rows(world.rngs, deciding & pressing.any(axis=-2), chance)] = True
    ending = ending_chance(world)
    open_ = deciding[:, None] & pressing & ~conceding[..., None, :] & (ending > 0)
    ended = draws.pairs(world.rngs, open_, ending)
    remaining = pressing.copy()
    remaining[ended] = False
    incoming = swap(strongest * remaining) * ~conceding[..., :, None]  # [run, state, sender]
    current = s.sanctions[:, SECTOR_INDEX["trade"]]
    wanted = p.counter_ratio[:, None, None] * incoming
    raising = deciding[:, None] & (wanted > current + 1e-12)
    counter = draws.pairs(world.rngs, raising, p.counter_probability)
    dropped = np.nonzero(deciding[:, None] & s.countering & (incoming == 0) & (current > 0))
    return Answers(conceding, pressing, ended, cost, counter, wanted[counter], dropped)


def carry_out(world: Ensemble, answers: Answers | None) -> None:
    """Concessions first (the senders lift every sector), then counter-sanctions and drops.

    A counter-sanction decided this year by a sender the target concedes to still
    applies: it answers the target's own sanctions, which the concession does not lift.
    """
    if answers is None:
        return
    s, ids = world.state, world.ids
    trade = s.sanctions[:, SECTOR_INDEX["trade"]]
    for run, target in zip(*(rows.tolist() for rows in np.nonzero(answers.conceding)), strict=True):
        senders = np.nonzero(answers.pressing[run, :, target])[0].tolist()
        for sender in senders:
            cost = answers.cost[run, target]
            world.log(run, "sanction_success", ids[sender], ids[target], cost, "decision")
        lift(world, run, senders, target, "decision")
    run, sender, target = answers.ended
    s.sanctions[run, :, sender, target] = 0.0
    world.log_many("sanction_ended", run, sender, target, 0.0, "decision")
    trade[answers.dropped] = 0.0
    s.countering[answers.dropped] = False
    world.log_many("sanction_lifted", *answers.dropped, 0.0, "decision")
    trade[answers.counter] = answers.level
    s.countering[answers.counter] = True
    world.log_many("counter_sanction", *answers.counter, answers.level, "decision")
