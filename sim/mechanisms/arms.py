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

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import draws
from sim.mechanisms.affinity import Shifts
from sim.mechanisms.batch import at, zero_diagonal
from sim.mechanisms.sanctions import SECTOR_INDEX

if TYPE_CHECKING:
    from sim.model import WorldModel

MIN_EXPORT_SHARE = 0.01  # a seller had ≥ 1% of world arms exports in 2010-14


class Deliveries:
    """Deals being delivered: ``per_year`` US$ bn from seller to buyer for ``years_left`` years."""

    def __init__(self) -> None:
        self.seller = np.zeros(0, int)
        self.buyer = np.zeros(0, int)
        self.per_year = np.zeros(0)
        self.years_left = np.zeros(0, int)

    def add(self, seller: np.ndarray, buyer: np.ndarray, value: np.ndarray, years: int) -> None:
        """Deals worth ``value`` (US$ bn) each, delivered in equal parts over ``years``."""
        self.seller = np.concatenate([self.seller, seller])
        self.buyer = np.concatenate([self.buyer, buyer])
        self.per_year = np.concatenate([self.per_year, np.asarray(value, float) / years])
        self.years_left = np.concatenate([self.years_left, np.full(len(seller), years)])

    def deliver(self, flow: np.ndarray, embargo: np.ndarray) -> None:
        """Add this year's deliveries to ``flow`` (cut by embargoes) and count the year off."""
        if len(self.seller) == 0:
            return
        np.add.at(
            flow,
            (self.seller, self.buyer),
            self.per_year * (1.0 - embargo[self.seller, self.buyer]),
        )
        self.years_left -= 1
        live = self.years_left > 0
        if not live.all():
            self.seller, self.buyer = self.seller[live], self.buyer[live]
            self.per_year, self.years_left = self.per_year[live], self.years_left[live]


def sign(model: WorldModel, seller: int, buyer: int, value: float, years: int, origin: str) -> None:
    """Record a deal: deliveries start this year, affinity moves, the buyer's rival is irritated."""
    shifts = Shifts(model.affinity.shape)
    _sign(model, (np.array([seller]), np.array([buyer])), np.array([value]), years, origin, shifts)
    shifts.apply(model)


def _sign(
    model: WorldModel,
    deals: tuple[np.ndarray, ...],
    value: np.ndarray,
    years: int | np.ndarray,
    origin: str,
    shifts: Shifts,
) -> None:
    """Sign the deals ``(seller, buyer)`` (after the run in an ensemble)."""
    p = model.params.arms
    *run, seller, buyer = deals
    model.deliveries.add(*deals, value, years)
    shifts.add(deals, at(p.affinity_gain, deals))
    rival = model.main_rival[(*run, buyer)]  # the buyer's main threat
    irritated = (model.main_threat[(*run, buyer)] > 0) & (rival != seller)
    annoyed = (*(r[irritated] for r in run), seller[irritated], rival[irritated])
    shifts.add(annoyed, -at(p.rival_irritation, annoyed))
    model.log_many("arms_sale", *deals, value, origin)


def sellers(model: WorldModel) -> np.ndarray:
    """Which rows are arms exporters (≥ 1% of 2010-14 world exports, and acting)."""
    share = model.arms_exports_tiv / max(model.arms_exports_tiv.sum(), 1e-12)
    return (share >= MIN_EXPORT_SHARE) & model.acts


def offer_arms(model: WorldModel, deciding: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every seller's offers to threatened friends it is free to arm: (sellers, buyers).

    Chance per buyer: ``offer_rate`` × θ_b × a_sb, where θ_b is the largest threat
    the buyer faces; only buyers with affinity ≥ ``min_affinity``, no arms embargo
    between the pair, and whose main rival is not the seller itself. A buyer takes
    every offer it receives: two sellers courting one buyer both sign (major
    importers buy from several suppliers in one year, SIPRI).

    Args:
        model: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    p = model.params.arms
    rows = np.arange(model.n)
    eligible = (
        (deciding & model.is_seller)[..., :, None]
        & model.acts[None, :]
        & (model.affinity >= p.min_affinity)
        & (model.arms_embargo == 0)
        & (model.main_rival[..., None, :] != rows[:, None])
    )
    zero_diagonal(eligible, False)
    chance = p.offer_rate * model.main_threat[..., None, :] * model.affinity
    return draws.pairs(model.rng, eligible, chance)


def carry_out(model: WorldModel, offers: tuple[np.ndarray, ...], shifts: Shifts) -> None:
    """Sign the year's offers: ``deal_share`` of the buyer's military spending each."""
    if len(offers[0]) == 0:
        return
    p = model.params.arms
    *run, _, buyer = offers
    value = at(p.deal_share, offers) * model.milex[(*run, buyer)]
    _sign(model, offers, value, p.delivery_years, "decision", shifts)


def update(model: WorldModel) -> None:
    """This year's arms flows (US$ bn): background pattern plus deliveries under deals."""
    embargo = model.between[SECTOR_INDEX["arms"]]
    flow = model.arms_background * model.gdp_ratio()[..., None, :] * (1.0 - embargo)
    model.deliveries.deliver(flow, embargo)
    model.arms_flow = flow
