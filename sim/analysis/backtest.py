"""Backtests: simulated against actual GDP, military spending and EU-Russia trade, and stated flows.

Actual figures are WDI GDP (current US$) and SIPRI military spending for 2015-2024
(sim/data/actual_2015_2024.csv), aggregated to the scenario's rows like the
starting world (EUU uses the World Bank's EU aggregate for GDP). The model runs in
2014 US$ at real growth rates, so part of each error is inflation and exchange
rates: a stated limitation, not something the fit hides.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim.world import DATA, GROUPS, members

YEARS = (2019, 2024)
VARIABLES = {"gdp_usd_bn": "gdp_usd_bn", "milex_usd_bn": "milex_usd_bn"}

# EU-27 goods trade with Russia, exports + imports, EUR bn (Eurostat). 2021: exports 89,
# imports 158 (Eurostat news release on EU trade with Russia, March 2022); 2023: exports
# 38.3, imports 50.6 (Eurostat annual figures as reported in February 2024). Compared as a
# ratio, which leaves out the euro/dollar rate; prices are left in (Brent averaged
# US$70.9 in 2021 and US$82.6 in 2023, EI 2024).
EU_RUSSIA_TRADE_EUR_BN = {2021: 89.0 + 158.0, 2023: 38.3 + 50.6}
EU_RUSSIA_SOURCE = "Eurostat: EUR 88.9 bn in 2023 vs EUR 247 bn in 2021"


def actual(states: list[str], years: tuple[int, ...] = YEARS) -> pd.DataFrame:
    """Actual GDP and military spending per acting state and year (NaN where unknown)."""
    table = pd.read_csv(DATA / "actual_2015_2024.csv")
    table = table[table["year"].isin(years)]
    rows = []
    for state in states:
        if state in GROUPS and (table["iso3"] == state).any():
            part = table[table["iso3"] == state]  # the published aggregate
        else:
            part = table[table["iso3"].isin(members(state))]
        for year in years:
            at = part[part["year"] == year]
            rows.append(
                {
                    "state": state,
                    "year": year,
                    "gdp_usd_bn": at["gdp_usd_bn"].sum(min_count=1),
                    "milex_usd_bn": at["milex_usd_bn"].sum(min_count=1),
                }
            )
    return pd.DataFrame(rows)


def errors(states_table: pd.DataFrame, states: list[str]) -> pd.DataFrame:
    """Median simulated value, actual value and log error per state, year and variable."""
    truth = actual(states)
    simulated = (
        states_table[states_table["state"].isin(states) & states_table["year"].isin(YEARS)]
        .groupby(["state", "year"])[list(VARIABLES)]
        .median()
        .reset_index()
    )
    merged = simulated.merge(truth, on=["state", "year"], suffixes=("_sim", "_actual"))
    out = []
    for var in VARIABLES:
        part = merged[["state", "year", f"{var}_sim", f"{var}_actual"]].copy()
        part.columns = ["state", "year", "simulated", "actual"]
        part["variable"] = var
        out.append(part)
    table = pd.concat(out, ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["log_error"] = np.log(table["simulated"] / table["actual"])
    table.loc[~np.isfinite(table["log_error"]), "log_error"] = np.nan
    return table[["variable", "state", "year", "simulated", "actual", "log_error"]]


def growth_errors(states_table: pd.DataFrame, states: list[str]) -> pd.DataFrame:
    """Mean real growth 2015-2024, simulated (median over runs) against actual, in pp.

    Real growth is free of the inflation and exchange-rate moves in dollar GDP, so it
    is what trend growth and convergence are fitted on.
    """
    table = pd.read_csv(DATA / "actual_2015_2024.csv")
    actual_growth = {}
    for state in states:
        own = table[table["iso3"] == state]
        if own.empty:  # a group without its own aggregate: GDP-weighted members
            part = table[table["iso3"].isin(members(state))].dropna(subset=["growth_pct"])
            weights = part["gdp_usd_bn"].fillna(0)
            value = (part["growth_pct"] * weights).sum() / max(weights.sum(), 1e-12)
        else:
            value = own["growth_pct"].mean()
        actual_growth[state] = value
    years = states_table["year"].between(2015, 2024)
    simulated = (
        states_table[years & states_table["state"].isin(states)]
        .groupby(["state", "run"])["growth"]
        .mean()
        .groupby("state")
        .median()
        * 100
    )
    out = pd.DataFrame({"simulated": simulated, "actual": pd.Series(actual_growth)})
    out["error_pp"] = out["simulated"] - out["actual"]
    return out.reindex(states).rename_axis("state").reset_index()


def share_errors(table: pd.DataFrame) -> pd.Series:
    """ln(simulated / actual) of military spending as a share of GDP, free of FX moves."""
    wide = table.pivot_table(
        index=["state", "year"], columns="variable", values=["simulated", "actual"]
    )
    simulated = wide[("simulated", "milex_usd_bn")] / wide[("simulated", "gdp_usd_bn")]
    actual_share = wide[("actual", "milex_usd_bn")] / wide[("actual", "gdp_usd_bn")]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.log(simulated / actual_share)
    return ratio.replace([np.inf, -np.inf], np.nan)


def rms(table: pd.DataFrame) -> float:
    """Root mean square log error over every row with an actual value."""
    values = table["log_error"].dropna().to_numpy()
    return float(np.sqrt(np.mean(values**2))) if len(values) else float("nan")


def quantiles(values: np.ndarray) -> dict[str, float]:
    """Median and 5-95% range over runs."""
    return {
        q: float(np.quantile(values, p)) for q, p in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95))
    }


def stated_flows(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Out-of-sample quantities the model states (never tuned): medians and 5-95% ranges."""
    dyads = tables["dyads"]

    def pick(a: str, b: str, column: str, year: int) -> dict[str, float] | None:
        rows = dyads[(dyads["a"] == a) & (dyads["b"] == b) & (dyads["year"] == year)]
        if rows.empty:
            return None
        return quantiles(rows[column].to_numpy())

    return {
        "china_russia_trade_usd_bn_2023": pick("CHN", "RUS", "trade_usd_bn", 2023),
        "russia_pipeline_gas_to_eu_bcm_2023": pick("RUS", "EUU", "gas_flow_bcm", 2023),
        "russia_pipeline_gas_to_china_bcm_2023": pick("RUS", "CHN", "gas_flow_bcm", 2023),
    }


