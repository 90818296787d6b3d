"""Militarized hostility: the onset of a militarized interstate dispute (COW MID 5.0).

Undirected dyad-year logit on ``onset``, all pairs of system members 2001-2014, the
years a dispute continues dropped (they are not onsets). Covariates after Bremer (1992)
and the dangerous-dyads literature since, lagged a year where they vary: contiguity, log capital
distance, strategic rivalry (Thompson & Dreyer), the lower V-Dem polyarchy of the pair,
a defence pledge (ATOP), the log capability ratio (CINC, larger over smaller: parity is
0), a major power in the pair, the distance of UN ideal points, and the cubic in
peace-years (Carter & Signorino 2010).
"""

from __future__ import annotations

import pandas as pd

from sim.estimation.fit import Fit, holdout, logit
from sim.estimation.panel import cubic, sample

OUTCOME = "onset"
TERMS = [
    "contiguous",
    "log_distance",
    "rival",
    "min_polyarchy",
    "pact_lag",
    "log_cinc_ratio",
    "major_power",
    "ideal_distance",
    "peace_years",
    "peace_years_sq",
    "peace_years_cu",
]


def frame(panel: pd.DataFrame, years: tuple[int, int] = (2001, 2014)) -> pd.DataFrame:
    """The dyad-years at risk of an onset: no dispute continuing from the year before."""
    data = sample(panel, years)
    data = data[~((data["mid"] == 1) & (data["onset"] == 0))]
    return data.drop(columns=["peace_years"]).join(cubic(data["peace_years"], "peace_years"))


def estimate(panel: pd.DataFrame) -> tuple[Fit, dict[str, float], pd.DataFrame]:
    """The fit on 2001-2014, and the 2010-2014 hold-out of a fit on 2001-2009.

    Returns the Fit, the hold-out statistics, and the hold-out's outcomes and predictions.
    """
    data = frame(panel)
    fit, _ = logit("hostility", data, OUTCOME, TERMS)
    return fit, *holdout(data, OUTCOME, TERMS, (2001, 2009), (2010, 2014))
