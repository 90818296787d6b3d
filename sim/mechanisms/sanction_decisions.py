"""Sanctions the model's states decide: which state sanctions which, and in which sectors.

Each year every acting state that has no sanction in force on another acting state
imposes one with the yearly probability of the imposition logit estimated on the TIES
impositions of 2001-2005 (``sim/data/estimated/sanction_imposition.csv``, a directed
dyad-year logit; docs/estimation.md), on the model's covariates of the pair as the
year starts: strategic rivalry, a recent militarized dispute, the distance of UN
ideal points, both polyarchies, a defence pledge, both major-power statuses, both
log CINC shares, log capital distance, contiguity, and a sanction of the sender on
the target in force in the five years before. ``sanctions.imposition_odds`` scales
the odds (1: as estimated); ``sanctions.decide`` switches the rule off.

The sectors a decided sanction touches are drawn from the combinations the TIES
cases imposed 1990-2005 show (``sanction_sectors.csv``: mostly trade, some finance,
a few total embargoes), at intensity ``sanctions.decided_intensity`` (an assumption:
TIES codes the kind of sanction, not how much of the pair's trade it covers).

References:
    Morgan, Bapat & Kobayashi (2014), TIES, *CMPS* 31(5).
    Drezner (2003), "The Hidden Hand of Economic Coercion", *IO* 57(3).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import draws, estimated
from sim.mechanisms.axes import pair_gap, zero_diagonal
from sim.mechanisms.sanctions import SECTOR_INDEX

if TYPE_CHECKING:
    from sim.ensemble import Ensemble

RECENT = 5  # sanctioned_before and dispute_recent look at the years t - 5 .. t - 1
ORIGIN = "decision"


@functools.cache
def sector_mix() -> tuple[np.ndarray, np.ndarray]:
    """The TIES combinations of sectors that touch the model, (m, k) 0/1, and their shares.

    The cases that touch no sector of the model (a travel ban alone: 1% of them) are
    left out and the shares of the others renormalised: a decided sanction is economic.
    """
    import pandas as pd  # read once per process

    table = pd.read_csv(estimated.ESTIMATED / "sanction_sectors.csv")
    mixes = table[list(SECTOR_INDEX)].to_numpy(float)
    touching = mixes.any(axis=1)
    shares = table["share"].to_numpy(float)[touching]
    return mixes[touching], shares / shares.sum()


def imposition_chance(world: Ensemble) -> np.ndarray:
    """[run, sender, target] the estimated yearly chance that the sender imposes a sanction.

    The covariates are those of the estimation, in its units, from the world as the year
    starts. Disputes are not simulated: ``dispute_recent`` is whether the pair's last
    dispute (MID 5.0) was within five years of 2014 (its peace-years ≤ 4, held), and
    ``sanctioned_before`` counts the sanctions of the run only (the record's before
    2014 are not carried in).
    """
    s = world.state
    covariates = {
        "rival": s.rival,
        "dispute_recent": (s.peace_years <= RECENT - 1).astype(float),
        "ideal_distance": pair_gap(s.ideal_point),
        "sender_polyarchy": s.polyarchy[..., :, None],
        "target_polyarchy": s.polyarchy[..., None, :],
        "pact": s.allied,
        "sender_major": s.major_power[..., :, None],
        "target_major": s.major_power[..., None, :],
        "log_sender_cinc": s.log_cinc[..., :, None],
        "log_target_cinc": s.log_cinc[..., None, :],
        "log_distance": s.log_distance,
        "contiguous": s.contiguous,
        "sanctioned_before": (s.sanction_since <= RECENT - 1).astype(float),
    }
    odds = world.params.sanctions.imposition_odds[:, None, None]
    chance = estimated.probability("sanction_imposition", covariates, odds)
    chance = np.broadcast_to(chance, s.sanction_since.shape).copy()
    zero_diagonal(chance)
    return chance


@dataclass
class Impositions:
    """The year's decided sanctions: (run, sender, target) and each one's intensities (m, k)."""

    pairs: tuple[np.ndarray, ...]
    intensities: np.ndarray


def decide_impositions(world: Ensemble, deciding: np.ndarray) -> Impositions | None:
    """Every deciding state's new sanctions, drawn on the world as the year starts.

    A state already sanctioning the target (or counter-sanctioning it) does not impose
    again; the remainder of the world (ROW) neither sanctions nor is sanctioned.

    Args:
        world: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    s, p = world.state, world.params.sanctions
    in_force = s.sanctions.max(axis=-3) > 0  # [run, sender, target]
    eligible = deciding[:, None] & s.acts[None, :] & ~in_force
    eligible &= p.decide[:, None, None]
    if not eligible.any():
        return None
    chosen = draws.pairs(world.rngs, eligible, imposition_chance(world))
    if len(chosen[0]) == 0:
        return None
    mixes, shares = sector_mix()
    which = np.searchsorted(np.cumsum(shares), draws.uniform(world.rngs, chosen[0]), "right")
    which = np.minimum(which, len(shares) - 1)
    intensities = mixes[which] * p.decided_intensity[chosen[0], None]
    return Impositions(chosen, intensities)


def carry_out(world: Ensemble, impositions: Impositions | None) -> None:
    """Impose the decided sanctions and log them (``sanction``, origin ``decision``)."""
    if impositions is None or len(impositions.pairs[0]) == 0:
        return
    run, sender, target = impositions.pairs
    for k in SECTOR_INDEX.values():
        world.state.sanctions[run, k, sender, target] = impositions.intensities[:, k]
    strongest = impositions.intensities.max(axis=-1)
    world.log_many("sanction", run, sender, target, strongest, ORIGIN)
