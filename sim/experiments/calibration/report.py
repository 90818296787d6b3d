"""docs/calibration.md: what the calibration fitted, how, and how well."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import convergence, long_run, trends
from sim.experiments.calibration import fit as c
from sim.experiments.calibration import markdown_table
from sim.experiments.calibration import world as world_report
from sim.experiments.runner import load
from sim.mechanisms import economy as economy_mechanism
from sim.world import build_world


def _list(values) -> str:
    return ", ".join(f"{v:g}" for v in values)


def steady_states(fit: dict[str, Any], states: list[str]) -> tuple[pd.Series, pd.Series]:
    """c_i (steady-state output per worker relative to the frontier) and β per state."""
    config = load(fit["baseline"])
    economy = config.parameters.economy.model_copy(
        update={"frontier_growth": fit["frontier_growth"], "convergence": fit["convergence"]}
    )
    rows = tuple(config.world.states)
    gdp = build_world(list(rows), 0.0).attributes["gdp_usd_bn"]
    workers = trends.population_paths(rows, 2014, 0)[1][:, 0]
    _, log_c, _ = economy_mechanism.initial_gap(economy, rows, gdp, workers)
    beta = economy_mechanism.speeds(economy, rows)
    index = [*rows, "ROW"]
    return (
        pd.Series(np.exp(log_c), index=index).reindex(states),
        pd.Series(beta, index=index).reindex(states),
    )


def _yes(values: pd.Series, tolerance: float) -> pd.Series:
    return values.abs().le(tolerance).map({True: "yes", False: "**no**"})


def _growth_table(fit: dict[str, Any]) -> str:
    growth = fit["growth"].copy()
    c_i, beta = steady_states(fit, list(growth["state"]))
    growth["c_i"] = c_i.to_numpy()
    growth["beta"] = beta.to_numpy()
    growth["within ±0.7 pp"] = _yes(growth["error_pp"], c.GROWTH_TOLERANCE_PP)
    growth = growth.rename(
        columns={
            "observed_trend_pct": "GDP per worker, WDI/WPP (% a year, excl. 2020-21)",
            "fitted_trend_pct": "fitted record growth (% a year)",
            "simulated": "backtest real growth (%)",
            "actual": "WDI real growth (%)",
            "error_pp": "error (pp)",
            "c_i": "steady state c_i (× frontier)",
            "beta": "β (SSP2 fit)",
        }
    )
    return markdown_table(growth.round(3))


def _ssp_table(fit: dict[str, Any]) -> str:
    ssp = fit["ssp"].copy()
    ssp["within ±15%"] = _yes(ssp["difference"], c.SSP_TOLERANCE)
    ssp["difference"] = (100 * ssp["difference"]).round(1).astype(str) + "%"
    ssp = ssp.rename(columns={"model": "baseline GDP / 2015", "ssp2": "SSP2 GDP / 2015"})
    return markdown_table(ssp.round(3))


def _fitted_table(fit: dict[str, Any]) -> str:
    rows = [
        (
            "record-years growth of output per worker per row (`sim/data/growth_calibration.csv`)",
            f"{c.TREND_ROUNDS} correction rounds",
            "mean real GDP growth 2015-2024 (WDI): the backtest's acting states on the backtest, "
            "every other country on `world_all.yaml`; central path",
            "table below and the world table",
        ),
        (
            "each row's 2024 gap to its steady state and β (`sim/long_run.py`)",
            f"β: {len(long_run.BETAS)} values from {min(long_run.BETAS):g} to "
            f"{max(long_run.BETAS):g}",
            "the row's SSP2 GDP path, 2030-2100 (2060 exactly), at the calibrated g_F",
            "computed once per world, at `long_run.FRONTIER_GROWTH`",
        ),
        (
            f"`{c.PARAMETERS[1]}`",
            _list(c.FRONTIER_GROWTH),
            "least squared log error of every SSP2 country's fitted path",
            f"**{fit['frontier_growth']:g}**",
        ),
        (
            f"`{c.PARAMETERS[0]}` (β of rows SSP2 does not cover)",
            "—",
            "the median β fitted at that g_F",
            f"**{fit['convergence']:g}**",
        ),
        (
            f"`{c.PARAMETERS[2]}`",
            _list(c.THREAT_RESPONSE),
            "military spending / GDP in 2019 and 2024 (SIPRI / WDI), backtest",
            f"**{fit['threat_response']:g}**",
        ),
    ]
    lines = ["| parameter | grid | fitted on | calibrated |", "|---|---|---|---|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


LABOUR_ROWS = ("KOR", "CHN", "JPN", "EUU", "USA")


def _labour(fit: dict[str, Any]) -> str:
    """How the model's labour input differs from SSP2's, with the ageing economies' figures."""
    rows, first, last = LABOUR_ROWS, 2040, 2060
    _, workers = trends.population_paths(rows, first, last - first)
    workers_pct = 100 * ((workers[:, -1] / workers[:, 0]) ** (1 / (last - first)) - 1)
    gap, beta, _ = long_run.anchors(rows, fit["convergence"])
    end = trends.RECORD_END
    path = convergence.log_growth_path(gap, long_run.FRONTIER_GROWTH, beta, last - end)
    per_worker = (path[:, last - end - 1] - path[:, first - end - 1]) / (last - first)
    per_worker_pct = 100 * np.expm1(per_worker)
    names = {"KOR": "Korea", "CHN": "China", "JPN": "Japan", "EUU": "the EU", "USA": "the US"}
    ageing = [i for i, r in enumerate(rows) if workers_pct[i] < 0]
    falling = ", ".join(f"{names[rows[i]]} {workers_pct[i]:.1f}%" for i in ageing)
    faster = ", ".join(f"{names[rows[i]]} {per_worker_pct[i]:.1f}%" for i in ageing)
    us = per_worker_pct[rows.index("USA")]
    text = textwrap.fill(
        "The model's labour input is the working-age population (15-64, UN WPP 2022). OECD "
        "ENV-Growth, which makes SSP2's GDP, uses employment (participation and unemployment "
        "by age and sex, with rising participation of women and older workers) and human "
        "capital (years of schooling), which SSP2 lets grow. Fitting the growth of output "
        "*per working-age person* to SSP2's GDP puts both into that growth. Where the "
        f"working-age population falls ({falling} a year over {first}-{last}), SSP2's GDP "
        "falls less than its working-age population, so the fitted output per worker grows "
        f"faster than in the United States ({faster}, against {us:.1f}% a year over "
        f"{first}-{last}, the trend at the calibrated g_F). GDP still falls where the "
        "working-age population falls faster than output per worker grows. A scenario that "
        "changes the working-age population (none does) would not move participation or "
        "schooling with it.",
        width=92,
        break_on_hyphens=False,
    )
    return f"## Labour input: the model's against SSP2's\n\n{text}\n"


