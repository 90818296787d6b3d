"""Alliances: formed to balance a shared threat between friends, broken when affinity decays.

A state proposes a defence pledge to each non-allied state k with affinity at
least ``form_affinity`` that shares a threat of at least ``min_common_threat``
from a third state (max_j min(θ_ij, θ_kj)), with yearly chance ``form_rate``. An
ally whose affinity fell below ``break_affinity`` is dropped with chance
``break_rate``. Allied pairs' affinity anchor rises (``affinity_bonus``) and their
trade grows (``trade.alliance_bonus``).

References:
    Walt (1987), *The Origins of Alliances*; Leeds et al. ATOP v5.1 (starting pledges).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim import landscape
from sim.mechanisms import draws
from sim.mechanisms.axes import rows_of, zero_diagonal
from sim.world_state import PAIR, SHARED, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "allied0": Field(PAIR, "a defence pledge in the start year (ATOP v5.1; 0 or 1)", SHARED),
    "allied": Field(PAIR, "a defence pledge between the pair (0 or 1)"),
    "landscape_center": Field((), "the start year's mean affinity among acting states", SHARED),
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """The start year's pledges, and the mean affinity the landscape's propensities are against."""
    s = world.state
    stack(s, "allied0", [starts[0].allied])
    s.allied[...] = s.allied0
    acting = s.affinity0[np.ix_(s.acts, s.acts)]
    stack(s, "landscape_center", [acting[~np.eye(len(acting), dtype=bool)].mean()])


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


def review_alliances(world: Ensemble, deciding: np.ndarray) -> Pledges:
    """Every state drops allies that drifted away and proposes pledges to friends.

    Breaking: an ally with affinity below ``break_affinity`` is dropped with chance
    ``break_rate``. Balancing: a pledge is proposed to each non-allied state with
    affinity ≥ ``form_affinity`` that shares a threat ≥ ``min_common_threat``, with
    chance ``form_rate``. Bandwagoning (Walt 1987; Schweller 1994): a state whose
    relative capability K_i/(K_i+K_j) against its main threat j is below
    ``bandwagon_below``, with affinity ≥ ``bandwagon_affinity``, proposes a pledge to
    j with chance ``form_rate``. The conditions are symmetric, so a proposal is
    accepted; either side may break a pledge.

    Args:
        world: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    p, s = world.params.alliances, world.state
    allied = s.allied > 0
    affinity = s.affinity
    leaving = deciding[:, None] & allied & (affinity < p.break_affinity[:, None, None])
    broken = draws.pairs(world.rngs, leaving, p.break_rate)
    balancing = (
        deciding[:, None]
        & s.acts[None, :]
        & ~allied
        & (affinity >= p.form_affinity[:, None, None])
        & s.shared_threat
    )
    zero_diagonal(balancing, False)
    balancing_pairs = draws.pairs(world.rngs, balancing, p.form_rate)
    threat = s.main_rival
    capability = s.capability
    relative = capability / np.maximum(
        capability + np.take_along_axis(capability, threat, axis=-1), 1e-12
    )
    weak = (
        deciding
        & (s.main_threat > 0)
        & ~rows_of(allied, threat)
        & (relative < p.bandwagon_below[:, None])
        & (rows_of(affinity, threat) >= p.bandwagon_affinity[:, None])
    )
    joining = draws.rows(world.rngs, weak, p.form_rate)
    bandwagons = (*joining, threat[joining])
    formed = tuple(
        np.concatenate([one, other]) for one, other in zip(balancing_pairs, bandwagons, strict=True)
    )
    return Pledges(formed, broken)


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
