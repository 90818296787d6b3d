"""The estimated behaviour as the mechanisms read it: shipped coefficients and their predictions.

``sim estimate`` fits each behavioural model on the packaged 1990-2014 record and
ships its coefficients as ``sim/data/estimated/<model>.csv`` (docs/estimation.md).
A mechanism hands ``predict`` the model's covariates, named as in the estimation,
for every pair of every run at once; the terms of the table decide which are used.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
from scipy.special import expit

ESTIMATED = Path(__file__).resolve().parents[1] / "data" / "estimated"
SUPPORT_YEARS = 25.0  # counts of years start in 1990: 2014 - 1989 is the most the record saw


NOT_TERMS = frozenset({"const", "residual_sd", "shock_sd"})  # rows that are not slopes


@functools.cache
def coefficients(model: str) -> dict[str, float]:
    """The shipped coefficients of ``model`` by term (``const`` the intercept)."""
    import pandas as pd  # the tables are read once per process

    table = pd.read_csv(ESTIMATED / f"{model}.csv")
    return dict(zip(table["term"], table["coef"].astype(float), strict=True))


def linear(model: str, covariates: dict[str, np.ndarray | float]) -> np.ndarray:
    """The model's linear predictor, Σ β_k x_k over its terms, from covariates named as them."""
    coefs = coefficients(model)
    missing = [term for term in coefs if term not in covariates and term not in NOT_TERMS]
    if missing:
        raise KeyError(f"the {model} model needs covariates {missing}")
    total = np.asarray(coefs.get("const", 0.0))
    for term, coef in coefs.items():
        if term not in NOT_TERMS:
            total = total + coef * np.asarray(covariates[term])
    return total


def probability(
    model: str, covariates: dict[str, np.ndarray | float], odds: np.ndarray | float = 1.0
):
    """A logit model's yearly probability, its odds multiplied by ``odds`` (1: as estimated)."""
    return expit(linear(model, covariates) + np.log(np.maximum(odds, 1e-300)))


def cubic(years: np.ndarray, name: str) -> dict[str, np.ndarray]:
    """Carter & Signorino's t, t², t³ in decades, as estimated.

    t is held within the record's support (at most 25 years: the cubic is not
    extrapolated beyond it).
    """
    t = np.minimum(years, SUPPORT_YEARS) / 10.0
    return {name: t, f"{name}_sq": t**2, f"{name}_cu": t**3}
