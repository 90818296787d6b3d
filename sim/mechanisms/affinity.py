"""Affinity: how closely two states' foreign policies agree (UNGA voting agreement, 0-1).

a_t+1 = a_t + ρ (ā - a_t) - λ I + τ + κ + σ ε: reversion ρ toward an anchor ā
(the 2014 agreement, raised by ``alliances.affinity_bonus`` for new allies),
minus the fall from sanctions between the pair (I, the strongest sector in either
direction), plus the drift of a sanctioned target toward states not sanctioning
it (τ), plus lock-in (κ: pipeline gas and arms dependence, proportional to the
change since 2014 in the importer's share of its gas use or arms imports
from the pair, so that the 2014 pattern is neutral), plus symmetric noise.
Events (arms deals, pipelines, exercises) add their own shifts when they happen.

References:
    Voeten (2013), UNGA voting data; Bailey, Strezhnev & Voeten (2017).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms.sanctions import pair_intensity

if TYPE_CHECKING:
    from sim.model import WorldModel


def target_drift(sanctions: np.ndarray, rate: float) -> np.ndarray:
    """τ_tk: each target's pull toward the states that do not sanction it (symmetric)."""
    between = pair_intensity(sanctions).max(axis=0)
    suffered = sanctions.max(axis=0).max(axis=0)  # strongest sanction on each target
    drift = rate * suffered[:, None] * (between == 0)
    np.fill_diagonal(drift, 0.0)
    return drift + drift.T


def dependence(flow: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Each importer's share of its total (gas use, arms imports) that comes from each pair."""
    share = np.divide(flow, total[None, :], out=np.zeros_like(flow), where=total[None, :] > 0)
    share = np.clip(share, 0.0, 1.0)
    return share + share.T


def update(model: WorldModel) -> None:
    """One year of affinity dynamics for every pair at once."""
    p = model.params
    anchor = model.affinity0 + p.alliances.affinity_bonus * (model.allied - model.allied0)
    between = pair_intensity(model.sanctions).max(axis=0)
    noise = model.shock_rng.normal(size=(model.n, model.n))
    noise = p.affinity.noise * (noise + noise.T) / np.sqrt(2.0)
    gas = dependence(model.gas_flow, model.gas_consumption) - model.gas_dependence0
    arms = dependence(model.arms_flow, model.arms_flow.sum(axis=0)) - model.arms_dependence0
    change = (
        p.affinity.reversion * (anchor - model.affinity)
        - p.sanctions.affinity_loss * between
        + target_drift(model.sanctions, p.sanctions.target_drift)
        + p.pipelines.lockin * gas
        + p.arms.dependence * arms
        + noise
    )
    model.affinity = np.clip(model.affinity + change, 0.0, 1.0)
    np.fill_diagonal(model.affinity, 1.0)
