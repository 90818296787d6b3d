"""Alliances: defence pledges formed and ended as the record of 2001-2014 says states do.

Each year every unallied pair of acting states forms a pledge with the yearly
probability of the estimated formation hazard, and every allied pair ends its pledge
with that of the estimated termination hazard: discrete-time hazards, dyad-year
logits fitted on ATOP 5.1 (``sim/data/estimated/alliance_formation.csv`` and
``alliance_termination.csv``; docs/estimation.md).

Formation: a common strategic rival, the distance of UN ideal points, the polyarchy
gap, the log CINC ratio, contiguity, log distance, a pledge since 1990, and the cubic
in years since the pair's last pledge (held within the record's 25 years). Termination:
the lower polyarchy, the change of the capability ratio over the year, a change of
regime (0: regimes are not modelled), a pledge either member formed with a third
state the year before, and the log of the pledge's age. Ideal points, capabilities and
the pledge history move in the model; the rest is the 2014 record. The odds of either
hazard can be scaled (``alliances.formation_odds``, ``termination_odds``: 1 is as
estimated) to explore a more or less alliance-prone world.

Allied pairs' predicted agreement rises by the estimated pledge term (affinity) and
their trade grows (``trade.alliance_bonus``). ``alliances.mode: landscape`` replaces
the hazards by Axelrod & Bennett's (1993) landscape of sides.

References:
    Walt (1987), *The Origins of Alliances*; Leeds, Ritter, Mitchell & Long (2002), ATOP.
    Gibler & Wolford (2006), *JCR* 50(1) (formation, not presence); Leeds & Savun
    (2007), *Journal of Politics* 69(4) (termination); Lai & Reiter (2000), *JCR* 44(2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim import landscape
from sim.mechanisms import draws, estimated
from sim.mechanisms.axes import pair_gap, pair_min
from sim.world_state import PAIR, SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "allied0": Field(PAIR, "a defence pledge in the start year (ATOP v5.1; 0 or 1)", SHARED),
    "allied": Field(PAIR, "a defence pledge between the pair (0 or 1)"),
    "landscape_center": Field((), "the start year's mean affinity among acting states", SHARED),
    "allied_before": Field(PAIR, "a defence pledge at the end of last year (0 or 1)"),
    "pact_years": Field(PAIR, "years the pledge under way has lasted (from 1990)"),
    "pact_gap_years": Field(PAIR, "years since the pair's last pledge year (from 1989)"),
    "ever_allied": Field(PAIR, "a pledge in some year since 1990 (a group: its share)"),
    "pledges_formed": Field(STATE, "pledges the row formed this year"),
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """The start year's pledges, and the mean affinity the landscape's propensities are against."""
    s = world.state
    stack(s, "allied0", [starts[0].allied])
    s.allied[...] = s.allied0
    acting = s.affinity0[np.ix_(s.acts, s.acts)]
    stack(s, "landscape_center", [acting[~np.eye(len(acting), dtype=bool)].mean()])
    record = starts[0].record
    s.allied_before[...] = s.allied0
    s.pact_years[...] = record["pact_years"] * s.allied0
    s.pact_gap_years[...] = np.where(s.allied0 > 0, 0.0, record["pact_gap_years"])
    s.ever_allied[...] = np.maximum(record["ever_allied"], s.allied0)
    s.pledges_formed[...] = record["pledges_formed"]


def set_pledge(world: Ensemble, run: int, i: int, k: int, allied: bool, origin: str) -> None:
    """Form or break the defence pledge between i and k in one run."""
    allies = world.state.allied
    allies[run, i, k] = allies[run, k, i] = float(allied)
    kind = "alliance_formed" if allied else "alliance_broken"
    world.log(run, kind, world.ids[i], world.ids[k], 1.0, origin)


@dataclass
class Pledges:
    """The year's alliance decisions: (proposer, partner) pairs to form and to break."""

    formed: tuple[np.ndarray, ...]
    broken: tuple[np.ndarray, ...]


