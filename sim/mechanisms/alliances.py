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

from typing import TYPE_CHECKING

import numpy as np

from sim import landscape

if TYPE_CHECKING:
    from sim.agents import State
    from sim.model import WorldModel


def set_pledge(model: WorldModel, i: int, k: int, allied: bool, origin: str) -> None:
    """Form or break the defence pledge between i and k."""
    model.allied[i, k] = model.allied[k, i] = float(allied)
    kind = "alliance_formed" if allied else "alliance_broken"
    model.log(kind, model.ids[i], model.ids[k], 1.0, origin)


def review_alliances(agent: State) -> None:
    """Drop allies that drifted away; propose pledges to friends facing the same threat."""
    model = agent.model
    p = model.params.alliances
    i = agent.index
    draws = model.rng.random(model.n)
    allied = model.allied[i] > 0
    for k in np.nonzero(allied & (model.affinity[i] < p.break_affinity) & (draws < p.break_rate))[
        0
    ]:
        set_pledge(model, i, int(k), False, "decision")
    candidates = (
        ~allied & model.acts & (model.affinity[i] >= p.form_affinity) & model.shared_threat[i]
    )
    candidates[i] = False
    draws = model.rng.random(model.n)
    for k in np.nonzero(candidates & (draws < p.form_rate))[0]:
        set_pledge(model, i, int(k), True, "decision")
    bandwagon(agent)


def bandwagon(agent: State) -> None:
    """A state far weaker than its main threat may ally with it rather than balance it.

    Bandwagoning (Walt 1987; Schweller 1994): when K_i/(K_i+K_j) is below
    ``bandwagon_below`` and affinity with the threat j is at least
    ``bandwagon_affinity``, i proposes a pledge to j with chance ``form_rate``.
    """
    model = agent.model
    p = model.params.alliances
    i = agent.index
    j = int(np.argmax(model.threat[i]))
    if model.threat[i, j] <= 0 or model.allied[i, j] > 0:
        return
    relative = model.capability[i] / max(model.capability[i] + model.capability[j], 1e-12)
    if relative < p.bandwagon_below and model.affinity[i, j] >= p.bandwagon_affinity:
        if model.rng.random() < p.form_rate:
            set_pledge(model, i, j, True, "decision")


def align_by_landscape(model: WorldModel) -> None:
    """Landscape mode: states take sides to lower their frustration, pledges follow sides.

    Axelrod & Bennett (1993): sizes are power shares, propensities p_ij = a_ij − ā,
    the pair's affinity minus the 2014 mean affinity among acting states. From last
    year's sides, states switch one at a time while that lowers their frustration
    (so the energy only falls). Then same-side pairs with affinity ≥ ``form_affinity``
    form pledges and pledges across sides break.
    """
    p = model.params.alliances
    acting = np.nonzero(model.acts)[0]
    power = model.power_indices()[model.params.power.index][acting]
    affinity = model.affinity[np.ix_(acting, acting)]
    propensity = (affinity + affinity.T) / 2.0 - model.landscape_center
    np.fill_diagonal(propensity, 0.0)
    if model.sides is None:
        model.sides = model.rng.integers(0, 2, len(acting))
    model.sides = landscape.descend(power / power.sum(), propensity, model.sides, model.rng)
    same = model.sides[:, None] == model.sides[None, :]
    for a_pos, a in enumerate(acting):
        for b_pos in range(a_pos + 1, len(acting)):
            b = acting[b_pos]
            allied = model.allied[a, b] > 0
            if same[a_pos, b_pos] and not allied and model.affinity[a, b] >= p.form_affinity:
                set_pledge(model, int(a), int(b), True, "decision")
            elif not same[a_pos, b_pos] and allied:
                set_pledge(model, int(a), int(b), False, "decision")
