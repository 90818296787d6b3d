"""Threat: how much each state has to fear from each other state.

θ_ij = K_j / (K_i + K_j) · (1 - a_ij) · 1 / (1 + d_ij / d½), the threat state
``j`` poses to state ``i``: relative capability, hostility (one minus affinity)
and proximity (Boulding's loss-of-strength gradient; ``d½`` is
``alliances.proximity_km``). It drives balancing (alliances), arms purchases and
exercises.

References:
    Walt (1987), *The Origins of Alliances* (balance of threat).
    Boulding (1962), *Conflict and Defense* (loss-of-strength gradient).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms.axes import zero_diagonal
from sim.world_state import FIXED, PAIR, SHARED, STATE, Field

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "distance": Field(PAIR, "distance between the pair, km (CEPII population-weighted)", SHARED),
    "proximity": Field(PAIR, "the proximity term 1 / (1 + d_ij / d½), fixed for a run", FIXED),
    "threat": Field(PAIR, "θ_ij, the threat j poses to i (0-1)"),
    "shared_threat": Field(PAIR, "i and j face a common threat ≥ min_common_threat", dtype=bool),
    "main_threat": Field(STATE, "each state's largest threat θ_i = max_j θ_ij"),
    "main_rival": Field(STATE, "the row that poses each state's largest threat", dtype=np.intp),
    "threat0": Field(STATE, "each state's largest threat in the start year", FIXED),
}


def threat_matrix(
    capability: np.ndarray,
    affinity: np.ndarray,
    distance: np.ndarray,
    half_distance_km: float | np.ndarray,
    acts: np.ndarray,
) -> np.ndarray:
    """θ[i, j], the threat j poses to i, in [0, 1]; zero on the diagonal and for non-actors."""
    return threat_from(capability, affinity, reach(distance, half_distance_km, acts))


def reach(
    distance: np.ndarray, half_distance_km: float | np.ndarray, acts: np.ndarray
) -> np.ndarray:
    """The proximity term 1 / (1 + d_ij / d½), zero on the diagonal and for non-actors.

    ``half_distance_km`` is a number, or one per run shaped to meet ``distance``.
    """
    proximity = 1.0 / (1.0 + distance / np.maximum(half_distance_km, 1e-9))
    proximity *= acts[..., :, None] & acts[..., None, :]
    zero_diagonal(proximity)
    return proximity


def threat_from(capability: np.ndarray, affinity: np.ndarray, proximity: np.ndarray) -> np.ndarray:
    """θ from capabilities, affinity and the proximity term of ``reach``."""
    total = capability[..., :, None] + capability[..., None, :]
    relative = np.divide(capability[..., None, :], total, out=np.zeros_like(total), where=total > 0)
    return relative * (1.0 - affinity) * proximity


def common_threat(theta: np.ndarray, i: int) -> np.ndarray:
    """For each k, the largest threat i and k share from one third state: max_j min(θ_ij, θ_kj)."""
    shared = np.minimum(theta[i][None, :], theta)
    shared[:, i] = 0.0
    np.fill_diagonal(shared, 0.0)
    return shared.max(axis=1)


def shares_threat(theta: np.ndarray, level: float) -> np.ndarray:
    """[i, k]: whether i and k face a common third state's threat of at least ``level``.

    The same test as ``common_threat(theta, i) >= level`` for every i at once:
    max_j min(θ_ij, θ_kj) ≥ t exactly when some j has θ_ij ≥ t and θ_kj ≥ t. Each row's
    set of such j is packed into 64-bit words, and a pair shares a threat when the AND
    of its rows' words is nonzero: n² · n/64 word operations, with no BLAS (whose
    threads only contend with the worker processes of a sweep), one word at a time
    (an n × n temporary, not an n × n × n/64 one).
    """
    n = theta.shape[-1]
    # θ_ii = 0: j = i or j = k never counts, unless every pair shares (level ≤ 0)
    bits = np.packbits(theta >= level, axis=-1)
    words = np.zeros((*theta.shape[:-1], -(-bits.shape[-1] // 8) * 8), np.uint8)
    words[..., : bits.shape[-1]] = bits
    shared = np.zeros((*theta.shape[:-2], n, n), bool)
    for word in np.moveaxis(words.view(np.uint64), -1, 0):
        shared |= (word[..., :, None] & word[..., None, :]) != 0
    zero_diagonal(shared, False)
    return shared


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """Distances, the proximity term (fixed for a run) and the start year's threats."""
    s = world.state
    s.distance = starts[0].distance
    s.proximity = reach(s.distance, world.params.alliances.proximity_km[:, None, None], s.acts)
    update(world)
    s.threat0 = s.threat.max(axis=-1)


def update(world: Ensemble) -> None:
    """Refresh the threat matrix (and who shares a threat) the year's decisions read."""
    s = world.state
    s.threat = threat_from(s.capability, s.affinity, s.proximity)
    level = world.params.alliances.min_common_threat[:, None, None]
    s.shared_threat = shares_threat(s.threat, level)
    s.main_threat = s.threat.max(axis=-1)  # each state's largest threat, and from whom
    s.main_rival = s.threat.argmax(axis=-1)
