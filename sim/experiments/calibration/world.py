"""The calibration report's world section: every country against WDI and SSP2.

The table (``sim/data/calibration_world.csv``) has one row per country of
``world_all.yaml``: its central path's mean real growth 2015-24 against WDI, its GDP
growth factors 2015→2040 and 2015→2060 against SSP2, and, for each miss, which part
of the difference comes from the trend (the convergence path cannot follow SSP2's
shape) and which from the model's other mechanisms (energy revenue, trade, the
sanctions states decide, partners' growth).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sim import convergence, long_run, trends
from sim.experiments.calibration import fit as c
from sim.experiments.calibration import markdown_table
from sim.world import DATA

TABLE = DATA / "calibration_world.csv"
FAR_PP = 2.0  # growth errors beyond this need a stated reason


def trend_factors(
    states: tuple[str, ...], frontier_growth: float, speed: float, floor: float | None = None
) -> np.ndarray:
    """GDP growth factor 2015→each of ``fit.SSP_YEARS`` from the trend alone, per row.

    With ``floor`` (``economy.min_trend_growth``), trend growth is floored as the model's
    is; without, the bare convergence path.
    """
    record, _ = trends.per_worker_growth(states)
    record = np.where(np.isfinite(record), record, frontier_growth)
    gap, beta, _ = long_run.anchors(states, speed)
    end = trends.RECORD_END
    income = None
    if floor is not None:  # ln(ŷ/y_F) in 2024
        start = trends.log_income_to_frontier(states)
        income = start + (end - 2014) * (np.log1p(record) - np.log1p(frontier_growth))
    log_path = convergence.log_growth_path(
        gap, frontier_growth, beta, max(c.SSP_YEARS) - end, income, floor or 0.0
    )
    _, workers = trends.population_paths(states, long_run.SSP_BASE, max(c.SSP_YEARS) - 2015)
    out = []
    with np.errstate(invalid="ignore", divide="ignore"):  # an empty ROW
        for year in c.SSP_YEARS:
            per_worker = (end - long_run.SSP_BASE) * np.log1p(record) + log_path[:, year - end - 1]
            out.append(np.exp(per_worker) * workers[:, year - 2015] / workers[:, 0])
    return np.stack(out, axis=1)


def add_reasons(
    table: pd.DataFrame, frontier_growth: float, speed: float, floor: float
) -> pd.DataFrame:
    """The trend's, the floor's and the mechanisms' part of each SSP2 difference; reasons."""
    table = table.copy()
    rows = tuple(table["state"])
    bare = trend_factors(rows, frontier_growth, speed)[:-1]
    floored = trend_factors(rows, frontier_growth, speed, floor)[:-1]
    for k, year in enumerate(c.SSP_YEARS):
        table[f"trend_factor_{year}"] = bare[:, k]
        table[f"floor_{year}"] = floored[:, k] / bare[:, k] - 1.0
        table[f"mechanisms_{year}"] = table[f"factor_{year}"] / floored[:, k] - 1.0
    fitted_on = pd.read_csv(DATA / "growth_calibration.csv").set_index("state")["fitted_on"]
    table["fitted_on"] = table["state"].map(fitted_on).fillna("")
    table["reason"] = [_reason(row) for row in table.itertuples(index=False)]
    return table


_CAUSES = {
    "shape": "the convergence path cannot follow SSP2's shape",
    "floor": "the floor of trend growth (`min_trend_growth`) holds the trend above SSP2's",
    "mechanisms": "the model's mechanisms move GDP from its trend",
}


def _reason(row: Any) -> str:
    reasons = []
    if abs(row.growth_error_pp) > c.GROWTH_TOLERANCE_PP:
        why = (
            ": its record years are fitted on the backtest, net of the 2014-24 events "
            "(sanctions, oil prices) that world_all.yaml does not script"
            if row.fitted_on == "backtest"
            else ""
        )
        reasons.append(f"2015-24 growth {row.growth_error_pp:+.1f} pp from WDI{why}")
    for year in c.SSP_YEARS:
        difference = getattr(row, f"ssp2_difference_{year}")
        if not np.isfinite(difference) or abs(difference) <= c.LARGEST_TOLERANCE:
            continue
        parts = {
            "shape": getattr(row, f"trend_factor_{year}") / getattr(row, f"ssp2_factor_{year}") - 1,
            "floor": getattr(row, f"floor_{year}"),
            "mechanisms": getattr(row, f"mechanisms_{year}"),
        }
        cause = max(parts, key=lambda part: abs(parts[part]))
        reasons.append(f"{year}: {_CAUSES[cause]} ({100 * parts[cause]:+.0f}%)")
    return "; ".join(reasons)


