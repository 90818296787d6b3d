"""Alignment: UN General Assembly voting agreement of a pair from its ideal points and ties.

Undirected dyad-years 2013 and 2014. The outcome is the share of the pair's joint
votes on which they agree (yes 1, abstain 0.5, no 0; Voeten's roll calls), a
proportion, so the model is Papke & Wooldridge's (1996, J. Applied Econometrics 11(6))
fractional logit: a binomial GLM with the logit link on the share, by quasi-likelihood.
Covariates of the same year: the distance of the two ideal points (Bailey, Strezhnev &
Voeten 2017), an ATOP defence pledge and a Thompson-Dreyer strategic rivalry (ongoing
rivalries carried from 2010 to 2014). Raw agreement overstates similarity, since most
resolutions pass with near-unanimous support (Häge 2011, Political Analysis 19(3)):
the intercept absorbs that floor, the slopes carry the alignment. Standard errors are
clustered two ways by the members (statsmodels GLM, ``cov_type="cluster"`` with two
group columns), a floor as in ``fit``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

from sim.estimation.fit import Fit, coefficient_table, design, rmse
from sim.estimation.panel import DATA, LAST, read, rival_pairs

OUTCOME = "agree"
TERMS = ["ideal_distance", "pact", "rival"]


def _flag(pairs: pd.DataFrame, events: pd.DataFrame) -> np.ndarray:
    keys = events[["ccode1", "ccode2", "year"]].drop_duplicates().assign(flag=1.0)
    return pairs.merge(keys, how="left")["flag"].fillna(0.0).to_numpy()


def frame(data: Path = DATA) -> pd.DataFrame:
    """The pairs with an agreement share, both ideal points, pledge and rivalry flags."""
    pairs = read("unga_agreement", data).sort_values(["year", "ccode1", "ccode2"])
    pairs = pairs.reset_index(drop=True)
    ideal = read("ideal_points", data).set_index(["ccode", "year"])["idealpointall"]
    one = ideal.reindex(pd.MultiIndex.from_arrays([pairs["ccode1"], pairs["year"]]))
    two = ideal.reindex(pd.MultiIndex.from_arrays([pairs["ccode2"], pairs["year"]]))
    pairs["ideal_distance"] = np.abs(one.to_numpy() - two.to_numpy())
    pairs["pact"] = _flag(pairs, read("atop_defense", data))
    years = range(int(pairs["year"].min()), LAST + 1)
    pairs["rival"] = _flag(pairs, rival_pairs(read("rivalries", data), years))
    return pairs.dropna(subset=[OUTCOME, *TERMS]).reset_index(drop=True)


def fractional_logit(name: str, data: pd.DataFrame):
    """The GLM fit with two-way clustered errors; the Fit and the statsmodels result."""
    groups = data[["ccode1", "ccode2"]].to_numpy()
    model = sm.GLM(data[OUTCOME], design(data, TERMS), family=sm.families.Binomial())
    result = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
    table = coefficient_table(result)
    p = result.predict()
    stats = {
        "dyad_years": float(len(data)),
        "years": f"{int(data['year'].min())}-{int(data['year'].max())}",
        "mean_agreement": float(data[OUTCOME].mean()),
        "rmse": rmse(data[OUTCOME], p),
        "correlation": float(np.corrcoef(data[OUTCOME], p)[0, 1]),
    }
    return Fit(name, table, stats), result


def holdout(data: pd.DataFrame, train: int = 2013, test: int = 2014):
    """Fit on ``train``, predict ``test``; beside the prediction by the ``train`` share."""
    _, result = fractional_logit("train", data[data["year"] == train])
    later = data[data["year"] == test]
    p = np.asarray(result.predict(design(later, TERMS)))
    y = later[OUTCOME].to_numpy()
    before = data[data["year"] == train][["ccode1", "ccode2", OUTCOME]]
    both = later.merge(before, on=["ccode1", "ccode2"], suffixes=("", "_before"))
    stats = {
        "train": str(train),
        "test": str(test),
        "dyad_years": float(len(later)),
        "rmse": rmse(y, p),
        "correlation": float(np.corrcoef(y, p)[0, 1]),
        "persistence_pairs": float(len(both)),
        "rmse_persistence": rmse(both[OUTCOME], both[OUTCOME + "_before"]),
        "correlation_persistence": float(
            np.corrcoef(both[OUTCOME], both[OUTCOME + "_before"])[0, 1]
        ),
    }
    return stats, pd.DataFrame({"y": y, "p": p})


def estimate(data: Path = DATA) -> tuple[Fit, dict[str, float], pd.DataFrame]:
    """The fit on 2013-2014 and the 2014 hold-out of a fit on 2013."""
    pairs = frame(data)
    fit, _ = fractional_logit("alignment", pairs)
    return fit, *holdout(pairs)
