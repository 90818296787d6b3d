"""The record as of 2014 that the estimated behaviour reads: each row's and pair's covariates.

The behavioural models (docs/estimation.md) were fitted on dyad-years of the packaged
record (``sim/data/behaviour/``). A simulated world starts from the same record at the
end of 2014: each country's UN ideal point and V-Dem polyarchy, whether it is a COW
major power; for each pair, contiguity, capital distance, strategic rivalry, a common
rival, the years since its last militarized dispute, and its defence-pledge history
(the length of a pledge under way, the years since the last, a pledge since 1990).

Countries are aggregated into the scenario's rows as the starting world aggregates
everything (``sim.world``): a state's value is the GDP-weighted mean of its member
countries', a pair's the GDP-weighted mean over member pairs, so a group such as the
EU is "contiguous" with Russia by the weight of its members that are. Years count from
1990, the first year of the record, as in the estimation (left-censored there, so no
count exceeds 25 in 2014).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.estimation.panel import CONTIGUOUS_TYPES, FIRST, LAST, MAJOR_POWERS, read

YEAR = LAST  # the record's last year: the world's start


@dataclass(frozen=True)
class Record:
    """Covariates in 2014 of every packaged country (``sim.world.country_data`` order).

    Monadic arrays are (countries,), dyadic (countries, countries); NaN where the
    record has no value (``known`` says which monadic values are data).
    """

    ideal_point: np.ndarray
    polyarchy: np.ndarray
    major_power: np.ndarray
    contiguous: np.ndarray
    log_distance: np.ndarray
    rival: np.ndarray
    common_rival: np.ndarray
    peace_years: np.ndarray
    pact_years: np.ndarray
    pact_gap_years: np.ndarray
    ever_allied: np.ndarray
    pledges_formed: np.ndarray
    known: dict[str, np.ndarray]


MONADIC = ("ideal_point", "polyarchy", "major_power", "pledges_formed")
DYADIC = (
    "contiguous",
    "log_distance",
    "rival",
    "common_rival",
    "peace_years",
    "pact_years",
    "pact_gap_years",
    "ever_allied",
)


def _latest(table: pd.DataFrame, column: str, codes: np.ndarray) -> np.ndarray:
    """Each code's value in its latest year up to 2014 (NaN if none)."""
    table = table[table["year"] <= YEAR].dropna(subset=[column]).sort_values("year")
    latest = table.groupby("ccode")[column].last()
    return latest.reindex(codes).to_numpy(dtype=float)


def _pair_matrix(pairs: pd.DataFrame, position: dict[int, int], values, size: int) -> np.ndarray:
    """A symmetric (size × size) matrix with ``values`` at the listed pairs, 0 elsewhere."""
    out = np.zeros((size, size))
    a = pairs["ccode1"].map(position)
    b = pairs["ccode2"].map(position)
    keep = a.notna() & b.notna()
    a, b = a[keep].astype(int).to_numpy(), b[keep].astype(int).to_numpy()
    values = np.broadcast_to(np.asarray(values, dtype=float), (len(pairs),))[keep.to_numpy()]
    out[a, b] = values
    out[b, a] = values
    return out


def _years_by_pair(events: pd.DataFrame, position, size: int, how: str) -> np.ndarray:
    """Per pair, the last (``how="max"``) year an event was recorded, NaN if never."""
    last = events.groupby(["ccode1", "ccode2"], as_index=False)["year"].agg(how)
    out = _pair_matrix(last, position, last["year"], size)
    seen = _pair_matrix(last, position, 1.0, size) > 0
    return np.where(seen, out, np.nan)