def trade_ratio(
    dyads: pd.DataFrame, a: str, b: str, year: int, base: int
) -> dict[str, float] | None:
    """A pair's trade in ``year`` over its trade in ``base``, run by run: median and 5-95%."""
    rows = dyads[(dyads["a"] == a) & (dyads["b"] == b) & dyads["year"].isin([year, base])]
    wide = rows.pivot_table(index="run", columns="year", values="trade_usd_bn", observed=True)
    if year not in wide or base not in wide:
        return None
    values = (wide[year] / wide[base]).dropna().to_numpy()
    return quantiles(values) if len(values) else None


def eu_russia_trade(tables: dict[str, pd.DataFrame]) -> dict[str, Any] | None:
    """EU-Russia trade 2023 over 2021, simulated against Eurostat's ratio."""
    model = trade_ratio(tables["dyads"], "EUU", "RUS", 2023, 2021)
    if model is None:
        return None
    actual = EU_RUSSIA_TRADE_EUR_BN[2023] / EU_RUSSIA_TRADE_EUR_BN[2021]
    return {"model": model, "actual": actual, "source": EU_RUSSIA_SOURCE}


def report(tables: dict[str, pd.DataFrame], states: list[str]) -> dict[str, Any]:
    """The backtest summary written to backtest.json."""
    table = errors(tables["states"], states)
    by_variable = {var: rms(table[table["variable"] == var]) for var in VARIABLES}
    return {
        "rms_log_error": {"all": rms(table), **by_variable},
        "errors": table.replace({np.nan: None}).to_dict(orient="records"),
        "stated_flows": stated_flows(tables),
        "eu_russia_trade_2023_vs_2021": eu_russia_trade(tables),
    }


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table of the backtest for the terminal and backtest.md."""
    table = pd.DataFrame(result["errors"])
    lines = ["Backtest: simulated (median) vs actual, US$ bn; error = ln(sim/actual)", ""]
    for var, label in (("gdp_usd_bn", "GDP"), ("milex_usd_bn", "Military spending")):
        lines.append(f"{label:<18}" + "".join(f"{y} sim   actual  error  " for y in YEARS))
        part = table[table["variable"] == var]
        for state, rows in part.groupby("state", sort=False):
            cells = []
            for year in YEARS:
                r = rows[rows["year"] == year].iloc[0]
                actual_text = "     n/a" if pd.isna(r["actual"]) else f"{r['actual']:8.0f}"
                error = "   n/a" if pd.isna(r["log_error"]) else f"{r['log_error']:+6.2f}"
                cells.append(f"{r['simulated']:8.0f} {actual_text} {error}  ")
            lines.append(f"  {state:<16}" + "".join(cells))
        lines.append(f"  RMS log error: {result['rms_log_error'][var]:.3f}")
        lines.append("")
    lines.append("Stated by the model, not tuned (median, 5-95%):")
    for key, q in result["stated_flows"].items():
        text = "none" if q is None else f"{q['p50']:.1f} ({q['p05']:.1f}-{q['p95']:.1f})"
        lines.append(f"  {key}: {text}")
    eu = result.get("eu_russia_trade_2023_vs_2021")
    if eu is not None:
        q = eu["model"]
        lines += [
            "",
            f"EU-Russia trade 2023 vs 2021: model {q['p50']:.2f} ({q['p05']:.2f}-{q['p95']:.2f}),"
            f" actual {eu['actual']:.2f} ({eu['source']})",
            "  sanctions.trade_cut.finance is fitted on this ratio (docs/model.md#trade)",
        ]
    return "\n".join(lines)
