"""Affinity: how closely two states' foreign policies agree (UNGA voting agreement, 0-1).

a_t+1 = a_t + ρ (ā - a_t) - λ I + τ + κ + σ ε: reversion ρ toward an anchor ā,
the 2014 agreement moved by the change since 2014 of the agreement the pair's ideal
points and ties predict, ā_t = a_2014 + Â_t - Â_2014, with
Â = Λ(γ_0 + γ_d |x_i - x_j| + γ_p pledge + γ_r rival) the fractional logit of UNGA
agreement estimated on 2013-2014 (``sim/data/estimated/alignment.csv``); minus the
fall from sanctions between the pair (I, the strongest sector in either direction),
plus the drift of a sanctioned target toward states not sanctioning it (τ), plus
lock-in (κ: pipeline gas and arms dependence, proportional to the change since 2014
in the importer's share of its gas use or arms imports from the pair, so that the
2014 pattern is neutral), plus symmetric noise.
Events (arms deals, pipelines, exercises) add their own shifts when they happen.

References:
    Voeten (2013), UNGA voting data; Bailey, Strezhnev & Voeten (2017).
    Papke & Wooldridge (1996), fractional logit; Häge (2011), agreement and chance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import draws, estimated
from sim.mechanisms.axes import pair_gap, swap, zero_diagonal
from sim.world_state import PAIR, SHARED, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "affinity0": Field(PAIR, "UNGA voting agreement in the start year (0-1)", SHARED),
    "affinity": Field(PAIR, "this year's affinity (0-1, 1 on the diagonal)"),
    "alignment0": Field(
        PAIR, "the agreement ideal points and ties predict in the start year (0-1)", SHARED
    ),
}


def predicted_agreement(ideal: np.ndarray, allied: np.ndarray, rival: np.ndarray) -> np.ndarray:
    """Â_ij: the UNGA agreement the pair's ideal points, pledge and rivalry predict (0-1)."""
    return estimated.probability(
        "alignment", {"ideal_distance": pair_gap(ideal), "pact": allied, "rival": rival}
    )


class Shifts:
    """Affinity shifts collected over the year's decisions, summed, then applied once.

    Every deal, contract and exercise decided in a year moves the pair's affinity by
    its amount; the amounts of a pair add up and the sum is applied once, kept within
    [0, 1], so the result does not depend on the order the choices are carried out.

    Args:
        shape: The shape of the world's affinity, (R, n, n).
    """

    def __init__(self, shape: tuple[int, ...]):
        self.shape = shape
        self.pairs: list[np.ndarray] = []
        self.amounts: list[np.ndarray] = []

    def add(self, pairs: tuple[np.ndarray, ...], amount: float | np.ndarray) -> None:
        """Move each pair ``(run, a, b)`` by ``amount``, both ways.

        A pair listed twice moves twice.
        """
        run, a, b = pairs
        if len(a):
            self.pairs += [
                np.ravel_multi_index((run, a, b), self.shape),
                np.ravel_multi_index((run, b, a), self.shape),
            ]
            amount = np.full(len(a), amount) if np.ndim(amount) == 0 else amount
            self.amounts += [amount, amount]

    def apply(self, world: Ensemble) -> None:
        """Add the summed shifts to the world's affinity, within [0, 1]."""
        if not self.pairs:
            return
        affinity = world.state.affinity
        pairs = np.concatenate(self.pairs)
        size = affinity.size
        change = np.bincount(pairs, np.concatenate(self.amounts), minlength=size)
        moved = np.zeros(size, bool)
        moved[pairs] = True
        (flat,) = np.nonzero(moved)
        at = np.unravel_index(flat, self.shape)
        affinity[at] = np.clip(affinity[at] + change[flat], 0.0, 1.0)
        self.pairs, self.amounts = [], []


def target_drift(
    sanctions: np.ndarray, between: np.ndarray, rate: float | np.ndarray
) -> np.ndarray:
    """τ_tk: each target's pull toward the states that do not sanction it (symmetric).

    ``sanctions`` is (runs, sectors, senders, targets); ``between`` each pair's
    strongest sanction in either direction, any sector; ``rate`` a number or one per
    run shaped to meet the pairs.
    """
    suffered = sanctions.max(axis=-3).max(axis=-2)  # strongest sanction on each target
    drift = rate * suffered[..., :, None] * (between == 0)
    zero_diagonal(drift)
    return drift + swap(drift)


def dependence(flow: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Each importer's share of its total (gas use, arms imports) that comes from each pair."""
    total = total[..., None, :]
    share = np.divide(flow, total, out=np.zeros_like(flow), where=total > 0)
    share = np.clip(share, 0.0, 1.0)
    return share + swap(share)


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """The start year's affinity (the lock-in baselines are set with their flows)."""
    s = world.state
    stack(s, "affinity0", [start.affinity for start in starts])
    stack(s, "affinity", [start.affinity for start in starts])
    first = starts[0]
    ideal, rival = first.record["ideal_point"], first.record["rival"]
    stack(s, "alignment0", [predicted_agreement(ideal, first.allied, rival)])


def update(world: Ensemble) -> None:
    """One year of affinity dynamics for every pair at once."""
    p, s = world.params, world.state
    anchor = s.affinity0 + predicted_agreement(s.ideal_point, s.allied, s.rival) - s.alignment0
    between = s.between.max(axis=-3)
    noise = draws.normal(world.shock_rngs, (world.n, world.n))
    noise = p.affinity.noise[:, None, None] * (noise + swap(noise)) / np.sqrt(2.0)
    gas = dependence(s.gas_flow, s.gas_consumption) - s.gas_dependence0
    arms = dependence(s.arms_flow, s.arms_flow.sum(axis=-2)) - s.arms_dependence0
    change = (
        p.affinity.reversion[:, None, None] * (anchor - s.affinity)
        - p.sanctions.affinity_loss[:, None, None] * between
        + target_drift(s.sanctions, between, p.sanctions.target_drift[:, None, None])
        + p.pipelines.lockin[:, None, None] * gas
        + p.arms.dependence[:, None, None] * arms
        + noise
    )
    s.affinity = np.clip(s.affinity + change, 0.0, 1.0)
    zero_diagonal(s.affinity, 1.0)
