"""Defence pledges (ATOP 5.1 ``atop_defense``): their formation and their termination.

Both are dyad-year logits (discrete-time hazards) on 2001-2014, after the alliance
literature. *Formation* is modelled among the pairs without a pledge the year before,
so it is the formation, not the presence, of a pledge (Gibler & Wolford 2006); the
outcome is a pledge at t. Covariates: a common strategic rival (a third state both are
rivals of: the common threat of Walt 1987), the distance of UN ideal points, the gap
in polyarchy (regime similarity: Lai & Reiter 2000), the log capability ratio
(asymmetric pairs ally more readily: Morrow 1991), contiguity and log distance, a
pledge in an earlier year since 1990, and the cubic in years since the last pledge.
*Termination* is modelled among the pairs with a pledge the year before; the outcome
is no pledge at t. Covariates after Leeds & Savun (2007, Journal of Politics 69(4)):
alliances end when the conditions of their making change, so the change of the
capability ratio over the year before, a change of regime in either member, a member's
new pledge with a third state (an outside option), and joint democracy (the lower
polyarchy), with the log of the years the pledge has lasted. Pledge-years count from
1990 (left-censored), so the pledges of 2010-2014 are older than any seen in
2001-2009: a cubic in them extrapolates out of its support (its hold-out AUC was
below 0.5), the logarithm does not, and it is the duration term used here. The levels
specification shipped before (``LEVELS_TERMINATION_TERMS``) is kept for comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.estimation.fit import Fit, holdout, logit
from sim.estimation.panel import cubic, sample

FORMATION_TERMS = [
    "common_rival",
    "ideal_distance",
    "polyarchy_gap",
    "log_cinc_ratio",
    "contiguous",
    "log_distance",
    "ever_allied",
    "pact_gap_years",
    "pact_gap_years_sq",
    "pact_gap_years_cu",
]
TERMINATION_TERMS = [
    "min_polyarchy",
    "capability_shift",
    "regime_change",
    "outside_pact",
    "log_pact_years",
]
LEVELS_TERMINATION_TERMS = [
    "min_polyarchy",
    "polyarchy_gap",
    "ideal_distance",
    "log_cinc_ratio",
    "contiguous",
    "log_distance",
    "log_pact_years",
]


def formation_frame(panel: pd.DataFrame, years: tuple[int, int] = (2001, 2014)) -> pd.DataFrame:
    """Pairs without a pledge at t - 1; ``formed`` is 1 if they have one at t."""
    data = sample(panel, years)
    data = data[data["pact_lag"] == 0].assign(formed=lambda d: d["pact"])
    gap = data.pop("pact_gap_years")
    return data.join(cubic(gap, "pact_gap_years"))


def termination_frame(panel: pd.DataFrame, years: tuple[int, int] = (2001, 2014)) -> pd.DataFrame:
    """Pairs with a pledge at t - 1; ``ended`` is 1 if they have none at t."""
    data = sample(panel, years)
    data = data[data["pact_lag"] == 1].assign(ended=lambda d: 1 - d["pact"])
    return data.assign(log_pact_years=np.log(data["pact_years"]))


def estimate(panel: pd.DataFrame) -> dict[str, tuple[Fit, dict[str, float], pd.DataFrame]]:
    """Both fits on 2001-2014, each with its 2010-2014 hold-out of a fit on 2001-2009.

    Each model gives its Fit, the hold-out statistics, and the hold-out's outcomes and
    predictions. ``alliance_termination_levels`` is the levels specification, for the
    comparison of its hold-out (no table is shipped for it).
    """
    out = {}
    for name, data, outcome, terms in (
        ("alliance_formation", formation_frame(panel), "formed", FORMATION_TERMS),
        ("alliance_termination", termination_frame(panel), "ended", TERMINATION_TERMS),
        (
            "alliance_termination_levels",
            termination_frame(panel),
            "ended",
            LEVELS_TERMINATION_TERMS,
        ),
    ):
        fit, _ = logit(name, data, outcome, terms)
        out[name] = (fit, *holdout(data, outcome, terms, (2001, 2009), (2010, 2014)))
    return out
