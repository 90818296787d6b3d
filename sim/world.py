"""The starting world: packaged 2014 data, aggregated to the scenario's acting states.

Every country in the packaged tables (sim/data/README.md) belongs to exactly one
row of the simulated world: to an acting state, to a group such as the EU-27
(``EUU``), or to the remainder ``ROW``. Aggregation is a membership matrix
``M`` (rows × countries): sums are ``M @ x``, dyadic totals ``M T Mᵀ`` and dyadic
averages are GDP-weighted means over member pairs.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from sim import record

DATA = Path(__file__).parent / "data"
REMAINDER = "ROW"
GROUPS = {"EUU": "eu27"}  # group id -> 0/1 membership column in states_2014.csv

_SUMMED = [
    "gdp_usd_bn",
    "population_m",
    "milex_usd_bn",
    "energy_consumption_ej",
    "energy_production_ej",
    "gas_production_bcm",
    "gas_consumption_bcm",
    "arms_exports_tiv_m",
    "arms_imports_tiv_m",
    "milper_k",
    "irst_kt",
    "pec_kt_coal",
    "tpop_k",
    "upop_k",
]
_GDP_WEIGHTED = ["growth_trend_pct", "growth_sd_pct", "milex_share_cap_pct"]


@dataclass(frozen=True)
class CountryData:
    """The packaged country-level tables as aligned arrays (one row per country)."""

    iso3: tuple[str, ...]
    states: pd.DataFrame
    milex_history: pd.DataFrame
    trade: np.ndarray
    affinity: np.ndarray
    affinity_known: np.ndarray
    allied: np.ndarray
    distance: np.ndarray
    arms: np.ndarray


@dataclass(frozen=True)
class StartingWorld:
    """Attributes of each simulated row (acting states, then ``ROW``) in the start year."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    attributes: dict[str, np.ndarray]
    capability: np.ndarray
    trade: np.ndarray
    affinity: np.ndarray
    allied: np.ndarray
    distance: np.ndarray
    arms: np.ndarray
    record: dict[str, np.ndarray] = dataclasses.field(default_factory=dict)


def _dense(pairs: pd.DataFrame, index: dict[str, int], column: str, directed: bool = False):
    n = len(index)
    out = np.full((n, n), np.nan)
    rows = pairs["iso3_1"].map(index).to_numpy()
    cols = pairs["iso3_2"].map(index).to_numpy()
    values = pairs[column].to_numpy(dtype=float)
    out[rows, cols] = values
    if not directed:
        out[cols, rows] = values
    return out


EJ_PER_KT_COAL = 29.3076e-6  # 1 t of coal equivalent = 29.3076 GJ


def fill_energy(states: pd.DataFrame) -> pd.DataFrame:
    """Fill primary energy consumption where EI has no 2014 figure, from COW NMC.

    EI lists about 100 countries individually; for the others (``energy_source``
    "missing") consumption is the Correlates of War NMC primary energy consumption
    (``pec_kt_coal``, thousand tonnes of coal equivalent) converted at 29.3076 GJ per
    tonne — for the countries both sources cover, EI / NMC has a median of 0.95.
    Those rows are flagged ``energy_source`` = "cow_nmc_pec". Production and gas stay
    0 (no source), as the data README says.
    """
    states = states.copy()
    missing = (states["energy_source"] == "missing") & states["pec_kt_coal"].notna()
    states.loc[missing, "energy_consumption_ej"] = (
        states.loc[missing, "pec_kt_coal"] * EJ_PER_KT_COAL
    )
    states.loc[missing, "energy_source"] = "cow_nmc_pec"
    return states


def filled_values(states: list[str]) -> dict[str, list[str]]:
    """For each acting single-country row, the starting values that are filled, not data.

    Written to a run's summary so that a world of many small states says which of
    its numbers are stand-ins (see sim/data/README.md for the rules).
    """
    table = country_data().states.set_index("iso3")
    rules = {
        "milex_usd_bn": lambda r: r["milex_source"] == "missing",
        "energy_consumption_ej": lambda r: r["energy_source"] == "cow_nmc_pec",
        "energy_production_ej": lambda r: (
            r["energy_source"] != "ei" and not r["energy_production_ej"]
        ),
        "gas_production_bcm": lambda r: r["energy_source"] != "ei" and not r["gas_production_bcm"],
        "gas_consumption_bcm": lambda r: (
            r["energy_source"] != "ei" and not r["gas_consumption_bcm"]
        ),
    }
    labels = {
        "milex_usd_bn": "milex_usd_bn = 0 (no SIPRI figure)",
        "energy_consumption_ej": "energy_consumption_ej from COW NMC primary energy",
        "energy_production_ej": "energy_production_ej = 0 (not listed by EI)",
        "gas_production_bcm": "gas_production_bcm = 0 (not listed by EI)",
        "gas_consumption_bcm": "gas_consumption_bcm = 0 (not listed by EI)",
    }
    found: dict[str, list[str]] = {}
    for state in states:
        if state in GROUPS or state not in table.index:
            continue
        row = table.loc[state]
        notes = [labels[col] for col, rule in rules.items() if rule(row)]
        notes += [
            f"{col} = 0 (missing)"
            for col in (*_SUMMED, *_GDP_WEIGHTED)
            if col not in rules and pd.isna(row[col])
        ]
        notes += record.filled(
            record.country_record(country_data().iso3), country_data().iso3, state
        )
        if notes:
            found[state] = notes
    return found