@functools.cache
def country_record(iso3: tuple[str, ...]) -> Record:
    """The 2014 record of the packaged countries ``iso3`` (cached per process)."""
    states = read("states")
    codes = states[states["year"] == YEAR].dropna(subset=["iso3"]).set_index("iso3")["ccode"]
    ccode = np.array([codes.get(c, -1) for c in iso3])
    position = {int(c): i for i, c in enumerate(ccode) if c >= 0}
    n = len(iso3)

    ideal = _latest(read("ideal_points"), "idealpointall", ccode)
    polyarchy = _latest(read("polyarchy"), "v2x_polyarchy", ccode)
    major = np.isin(ccode, MAJOR_POWERS).astype(float)

    contig = read("contiguity")
    contiguous = _pair_matrix(contig[contig["conttype"].isin(CONTIGUOUS_TYPES)], position, 1.0, n)
    capital = read("capital_distance")
    log_distance = _pair_matrix(capital, position, np.log(capital["capdist_km"].clip(lower=1)), n)
    distance_known = _pair_matrix(capital, position, 1.0, n) > 0
    log_distance[~distance_known] = np.nan

    rivalries = read("rivalries")
    end = rivalries["endyear"].where(rivalries["ongoing_2010"] == 0, LAST)
    rival = _pair_matrix(rivalries[end >= YEAR], position, 1.0, n)
    common = ((rival @ rival) > 0).astype(float)
    np.fill_diagonal(common, 0.0)

    last_dispute = _years_by_pair(read("mid_dyads"), position, n, "max")
    peace = YEAR - np.nan_to_num(last_dispute, nan=FIRST - 1)

    pledges = read("atop_defense")
    allied_now = _pair_matrix(pledges[pledges["year"] == YEAR], position, 1.0, n)
    allied_before = _pair_matrix(pledges[pledges["year"] == YEAR - 1], position, 1.0, n)
    last_pledge = _years_by_pair(pledges, position, n, "max")
    ever = np.isfinite(last_pledge).astype(float)
    gap = YEAR - np.nan_to_num(last_pledge, nan=FIRST - 1)
    # the length of the spell under way in 2014: the years since the last year without it
    years = range(FIRST, YEAR + 1)
    spell = np.zeros((n, n))
    for year in years:
        now = _pair_matrix(pledges[pledges["year"] == year], position, 1.0, n)
        spell = (spell + 1.0) * now
    formed = ((allied_now > 0) & (allied_before == 0)).sum(axis=1).astype(float)

    for pairs in (contiguous, rival, common, peace, spell, gap, ever):
        np.fill_diagonal(pairs, 0.0)
    return Record(
        ideal_point=ideal,
        polyarchy=polyarchy,
        major_power=major,
        contiguous=contiguous,
        log_distance=log_distance,
        rival=rival,
        common_rival=common,
        peace_years=peace,
        pact_years=spell,
        pact_gap_years=gap,
        ever_allied=ever,
        pledges_formed=formed,
        known={"ideal_point": np.isfinite(ideal), "polyarchy": np.isfinite(polyarchy)},
    )


def rows(record: Record, share: np.ndarray, fallback_log_distance: np.ndarray) -> dict:
    """The record aggregated into the scenario's rows with GDP weights within each row.

    Args:
        record: The countries' record.
        share: (rows × countries) GDP weights of each row's member countries.
        fallback_log_distance: (rows × rows) log distance used where no capital
            distance is known (the world's CEPII distance).

    Returns:
        Each covariate of ``Record`` per row or pair of rows. A monadic value unknown
        for every member takes the mean of the known countries (``filled`` says which).
    """
    out: dict[str, np.ndarray] = {}
    for name in MONADIC:
        values = getattr(record, name)
        known = record.known.get(name, np.ones(len(values), bool))
        weights = share * known
        mass = weights.sum(axis=1)
        mean = np.nansum(weights * np.nan_to_num(values), axis=1) / np.maximum(mass, 1e-12)
        out[name] = np.where(mass > 0, mean, np.nanmean(values))
    for name in DYADIC:
        values = getattr(record, name)
        known = np.isfinite(values)
        total = share @ np.where(known, values, 0.0) @ share.T
        mass = share @ known.astype(float) @ share.T
        out[name] = np.divide(total, mass, out=np.full_like(total, np.nan), where=mass > 0)
    # a row's yearly ideal-point shock, for independent shocks of its members averaged
    # with GDP weights: σ √(Σ w²) (1 for a single country)
    out["shock_weight"] = np.sqrt((share**2).sum(axis=1))
    log_distance = out["log_distance"]
    out["log_distance"] = np.where(np.isfinite(log_distance), log_distance, fallback_log_distance)
    for name in DYADIC:
        out[name] = np.nan_to_num(out[name])
        np.fill_diagonal(out[name], 0.0)
    return out


def filled(record: Record, iso3: tuple[str, ...], country: str) -> list[str]:
    """The record's stand-ins for one country: covariates it has no value of."""
    at = iso3.index(country)
    labels = {
        "ideal_point": "ideal_point = mean of known states (no UN ideal point)",
        "polyarchy": "polyarchy = mean of known states (no V-Dem score)",
    }
    return [label for name, label in labels.items() if not record.known[name][at]]
