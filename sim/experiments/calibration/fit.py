"""Calibration of the growth model and threat-driven military spending.

The fits, in this order (docs/calibration.md is written from them):

1. Per-row growth of output per worker in the record years (2015-2024), so that each
   row's mean real growth matches WDI on the central path (growth shocks off): the
   acting states of the backtest on the backtest (2014-2024 as it happened:
   sanctions, oil prices and the pandemic scripted), every other country on
   ``world_all.yaml`` (every country acting, nothing scripted).
2. The frontier's growth g_F, on the SSP2 GDP paths of every country SSP2 covers:
   sim/long_run.py fits each country's 2024 gap and β to its path at each g_F, and
   the g_F with the least squared log error over 2030-2100 wins (the model's anchors
   are fitted at it, ``long_run.FRONTIER_GROWTH``, which a test keeps equal). The global
   ``economy.convergence`` (β of the rows SSP2 does not cover) is the median fitted β.
3. ``military.threat_response``, on military spending as a share of GDP in 2019
   and 2024 (SIPRI / WDI).

The result is checked by running the model: the no-policy baseline's acting states
and every country of ``world_all.yaml`` against WDI (2015-24) and SSP2 (2040, 2060).
Bilateral trade, gas flows and arms-export shares are never used: they stay
out-of-sample.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import convergence, long_run, trends
from sim.analysis import backtest
from sim.experiments.runner import Results, load, run_scenario
from sim.world import DATA, GROUPS, country_data

FRONTIER_GROWTH = (0.010, 0.011, 0.012, 0.013, 0.014, 0.015, 0.016, 0.018)
THREAT_RESPONSE = (0.0, 1.0, 2.0, 4.0, 8.0)
PARAMETERS = (
    "parameters.economy.convergence",
    "parameters.economy.frontier_growth",
    "parameters.military.threat_response",
)
SSP_YEARS = (2040, 2060)
GROWTH_TOLERANCE_PP = 0.7
SSP_TOLERANCE = 0.15  # the acting states of the baseline
WORLD_SSP_TOLERANCE = 0.25  # every country SSP2 covers
LARGEST_TOLERANCE = 0.20  # the largest economies of 2014
LARGEST = 30
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


def fit_trends(
    config: dict[str, Any], runs: int, seed: int, fixed: dict[str, float] | None = None
) -> tuple[dict, pd.DataFrame]:
    """Record-years growth of output per worker per acting state that reproduces WDI.

    ``fixed`` holds values fitted elsewhere, used as they are. Returns the fitted
    values (fraction a year) and the final growth errors of the fitted states.
    """
    fixed = fixed or {}
    states = [s for s in config["world"]["states"] if s not in fixed]
    # the record is fitted on the central path: with the historical growth shocks, a few
    # runs' mean growth over ten years is too noisy a target (s.d. of about σ/√10 a run)
    config = _with(config, economy__growth_shock_scale=0.0)
    config["years"] = trends.RECORD_END - config["start_year"]
    observed = trends.observed_per_worker_growth(tuple(states))[:-1]
    start = np.where(
        np.isfinite(observed), observed, trends.per_worker_growth(tuple(states))[0][:-1]
    )
    fitted = {s: round(float(v), 6) for s, v in zip(states, start, strict=True)}
    for _ in range(TREND_ROUNDS):
        result = _run(_with(config, economy__trend_growth={**fixed, **fitted}), runs, seed)
        errors = backtest.growth_errors(result.states, states).set_index("state")["error_pp"]
        fitted = {s: round(fitted[s] - float(np.nan_to_num(errors[s])) / 100.0, 6) for s in states}
    result = _run(_with(config, economy__trend_growth={**fixed, **fitted}), runs, seed)
    growth = backtest.growth_errors(result.states, states)
    growth.insert(1, "observed_trend_pct", 100 * observed)
    growth.insert(2, "fitted_trend_pct", [100 * fitted[s] for s in states])
    return fitted, growth


def ssp_table(states: pd.DataFrame, rows: list[str]) -> pd.DataFrame:
    """GDP growth factors from 2015, simulated (median over runs) against SSP2, per row."""
    _, factors = long_run.targets(tuple(rows))
    gdp = states.pivot_table(index=["run", "year"], columns="state", values="gdp_usd_bn")
    out = []
    for i, state in enumerate(rows):
        for year in SSP_YEARS:
            target = float(factors[i, long_run.HORIZONS.index(year)])
            if not np.isfinite(target):
                continue
            factor = gdp[state].xs(year, level="year") / gdp[state].xs(
                long_run.SSP_BASE, level="year"
            )
            model = float(factor.median())
            out.append(
                {
                    "state": state,
                    "year": year,
                    "model": model,
                    "ssp2": target,
                    "difference": model / target - 1.0,
                }
            )
    return pd.DataFrame(out)


def fit_frontier() -> tuple[pd.DataFrame, float, float]:
    """g_F with the least squared log error of the countries' SSP2 fits, and median β.

    Returns the grid (per g_F: total and median squared log error, median β), the
    chosen g_F and the median β at it.
    """
    countries = tuple(country_data().iso3)
    wanted, _ = long_run.targets(countries)
    horizons = np.array(long_run.HORIZONS) - trends.RECORD_END
    rows = []
    for frontier in FRONTIER_GROWTH:
        gap, beta = convergence.fit_long_run(
            wanted, horizons, long_run.ANCHOR, frontier, np.array(long_run.BETAS)
        )
        known = np.isfinite(beta)
        path = convergence.log_growth_path(gap[known], frontier, beta[known], int(horizons.max()))
        error = ((path[:, horizons - 1] - wanted[known]) ** 2).sum(axis=1)
        rows.append(
            {
                "frontier_growth": frontier,
                "countries": int(known.sum()),
                "total sq. log error": float(error.sum()),
                "median sq. log error": float(np.median(error)),
                "median β": float(np.median(beta[known])),
            }
        )
    grid = pd.DataFrame(rows)
    best = grid.loc[grid["total sq. log error"].idxmin()]
    return grid, float(best["frontier_growth"]), float(best["median β"])


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


def world_table(world: dict, runs: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every country of the world scenario on its central path to 2060, against the record.

    Returns one row per country (growth 2015-24 against WDI, GDP factors 2015→2040 and
    2015→2060 against SSP2, and where each part of its growth comes from) and the
    simulated states table.
    """
    config = _with(world, economy__growth_shock_scale=0.0)
    config["years"] = max(SSP_YEARS) - config["start_year"]
    states = list(config["world"]["states"])
    result = _run(config, runs, seed)
    growth = backtest.growth_errors(result.states, states).set_index("state")
    ssp = ssp_table(result.states, states).pivot(index="state", columns="year")
    table = pd.DataFrame(index=pd.Index(states, name="state"))
    table["growth_pct"] = growth["simulated"]
    table["wdi_growth_pct"] = growth["actual"]
    table["growth_error_pp"] = growth["error_pp"]
    for year in SSP_YEARS:
        table[f"factor_{year}"] = ssp[("model", year)]
        table[f"ssp2_factor_{year}"] = ssp[("ssp2", year)]
        table[f"ssp2_difference_{year}"] = ssp[("difference", year)]
    rows = tuple(states)
    economy = load(config, runs=1, seed=seed).parameters.economy
    _, beta, long_sources = long_run.anchors(rows, economy.convergence)
    record, record_sources = trends.per_worker_growth(rows)
    table["record_pct"] = 100 * record[:-1]
    table["record_source"] = record_sources[:-1]
    table["beta"] = beta[:-1]
    table["long_run_source"] = long_sources[:-1]
    gdp14 = pd.read_csv(DATA / "states_2014.csv").set_index("iso3")["gdp_usd_bn"]
    table["gdp_2014_usd_bn"] = gdp14.reindex(states).to_numpy()
    return table.reset_index(), result.states


