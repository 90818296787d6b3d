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
RECORD_END = 2024  # the record years are 2015-2024; the long-run trend follows
PEERS = 10  # countries a row without data borrows from (closest in 2014 output per worker)
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
        return pd.DataFrame(columns=["state", "per_worker_growth_pct", "fitted_on"])
    return pd.read_csv(path)


@functools.cache
def calibrated_growth() -> dict[str, float]:
    """Trend growth of output per worker (% a year) fitted on the backtest, per state id."""
    table = _calibration()
    return dict(zip(table["state"], table["per_worker_growth_pct"], strict=True))


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


def _row_growth(states: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Real GDP growth (fraction) and working-age growth of each row, year by year.

    Returns the years, growth (years × rows; a group with its own published aggregate
    uses it) and the ratio of each year's working-age population to the last year's.
    """
    growth, weights, workers = _country_growth()
    m = membership(list(states))
    g = growth.to_numpy() / 100.0
    w = np.where(np.isnan(g), 0.0, np.nan_to_num(weights.to_numpy()))
    with np.errstate(invalid="ignore", divide="ignore"):
        row_growth = (np.nan_to_num(g) * w) @ m.T / (w @ m.T)  # years × rows
        people = np.nan_to_num(workers.to_numpy()) @ m.T  # (years + 1) × rows
        people_growth = people[1:] / people[:-1]
    years = growth.index.to_numpy()
    table = _actual().set_index(["iso3", "year"])
    for row, state in enumerate(states):  # a group with its own published aggregate
        if state in GROUPS and (state, years[0]) in table.index:
            row_growth[:, row] = table.loc[state].reindex(years)["growth_pct"].to_numpy() / 100.0
    return years, row_growth, people_growth


def _nanmean(values: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a row with no data: NaN
        return np.nanmean(np.where(np.isfinite(values), values, np.nan), axis=0)


def observed_per_worker_growth(states: tuple[str, ...]) -> np.ndarray:
    """Mean growth of GDP per working-age person (fraction a year) of each row.

    Over ``TREND_YEARS``; NaN where a row has no growth data in those years.
    """
    years, growth, people_growth = _row_growth(states)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_worker = (1.0 + growth) / people_growth - 1.0
    return _nanmean(per_worker[np.isin(years, TREND_YEARS)])


@functools.lru_cache(maxsize=8)
def per_worker_growth(states: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
    """The growth of output per worker in the record years, per row, and how it was set.

    Returns:
        Growth (fraction a year) per row (acting states, then ``ROW``), and per row
        its source: "calibrated" (fitted, ``growth_calibration.csv``), "wdi" (observed,
        ``observed_per_worker_growth``), "peers" (no record: the median of the
        ``PEERS`` countries with a record closest in 2014 output per worker) or "none"
        (a row without people, such as an empty ``ROW``: the value is NaN).
    """
    rows = (*states, "ROW")
    observed = observed_per_worker_growth(states)
    fitted = calibrated_growth()
    income = log_income_to_frontier(states)
    values, sources = [], []
    for row, state in enumerate(rows):
        if state in fitted:
            values.append(fitted[state] / 100.0)
            sources.append("calibrated")
        elif np.isfinite(observed[row]):
            values.append(float(observed[row]))
            sources.append("wdi")
        elif np.isfinite(income[row]):
            values.append(peers_median(*_country_records(), float(income[row])))
            sources.append("peers")
        else:
            values.append(np.nan)
            sources.append("none")
    values = np.array(values)
    values.setflags(write=False)
    return values, tuple(sources)


@functools.cache
def _country_records() -> tuple[np.ndarray, np.ndarray]:
    """Per packaged country with a record: its record-years growth and 2014 log income."""
    countries = tuple(country_data().iso3)
    fitted = calibrated_growth()
    observed = observed_per_worker_growth(countries)[:-1]
    growth = np.array(
        [fitted[c] / 100.0 if c in fitted else g for c, g in zip(countries, observed, strict=True)]
    )
    income = log_income_to_frontier(countries)[:-1]
    known = np.isfinite(growth) & np.isfinite(income)
    return growth[known], income[known]


def peers_median(values: np.ndarray, incomes: np.ndarray, income: float) -> float:
    """The median of ``values`` over the ``PEERS`` countries whose 2014 ln(y/y_F) is closest."""
    nearest = np.argsort(np.abs(incomes - income))[:PEERS]
    return float(np.median(values[nearest]))


@functools.lru_cache(maxsize=8)
def log_income_to_frontier(states: tuple[str, ...]) -> np.ndarray:
    """ln(y / y_F) in 2014 per row, y GDP per working-age person (NaN without people)."""
    gdp = membership(list(states)) @ np.nan_to_num(country_data().states["gdp_usd_bn"])
    _, workers = population_paths(states, 2014, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        income = np.log(gdp / workers[:, 0] / frontier_income())
    income = np.where(np.isfinite(income), income, np.nan)
    income.setflags(write=False)
    return income


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
