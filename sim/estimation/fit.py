"""Dyad-year logit with standard errors clustered on both states, and its fit statistics.

Standard errors are two-way clustered by the two members of the pair (statsmodels'
``cov_type="cluster"`` with two group columns; Cameron, Gelbach & Miller 2011). Pairs
that share a state have correlated errors; Aronow, Samii & Assenova (2015) show the
dyadic-robust variance is larger still, so these errors are a floor.
The logit is fitted on every dyad-year (no sampling of zeros), so no King & Zeng
(2001) intercept correction is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm


@dataclass(frozen=True)
class Fit:
    """A fitted logit: its coefficient table and fit statistics."""

    name: str
    table: pd.DataFrame  # index term; columns coef, se, z, p
    stats: dict[str, float]


def design(frame: pd.DataFrame, terms: list[str]) -> pd.DataFrame:
    """The covariates with a leading ``const`` column."""
    return sm.add_constant(frame[terms].astype(float), has_constant="add")


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve (the Mann-Whitney statistic, ties counted half)."""
    y = np.asarray(y, dtype=bool)
    ranks = pd.Series(np.asarray(p)).rank().to_numpy()
    n1, n0 = y.sum(), (~y).sum()
    if n1 == 0 or n0 == 0:
        return float("nan")
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def brier(y: np.ndarray, p: np.ndarray) -> float:
    """Mean squared difference of the predicted probability and the outcome."""
    return float(np.mean((np.asarray(p) - np.asarray(y)) ** 2))


def rmse(y: np.ndarray, p: np.ndarray) -> float:
    """Root mean squared difference of the prediction and the outcome."""
    return float(np.sqrt(np.mean((np.asarray(y) - np.asarray(p)) ** 2)))


def coefficient_table(result) -> pd.DataFrame:
    """A statsmodels result's coefficients: index term; columns coef, se, z, p."""
    table = pd.DataFrame(
        {"coef": result.params, "se": result.bse, "z": result.tvalues, "p": result.pvalues}
    )
    table.index.name = "term"
    return table


def logit(name: str, frame: pd.DataFrame, outcome: str, terms: list[str]):
    """Fit on the complete cases of ``frame``; return the Fit and the statsmodels result."""
    data = frame.dropna(subset=[outcome, *terms])
    groups = data[["ccode1", "ccode2"]].to_numpy()
    model = sm.Logit(data[outcome].astype(float), design(data, terms))
    result = model.fit(disp=False, maxiter=200, cov_type="cluster", cov_kwds={"groups": groups})
    table = coefficient_table(result)
    p = result.predict()
    stats = {
        "dyad_years": float(len(data)),
        "events": float(data[outcome].sum()),
        "years": f"{int(data['year'].min())}-{int(data['year'].max())}",
        "log_likelihood": float(result.llf),
        "pseudo_r2": float(result.prsquared),
        "auc": auc(data[outcome], p),
        "brier": brier(data[outcome], p),
    }
    return Fit(name, table, stats), result


def holdout(
    frame: pd.DataFrame,
    outcome: str,
    terms: list[str],
    train: tuple[int, int],
    test: tuple[int, int],
) -> tuple[dict[str, float], pd.DataFrame]:
    """Fit on the ``train`` years, score the ``test`` years: AUC, Brier, and their base rate.

    Returns the statistics and the test years' outcomes and predictions (``y``, ``p``).
    """
    years = frame["year"]
    _, result = logit("train", frame[years.between(*train)], outcome, terms)
    later = frame[years.between(*test)].dropna(subset=[outcome, *terms])
    p = result.predict(design(later, terms))
    y = later[outcome].to_numpy()
    stats = {
        "train": f"{train[0]}-{train[1]}",
        "test": f"{test[0]}-{test[1]}",
        "dyad_years": float(len(later)),
        "events": float(y.sum()),
        "auc": auc(y, p),
        "brier": brier(y, p),
        "brier_base_rate": brier(y, np.full(len(y), y.mean())),
        "predicted_events": float(np.sum(p)),
    }
    return stats, pd.DataFrame({"y": y, "p": np.asarray(p)})
