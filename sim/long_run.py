"""Long-run anchors: each row's steady state and speed of convergence from the SSP2 GDP path.

From 2025 on, trend output per worker follows the convergence law of
sim/convergence.py, g = g_F + β x. Its two per-row constants come from the SSP2
projection of the row's GDP (``ssp2_gdp.csv``, OECD ENV-Growth 2023), not from the
2015-24 decade, so that a decade of crisis does not set a country's long-run level:

- the target is SSP2's GDP growth factor from 2015 to each five-year horizon
  2030-2100, less the growth of the working-age population (UN WPP) and the growth of
  output per worker in the record years (the row's fitted or observed rate, 2016-24):
  what remains is the growth of output per worker the trend must deliver from 2024, so
  that a world without scripted events follows SSP2;
- x (the gap to the steady state in 2024) meets 2060 exactly at every β tried, and β is
  the one whose path is closest to all horizons (``convergence.fit_long_run``).

The fit is made once, at ``FRONTIER_GROWTH``, the frontier's growth that fits the SSP2
paths best (docs/calibration.md): x and β are properties of the country, and a scenario
that sets another ``economy.frontier_growth`` moves the frontier, and every economy's
long-run growth with it, away from SSP2.

A row is anchored when SSP2 covers members holding at least ``MIN_COVERAGE`` of its
2014 GDP (the covered members' sum stands for the row). A row SSP2 does not cover
takes ``economy.convergence`` as its β and the median 2024 gap of the ``trends.PEERS`` SSP2
countries closest to it in 2014 output per worker: it enters the long run growing as
they do.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from sim import convergence, trends
from sim.world import DATA, country_data, membership

SSP_BASE = 2015
HORIZONS = tuple(range(2030, 2101, 5))
ANCHOR = HORIZONS.index(2060)
BETAS = tuple(np.geomspace(0.01, 0.3, 35).round(5).tolist())
MIN_COVERAGE = 0.9
FRONTIER_GROWTH = 0.015  # g_F of the fit: the calibrated value (economy.frontier_growth)


@functools.cache
def _ssp2() -> pd.DataFrame:
    """SSP2 GDP (2017 PPP$ bn), countries × years, over the packaged countries."""
    table = pd.read_csv(DATA / "ssp2_gdp.csv").pivot(
        index="iso3", columns="year", values="gdp_ppp_bn"
    )
    return table.reindex(index=list(country_data().iso3))


@functools.lru_cache(maxsize=8)
def targets(states: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Log growth of output per worker from 2024 to each horizon that SSP2 implies.

    Returns the targets (rows × horizons, NaN for rows SSP2 does not cover) and each
    row's SSP2 growth factor of GDP from 2015 to each horizon (same shape).
    """
    m = membership(list(states))
    ssp = _ssp2()
    covered = ssp[[SSP_BASE, *HORIZONS]].notna().all(axis=1).to_numpy()
    gdp14 = np.nan_to_num(country_data().states["gdp_usd_bn"].to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"):
        share = (m * covered) @ gdp14 / (m @ gdp14)
    path = (m * covered) @ np.nan_to_num(ssp[[SSP_BASE, *HORIZONS]].to_numpy())
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = path[:, 1:] / path[:, :1]
    factor[~(share >= MIN_COVERAGE)] = np.nan
    record = trends.per_worker_growth(states)[0]
    end = trends.RECORD_END
    _, workers = trends.population_paths(states, SSP_BASE, max(HORIZONS) - SSP_BASE)
    with np.errstate(invalid="ignore", divide="ignore"):
        worker_growth = workers[:, [h - SSP_BASE for h in HORIZONS]] / workers[:, :1]
        decade = (end - SSP_BASE) * np.log1p(record)
        out = np.log(factor) - decade[:, None] - np.log(worker_growth)
    out[~np.isfinite(out).all(axis=1)] = np.nan
    return out, factor


def _fit(states: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    wanted, _ = targets(states)
    horizons = np.array(HORIZONS) - trends.RECORD_END
    return convergence.fit_long_run(wanted, horizons, ANCHOR, FRONTIER_GROWTH, np.array(BETAS))


def handover_to_start(gap: np.ndarray, record: np.ndarray, frontier_growth: float) -> np.ndarray:
    """The 2014 gap that the record years' growth carries to ``gap`` in 2024."""
    years = trends.RECORD_END - 2014
    return gap - years * (np.log1p(frontier_growth) - np.log1p(record))


@functools.cache
def _country_gaps() -> tuple[np.ndarray, np.ndarray]:
    """The 2024 gap and 2014 ln(y/y_F) of every SSP2-anchored country."""
    countries = tuple(country_data().iso3)
    gap, _ = _fit(countries)
    income = trends.log_income_to_frontier(countries)
    known = np.isfinite(gap[:-1]) & np.isfinite(income[:-1])
    return gap[:-1][known], income[:-1][known]


@functools.lru_cache(maxsize=64)
def anchors(
    states: tuple[str, ...], convergence_speed: float
) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Per row (acting states, then ``ROW``): the gap in 2024, β, and where they come from.

    The source is "ssp2", "peers" (no SSP2 path: the median 2024 gap of the SSP2
    countries closest in 2014 output per worker, and the global β) or "none" (a row
    without people: at its steady state).
    """
    gap, beta = _fit(states)
    income = trends.log_income_to_frontier(states)
    sources = []
    for row in range(len(gap)):
        if np.isfinite(beta[row]):
            sources.append("ssp2")
            continue
        beta[row] = convergence_speed
        if not np.isfinite(income[row]):
            gap[row] = 0.0
            sources.append("none")
            continue
        gap[row] = trends.peers_median(*_country_gaps(), float(income[row]))
        sources.append("peers")
    gap.setflags(write=False)
    beta.setflags(write=False)
    return gap, beta, tuple(sources)


def reload() -> None:
    """Read the packaged tables again (after ``sim calibrate`` rewrites them)."""
    for cached in (
        trends._calibration,
        trends.calibrated_growth,
        trends.per_worker_growth,
        trends._country_records,
        targets,
        _country_gaps,
        anchors,
    ):
        cached.cache_clear()


def filled(states: tuple[str, ...], convergence_speed: float) -> dict[str, list[str]]:
    """Per acting row, which parts of its growth path are filled from peers, not data."""
    _, record_sources = trends.per_worker_growth(states)
    _, _, long_sources = anchors(states, convergence_speed)
    out: dict[str, list[str]] = {}
    for row, state in enumerate(states):
        notes = []
        if record_sources[row] == "peers":
            notes.append("record-years growth 2015-24 from income peers (no WDI record)")
        if long_sources[row] == "peers":
            notes.append("long-run path from income peers (no SSP2 path)")
        if notes:
            out[state] = notes
    return out