def _slowest(fit: dict[str, Any]) -> str:
    table = fit["world_table"]
    anchored = table[table["long_run_source"] == "ssp2"]
    share = (anchored["beta"] == min(long_run.BETAS)).mean()
    return f"{100 * share:.0f}%"


def markdown(
    fit: dict[str, Any], backtest_path: Path, baseline_path: Path, world_path: Path
) -> str:
    """The whole report."""
    military = fit["military"].round(4)
    wide = (
        fit["errors"]
        .pivot_table(index="state", columns=["variable", "year"], values="log_error")
        .round(3)
    )
    wide.columns = [f"{var} {year}" for var, year in wide.columns]
    wide = wide.reindex(fit["growth"]["state"]).reset_index()
    max_growth = fit["growth"]["error_pp"].abs().max()
    max_ssp = fit["ssp"]["difference"].abs().max()
    command = (
        f"uv run python -m sim calibrate {backtest_path} --baseline {baseline_path} "
        f"--world {world_path}"
    )
    return f"""# Calibration

Generated by `{command}` on
{date.today().isoformat()} ({fit["runs"]} replicates per point, seed {fit["seed"]}). Do not
edit by hand: rerun the command. The growth model itself is described in
[model.md](model.md#economy).

## What is fitted

{_fitted_table(fit)}

The calibrated values are the schema defaults (`sim/scenario/parameters.py`) and the packaged
table of record-years growth; a test keeps them equal to this page. A scenario can replace
any row's record-years growth with `parameters.economy.trend_growth.STATE` (fraction a year)
and its β with `parameters.economy.convergence_by_state.STATE`.

## Growth 2015-2024: backtest against WDI (target ±{c.GROWTH_TOLERANCE_PP} pp)

Each state's record-years growth of output per worker starts from its observed growth of
GDP per working-age person, 2015-2024 without the pandemic years (the backtest scripts the
pandemic as a world growth shock), and is then corrected for what the backtest's own
mechanisms add (oil prices, sanctions, trade), until the backtest's mean real growth
matches WDI. The fit and this table use the backtest's central path (growth shocks off);
with the historical shocks on, the median of 20 runs moves by a few tenths of a point for
the most volatile economies (a run's ten-year mean has a standard deviation of about
σ/√10): sampling noise around the same path. β and the steady state c_i come from the
row's SSP2 path (sim/long_run.py), at the calibrated g_F. Largest error: {max_growth:.2f} pp.

{_growth_table(fit)}

## The no-policy baseline against SSP2 (target ±{100 * c.SSP_TOLERANCE:.0f}%)

GDP in 2040 and 2060 relative to 2015: `{baseline_path}` (median of
{fit["runs"]} runs, central values; 2014 US$ at market rates) against SSP2 (IIASA SSP
database v3.1, OECD ENV-Growth 2023; 2017 PPP$; `sim/data/ssp2_gdp.csv`). Growth factors
compare the two without converting currencies; real exchange rates that move with
convergence are not modelled. The baseline scripts none of 2014-2024's events, and its
record years grow at the rates fitted net of them, so Russia's and the oil exporters' record
years run faster than WDI's; the long-run path is anchored on the same record-years rates,
so 2060 lands on SSP2 whatever the events. Largest difference: {100 * max_ssp:.1f}%.

{_ssp_table(fit)}

{world_report.markdown(fit["world_table"], fit["seed"])}
{_labour(fit)}
## The frontier's growth

Total and median squared log error of the countries' fitted paths against SSP2 (fifteen
horizons, 2030-2100), and the median fitted β, per g_F. The total is nearly flat: g_F
sets where growth settles after 2100 more than the path to 2060. The anchors are fitted
once, at the chosen g_F (`long_run.FRONTIER_GROWTH`); a scenario that sets another
`economy.frontier_growth` moves every economy's growth from 2025 by the difference.

{markdown_table(fit["grid"].round(4))}

## Military spending

{markdown_table(military)}

## Fit per state in current US$

ln(simulated median / actual) of GDP and military spending in current US$ (n/a: no actual
figure). The model runs in 2014 US$ at real growth, so inflation and exchange-rate swings
(the rouble's fall in 2014-15, the yen's after 2021, the dollar's rise) are part of these
errors; they are not fitted.

{markdown_table(wide)}

## What the fit cannot pin down

- The speeds of convergence and the steady states come from one set of projections (SSP2),
  itself a model. For {_slowest(fit)} of the countries SSP2 covers the fit puts β at the
  lowest value tried ({min(long_run.BETAS):g}): their SSP2 paths do not slow per worker
  as a convergence path does, and their growth stays near its 2025 rate. Growth rates
  regress strongly to the mean (Pritchett & Summers 2014, NBER w20573), at a rate the
  record does not fix; the shipped scenarios declare ranges for China's and India's β in
  their `uncertainties:` blocks.
- Russia's SSP2 path starts from 2020 data and so carries the sanctions era; the
  no-policy baseline, anchored on the record years net of the sanctions, meets it in 2060
  from a higher 2024 level.
- The record years' growth is fitted on one decade; a decade of crisis (Venezuela, Yemen,
  Libya) moves a country's level for good, but not its long-run path, which SSP2 sets.
- Uzbekistan, Turkmenistan and Vietnam have no SIPRI series for these years.
"""


def write(
    backtest_path: Path, baseline_path: Path, world_path: Path, out: Path, runs: int, seed: int
) -> dict:
    """Calibrate, write the record-years table, check, and write the report; return the fit."""
    fit = c.calibrate(backtest_path, baseline_path, world_path, runs, seed)
    c.write_trends(fit)
    c.check(fit)
    floor = fit["world"]["parameters"]["economy"]["min_trend_growth"]
    world = fit["world_table"] = world_report.add_reasons(
        fit["world_table"], fit["frontier_growth"], fit["convergence"], floor
    )
    world.round(6).to_csv(world_report.TABLE, index=False)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown(fit, backtest_path, baseline_path, world_path), encoding="utf-8")
    return fit
