"""The undirected dyad-year panel the behavioural models are estimated on.

The universe is built here, not taken from the event files: every pair of COW system
members (the state-years of the NMC table) in every year, so that years with no dispute
and no pledge are zeros. Time-varying covariates are the values of year t - 1; the
fixed ones (contiguity, capital distance) are as of 2014. Peace-years and pledge-years
count from 1990, the first year of the packaged record (left-censored there). No year
after 2014 is read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[1] / "data" / "behaviour"
FIRST, LAST = 1990, 2014
SAMPLE = (2001, 2014)  # outcome years: 2000 gives the first lag of the ideal points
# COW major powers 2000-2014 (COW State System Membership, majors list v2016):
# United States, United Kingdom, France, Germany, Russia, China, Japan.
MAJOR_POWERS = (2, 200, 220, 255, 365, 710, 740)
# Direct contiguity: land (1) or at most 150 miles of water (2, 3, 4: 12, 24, 150 miles).
CONTIGUOUS_TYPES = (1, 2, 3, 4)


def read(name: str, data: Path = DATA) -> pd.DataFrame:
    """One packaged table, never a year after 2014."""
    table = pd.read_csv(data / f"{name}.csv")
    if "year" in table:
        table = table[table["year"] <= LAST]
    return table


def universe(states: pd.DataFrame) -> pd.DataFrame:
    """Every pair of system members in every year (ccode1 < ccode2)."""
    s = states[["ccode", "year"]]
    pairs = s.merge(s, on="year", suffixes=("1", "2"))
    pairs = pairs[pairs["ccode1"] < pairs["ccode2"]]
    return pairs[["ccode1", "ccode2", "year"]].reset_index(drop=True)


def _flag(pairs: pd.DataFrame, events: pd.DataFrame, name: str) -> pd.Series:
    keys = events[["ccode1", "ccode2", "year"]].drop_duplicates().assign(**{name: 1})
    return pairs.merge(keys, on=["ccode1", "ccode2", "year"], how="left")[name].fillna(0)


def rival_pairs(rivalries: pd.DataFrame, years: range) -> pd.DataFrame:
    """Rival pairs per year; rivalries ongoing in 2010 (the handbook's end) carried on."""
    end = rivalries["endyear"].where(rivalries["ongoing_2010"] == 0, LAST)
    rows = [
        (a, b, y)
        for a, b, s, e in zip(
            rivalries["ccode1"], rivalries["ccode2"], rivalries["styear"], end, strict=True
        )
        for y in years
        if s <= y <= e
    ]
    return pd.DataFrame(rows, columns=["ccode1", "ccode2", "year"])


def _shared_rivals(rivals: pd.DataFrame) -> pd.DataFrame:
    """Number of third states that both members of a pair are strategic rivals of."""
    both = pd.concat(
        [
            rivals.rename(columns={"ccode1": "state", "ccode2": "rival"}),
            rivals.rename(columns={"ccode2": "state", "ccode1": "rival"}),
        ]
    )
    joint = both.merge(both, on=["rival", "year"], suffixes=("1", "2"))
    joint = joint[joint["state1"] < joint["state2"]]
    return (
        joint.groupby(["state1", "state2", "year"])
        .size()
        .rename("shared_rivals")
        .reset_index()
        .rename(columns={"state1": "ccode1", "state2": "ccode2"})
    )


def _years_since(pairs: pd.DataFrame, flag: str) -> pd.Series:
    """Years since the flag was last 1 before year t (from 1989 if never since 1990)."""
    last = pairs["year"].where(pairs[flag] == 1)
    last = last.groupby([pairs["ccode1"], pairs["ccode2"]]).shift(1)
    last = last.groupby([pairs["ccode1"], pairs["ccode2"]]).ffill().fillna(FIRST - 1)
    return pairs["year"] - last


def _run_length(pairs: pd.DataFrame, flag: str) -> pd.Series:
    """Consecutive years the flag has been 1, up to and including year t."""
    key = [pairs["ccode1"], pairs["ccode2"]]
    on = pairs[flag].astype(int)
    spell = (on != on.groupby(key).shift(1, fill_value=0)).astype(int).groupby(key).cumsum()
    return on.groupby([*key, spell]).cumsum() * on


def _new_outside_pacts(pairs: pd.DataFrame) -> pd.Series:
    """1 if either member has a pledge at t with a third state that it had not at t - 1.

    A pledge is new in year t when the pair has one at t and none the year before (or did
    not exist the year before: a new state). Each member's new partners are counted
    and the pair's own new pledge is taken out of both counts (Leeds & Savun 2007).
    """
    new = (pairs["pact"] == 1) & (pairs["pact_lag"].fillna(0) == 0)
    counts = (
        pd.concat(
            [
                pd.DataFrame({"ccode": pairs["ccode1"], "year": pairs["year"], "new": new}),
                pd.DataFrame({"ccode": pairs["ccode2"], "year": pairs["year"], "new": new}),
            ]
        )
        .groupby(["ccode", "year"])["new"]
        .sum()
    )
    one = counts.reindex(pd.MultiIndex.from_arrays([pairs["ccode1"], pairs["year"]]))
    two = counts.reindex(pd.MultiIndex.from_arrays([pairs["ccode2"], pairs["year"]]))
    own = new.to_numpy(dtype=int)
    outside = (one.to_numpy() - own > 0) | (two.to_numpy() - own > 0)
    return pd.Series(outside.astype(float), index=pairs.index)


def _yearly_change(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """|x_t - x_{t-1}| of a state-year column (missing where either year is)."""
    before = table.assign(year=table["year"] + 1)[["ccode", "year", column]]
    both = table[["ccode", "year", column]].merge(before, on=["ccode", "year"], how="left")
    return both.assign(change=(both[column + "_x"] - both[column + "_y"]).abs())


def build(data: Path = DATA) -> pd.DataFrame:
    """The dyad-year panel 1990-2014 with outcomes at t and covariates lagged to t - 1.

    Columns: ``ccode1``, ``ccode2``, ``year``; outcomes ``mid`` (a dispute under way),
    ``onset``, ``pact`` (a defence pledge, ATOP); lagged covariates ``pact_lag``,
    ``rival``, ``shared_rivals``, ``common_rival``, ``min_polyarchy``,
    ``polyarchy_gap``, ``log_cinc_ratio``, ``ideal_distance``; their changes
    ``regime_change`` (the larger |Δ polyarchy| of the two members from t - 2 to t - 1),
    ``capability_shift`` (|Δ log_cinc_ratio| from t - 2 to t - 1) and ``outside_pact``
    (a member's new pledge with a third state at t - 1); fixed ``contiguous``,
    ``log_distance``, ``major_power``; histories ``peace_years`` (since the last
    dispute year), ``pact_gap_years`` (since the last pledge year), ``pact_years``
    (the length of the pledge under way at t - 1) and ``ever_allied`` (a pledge in
    some year from 1990 to t - 1). Rows for years before the sample only serve as lags.
    """
    states = read("states", data)
    pairs = universe(states).sort_values(["ccode1", "ccode2", "year"], ignore_index=True)
    pairs["mid"] = _flag(pairs, read("mid_dyads", data), "mid")
    onsets = read("mid_dyads", data)
    pairs["onset"] = _flag(pairs, onsets[onsets["onset"] == 1], "onset")
    pairs["pact"] = _flag(pairs, read("atop_defense", data), "pact")
    rivals = rival_pairs(read("rivalries", data), range(FIRST, LAST + 1))
    pairs["rival_now"] = _flag(pairs, rivals, "rival")
    pairs = pairs.merge(_shared_rivals(rivals), on=["ccode1", "ccode2", "year"], how="left")
    pairs["shared_now"] = pairs.pop("shared_rivals").fillna(0)

    def monadic(table: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
        values = table.set_index(["ccode", "year"])[column]
        one = pd.MultiIndex.from_arrays([pairs["ccode1"], pairs["year"]])
        two = pd.MultiIndex.from_arrays([pairs["ccode2"], pairs["year"]])
        return values.reindex(one).to_numpy(), values.reindex(two).to_numpy()

    polyarchy = read("polyarchy", data)
    p1, p2 = monadic(polyarchy, "v2x_polyarchy")
    d1, d2 = monadic(_yearly_change(polyarchy, "v2x_polyarchy"), "change")
    c1, c2 = monadic(states, "cinc")
    i1, i2 = monadic(read("ideal_points", data), "idealpointall")
    with np.errstate(divide="ignore", invalid="ignore"):
        now = {
            "min_polyarchy": np.fmin(p1, p2) + 0 * p1 * p2,  # missing if either is
            "polyarchy_gap": np.abs(p1 - p2),
            "log_cinc_ratio": np.abs(np.log(c1) - np.log(c2)),
            "ideal_distance": np.abs(i1 - i2),
            "regime_change": np.fmax(d1, d2) + 0 * d1 * d2,  # missing if either is
        }
    for name, values in now.items():
        pairs[name + "_now"] = values
    pairs.loc[~np.isfinite(pairs["log_cinc_ratio_now"]), "log_cinc_ratio_now"] = np.nan

    key = [pairs["ccode1"], pairs["ccode2"]]
    previous = pairs.groupby(key)["year"].shift(1)
    lagged = previous == pairs["year"] - 1  # the pair existed the year before
    for name in ("rival", "shared", *now):
        pairs[name if name != "shared" else "shared_rivals"] = (
            pairs.groupby(key)[name + "_now"].shift(1).where(lagged)
        )
    pairs["pact_lag"] = pairs.groupby(key)["pact"].shift(1).where(lagged)
    pairs["outside_now"] = _new_outside_pacts(pairs)
    pairs["outside_pact"] = pairs.groupby(key)["outside_now"].shift(1).where(lagged)
    before = pairs.groupby(key)["log_cinc_ratio"].shift(1).where(lagged)
    pairs["capability_shift"] = (pairs["log_cinc_ratio"] - before).abs()
    pairs["common_rival"] = (pairs["shared_rivals"] > 0).astype(float).where(lagged)
    pairs["peace_years"] = _years_since(pairs, "mid")
    pairs["pact_gap_years"] = _years_since(pairs, "pact")
    pairs["pact_years"] = _run_length(pairs, "pact").groupby(key).shift(1).where(lagged)
    ever = pairs["pact"].groupby(key).cummax()
    pairs["ever_allied"] = ever.groupby(key).shift(1).where(lagged)

    contig = read("contiguity", data)
    contig = contig[contig["conttype"].isin(CONTIGUOUS_TYPES)].assign(contiguous=1)
    pairs = pairs.merge(contig[["ccode1", "ccode2", "contiguous"]], how="left")
    pairs["contiguous"] = pairs["contiguous"].fillna(0)
    pairs = pairs.merge(read("capital_distance", data), how="left")
    pairs["log_distance"] = np.log(pairs.pop("capdist_km").clip(lower=1))
    majors = pairs["ccode1"].isin(MAJOR_POWERS) | pairs["ccode2"].isin(MAJOR_POWERS)
    pairs["major_power"] = majors.astype(float)
    return pairs.drop(columns=[c for c in pairs if c.endswith("_now")])


def sample(panel: pd.DataFrame, years: tuple[int, int] = SAMPLE) -> pd.DataFrame:
    """The outcome years of the estimation, 2001-2014 unless told (never after 2014)."""
    first, last = years
    return panel[panel["year"].between(first, min(last, LAST))]


def cubic(years: pd.Series, name: str) -> pd.DataFrame:
    """Carter & Signorino's t, t^2, t^3, in decades so the three are of like size."""
    t = years / 10
    return pd.DataFrame({f"{name}": t, f"{name}_sq": t**2, f"{name}_cu": t**3})