def hazards(world: Ensemble) -> tuple[np.ndarray, np.ndarray]:
    """This year's estimated probabilities that each pair forms, and that it ends, a pledge.

    Both (R, n, n), read from the world at the end of last year.
    """
    p, s = world.params.alliances, world.state
    ideal_distance = pair_gap(s.ideal_point)
    cinc_ratio = pair_gap(s.log_cinc)
    new = s.allied * (s.pact_years == 1)  # the pair's own pledge, formed last year
    outside = (s.pledges_formed[..., :, None] - new) + (s.pledges_formed[..., None, :] - new)
    formation = {
        "common_rival": s.common_rival,
        "ideal_distance": ideal_distance,
        "polyarchy_gap": pair_gap(s.polyarchy),
        "log_cinc_ratio": cinc_ratio,
        "contiguous": s.contiguous,
        "log_distance": s.log_distance,
        "ever_allied": s.ever_allied,
        **estimated.cubic(s.pact_gap_years + 1.0, "pact_gap_years"),
    }
    termination = {
        "min_polyarchy": pair_min(s.polyarchy),
        "polyarchy_gap": pair_gap(s.polyarchy),
        "ideal_distance": ideal_distance,
        "log_cinc_ratio": cinc_ratio,
        "capability_shift": np.abs(cinc_ratio - pair_gap(s.log_cinc_before)),
        "regime_change": 0.0,
        "outside_pact": (outside > 0).astype(float),
        "contiguous": s.contiguous,
        "log_distance": s.log_distance,
        "log_pact_years": np.log(np.maximum(s.pact_years, 1.0)),
    }
    form = estimated.probability("alliance_formation", formation, p.formation_odds[:, None, None])
    end = estimated.probability(
        "alliance_termination", termination, p.termination_odds[:, None, None]
    )
    return form, end


def review_alliances(world: Ensemble, deciding: np.ndarray) -> Pledges:
    """Every pair of deciding states forms or ends a pledge with its estimated hazard.

    Each unordered pair draws once a year (as the row pair (lower, higher)): an
    allied pair whether it ends its pledge, an unallied one whether it forms one.

    Args:
        world: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    s = world.state
    pairs = np.triu(deciding[:, None] & deciding[None, :] & s.acts[:, None] & s.acts[None, :], 1)
    allied = s.allied > 0
    form, end = hazards(world)
    broken = draws.pairs(world.rngs, pairs & allied, end)
    formed = draws.pairs(world.rngs, pairs & ~allied, form)
    return Pledges(formed, broken)


def update(world: Ensemble) -> None:
    """Each pair's pledge history at the end of the year (whatever formed or ended it)."""
    s = world.state
    allied = s.allied > 0
    formed = allied & ~(s.allied_before > 0)
    s.pledges_formed = formed.sum(axis=-1).astype(float)
    s.pact_years = np.where(allied, s.pact_years + 1.0, 0.0)
    s.pact_gap_years = np.where(allied, 0.0, s.pact_gap_years + 1.0)
    s.ever_allied = np.maximum(s.ever_allied, s.allied)
    s.allied_before = s.allied.copy()


def carry_out(world: Ensemble, pledges: Pledges) -> None:
    """Form and break the year's pledges, each pair once (under its first proposer)."""
    allies = world.state.allied
    for pairs, allied in ((pledges.broken, False), (pledges.formed, True)):
        run, a, b = pairs
        if len(a) == 0:
            continue
        pair = np.ravel_multi_index((run, np.minimum(a, b), np.maximum(a, b)), allies.shape)
        _, first = np.unique(pair, return_index=True)
        run, a, b = run[first], a[first], b[first]
        allies[run, a, b] = allies[run, b, a] = float(allied)
        kind = "alliance_formed" if allied else "alliance_broken"
        world.log_many(kind, run, a, b, 1.0, "decision")


def align_by_landscape(world: Ensemble, run: int, power: np.ndarray) -> None:
    """Landscape mode: states take sides to lower their frustration, pledges follow sides.

    Axelrod & Bennett (1993): sizes are power shares (``power``, this year's index of
    every row of the run), propensities p_ij = a_ij − ā, the pair's affinity minus the
    2014 mean affinity among acting states. From last year's sides, states switch one
    at a time while that lowers their frustration (so the energy only falls). Then
    same-side pairs with affinity ≥ ``form_affinity`` form pledges and pledges across
    sides break.
    """
    s, model = world.state, world.runs[run]
    p = model.params.alliances
    acting = np.nonzero(s.acts)[0]
    power = power[acting]
    affinity = s.affinity[run][np.ix_(acting, acting)]
    propensity = (affinity + affinity.T) / 2.0 - s.landscape_center
    np.fill_diagonal(propensity, 0.0)
    if model.sides is None:
        model.sides = model.rng.integers(0, 2, len(acting))
    model.sides = landscape.descend(power / power.sum(), propensity, model.sides, model.rng)
    same = model.sides[:, None] == model.sides[None, :]
    allied, affinities = s.allied[run], s.affinity[run]
    for a_pos, a in enumerate(acting):
        for b_pos in range(a_pos + 1, len(acting)):
            b = acting[b_pos]
            pledged = allied[a, b] > 0
            if same[a_pos, b_pos] and not pledged and affinities[a, b] >= p.form_affinity:
                set_pledge(world, run, int(a), int(b), True, "decision")
            elif not same[a_pos, b_pos] and pledged:
                set_pledge(world, run, int(a), int(b), False, "decision")
