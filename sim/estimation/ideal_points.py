"""The yearly movement of UN ideal points: persistence and the pull of partners.

State-year OLS of ``idealpointall`` at t (Bailey, Strezhnev & Voeten 2017, JCR 61(2))
on its value at t - 1 and three pulls, each the mean ideal point at t - 1 of a set of
partners minus the state's own (0 where the set is empty): its ATOP defence-pledge
partners (``ally_gap``; Leeds et al. 2002), its arms suppliers weighted by SIPRI TIV
(``supplier_gap``; SIPRI Arms Transfers Database) and the states
imposing a TIES sanction on it (``sender_gap``; Morgan, Bapat & Kobayashi 2014). An
AR(1) panel with persistence near one, as ideal points are known to move slowly; standard
errors clustered by state. TIES records the cases begun by 2005, so sanctions begun
2006-2014 are missing and ``sender_gap`` is attenuated.

The observed points carry estimation error: each state-year's 5-95% posterior interval
(``q5all``, ``q95all``) read as a normal one gives its measurement s.d.
σ_e = (q95all - q5all) / (2 × 1.645). With x_obs,t = x_t + e_t and errors independent
across years and of the true points and shocks, the residual variance is about
σ²_shock + (1 + ρ²) E[σ²_e]; ``shock_sd`` is the shock s.d. that leaves.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

from sim.estimation.fit import Fit, coefficient_table, rmse
from sim.estimation.panel import DATA, LAST, read

OUTCOME = "ideal"
TERMS = ["ideal_lag", "ally_gap", "supplier_gap", "sender_gap"]
YEARS = (2001, 2014)
Z90 = 1.645  # the standard normal's 95th percentile: a 5-95% interval is ±Z90 s.d.
# Big states shown alone (COW codes): USA, CHN, RUS, IND, JPN, GBR, DEU, FRA.
BIG_STATES = {2: "USA", 710: "CHN", 365: "RUS", 750: "IND", 740: "JPN", 200: "GBR"}
BIG_STATES |= {255: "DEU", 220: "FRA"}


def measurement_sd(points: pd.DataFrame) -> pd.Series:
    """Each state-year's measurement s.d.: its 5-95% posterior interval read as normal."""
    return (points["q95all"] - points["q5all"]) / (2 * Z90)


def shock_sd(residual_sd: float, rho: float, measurement_var: float) -> float:
    """The shock s.d. left when (1 + ρ²) × the mean measurement variance is taken out."""
    return float(np.sqrt(max(residual_sd**2 - (1 + rho**2) * measurement_var, 0.0)))


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
    ``supplier_gap``, ``sender_gap``, and the measurement variances σ²_e of the two
    points (``me_var`` at t, ``me_var_lag`` at t - 1); only the outcome years 2001-2014
    with both years' ideal points. No year after 2014 is read.
    """
    points = read("ideal_points", data)
    points = points.assign(me_var=measurement_sd(points) ** 2)
    points = points[["ccode", "year", "idealpointall", "me_var"]]
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
    lagged = state.assign(year=state["year"] + 1).rename(
        columns={"own": "ideal_lag", "me_var": "me_var_lag"}
    )
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
    table = coefficient_table(result)
    residual_sd = float(np.sqrt(result.scale))
    c, rho = result.params["const"], result.params["ideal_lag"]
    measurement_var = float(np.mean([*data["me_var"], *data["me_var_lag"]]))
    shock = shock_sd(residual_sd, rho, measurement_var)
    table.loc["residual_sd"] = [residual_sd, np.nan, np.nan, np.nan]
    table.loc["shock_sd"] = [shock, np.nan, np.nan, np.nan]
    stats = {
        "state_years": float(len(data)),
        "states": float(data["ccode"].nunique()),
        "years": f"{int(data['year'].min())}-{int(data['year'].max())}",
        "r2": float(result.rsquared),
        "residual_sd": residual_sd,
        "long_run_mean": float(c / (1 - rho)),
        "half_life": float(np.log(0.5) / np.log(rho)),
        "measurement_sd": float(np.sqrt(measurement_var)),
        "lag_error_share": float(data["me_var_lag"].mean() / data["ideal_lag"].var()),
        "shock_sd": shock,
        "big_states": big_states(data, result.resid, rho),
    }
    return Fit(name, table, stats), result


def big_states(data: pd.DataFrame, resid: pd.Series, rho: float) -> pd.DataFrame:
    """``BIG_STATES`` alone, each with its shock s.d.

    Own residual s.d.: root mean square of the pooled model's residuals; measurement
    s.d.: root mean σ²_e over the t and t - 1 points.
    """
    rows = []
    for code, iso in BIG_STATES.items():
        own = data["ccode"] == code
        sd = float(np.sqrt(np.mean(np.square(resid[own]))))
        var = float(np.mean([*data.loc[own, "me_var"], *data.loc[own, "me_var_lag"]]))
        rows.append((iso, int(own.sum()), sd, float(np.sqrt(var)), shock_sd(sd, rho, var)))
    columns = ["state", "state_years", "residual_sd", "measurement_sd", "shock_sd"]
    return pd.DataFrame(rows, columns=columns)


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
