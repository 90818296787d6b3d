"""The growth a sanctions target loses, per sector: a block of ``parameters.sanctions``.

Kept apart from sim/scenario/parameters.py, which holds every other block, for its size.
"""

from __future__ import annotations

from pydantic import Field

from sim.scenario.fields import NonNegative, Strict


class SanctionGrowth(Strict):
    """Growth a target loses a year per unit of each sector's exposure-weighted intensity.

    The units are fractions of growth a year (0.03 = 3 pp) at full intensity from partners
    holding all of the target's trade (docs/model.md#sanctions).
    """

    trade: NonNegative = Field(
        0.02,
        le=0.5,
        description="growth lost a year at a full trade embargo by every partner (assumption: "
        "as technology; with finance, a full embargo in every sector costs 9 pp a year before "
        "trade diverted to others, against Neuenkirch & Neumeier's 2015 'more than 5 pp' for "
        "comprehensive UN embargoes); at most 0.5: a sanity bound",
    )
    finance: NonNegative = Field(
        0.05,
        le=0.5,
        description="growth lost a year at full finance sanctions by every partner (finance "
        "weighs most: Gutmann, Neuenkirch & Neumeier 2021, CESifo WP 9007, find the growth "
        "effect driven by financial sanctions; anchored on Russia 2014, docs/model.md); at most "
        "0.5: a sanity bound",
    )
    energy: NonNegative = Field(
        0.0,
        le=0.5,
        description="growth lost a year at a full energy embargo (0: an energy embargo costs "
        "the target the export revenue it loses, counted apart); at most 0.5: a sanity bound",
    )
    technology: NonNegative = Field(
        0.02,
        le=0.5,
        description="growth lost a year at full technology sanctions by every partner "
        "(assumption: as trade); at most 0.5: a sanity bound",
    )
    arms: NonNegative = Field(
        0.0,
        le=0.5,
        description="growth lost a year at a full arms embargo (assumption: none; arms are not "
        "in goods trade); at most 0.5: a sanity bound",
    )
