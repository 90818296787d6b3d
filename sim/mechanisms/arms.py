"""Arms sales: background transfers, signed deals delivered over years, sellers' offers.

Background transfers continue each pair's 2010-14 SIPRI pattern, scaled by the
buyer's economy and stopped by arms embargoes. Deals (from the scenario or
chosen by sellers) add a yearly delivery for their delivery years. A seller
offers arms to friendly buyers in proportion to the threat they face; the deal
raises seller-buyer affinity and irritates the buyer's main rival (China's
reaction to Russia's Kilo-class submarines for Vietnam).

Values are SIPRI trend-indicator values (TIV), a volume index in constant 1990
US$, used here as US$ bn: a documented approximation.

References:
    SIPRI Arms Transfers Database; Kinsella (1994) (arms transfers and rivalry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms.sanctions import SECTOR_INDEX, pair_intensity

if TYPE_CHECKING:
    from sim.agents import State
    from sim.model import WorldModel

MIN_EXPORT_SHARE = 0.01  # a seller had ≥ 1% of world arms exports in 2010-14


@dataclass
class Delivery:
    """A deal being delivered: ``per_year`` US$ bn from seller to buyer for ``years_left``."""

    seller: int
    buyer: int
    per_year: float
    years_left: int


def sign(model: WorldModel, seller: int, buyer: int, value: float, years: int, origin: str) -> None:
    """Record a deal: deliveries start this year, affinity moves, the buyer's rival is irritated."""
    p = model.params.arms
    model.deliveries.append(Delivery(seller, buyer, value / years, years))
    model.shift_affinity(seller, buyer, p.affinity_gain)
    rival = int(np.argmax(model.threat[buyer]))
    if model.threat[buyer, rival] > 0 and rival != seller:
        model.shift_affinity(seller, rival, -p.rival_irritation)
    model.log("arms_sale", model.ids[seller], model.ids[buyer], value, origin)


def sellers(model: WorldModel) -> np.ndarray:
    """Which rows are arms exporters (≥ 1% of 2010-14 world exports, and acting)."""
    share = model.arms_exports_tiv / max(model.arms_exports_tiv.sum(), 1e-12)
    return (share >= MIN_EXPORT_SHARE) & model.acts


def offer_arms(agent: State) -> None:
    """A seller offers deals to threatened friends it is free to arm.

    Chance per buyer: ``offer_rate`` × θ_b × a_sb, where θ_b is the largest threat
    the buyer faces; only buyers with affinity ≥ ``min_affinity``, no arms embargo
    between the pair, and whose main rival is not the seller itself.
    """
    model = agent.model
    if not model.is_seller[agent.index]:
        return
    p = model.params.arms
    s = agent.index
    threat, rival = model.main_threat, model.main_rival
    embargo = model.arms_embargo[s]
    eligible = model.acts & (model.affinity[s] >= p.min_affinity) & (embargo == 0) & (rival != s)
    eligible[s] = False
    chance = p.offer_rate * threat * model.affinity[s] * eligible
    draws = model.rng.random(model.n)
    for b in np.nonzero(draws < chance)[0]:
        sign(model, s, int(b), p.deal_share * model.milex[b], p.delivery_years, "decision")


def update(model: WorldModel) -> None:
    """This year's arms flows (US$ bn): background pattern plus deliveries under deals."""
    embargo = pair_intensity(model.sanctions)[SECTOR_INDEX["arms"]]
    flow = model.arms_background * model.gdp_ratio()[None, :] * (1.0 - embargo)
    for delivery in model.deliveries:
        flow[delivery.seller, delivery.buyer] += delivery.per_year * (
            1.0 - embargo[delivery.seller, delivery.buyer]
        )
        delivery.years_left -= 1
    model.deliveries = [d for d in model.deliveries if d.years_left > 0]
    model.arms_flow = flow