@cache
def country_data() -> CountryData:
    """Read the packaged 2014 tables once per process."""
    states = pd.read_csv(DATA / "states_2014.csv", keep_default_na=True)
    burden = pd.read_csv(DATA / "milex_burden.csv", usecols=["iso3", "milex_share_cap_pct"])
    states = states.merge(burden, on="iso3", how="left")
    states = fill_energy(states.sort_values("iso3").reset_index(drop=True))
    index = {code: i for i, code in enumerate(states["iso3"])}
    pairs = pd.read_csv(DATA / "dyads_2014.csv")
    pairs = pairs[pairs["iso3_1"].isin(index) & pairs["iso3_2"].isin(index)]
    trade = np.nan_to_num(_dense(pairs, index, "trade_usd_bn"))
    affinity = _dense(pairs, index, "unga_agree")
    known = ~np.isnan(affinity)
    np.fill_diagonal(affinity, 1.0)
    np.fill_diagonal(known, True)
    allied = np.nan_to_num(_dense(pairs, index, "atop_defense"))
    distance = _dense(pairs, index, "distance_km")
    np.fill_diagonal(distance, 0.0)
    arms = np.nan_to_num(_dense(pairs, index, "arms_tiv_1_to_2_m", directed=True))
    back = np.nan_to_num(_dense(pairs, index, "arms_tiv_2_to_1_m", directed=True))
    arms = arms + back.T
    history = pd.read_csv(DATA / "milex_history.csv")
    return CountryData(
        iso3=tuple(states["iso3"]),
        states=states,
        milex_history=history,
        trade=trade,
        affinity=np.nan_to_num(affinity),
        affinity_known=known,
        allied=allied,
        distance=distance,
        arms=arms,
    )


def known_ids() -> set[str]:
    """Every id a scenario may name: packaged countries and groups."""
    return set(country_data().iso3) | set(GROUPS)


def members(state: str) -> list[str]:
    """The packaged countries that make up ``state`` (itself, or a group's members)."""
    data = country_data()
    if state in GROUPS:
        flags = data.states[GROUPS[state]].to_numpy() == 1
        return list(data.states["iso3"][flags])
    return [state]


def membership(states: list[str]) -> np.ndarray:
    """Rows × countries 0/1 matrix: each acting state, then the remainder ``ROW``."""
    data = country_data()
    index = {code: i for i, code in enumerate(data.iso3)}
    matrix = np.zeros((len(states) + 1, len(data.iso3)))
    for row, state in enumerate(states):
        matrix[row, [index[c] for c in members(state)]] = 1.0
    matrix[-1] = 1.0 - matrix[:-1].sum(axis=0)
    return matrix


def _weighted_pair_mean(weights: np.ndarray, values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Mean of a dyadic value over member pairs, weighted by both members' weights."""
    total = weights @ np.where(known, values, 0.0) @ weights.T
    mass = weights @ known.astype(float) @ weights.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mass > 0, total / mass, np.nan)


def spending_by_age(
    history: pd.DataFrame, iso3: tuple[str, ...], start_year: int, first_year: int
) -> tuple[np.ndarray, np.ndarray]:
    """Military spending (US$ bn) by country (rows, ``iso3`` order) and age T - t (columns)."""
    recent = history[(history["year"] >= first_year) & (history["year"] <= start_year)]
    table = recent.pivot_table(
        index="iso3", columns="year", values="milex_usd_bn", aggfunc="sum", fill_value=0.0
    ).reindex(index=list(iso3), fill_value=0.0)
    return (start_year - table.columns.to_numpy()).astype(float), table.to_numpy()


