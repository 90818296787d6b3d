"""Arms sales: continuing relations, the relations suppliers begin, deals, and sanctions.

Background transfers continue each pair's 2010-14 SIPRI pattern (the continuing
relations), scaled by the buyer's economy and stopped by arms embargoes. Every other
pair of an active supplier and a buyer makes a delivery in a year with the probability
of the supplier-choice logit estimated on SIPRI 2002-14 (``arms_transfer.csv``): a
pair's first delivery begins a relation, later ones renew it, each sized by the
record's mean delivery-year of new and young relations (``arms_delivery_size.csv``).
No supplier delivers to its strategic rival. A new relation raises seller-buyer
affinity and irritates the buyer's main rival (China's reaction to Russia's Kilo-class
submarines for Vietnam). A supplier under technology and finance sanctions delivers
less: every delivery it makes is cut by ``industry_sanctions_cut`` (an assumption) ×
the exposure-weighted intensity it suffers in those sectors.

Values are SIPRI trend-indicator values (TIV), a volume index in constant 1990
US$, used here as US$ bn: a documented approximation.

References:
    SIPRI Arms Transfers Database; Kinsella (1994) (arms transfers and rivalry);
    Thurner, Schmid, Cranmer & Kauermann (2019), *JCR* 63(7) (network of arms
    transfers); Lebacher, Thurner & Kauermann (2019) (supplier choice).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import draws, estimated, sanctions
from sim.mechanisms.affinity import Shifts, dependence
from sim.mechanisms.axes import pair_gap, zero_diagonal
from sim.world_state import FIXED, PAIR, SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

CHOICE = "arms_transfer"  # the estimated supplier-choice logit
RECENT = 5  # "recent" delivery: in the last five years, as estimated
NEVER = 99.0  # years since a delivery for a pair with none in the record
DISPUTE_YEARS = 5  # the window of the recipient's recent disputes, as estimated
STATE = {
    "arms_exports_tiv": Field(STATE, "arms exports 2010-14, TIV m a year (SIPRI)", SHARED),
    "is_seller": Field(
        STATE, "an active supplier: delivered to anyone in the last 5 years", dtype=bool
    ),
    "arms_background": Field(PAIR, "2010-14 mean transfers, TIV bn a year (SIPRI)", SHARED),
    "arms_since": Field(PAIR, "years since the pair's last delivery (0: this year)"),
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
    """The 2010-14 pattern of transfers the runs start from, and who is an active supplier.

    A pair with 2010-14 transfers counts as having delivered in 2014 (the record packaged
    in the starting world is the five-year mean). Transfers between strategic rivals are
    not carried on: the record's two (Russia to the United States in 2012, 16 TIV m;
    Iran to Iraq in 2014, 33) are the exceptions ``arms_rival_sales.csv`` lists.
    """
    s = world.state
    stack(s, "arms_exports_tiv", [starts[0].attributes["arms_exports_tiv_m"]])
    background = np.where(starts[0].record["rival"] >= 0.5, 0.0, starts[0].arms / 1000.0)
    stack(s, "arms_background", [background])
    s.arms_flow[...] = s.arms_background
    s.arms_since[...] = np.where(s.arms_background > 0, 0.0, NEVER)
    s.is_seller = active_suppliers(s.arms_since, s.acts)
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


def active_suppliers(since: np.ndarray, acts: np.ndarray) -> np.ndarray:
    """[..., row]: acting rows that delivered to anyone in the last five years."""
    return (since < RECENT).any(axis=-1) & acts


@functools.cache
def delivery_sizes() -> dict[str, float]:
    """The record's mean delivery-year of a ``new`` and a ``young`` relation, TIV bn."""
    import pandas as pd  # read once per process

    table = pd.read_csv(estimated.ESTIMATED / "arms_delivery_size.csv")
    return dict(zip(table["kind"], table["mean_tiv_musd"] / 1000.0, strict=True))


def recent_dispute(hostility: np.ndarray, years: int = DISPUTE_YEARS) -> np.ndarray:
    """[..., j]: the chance j has a dispute onset within ``years``, 1 − Π_k (1 − h_jk)^years."""
    quiet = np.log1p(-np.minimum(hostility, 1.0 - 1e-12)).sum(axis=-1)
    return -np.expm1(years * quiet)