def summary(table: pd.DataFrame) -> dict[str, Any]:
    """The headline figures: shares within the targets, and the misses."""
    growth = table.dropna(subset=["growth_error_pp"])
    error = growth["growth_error_pp"].abs()
    largest = table.nlargest(c.LARGEST, "gdp_2014_usd_bn")
    out: dict[str, Any] = {
        "countries_with_record": len(growth),
        "growth_within": float((error <= c.GROWTH_TOLERANCE_PP).mean()),
        "growth_rms_pp": float((growth["growth_error_pp"] ** 2).mean() ** 0.5),
        "growth_far": growth.loc[error > FAR_PP, "state"].tolist(),
    }
    for year in c.SSP_YEARS:
        difference = table[f"ssp2_difference_{year}"].dropna().abs()
        top = largest[f"ssp2_difference_{year}"].dropna().abs()
        out[f"ssp2_countries_{year}"] = len(difference)
        out[f"ssp2_within_{year}"] = float((difference <= c.WORLD_SSP_TOLERANCE).mean())
        out[f"largest_within_{year}"] = float((top <= c.LARGEST_TOLERANCE).mean())
        out[f"median_difference_{year}"] = float(difference.median())
    return out


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def markdown(table: pd.DataFrame, seed: int) -> str:
    """The report's section on the whole world."""
    s = summary(table)
    misses = table[table["reason"] != ""].copy()
    columns = ["state", "growth_error_pp"]
    for year in c.SSP_YEARS:
        columns += [f"ssp2_difference_{year}"]
    shown = misses[[*columns, "record_pct", "beta", "reason"]].copy()
    for year in c.SSP_YEARS:
        shown[f"ssp2_difference_{year}"] = (100 * shown[f"ssp2_difference_{year}"]).round(1)
    shown = shown.rename(
        columns={
            "growth_error_pp": "growth error 2015-24 (pp)",
            "ssp2_difference_2040": "vs SSP2 2040 (%)",
            "ssp2_difference_2060": "vs SSP2 2060 (%)",
            "record_pct": "record growth per worker (%)",
            "beta": "β",
        }
    )
    peers = table.loc[table["long_run_source"] == "peers", "state"].tolist()
    record_peers = table.loc[table["record_source"] == "peers", "state"].tolist()
    far = ", ".join(s["growth_far"]) or "none"
    return f"""## Every country: `world_all.yaml` against WDI and SSP2

Every one of the 193 countries acting on its own, growth shocks off (one run, seed
{seed}), to 2060. The full table is `sim/data/calibration_world.csv` (one row per
country: growth, growth factors, the trend's and the mechanisms' part of each
difference, the sources of its values); the figure is
[images/calibration_world.png](images/calibration_world.png).

- **Growth 2015-2024 against WDI:** {_pct(s["growth_within"])} of the
  {s["countries_with_record"]} countries with a record are within
  ±{c.GROWTH_TOLERANCE_PP} pp (root mean square error {s["growth_rms_pp"]:.2f} pp);
  off by more than {FAR_PP:g} pp: {far}.
- **GDP growth 2015→2060 against SSP2:** {_pct(s["ssp2_within_2060"])} of the
  {s["ssp2_countries_2060"]} countries SSP2 covers are within ±{_pct(c.WORLD_SSP_TOLERANCE)}
  (median difference {100 * s["median_difference_2060"]:.1f}%), and
  {_pct(s["largest_within_2060"])} of the {c.LARGEST} largest economies of 2014 within
  ±{_pct(c.LARGEST_TOLERANCE)}.
- **2015→2040:** {_pct(s["ssp2_within_2040"])} within ±{_pct(c.WORLD_SSP_TOLERANCE)},
  {_pct(s["largest_within_2040"])} of the largest thirty within ±{_pct(c.LARGEST_TOLERANCE)}
  (median difference {100 * s["median_difference_2040"]:.1f}%). 2060 is the anchor the fit
  meets; 2040 is where SSP2's path and a convergence path part most.
- **Filled by peers:** no SSP2 path ({len(peers)}): {", ".join(peers) or "none"}; no WDI
  record ({len(record_peers)}): {", ".join(record_peers) or "none"}. `summary.json` lists
  them per run under `filled_values`.

### Misses and their reasons

Every country off by more than ±{c.GROWTH_TOLERANCE_PP} pp in 2015-24 or
±{_pct(c.LARGEST_TOLERANCE)} from SSP2. A difference is put down to the largest of three
parts: the convergence path alone (record years, then g_F + βx) against SSP2; the floor
of trend growth of a country below the frontier (`economy.min_trend_growth`), which
lifts the path where SSP2 has output per worker fall or stall; and the model's
mechanisms (sanctions, trade, energy, arms), which move GDP from its floored trend.

{markdown_table(shown.round(3))}
"""
