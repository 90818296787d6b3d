"""Threat: how much each state has to fear from each other state.

θ_ij = h_ij · K_j / (K_i + K_j), the threat state ``j`` poses to state ``i``: the
yearly probability h_ij that the pair falls into a militarized dispute, as the
estimated model of dispute onsets predicts it, times j's share of the pair's
military capability (its means to act on that hostility). It drives military
spending, arms purchases and exercises.

h_ij = Λ(β · z_ij), the undirected dyad-year logit of MID onset estimated on
2001-2014 (``sim/data/estimated/hostility.csv``, docs/estimation.md): contiguity,
log capital distance, strategic rivalry, the lower polyarchy, a defence pledge, the
log CINC ratio, a major power in the pair, the distance of UN ideal points, and the
cubic in years since the pair's last dispute. Pledges, capabilities (the model's
CINC) and ideal points move; contiguity, distance, rivalry and polyarchy are those
of 2014; disputes are not simulated, so each pair's peace-years are held at their
2014 count (the cubic is not extrapolated past the record's 25 years).

References:
    Walt (1987), *The Origins of Alliances* (balance of threat: power, proximity,
    intentions). Bremer (1992), "Dangerous Dyads", *JCR* 36(2). Carter & Signorino
    (2010), *Political Analysis* 18(3). Palmer et al. (2022), MID 5.0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import estimated, power
from sim.mechanisms.axes import pair_gap, pair_min, zero_diagonal
from sim.world_state import FIXED, PAIR, SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

RECORD = {
    "contiguous": "directly contiguous (COW, up to 150 miles of water; a group: its share)",
    "log_distance": "log capital distance, km (COW; CEPII where no capital distance)",
    "rival": "strategic rivals (Thompson & Dreyer 2012, ongoing in 2010 carried on)",
    "common_rival": "a third state both are strategic rivals of",
    "peace_years": "years from the pair's last militarized dispute (MID 5.0) to 2014, ≤ 25",
}
STATE = {
    "distance": Field(PAIR, "distance between the pair, km (CEPII population-weighted)", SHARED),
    **{name: Field(PAIR, doc, SHARED) for name, doc in RECORD.items()},
    "log_cinc": Field(STATE, "log of the row's CINC share at the end of last year"),
    "log_cinc_before": Field(STATE, "log of the row's CINC share a year before that"),
    "hostility": Field(PAIR, "h_ij, the yearly probability of a dispute onset (0-1)"),
    "threat": Field(PAIR, "θ_ij, the threat j poses to i (0-1)"),
    "shared_threat": Field(PAIR, "i and j face the same main threat, a third state", dtype=bool),
    "main_threat": Field(STATE, "each state's largest threat θ_i = max_j θ_ij"),
    "main_rival": Field(STATE, "the row that poses each state's largest threat", dtype=np.intp),
    "threat0": Field(STATE, "each state's largest threat in the start year", FIXED),
}


def hostility(world: Ensemble) -> np.ndarray:
    """h_ij for every pair of every run: the estimated yearly probability of a dispute onset.

    Zero on the diagonal and for pairs with a non-actor (ROW).
    """
    s = world.state
    covariates = {
        "contiguous": s.contiguous,
        "log_distance": s.log_distance,
        "rival": s.rival,
        "min_polyarchy": pair_min(s.polyarchy),
        "pact_lag": s.allied,
        "log_cinc_ratio": pair_gap(s.log_cinc),
        "major_power": np.maximum(s.major_power[:, None], s.major_power[None, :]),
        "ideal_distance": pair_gap(s.ideal_point),
        **estimated.cubic(s.peace_years + 1.0, "peace_years"),
    }
    h = estimated.probability("hostility", covariates)
    h = h * (s.acts[:, None] & s.acts[None, :])
    zero_diagonal(h)
    return h


def threat_from(capability: np.ndarray, hostility: np.ndarray) -> np.ndarray:
    """θ[..., i, j] = h_ij · K_j / (K_i + K_j)."""
    total = capability[..., :, None] + capability[..., None, :]
    relative = np.divide(capability[..., None, :], total, out=np.zeros_like(total), where=total > 0)
    return relative * hostility


def same_main_threat(main_rival: np.ndarray, main_threat: np.ndarray) -> np.ndarray:
    """[..., i, k]: i and k share their main threat, a third state posing both some threat."""
    n = main_rival.shape[-1]
    rows = np.arange(n)
    same = main_rival[..., :, None] == main_rival[..., None, :]
    threatened = main_threat > 0
    third = (main_rival[..., :, None] != rows[None, :]) & (
        main_rival[..., None, :] != rows[:, None]
    )
    shared = same & third & threatened[..., :, None] & threatened[..., None, :]
    zero_diagonal(shared, False)
    return shared


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """The pairs' 2014 record, distances and the start year's threats."""
    s, first = world.state, starts[0]
    s.distance = first.distance
    for name in RECORD:
        stack(s, name, [first.record[name]])
    s.log_cinc = np.log(np.maximum(power.cinc_shares(world), 1e-12))
    s.log_cinc_before[...] = s.log_cinc
    update(world, new_year=False)
    s.threat0 = s.threat.max(axis=-1)


def update(world: Ensemble, new_year: bool = True) -> None:
    """The threats the year's decisions read, from the world as the year starts."""
    s = world.state
    if new_year:
        s.log_cinc_before = s.log_cinc
        s.log_cinc = np.log(np.maximum(power.cinc_shares(world), 1e-12))
    s.hostility = hostility(world)
    s.threat = threat_from(s.capability, s.hostility)
    s.main_threat = s.threat.max(axis=-1)  # each state's largest threat, and from whom
    s.main_rival = s.threat.argmax(axis=-1)
    s.shared_threat = same_main_threat(s.main_rival, s.main_threat)
