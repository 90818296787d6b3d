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
from sim.mechanisms.affinity import Shifts, dependence
from sim.mechanisms.axes import zero_diagonal
from sim.mechanisms.sanctions import SECTOR_INDEX
from sim.world_state import FIXED, PAIR, SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

MIN_EXPORT_SHARE = 0.01  # a seller had ≥ 1% of world arms exports in 2010-14
STATE = {
    "arms_exports_tiv": Field(STATE, "arms exports 2010-14, TIV m a year (SIPRI)", SHARED),
    "is_seller": Field(STATE, "an arms exporter (≥ 1% of 2010-14 world exports)", SHARED, bool),
    "arms_background": Field(PAIR, "2010-14 mean transfers, TIV bn a year (SIPRI)", SHARED),
    "arms_flow": Field(
        PAIR, "this year's arms transfers, US$ bn (TIV bn; seller, buyer)", physical=True
    ),
    "arms_exports": Field(STATE, "arms exports, US$ bn (TIV bn)", physical=True),
    "arms_embargo": Field(PAIR, "arms sanctions in either direction as the year starts (0-1)"),
    "arms_dependence0": Field(PAIR, "start-year arms import dependence of the pair (0-2)", FIXED),
}


class Deliveries:
    """Deals being delivered in every run: ``per_year`` US$ bn a year for ``years_left`` years."""

    def __init__(self) -> None:
        self.run = np.zeros(0, int)
        self.seller = np.zeros(0, int)
        self.buyer = np.zeros(0, int)
        self.per_year = np.zeros(0)
        self.years_left = np.zeros(0, int)

    def add(
        self,
        deals: tuple[np.ndarray, ...],
        value: np.ndarray,
        years: int | np.ndarray,
    ) -> None:
        """Deals ``(run, seller, buyer)`` worth ``value`` (US$ bn), delivered over ``years``."""
        run, seller, buyer = deals
        self.run = np.concatenate([self.run, run])
        self.seller = np.concatenate([self.seller, seller])
        self.buyer = np.concatenate([self.buyer, buyer])
        self.per_year = np.concatenate([self.per_year, np.asarray(value, float) / years])
        self.years_left = np.concatenate(
            [self.years_left, np.broadcast_to(np.asarray(years, int), (len(seller),))]
        )

    def deliver(self, flow: np.ndarray, embargo: np.ndarray) -> None:
        """Add this year's deliveries to ``flow`` (cut by embargoes) and count the year off."""
        if len(self.seller) == 0:
            return
        deals = (self.run, self.seller, self.buyer)
        np.add.at(flow, deals, self.per_year * (1.0 - embargo[deals]))
        self.years_left -= 1
        live = self.years_left > 0
        if not live.all():
            self.run, self.seller, self.buyer = self.run[live], self.seller[live], self.buyer[live]
            self.per_year, self.years_left = self.per_year[live], self.years_left[live]


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """Who sells arms, and the 2010-14 pattern of transfers the runs start from."""
    s = world.state
    stack(s, "arms_exports_tiv", [starts[0].attributes["arms_exports_tiv_m"]])
    stack(s, "is_seller", [sellers(s.arms_exports_tiv, s.acts)])
    stack(s, "arms_background", [starts[0].arms / 1000.0])
    s.arms_flow[...] = s.arms_background
    s.arms_exports = s.arms_flow.sum(axis=-1)
    s.arms_dependence0 = dependence(s.arms_flow, s.arms_flow.sum(axis=-2))


def sign(
    world: Ensemble, run: int, seller: int, buyer: int, value: float, years: int, origin: str
) -> None:
    """Record a deal: deliveries start this year, affinity moves, the buyer's rival is irritated."""
    shifts = Shifts(world.state.affinity.shape)
    deal = (np.array([run]), np.array([seller]), np.array([buyer]))
    _sign(world, deal, np.array([value]), years, origin, shifts)
    shifts.apply(world)


def _sign(
    world: Ensemble,
    deals: tuple[np.ndarray, ...],
    value: np.ndarray,
    years: int | np.ndarray,
    origin: str,
    shifts: Shifts,
) -> None:
    """Sign the deals ``(run, seller, buyer)``."""
    p, s = world.params.arms, world.state
    run, seller, buyer = deals
    world.deliveries.add(deals, value, years)
    shifts.add(deals, p.affinity_gain[run])
    rival = s.main_rival[run, buyer]  # the buyer's main threat
    irritated = (s.main_threat[run, buyer] > 0) & (rival != seller)
    annoyed = (run[irritated], seller[irritated], rival[irritated])
    shifts.add(annoyed, -p.rival_irritation[annoyed[0]])
    world.log_many("arms_sale", *deals, value, origin)


def sellers(exports_tiv: np.ndarray, acts: np.ndarray) -> np.ndarray:
    """Which rows are arms exporters (≥ 1% of 2010-14 world exports, and acting)."""
    share = exports_tiv / max(exports_tiv.sum(), 1e-12)
    return (share >= MIN_EXPORT_SHARE) & acts


def offer_arms(world: Ensemble, deciding: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every seller's offers to threatened friends it is free to arm: (run, seller, buyer).

    Chance per buyer: ``offer_rate`` × θ_b × a_sb, where θ_b is the largest threat
    the buyer faces; only buyers with affinity ≥ ``min_affinity``, no arms embargo
    between the pair, whose main rival is not the seller itself, and that are not the
    seller's strategic rival: the SIPRI record of 2000-2014 holds 2 deliveries between
    rivals in 4,919 supplier-recipient-years (``sim/data/estimated/arms_rival_sales.csv``),
    while sales to the rivals of a supplier's allies are common (370), so only the first
    is ruled out. A buyer takes
    every offer it receives: two sellers courting one buyer both sign (major
    importers buy from several suppliers in one year, SIPRI).

    Args:
        world: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    p, s = world.params.arms, world.state
    rows = np.arange(world.n)
    eligible = (
        (deciding & s.is_seller)[..., :, None]
        & s.acts[None, :]
        & (s.affinity >= p.min_affinity[:, None, None])
        & (s.arms_embargo == 0)
        & (s.main_rival[..., None, :] != rows[:, None])
        & (s.rival < 0.5)
    )
    zero_diagonal(eligible, False)
    chance = p.offer_rate[:, None, None] * s.main_threat[..., None, :] * s.affinity
    return draws.pairs(world.rngs, eligible, chance)


def carry_out(world: Ensemble, offers: tuple[np.ndarray, ...], shifts: Shifts) -> None:
    """Sign the year's offers: ``deal_share`` of the buyer's military spending each."""
    if len(offers[0]) == 0:
        return
    p = world.params.arms
    run, _, buyer = offers
    value = p.deal_share[run] * world.state.milex[run, buyer]
    _sign(world, offers, value, p.delivery_years[run], "decision", shifts)


def update(world: Ensemble) -> None:
    """This year's arms flows (US$ bn): background pattern plus deliveries under deals."""
    s = world.state
    embargo = s.between[:, SECTOR_INDEX["arms"]]
    flow = s.arms_background * world.gdp_ratio()[..., None, :] * (1.0 - embargo)
    world.deliveries.deliver(flow, embargo)
    s.arms_flow = flow
