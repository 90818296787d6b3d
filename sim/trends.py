"""Observed trends per simulated row: population paths and 2015-24 growth of output per worker.

Population and the working-age population (15-64) follow the UN World Population
Prospects 2022 (``population_wpp.csv``): estimates to 2021, the medium variant
after. Total population is rescaled to the WDI 2014 level so that the path has no
jump at the start. Trend growth of output per working-age person is the row's
mean real GDP growth (WDI, ``actual_2015_2024.csv``) less the growth of its
working-age population, in the calibration years with the pandemic years 2020-21
left out (they are a scripted shock in the backtest, not a trend); the states
fitted on the backtest (``growth_calibration.csv``, written by ``sim calibrate``)
use their fitted value instead. Groups and the remainder ``ROW`` aggregate their
members: GDP-weighted real growth, summed population.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from sim.world import DATA, GROUPS, country_data, membership

TREND_YEARS = (2015, 2016, 2017, 2018, 2019, 2022, 2023, 2024)
CALIBRATION_YEARS = 10  # 2015-2024: the period the trend is fitted on
FRONTIER = "USA"  # the frontier economy: income per head of the United States in 2014


@functools.cache
def _actual() -> pd.DataFrame:
    return pd.read_csv(DATA / "actual_2015_2024.csv")


@functools.cache
def _wpp() -> pd.DataFrame:
    return pd.read_csv(DATA / "population_wpp.csv")


@functools.cache
def _calibration() -> pd.DataFrame:
    path = DATA / "growth_calibration.csv"
    if not path.is_file():
        return pd.DataFrame(columns=["state", "per_worker_growth_pct", "convergence"])
    return pd.read_csv(path)


@functools.cache
def calibrated_growth() -> dict[str, float]:
    """Trend growth of output per worker (% a year) fitted on the backtest, per state id."""
    table = _calibration()
    return dict(zip(table["state"], table["per_worker_growth_pct"], strict=True))


@functools.cache
def calibrated_convergence() -> dict[str, float]:
    """β fitted on the SSP2 GDP paths, per state id."""
    table = _calibration().dropna(subset=["convergence"])
    return dict(zip(table["state"], table["convergence"].astype(float), strict=True))


@functools.cache
def frontier_income() -> float:
    """The frontier's output per working-age person in 2014 (US$ thousand, 2014 prices)."""
    table = country_data().states.set_index("iso3")
    workers = _wpp().set_index(["iso3", "year"]).at[(FRONTIER, 2014), "working_age_m"]
    return float(table.at[FRONTIER, "gdp_usd_bn"] / workers)


def _country_growth() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Real growth (%), GDP weights and working-age population per country and year.

    Countries are columns; growth and weights have rows 2015-2024, the working-age
    population 2014-2024.
    """
    table = _actual()
    table = table[table["iso3"] != "EUU"]
    growth = table.pivot(index="year", columns="iso3", values="growth_pct")
    gdp = table.pivot(index="year", columns="iso3", values="gdp_usd_bn")
    start = country_data().states.set_index("iso3")
    order = list(country_data().iso3)
    weights = gdp.shift(1)  # last year's GDP weighs this year's growth
    weights.loc[weights.index.min()] = start["gdp_usd_bn"]
    wpp = _wpp()
    wpp = wpp[wpp["year"].between(growth.index.min() - 1, growth.index.max())]
    workers = wpp.pivot(index="year", columns="iso3", values="working_age_m")
    return (
        growth.reindex(columns=order),
        weights.reindex(columns=order),
        workers.reindex(columns=order),
    )


def observed_per_worker_growth(states: tuple[str, ...]) -> np.ndarray:
    """Mean growth of GDP per working-age person (fraction a year) of each row.

    Over ``TREND_YEARS``; NaN where a row has no growth data in those years.
    """
    growth, weights, workers = _country_growth()
    m = membership(list(states))
    g = growth.to_numpy() / 100.0
    w = np.where(np.isnan(g), 0.0, np.nan_to_num(weights.to_numpy()))
    with np.errstate(invalid="ignore", divide="ignore"):
        row_growth = (np.nan_to_num(g) * w) @ m.T / (w @ m.T)  # years × rows
        people = np.nan_to_num(workers.to_numpy()) @ m.T  # (years + 1) × rows
        per_worker = (1.0 + row_growth) / (people[1:] / people[:-1]) - 1.0
    years = growth.index.to_numpy()
    table = _actual().set_index(["iso3", "year"])
    for row, state in enumerate(states):  # a group with its own published aggregate
        if state in GROUPS and (state, years[0]) in table.index:
            own = table.loc[state].reindex(years)["growth_pct"].to_numpy() / 100.0
            per_worker[:, row] = (1.0 + own) / (people[1:, row] / people[:-1, row]) - 1.0
    chosen = np.isin(years, TREND_YEARS)
    picked = np.where(np.isfinite(per_worker[chosen]), per_worker[chosen], np.nan)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a row with no data: NaN
        return np.nanmean(picked, axis=0)


@functools.lru_cache(maxsize=8)
def per_worker_growth(states: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    """The trend growth of output per worker each row starts from, and how it was set.

    Returns:
        Growth (fraction a year) per row (acting states, then ``ROW``), and per row
        its source: "calibrated", "wdi" or "frontier" (no data: the frontier's growth
        is used, decided by the caller).
    """
    rows = (*states, "ROW")
    observed = observed_per_worker_growth(states)
    fitted = calibrated_growth()
    values, sources = [], []
    for row, state in enumerate(rows):
        if state in fitted:
            values.append(fitted[state] / 100.0)
            sources.append("calibrated")
        elif np.isfinite(observed[row]):
            values.append(float(observed[row]))
            sources.append("wdi")
        else:
            values.append(np.nan)
            sources.append("frontier")
    values = np.array(values)
    values.setflags(write=False)
    return values, tuple(sources)


@functools.lru_cache(maxsize=8)
def population_paths(
    states: tuple[str, ...], start_year: int, years: int
) -> tuple[np.ndarray, np.ndarray]:
    """Population and working-age population (millions) of each row, year by year.

    Columns are ``start_year .. start_year + years``. Each country's WPP paths are
    scaled so that its total population starts at the WDI figure; past the last WPP
    year they are held constant, and a country WPP does not list keeps its start.
    """
    data = country_data()
    wpp = _wpp()
    calendar = np.arange(start_year, start_year + years + 1)
    level = data.states["population_m"].fillna(0.0).to_numpy()
    m = membership(list(states))
    out = []
    for column in ("population_m", "working_age_m"):
        wide = wpp.pivot(index="iso3", columns="year", values=column)
        clipped = np.clip(calendar, wide.columns.min(), wide.columns.max())
        wide = wide.reindex(index=list(data.iso3))
        total = wpp.pivot(index="iso3", columns="year", values="population_m")
        base = total.reindex(index=list(data.iso3))[[clipped[0]]].to_numpy()
        ratio = wide[clipped].to_numpy() / base  # relative to total population at the start
        fallback = 1.0 if column == "population_m" else np.nan
        ratio = np.where(np.isfinite(ratio), ratio, fallback)
        paths = m @ np.nan_to_num(level[:, None] * ratio)
        paths.setflags(write=False)
        out.append(paths)
    return out[0], out[1]
