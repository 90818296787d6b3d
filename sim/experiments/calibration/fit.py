"""Calibration of the growth model and threat-driven military spending.

Three fits, in this order (docs/calibration.md is written from them):

1. Per-state trend growth of output per worker, on the backtest (2014-2024 as it
   happened: sanctions, oil prices and the pandemic scripted): starting from each
   state's observed 2015-24 growth of GDP per working-age person (pandemic years left out), the
   trend is corrected until the backtest's mean real growth 2015-24 matches WDI.
2. The speed of convergence β of USA, CHN, EUU, IND, RUS and JPN, a shared
   ``economy.frontier_growth`` (g_F) and the global ``economy.convergence`` for
   every other row, by a grid search on the no-policy baseline against the SSP2
   GDP paths (OECD ENV-Growth, SSP database v3.1): the growth of GDP from 2015 to
   2040 and 2060. Growth factors compare a model in 2014 US$ with projections in
   2017 PPP$ without converting either.
3. ``military.threat_response``, on military spending as a share of GDP in 2019
   and 2024 (SIPRI / WDI).

Bilateral trade, gas flows and arms-export shares are never used: they stay
out-of-sample.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import trends
from sim.analysis import backtest
from sim.experiments.runner import Results, load, run_scenario
from sim.world import DATA, members

CONVERGENCE = (0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.15, 0.2, 0.3)
FRONTIER_GROWTH = (0.01, 0.012, 0.014, 0.016, 0.018)
THREAT_RESPONSE = (0.0, 1.0, 2.0, 4.0, 8.0)
PARAMETERS = (
    "parameters.economy.convergence",
    "parameters.economy.frontier_growth",
    "parameters.military.threat_response",
)
SSP_STATES = ("USA", "CHN", "EUU", "IND", "RUS", "JPN")
SSP_BASE, SSP_YEARS = 2015, (2040, 2060)
GROWTH_TOLERANCE_PP = 0.7
SSP_TOLERANCE = 0.15
TREND_ROUNDS = 3


def _with(config: dict[str, Any], **values: Any) -> dict[str, Any]:
    """A copy of a scenario dict with ``section__field`` parameters set."""
    out = {**config, "parameters": {k: dict(v) for k, v in config["parameters"].items()}}
    for key, value in values.items():
        section, field = key.split("__")
        out["parameters"][section][field] = value
    return out


def _run(config: dict[str, Any], runs: int, seed: int) -> Results:
    """The replicates of a scenario given as a dict, in this process."""
    return run_scenario(load(config, runs=runs, seed=seed))


def _rms(values) -> float:
    values = pd.Series(values).dropna().to_numpy()
    return float((values**2).mean() ** 0.5) if len(values) else float("nan")


def fit_trends(config: dict[str, Any], runs: int, seed: int) -> tuple[dict, pd.DataFrame]:
    """Trend growth of output per worker per acting state that reproduces 2015-24 growth.

    Returns:
        The fitted trend per state (fraction a year) and the final growth errors.
    """
    states = list(config["world"]["states"])
    # the trend is fitted on the central path: with the historical growth shocks, a few
    # runs' mean growth over ten years is too noisy a target (s.d. of about σ/√10 a run)
    config = _with(config, economy__growth_shock_scale=0.0)
    observed = trends.observed_per_worker_growth(tuple(states))[:-1]
    fitted = {s: round(float(v), 6) for s, v in zip(states, observed, strict=True)}
    for _ in range(TREND_ROUNDS):
        result = _run(_with(config, economy__trend_growth=fitted), runs, seed)
        errors = backtest.growth_errors(result.states, states).set_index("state")["error_pp"]
        fitted = {s: round(fitted[s] - float(errors[s]) / 100.0, 6) for s in states}
    result = _run(_with(config, economy__trend_growth=fitted), runs, seed)
    growth = backtest.growth_errors(result.states, states)
    growth.insert(1, "observed_trend_pct", 100 * observed)
    growth.insert(2, "fitted_trend_pct", [100 * fitted[s] for s in states])
    return fitted, growth


def ssp_table(states: pd.DataFrame) -> pd.DataFrame:
    """GDP growth factors from 2015, simulated (median over runs) against SSP2."""
    ssp = pd.read_csv(DATA / "ssp2_gdp.csv")
    gdp = states.pivot_table(index=["run", "year"], columns="state", values="gdp_usd_bn")
    rows = []
    for state in SSP_STATES:
        path = ssp[ssp["iso3"].isin(members(state))].groupby("year")["gdp_ppp_bn"].sum()
        for year in SSP_YEARS:
            factor = gdp[state].xs(year, level="year") / gdp[state].xs(SSP_BASE, level="year")
            model, target = float(factor.median()), float(path[year] / path[SSP_BASE])
            rows.append(
                {
                    "state": state,
                    "year": year,
                    "model": model,
                    "ssp2": target,
                    "difference": model / target - 1.0,
                }
            )
    return pd.DataFrame(rows)


def score_growth(
    baseline: dict, fitted: dict, beta: float | dict, frontier: float, runs: int, seed: int
) -> pd.DataFrame:
    """The SSP2 comparison of the baseline, 2014-2060, at β (one, or per state) and g_F."""
    per_state = beta if isinstance(beta, dict) else dict.fromkeys(SSP_STATES, beta)
    config = _with(
        baseline,
        economy__trend_growth=fitted,
        economy__convergence_by_state=per_state,
        economy__frontier_growth=frontier,
    )
    config["years"] = max(SSP_YEARS) - config["start_year"]
    return ssp_table(_run(config, runs, seed).states)


def fit_speeds(baseline: dict, fitted: dict, runs: int, seed: int) -> tuple[pd.DataFrame, dict]:
    """Grid over (β, g_F): per state the β closest to its SSP2 path, g_F shared.

    Each state's squared log error (median of the runs) over 2040 and 2060 is
    scored at every β, and
    states are scored independently (their GDP paths barely interact). For each
    g_F every state takes its best β; the g_F with the least total wins, and the
    global β (for rows without SSP2 data) is the best single β at that g_F.
    """
    rows = []
    for beta, frontier in itertools.product(CONVERGENCE, FRONTIER_GROWTH):
        table = score_growth(baseline, fitted, beta, frontier, runs, seed)
        table["sq"] = np.log1p(table["difference"]) ** 2
        for state, part in table.groupby("state"):
            rows.append(
                {
                    "convergence": beta,
                    "frontier_growth": frontier,
                    "state": state,
                    "sq_log": float(part["sq"].sum()),
                }
            )
    grid = pd.DataFrame(rows)
    best_per_state = grid.loc[grid.groupby(["frontier_growth", "state"])["sq_log"].idxmin()]
    total = best_per_state.groupby("frontier_growth")["sq_log"].sum()
    frontier = float(total.idxmin())
    chosen = best_per_state[best_per_state["frontier_growth"] == frontier]
    at = grid[grid["frontier_growth"] == frontier].groupby("convergence")["sq_log"].sum()
    summary = pd.DataFrame(
        {
            "frontier_growth": total.index,
            "rms_log, β per state": np.sqrt(total.to_numpy() / (2 * len(SSP_STATES))),
            "rms_log, one β": [
                np.sqrt(
                    grid[grid["frontier_growth"] == f].groupby("convergence")["sq_log"].sum().min()
                    / (2 * len(SSP_STATES))
                )
                for f in total.index
            ],
        }
    )
    return summary, {
        "frontier_growth": frontier,
        "convergence": float(at.idxmin()),
        "by_state": dict(zip(chosen["state"], chosen["convergence"].astype(float), strict=True)),
        "grid": grid,
    }


def score_military(config: dict, response: float, runs: int, seed: int) -> dict[str, Any]:
    """Backtest fit statistics of military spending at one threat response."""
    result = _run(_with(config, military__threat_response=response), runs, seed)
    table = backtest.errors(result.states, list(config["world"]["states"]))
    return {
        "threat_response": response,
        "milex_share_rms_log": _rms(backtest.share_errors(table)),
        "gdp_rms_log": backtest.rms(table[table["variable"] == "gdp_usd_bn"]),
        "milex_rms_log": backtest.rms(table[table["variable"] == "milex_usd_bn"]),
        "table": table,
    }


def calibrate(backtest_path: Path, baseline_path: Path, runs: int = 8, seed: int = 0):
    """Run the three fits; return everything the report shows."""
    # the fits are of the central values: declared uncertainties are set aside
    history = load(backtest_path, ["backtest=false", "uncertainties=null"]).model_dump(mode="json")
    baseline = load(baseline_path, ["uncertainties=null"]).model_dump(mode="json")
    fitted, _ = fit_trends(history, runs, seed)
    summary, speeds = fit_speeds(baseline, fitted, runs, seed)
    history = _with(
        history,
        economy__convergence=speeds["convergence"],
        economy__convergence_by_state=speeds["by_state"],
        economy__frontier_growth=speeds["frontier_growth"],
    )
    fitted, growth = fit_trends(history, runs, seed)
    ssp = score_growth(baseline, fitted, speeds["by_state"], speeds["frontier_growth"], runs, seed)
    military = [score_military(history, r, runs, seed) for r in THREAT_RESPONSE]
    chosen = min(military, key=lambda m: m["milex_share_rms_log"])
    return {
        "convergence": speeds["convergence"],
        "frontier_growth": speeds["frontier_growth"],
        "by_state": speeds["by_state"],
        "threat_response": chosen["threat_response"],
        "trends": fitted,
        "growth": growth,
        "ssp": ssp,
        "grid": summary,
        "state_grid": speeds["grid"],
        "military": pd.DataFrame([{k: v for k, v in m.items() if k != "table"} for m in military]),
        "errors": chosen["table"],
        "runs": runs,
        "seed": seed,
    }


def write_trends(fit: dict[str, Any], out: Path = DATA / "growth_calibration.csv") -> None:
    """The fitted per-state trends and speeds of convergence, read by sim/trends.py."""
    states = list(fit["trends"])
    table = pd.DataFrame(
        {
            "state": states,
            "per_worker_growth_pct": [round(100 * fit["trends"][s], 4) for s in states],
            "convergence": [fit["by_state"].get(s) for s in states],  # empty: the global β
        }
    )
    table.to_csv(out, index=False)