def capability_stock(
    history: pd.DataFrame,
    iso3: tuple[str, ...],
    start_year: int,
    first_year: int,
    depreciation: float,
) -> np.ndarray:
    """Perpetual-inventory stock of military spending: Σ_t milex_t (1-δ)^(T-t)."""
    ages, spending = spending_by_age(history, iso3, start_year, first_year)
    return spending @ (1.0 - depreciation) ** ages


def build_world(
    states: list[str], depreciation: float, history_start: int = 1990, start_year: int = 2014
) -> StartingWorld:
    """Aggregate the packaged countries into the scenario's rows (read-only, cached).

    Every replicate of a scenario starts from the same world, so it is built once per
    process; its arrays are read-only, and a model copies what it changes. Only the
    capability stock depends on the depreciation rate (which runs may draw), and it
    is recomputed from a cached table of spending by age.
    """
    world = _build_world(tuple(states))
    stock = _capability(tuple(states), depreciation, history_start, start_year)
    return dataclasses.replace(world, capability=stock)


@functools.lru_cache(maxsize=64)
def _capability(
    states: tuple[str, ...], depreciation: float, history_start: int, start_year: int
) -> np.ndarray:
    ages, spending = _spending_by_age(history_start, start_year)
    stock = _membership(states) @ (spending @ (1.0 - depreciation) ** ages)
    stock.setflags(write=False)
    return stock


@functools.lru_cache(maxsize=8)
def _membership(states: tuple[str, ...]) -> np.ndarray:
    """``membership`` of a scenario's states, computed once per set of states.

    Runs that draw the depreciation rate recompute the capability stock, not the
    countries behind each row.
    """
    matrix = membership(list(states))
    matrix.setflags(write=False)
    return matrix


@functools.lru_cache(maxsize=4)
def _spending_by_age(history_start: int, start_year: int) -> tuple[np.ndarray, np.ndarray]:
    data = country_data()
    return spending_by_age(data.milex_history, data.iso3, start_year, history_start)


@functools.lru_cache(maxsize=8)
def _build_world(states: tuple[str, ...]) -> StartingWorld:
    """Aggregate the packaged countries into the scenario's rows (capability left at 0).

    Args:
        states: Acting state ids (countries or groups such as ``EUU``).

    Returns:
        The starting world, acting states first and ``ROW`` last.
    """
    data = country_data()
    m = membership(states)
    table = data.states
    gdp = table["gdp_usd_bn"].fillna(0.0).to_numpy()
    attributes = {col: m @ table[col].fillna(0.0).to_numpy() for col in _SUMMED}
    group_gdp = m @ gdp
    for col in _GDP_WEIGHTED:
        values = table[col].to_numpy()
        weight = np.where(np.isnan(values), 0.0, gdp)
        attributes[col] = (m @ (weight * np.nan_to_num(values))) / np.maximum(m @ weight, 1e-12)
    share = (m * gdp) / np.maximum(group_gdp[:, None], 1e-12)  # GDP weights within each row

    trade = m @ data.trade @ m.T
    arms = m @ data.arms @ m.T
    np.fill_diagonal(trade, 0.0)
    np.fill_diagonal(arms, 0.0)
    affinity = np.clip(
        np.nan_to_num(_weighted_pair_mean(share, data.affinity, data.affinity_known), nan=0.5), 0, 1
    )
    allied = _weighted_pair_mean(share, data.allied, np.ones_like(data.allied, bool)) >= 0.5
    distance = _weighted_pair_mean(share, np.nan_to_num(data.distance), ~np.isnan(data.distance))
    np.fill_diagonal(affinity, 1.0)
    np.fill_diagonal(distance, 0.0)
    allied = allied.astype(float)
    allied[-1, :] = allied[:, -1] = 0.0  # the remainder is not an actor
    np.fill_diagonal(allied, 0.0)

    names = [
        table.loc[table["iso3"] == s, "name"].iloc[0] if s not in GROUPS else "European Union"
        for s in states
    ]
    log_distance = np.log(np.maximum(np.nan_to_num(distance, nan=float(np.nanmean(distance))), 1.0))
    world = StartingWorld(
        record=record.rows(record.country_record(data.iso3), share, log_distance),
        ids=(*states, REMAINDER),
        names=(*names, "Rest of world"),
        attributes=attributes,
        capability=np.zeros(len(states) + 1),  # set by build_world for its depreciation
        trade=trade,
        affinity=affinity,
        allied=allied,
        distance=np.nan_to_num(distance, nan=float(np.nanmean(distance))),
        arms=arms,
    )
    for array in (
        world.capability,
        world.trade,
        world.affinity,
        world.allied,
        world.distance,
        world.arms,
        *world.attributes.values(),
        *world.record.values(),
    ):
        array.setflags(write=False)
    return world
