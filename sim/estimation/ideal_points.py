"""The yearly movement of UN ideal points: persistence and the pull of partners.

State-year OLS of ``idealpointall`` at t (Bailey, Strezhnev & Voeten 2017, JCR 61(2))
on its value at t - 1 and three pulls, each the mean ideal point at t - 1 of a set of
partners minus the state's own (0 where the set is empty): its ATOP defence-pledge
partners (``ally_gap``; Leeds et al. 2002), its arms suppliers weighted by SIPRI TIV
(``supplier_gap``; SIPRI Arms Transfers Database) and the states
imposing a TIES sanction on it (``sender_gap``; Morgan, Bapat & Kobayashi 2014). An
AR(1) panel with persistence near one, as BEHAVIOUR.md section 1 expects; standard
errors clustered by state. TIES records the cases begun by 2005, so sanctions begun
2006-2014 are missing and ``sender_gap`` is attenuated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

from sim.estimation.fit import Fit, rmse
from sim.estimation.panel import DATA, LAST, read

OUTCOME = "ideal"
TERMS = ["ideal_lag", "ally_gap", "supplier_gap", "sender_gap"]
YEARS = (2001, 2014)


def _pull(ties: pd.DataFrame, ideal: pd.Series, name: str) -> pd.DataFrame:
    """Weighted mean ideal point of each state-year's partners (``state``, ``partner``, ``w``)."""
    where = pd.MultiIndex.from_arrays([ties["partner"], ties["year"]])
    ties = ties.assign(x=ideal.reindex(where).to_numpy())
    ties = ties.dropna(subset=["x"])
    ties = ties[ties["w"] > 0].assign(wx=lambda t: t["w"] * t["x"])
    sums = ties.groupby(["state", "year"])[["wx", "w"]].sum()
    return (sums["wx"] / sums["w"]).rename(name).reset_index()


def _allies(data: Path) -> pd.DataFrame:
    pacts = read("atop_defense", data)
    both = pd.concat(
        [
            pacts.rename(columns={"ccode1": "state", "ccode2": "partner"}),
            pacts.rename(columns={"ccode2": "state", "ccode1": "partner"}),
        ]
    )
    return both.assign(w=1.0)[["state", "partner", "year", "w"]]


def _suppliers(data: Path) -> pd.DataFrame:
    """Suppliers of each recipient-year, weighted by TIV (deliveries rounding to 0 drop)."""
    arms = read("arms_tiv", data).rename(
        columns={"ccode2": "state", "ccode1": "partner", "tiv_musd": "w"}
    )
    return arms[["state", "partner", "year", "w"]]


def _senders(data: Path, years: range) -> pd.DataFrame:
    """The states with an imposed sanction on each state in force in each year (once each)."""
    cases = read("sanctions", data)
    rows = [
        (target, sender, year)
        for sender, target, first, last in zip(
            cases["sender"], cases["target"], cases["first"], cases["last"], strict=True
        )
        for year in years
        if first <= year <= last
    ]
    senders = pd.DataFrame(rows, columns=["state", "partner", "year"]).drop_duplicates()
    return senders.assign(w=1.0)


def frame(data: Path = DATA) -> pd.DataFrame:
    """State-years with the ideal point at t (``ideal``) and the covariates of t - 1.

    Columns ``ccode``, ``year``, ``ideal``, ``ideal_lag``, ``ally_gap``,
    ``supplier_gap``, ``sender_gap``; only the outcome years 2001-2014 with both years'
    ideal points. No year after 2014 is read.
    """
    points = read("ideal_points", data)
    ideal = points.set_index(["ccode", "year"])["idealpointall"]
    years = range(int(points["year"].min()), LAST + 1)
    state = points.rename(columns={"ccode": "state", "idealpointall": "own"})
    for name, ties in (
        ("ally_gap", _allies(data)),
        ("supplier_gap", _suppliers(data)),
        ("sender_gap", _senders(data, years)),
    ):
        state = state.merge(_pull(ties, ideal, name), on=["state", "year"], how="left")
        state[name] = (state[name] - state["own"]).fillna(0.0)
    lagged = state.assign(year=state["year"] + 1).rename(columns={"own": "ideal_lag"})
    out = points.rename(columns={"idealpointall": OUTCOME}).merge(
        lagged.rename(columns={"state": "ccode"}), on=["ccode", "year"]
    )
    out = out[out["year"].between(*YEARS)]
    return out.sort_values(["ccode", "year"], ignore_index=True)


def ols(name: str, data: pd.DataFrame):
    """OLS of the ideal point on ``TERMS``, errors clustered by state; Fit and result."""
    x = sm.add_constant(data[TERMS].astype(float), has_constant="add")
    result = sm.OLS(data[OUTCOME], x).fit(
        cov_type="cluster", cov_kwds={"groups": data["ccode"].to_numpy()}
    )
    table = pd.DataFrame(
        {"coef": result.params, "se": result.bse, "z": result.tvalues, "p": result.pvalues}
    )
    residual_sd = float(np.sqrt(result.scale))
    table.loc["residual_sd"] = [residual_sd, np.nan, np.nan, np.nan]
    table.index.name = "term"
    c, rho = result.params["const"], result.params["ideal_lag"]
    stats = {
        "state_years": float(len(data)),
        "states": float(data["ccode"].nunique()),
        "years": f"{int(data['year'].min())}-{int(data['year'].max())}",
        "r2": float(result.rsquared),
        "residual_sd": residual_sd,
        "long_run_mean": float(c / (1 - rho)),
        "half_life": float(np.log(0.5) / np.log(rho)),
    }
    return Fit(name, table, stats), result


def holdout(data: pd.DataFrame, train=(2001, 2009), test=(2010, 2014)):
    """Fit on ``train``, predict each ``test`` year one step ahead from the year before.

    Returns the RMSE beside that of no change (x_t = x_{t-1}), and the predictions.
    """
    _, result = ols("train", data[data["year"].between(*train)])
    later = data[data["year"].between(*test)]
    p = result.predict(sm.add_constant(later[TERMS].astype(float), has_constant="add"))
    y = later[OUTCOME].to_numpy()
    stats = {
        "train": f"{train[0]}-{train[1]}",
        "test": f"{test[0]}-{test[1]}",
        "state_years": float(len(later)),
        "rmse": rmse(y, p),
        "rmse_no_change": rmse(y, later["ideal_lag"]),
    }
    return stats, pd.DataFrame({"y": y, "p": np.asarray(p)})


def estimate(data: Path = DATA) -> tuple[Fit, dict[str, float], pd.DataFrame]:
    """The fit on 2001-2014 and the 2010-2014 hold-out of a fit on 2001-2009."""
    states = frame(data)
    fit, _ = ols("ideal_points", states)
    return fit, *holdout(states)