def calibrate(
    backtest_path: Path, baseline_path: Path, world_path: Path, runs: int = 8, seed: int = 0
) -> dict[str, Any]:
    """Run the fits and the checks; return everything the report shows."""
    # the fits are of the central values: declared uncertainties are set aside
    history = load(backtest_path, ["backtest=false", "uncertainties=null"]).model_dump(mode="json")
    baseline = load(baseline_path, ["uncertainties=null"]).model_dump(mode="json")
    world = load(world_path, ["uncertainties=null"]).model_dump(mode="json")
    fitted, growth = fit_trends(history, runs, seed)
    members = {s: v for s, v in fitted.items() if s not in GROUPS}
    world_fitted, world_growth = fit_trends(world, runs, seed, fixed=members)
    grid, frontier, beta = fit_frontier()
    military = [score_military(history, r, runs, seed) for r in THREAT_RESPONSE]
    chosen = min(military, key=lambda m: m["milex_share_rms_log"])
    return {
        "convergence": round(beta, 4),
        "frontier_growth": frontier,
        "threat_response": chosen["threat_response"],
        "trends": fitted,
        "world_trends": world_fitted,
        "growth": growth,
        "world_growth": world_growth,
        "grid": grid,
        "military": pd.DataFrame([{k: v for k, v in m.items() if k != "table"} for m in military]),
        "errors": chosen["table"],
        "baseline": baseline,
        "world": world,
        "runs": runs,
        "seed": seed,
    }


def check(fit: dict[str, Any]) -> None:
    """Run the calibrated model against its targets: the baseline's rows and the world."""
    runs, seed = fit["runs"], fit["seed"]
    fitted = {
        "economy__frontier_growth": fit["frontier_growth"],
        "economy__convergence": fit["convergence"],
        "military__threat_response": fit["threat_response"],
    }
    long_run.reload()
    baseline = _with(fit["baseline"], **fitted)
    baseline["years"] = max(SSP_YEARS) - baseline["start_year"]
    fit["ssp"] = ssp_table(_run(baseline, runs, seed).states, list(baseline["world"]["states"]))
    fit["world_table"], _ = world_table(_with(fit["world"], **fitted), 1, seed)


def write_trends(fit: dict[str, Any], out: Path = DATA / "growth_calibration.csv") -> None:
    """The fitted record-years growth per row id, read by sim/trends.py."""
    rows = [(s, v, "backtest") for s, v in fit["trends"].items()]
    rows += [(s, v, "world") for s, v in fit["world_trends"].items()]
    table = pd.DataFrame(rows, columns=["state", "per_worker_growth", "fitted_on"])
    table["per_worker_growth_pct"] = (100 * table.pop("per_worker_growth")).round(4)
    table[["state", "per_worker_growth_pct", "fitted_on"]].to_csv(out, index=False)