def choice_covariates(world: Ensemble) -> dict[str, np.ndarray]:
    """The supplier-choice covariates of every (supplier, buyer) pair, as estimated."""
    s = world.state
    rivals = (s.rival >= 0.5).astype(float)
    return {
        "supplied_recent": (s.arms_since < RECENT).astype(float),
        "pact": s.allied,
        "ideal_distance": pair_gap(s.ideal_point),
        "rival": s.rival,
        "rival_of_ally": np.minimum(s.allied @ rivals, 1.0),
        "log_distance": s.log_distance,
        "log_supplier_cinc": s.log_cinc[..., :, None],
        "log_recipient_cinc": s.log_cinc[..., None, :],
        "recipient_dispute_recent": recent_dispute(s.hostility)[..., None, :],
        "polyarchy_gap": pair_gap(s.polyarchy),
    }


def choice_probability(world: Ensemble) -> np.ndarray:
    """[run, supplier, buyer]: the estimated yearly chance of a delivery, odds × choice_odds."""
    odds = world.params.arms.choice_odds[:, None, None]
    return estimated.probability(CHOICE, choice_covariates(world), odds)


def offer_arms(world: Ensemble, deciding: np.ndarray) -> tuple[np.ndarray, ...]:
    """The year's deliveries in relations the record does not carry on: (run, seller, buyer).

    Every deciding active supplier and acting buyer with no 2010-14 transfers (those
    continue as the background), no arms embargo between them, and that are not
    strategic rivals, draw a delivery with the estimated probability. The SIPRI record
    of 2000-2014 holds 2 deliveries between rivals in 4,919 supplier-recipient-years
    (``sim/data/estimated/arms_rival_sales.csv``), while sales to the rivals of a
    supplier's allies are common (370): only the first is ruled out, the second enters
    the estimated probability (``rival_of_ally``). A buyer takes every delivery drawn:
    major importers buy from several suppliers in one year (SIPRI).

    Args:
        world: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    s = world.state
    eligible = (
        (deciding & s.is_seller)[..., :, None]
        & s.acts[None, :]
        & (s.arms_background == 0)
        & (s.arms_embargo == 0)
        & (s.rival < 0.5)
    )
    zero_diagonal(eligible, False)
    if not eligible.any():
        return np.nonzero(eligible)
    return draws.pairs(world.rngs, eligible, choice_probability(world))


def carry_out(world: Ensemble, offers: tuple[np.ndarray, ...], shifts: Shifts) -> None:
    """Deliver the year's drawn deliveries: a new relation is signed, a young one renewed."""
    if len(offers[0]) == 0:
        return
    size = delivery_sizes()
    new = world.state.arms_since[offers] >= RECENT
    begun = tuple(part[new] for part in offers)
    renewed = tuple(part[~new] for part in offers)
    _sign(world, begun, np.full(len(begun[0]), size["new"]), 1, "decision", shifts)
    world.deliveries.add(renewed, np.full(len(renewed[0]), size["young"]), 1)


def industry_cut(world: Ensemble) -> np.ndarray:
    """[run, row]: the share of its deliveries a supplier keeps under sanctions.

    1 − ``industry_sanctions_cut`` × the mean of the exposure-weighted technology and
    finance sanctions it suffers, within [0, 1].
    """
    suffered = 0.5 * (world.state.tech_exposure + sanctions.exposure(world, "finance"))
    cut = world.params.arms.industry_sanctions_cut[:, None] * suffered
    return np.clip(1.0 - cut, 0.0, 1.0)


def update(world: Ensemble) -> None:
    """This year's arms flows (US$ bn): background plus deliveries, cut by sanctions."""
    s = world.state
    embargo = s.between[:, sanctions.SECTOR_INDEX["arms"]]
    flow = s.arms_background * world.gdp_ratio()[..., None, :] * (1.0 - embargo)
    world.deliveries.deliver(flow, embargo)
    flow *= industry_cut(world)[..., :, None]
    s.arms_flow = flow
    s.arms_since = np.where(flow > 0, 0.0, s.arms_since + 1.0)
    s.is_seller = active_suppliers(s.arms_since, s.acts)
