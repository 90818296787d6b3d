"""Economic sanctions (TIES v4.1): who imposes them on whom, and how they end.

Three estimates after the sanctions literature (Morgan, Bapat & Kobayashi 2014; Drezner
2003; Lektzian & Souva 2007), on ``sanction_cases.csv`` (the TIES cases
with a state as primary sender and a state as target, TIES's own codes):

*Imposition*: a directed dyad-year logit. Sender i imposes a new sanction on target j
in year t if a TIES case with ``imposition`` = 1 and ``sancimpositionstartyear`` = t has
j as target and i among its state senders (``primarysender``, ``sender1``-``sender5``;
code 1000, an institution, is not a state). The universe is every ordered pair of COW
system members (``states.csv``); outcome years 2001-2005, since the ideal points start
in 2000 (the first lag) and TIES records the cases begun by 2005. Covariates of t - 1.

*Ending*: a discrete-time hazard on case-years of the cases imposed 1990-2005 (V-Dem
polyarchy starts in 1990): the yearly probability that the sanction ends with the
target conceding. TIES's ``finaloutcome`` codes (SOURCES.md, after the TIES manual):
6 partial acquiescence by the target after imposition, 7 total acquiescence after
imposition, 8 capitulation by the sender, 9 stalemate, 10 negotiated settlement after
imposition. Concession is 6 or 7. Code 10 is left out of it: whether a settlement
favoured the sender is in ``settlementnaturesender``, whose codes the packaged source
notes do not give, so it is not used; a variant counting 10 as concession is reported
beside it. A case is in force from its imposition year to ``endyear``; with no end
recorded it is censored at ``ongoingasofyear`` (the last year TIES saw it open) or,
with neither, at 2005, TIES's last year. Covariates are those of the imposition year,
held fixed over the case (they are not moved by the sanction itself).

*Duration*: by whether the target is a major power, the Kaplan-Meier median of the
years in force (the imposition year counts as the first) and the share of the cases
ended by the target's concession within 5 and 10 years.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.duration.survfunc import SurvfuncRight

from sim.estimation import sanction_types
from sim.estimation.fit import Fit, coefficient_table, design, holdout, logit
from sim.estimation.panel import DATA, LAST, MAJOR_POWERS, read

INSTITUTION = 1000  # TIES's code for an international institution
SENDERS = ["primarysender", *(f"sender{i}" for i in range(1, 6))]
IMPOSITION_YEARS = (2001, 2005)  # ideal points start in 2000; TIES ends in 2005
IMPOSITION_TRAIN, IMPOSITION_TEST = (2001, 2003), (2004, 2005)
RECENT = 5  # the window of dispute_recent and sanctioned_before: t - 5 .. t - 1
ENDING_YEARS = (1990, 2005)  # imposition years of the cases whose ending is modelled
TIES_LAST = 2005
CONCESSION = (6, 7)  # partial or total acquiescence by the target after imposition
OUTCOMES = ("concession", "other_end")  # the two ways a case ends (competing risks)
SETTLEMENT = 10  # negotiated settlement after imposition (the variant)
SEVERE = 3  # targetcosts: 1 minor, 2 major, 3 severe
USA = 2

IMPOSITION_TERMS = [
    "rival",
    "dispute_recent",
    "ideal_distance",
    "sender_polyarchy",
    "target_polyarchy",
    "pact",
    "sender_major",
    "target_major",
    "log_sender_cinc",
    "log_target_cinc",
    "log_distance",
    "contiguous",
    "sanctioned_before",
]
ENDING_TERMS = [
    "target_major",
    "target_polyarchy",
    "log_target_cinc_share",
    "sender_us",
    "target_costs_severe",
    "log_years",
]
ADVERSARY_TERMS = ["rival", "pact"]  # the variant after Drezner's conflict expectations


@dataclass(frozen=True)
class Sanctions:
    """The imposition logit and its hold-out, the ending hazard and the duration table."""

    imposition: Fit
    holdout: dict[str, float]
    predictions: pd.DataFrame  # hold-out years: y, p
    top: pd.DataFrame  # the directed dyads most likely to see an imposition in 2005
    ending: Fit
    ending_settlement: Fit  # the variant with negotiated settlements as concession
    ending_recorded: Fit  # the variant on the cases whose status is recorded
    duration: pd.DataFrame
    russia: pd.DataFrame  # the implied yearly concession probability, Russia 2014
    other_end: Fit  # the competing risk: the sanction ends without the target's concession
    ending_adversary: Fit  # the concession variant with rivalry and a pledge (not shipped)
    types: pd.DataFrame  # the share of imposed cases with each TIES sanction type
    sectors: pd.DataFrame  # the combinations of model sectors the imposed cases touch


def state_senders(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per case and state sender (``caseid``, ``sender``): institutions left out."""
    long = cases.melt("caseid", SENDERS, value_name="sender").dropna(subset=["sender"])
    long = long[long["sender"] != INSTITUTION]
    return long[["caseid", "sender"]].drop_duplicates().astype({"sender": int})


def impositions(cases: pd.DataFrame) -> pd.DataFrame:
    """New impositions by sender, target and year (the imposition start year)."""
    imposed = cases[(cases["imposition"] == 1)].dropna(subset=["sancimpositionstartyear"])
    rows = state_senders(imposed).merge(imposed, on="caseid")
    rows = rows.assign(target=rows["targetstate"], year=rows["sancimpositionstartyear"])
    rows = rows[rows["sender"] != rows["target"]]
    return rows[["sender", "target", "year"]].astype(int).drop_duplicates()


def concession(finaloutcome: pd.Series, settlement: bool = False) -> pd.Series:
    """1 where TIES's final outcome is a concession by the target after imposition."""
    codes = (*CONCESSION, SETTLEMENT) if settlement else CONCESSION
    return finaloutcome.isin(codes).astype(int)


def _window(pairs: pd.DataFrame, events: pd.DataFrame, name: str) -> pd.Series:
    """1 if the (directed) pair has an event year in t - RECENT .. t - 1."""
    hits = pairs[["sender", "target", "year"]].merge(events, on=["sender", "target"])
    hits = hits[hits["event"].between(hits["year"] - RECENT, hits["year"] - 1)]
    keys = hits[["sender", "target", "year"]].drop_duplicates().assign(**{name: 1})
    return pairs.merge(keys, on=["sender", "target", "year"], how="left")[name].fillna(0)


def directed(dyads: pd.DataFrame, data: Path = DATA, years=IMPOSITION_YEARS) -> pd.DataFrame:
    """Every ordered pair of system members in ``years`` with the covariates of t - 1.

    The pair terms (rivalry, pledge, ideal distance, contiguity, capital distance) are
    those of the undirected panel ``dyads`` (already lagged there); ``ccode1`` is the
    sender and ``ccode2`` the target, for the two-way clustering.
    """
    states = read("states", data)
    s = states[states["year"].between(*years)][["ccode", "year"]]
    pairs = s.merge(s, on="year", suffixes=("_s", "_t"))
    pairs = pairs[pairs["ccode_s"] != pairs["ccode_t"]]
    pairs = pairs.rename(columns={"ccode_s": "sender", "ccode_t": "target"})
    pairs = pairs.reset_index(drop=True)
    low, high = (
        np.minimum(pairs["sender"], pairs["target"]),
        np.maximum(pairs["sender"], pairs["target"]),
    )
    pair_terms = ["rival", "pact_lag", "ideal_distance", "contiguous", "log_distance"]
    undirected = dyads[["ccode1", "ccode2", "year", *pair_terms]]
    pairs = pairs.assign(ccode1=low, ccode2=high).merge(
        undirected, on=["ccode1", "ccode2", "year"], how="left"
    )
    pairs = pairs.rename(columns={"pact_lag": "pact"})

    def before(table: pd.DataFrame, column: str, who: str) -> np.ndarray:
        values = table.set_index(["ccode", "year"])[column]
        index = pd.MultiIndex.from_arrays([pairs[who], pairs["year"] - 1])
        return values.reindex(index).to_numpy()

    polyarchy = read("polyarchy", data)
    for who in ("sender", "target"):
        pairs[f"{who}_polyarchy"] = before(polyarchy, "v2x_polyarchy", who)
        with np.errstate(divide="ignore"):
            pairs[f"log_{who}_cinc"] = np.log(before(states, "cinc", who))
        pairs[f"{who}_major"] = pairs[who].isin(MAJOR_POWERS).astype(float)
    cinc = pairs[["log_sender_cinc", "log_target_cinc"]]
    pairs[["log_sender_cinc", "log_target_cinc"]] = cinc.where(np.isfinite(cinc))

    mids = read("mid_dyads", data)
    mids = pd.concat(
        [
            mids.rename(columns={"ccode1": "sender", "ccode2": "target", "year": "event"}),
            mids.rename(columns={"ccode2": "sender", "ccode1": "target", "year": "event"}),
        ]
    )[["sender", "target", "event"]]
    pairs["dispute_recent"] = _window(pairs, mids, "dispute_recent")
    force = read("sanctions", data)
    force_years = pd.DataFrame(
        [
            (a, b, y)
            for a, b, f, last in force[["sender", "target", "first", "last"]].itertuples(
                index=False
            )
            for y in range(f, last + 1)
        ],
        columns=["sender", "target", "event"],
    ).drop_duplicates()
    pairs["sanctioned_before"] = _window(pairs, force_years, "sanctioned_before")
    imposed = impositions(read("sanction_cases", data)).assign(imposed=1)
    pairs = pairs.merge(imposed, on=["sender", "target", "year"], how="left")
    pairs["imposed"] = pairs["imposed"].fillna(0)
    pairs["ccode1"], pairs["ccode2"] = pairs["sender"], pairs["target"]
    return pairs


def _top(frame: pd.DataFrame, year: int, n: int = 15) -> pd.DataFrame:
    """The ``n`` directed dyads of ``year`` most likely to see an imposition (hold-out fit)."""
    train = frame[frame["year"].between(*IMPOSITION_TRAIN)]
    _, result = logit("train", train, "imposed", IMPOSITION_TERMS)
    rows = frame[frame["year"] == year].dropna(subset=IMPOSITION_TERMS).copy()
    rows["p"] = np.asarray(result.predict(design(rows, IMPOSITION_TERMS)))
    rows = rows.sort_values("p", ascending=False).head(n)
    return rows[["sender", "target", "p", "imposed", "sanctioned_before", "rival"]].reset_index(
        drop=True
    )


def case_years(
    data: Path = DATA, years=ENDING_YEARS, settlement=False, recorded_only=False
) -> pd.DataFrame:
    """The case-years of the cases imposed in ``years``, with the concession outcome.

    ``concession`` is 1 in the end year of a case whose final outcome is a concession
    (``concession``); the years before, and every year of a case that ends otherwise
    or is censored, are 0. Covariates are those of the imposition year.
    ``recorded_only``: leave out the cases with neither an end year nor an
    ``ongoingasofyear`` (their status after imposition is not recorded).
    """
    cases = read("sanction_cases", data)
    cases = cases[(cases["imposition"] == 1)].dropna(subset=["sancimpositionstartyear"])
    start = cases["sancimpositionstartyear"].astype(int)
    cases = cases[start.between(*years)].assign(start=start)
    if recorded_only:
        cases = cases[cases["endyear"].notna() | cases["ongoingasofyear"].notna()]
    ended = cases["endyear"].notna()
    stop = cases["endyear"].fillna(cases["ongoingasofyear"]).fillna(TIES_LAST).astype(int)
    cases = cases.assign(
        stop=stop,
        ended=ended.astype(int),
        conceded=concession(cases["finaloutcome"], settlement) * ended,
    )
    states = read("states", data).set_index(["ccode", "year"])["cinc"]
    polyarchy = read("polyarchy", data).set_index(["ccode", "year"])["v2x_polyarchy"]
    at = pd.MultiIndex.from_arrays([cases["targetstate"], cases["start"]])
    by = pd.MultiIndex.from_arrays([cases["primarysender"], cases["start"]])
    target_cinc = states.reindex(at).to_numpy()
    sender_cinc = states.reindex(by).to_numpy()
    us = state_senders(cases).query("sender == @USA")["caseid"]
    cases = cases.assign(
        target=cases["targetstate"],
        target_major=cases["targetstate"].isin(MAJOR_POWERS).astype(float),
        target_polyarchy=polyarchy.reindex(at).to_numpy(),
        log_target_cinc_share=np.log(target_cinc / (target_cinc + sender_cinc)),
        sender_us=cases["caseid"].isin(us).astype(float),
        target_costs_severe=(cases["targetcosts"] == SEVERE)
        .astype(float)
        .where(cases["targetcosts"].notna()),
    )
    cases = cases.replace({"log_target_cinc_share": {-np.inf: np.nan}})
    rows = cases.loc[cases.index.repeat(cases["stop"] - cases["start"] + 1)].copy()
    rows["year"] = rows["start"] + rows.groupby(level=0).cumcount()
    last = rows["year"] == rows["stop"]
    rows["concession"] = (rows["conceded"] * last).astype(int)
    rows["other_end"] = ((rows["ended"] - rows["conceded"]) * last).astype(int)
    rows["log_years"] = np.log(rows["year"] - rows["start"] + 1)
    return rows.reset_index(drop=True)


def rivals(a: pd.Series, b: pd.Series, years: pd.Series, data: Path = DATA) -> np.ndarray:
    """1 where states a and b are strategic rivals in the year (Thompson & Dreyer 2012).

    A rivalry still ongoing in 2010, the handbook's last year, is carried on (as in the
    panel and the model's 2014 record).
    """
    table = read("rivalries", data)
    end = table["endyear"].where(table["ongoing_2010"] == 0, LAST)
    low, high = np.minimum(a, b).to_numpy(), np.maximum(a, b).to_numpy()
    year = years.to_numpy()
    hit = np.zeros(len(year), bool)
    pairs = zip(table["ccode1"], table["ccode2"], table["styear"], end, strict=True)
    for c1, c2, first, last in pairs:
        hit |= (low == c1) & (high == c2) & (year >= first) & (year <= last)
    return hit.astype(float)


def pledged(a: pd.Series, b: pd.Series, years: pd.Series, data: Path = DATA) -> np.ndarray:
    """1 where states a and b share an ATOP defence pledge in the year."""
    table = read("atop_defense", data)
    known = set(zip(table["ccode1"], table["ccode2"], table["year"], strict=True))
    low, high = np.minimum(a, b), np.maximum(a, b)
    return np.array([float(k in known) for k in zip(low, high, years, strict=True)])


def adversaries(rows: pd.DataFrame, data: Path = DATA) -> pd.DataFrame:
    """The case-years with ``rival`` and ``pact`` between the target and the primary sender.

    Both are those of the imposition year, held over the case like the other covariates.
    """
    sender, target, start = rows["primarysender"], rows["targetstate"], rows["start"]
    return rows.assign(
        rival=rivals(sender, target, start, data), pact=pledged(sender, target, start, data)
    )


def _hazard(
    name: str, rows: pd.DataFrame, outcome: str = "concession", terms=ENDING_TERMS
) -> tuple[Fit, object]:
    """A logit hazard of one outcome on case-years, errors clustered by target state."""
    data = rows.dropna(subset=terms)
    model = sm.Logit(data[outcome].astype(float), design(data, terms))
    result = model.fit(
        disp=False, maxiter=200, cov_type="cluster", cov_kwds={"groups": data["target"]}
    )
    stats = {
        "case_years": float(len(data)),
        "cases": float(data["caseid"].nunique()),
        "events": float(data[outcome].sum()),
        "targets": float(data["target"].nunique()),
        "cases_dropped": float(rows["caseid"].nunique() - data["caseid"].nunique()),
        "years": f"{int(data['start'].min())}-{int(data['start'].max())}",
        "log_likelihood": float(result.llf),
        "pseudo_r2": float(result.prsquared),
    }
    return Fit(name, coefficient_table(result), stats), result


def duration(rows: pd.DataFrame) -> pd.DataFrame:
    """By ``target_major``: cases, Kaplan-Meier years in force, concessions by 5 and 10 years.

    ``median_years`` is the Kaplan-Meier median of the years in force (any ending is the
    event; missing where the survival curve stays above one half), ``in_force_k`` the
    Kaplan-Meier share still in force after k years; ``conceded_k`` the cases ended by
    the target's concession within k years, ``share_conceded_k`` that over all cases,
    and ``censored_before_k`` the cases last seen open before k years (their outcome
    by then is unknown, so the share is a lower bound).
    """
    cases = rows.groupby("caseid").last()
    cases = cases.assign(years=cases["stop"] - cases["start"] + 1)
    out = []
    for major, group in cases.groupby("target_major"):
        km = SurvfuncRight(group["years"], group["ended"])
        median = km.quantile(0.5)
        line = {
            "target_major": int(major),
            "cases": len(group),
            "ended": int(group["ended"].sum()),
            "median_years": float(median) if median is not None else np.nan,
            "longest_years": int(group["years"].max()),
        }
        for k in (5, 10):
            seen = km.surv_times <= k
            line[f"in_force_{k}"] = float(km.surv_prob[seen][-1]) if seen.any() else 1.0
            conceded = (group["conceded"] == 1) & (group["years"] <= k)
            open_short = (group["ended"] == 0) & (group["years"] < k)
            line[f"conceded_{k}"] = int(conceded.sum())
            line[f"share_conceded_{k}"] = float(conceded.mean())
            line[f"censored_before_{k}"] = int(open_short.sum())
        out.append(line)
    return pd.DataFrame(out)


def implied(fit: Fit, covariates: dict[str, float], years=(1, 2, 5, 10)) -> pd.DataFrame:
    """The yearly concession probability in the given years in force, and its cumulation.

    ``cumulative`` is 1 - prod(1 - h) over the years so far: the chance of a concession
    by then were the sanction to stay in force (no other ending).
    """
    coef = fit.table["coef"]
    rows, survive = [], 1.0
    for year in range(1, max(years) + 1):
        x = {**covariates, "log_years": np.log(year)}
        h = 1 / (1 + np.exp(-(coef["const"] + sum(coef[t] * x[t] for t in ENDING_TERMS))))
        survive *= 1 - h
        if year in years:
            rows.append({"years_in_force": year, "yearly": h, "cumulative": 1 - survive})
    return pd.DataFrame(rows)


def competing(ending: Fit, other: Fit, x: dict[str, float], years=(1, 2, 5, 10)) -> pd.DataFrame:
    """Both hazards for covariates ``x``: the share still in force and conceded by each year.

    In year t a sanction in force ends by concession with h_c(t), otherwise with h_o(t)
    (the two drawn in that order, as the model does); ``in_force`` is the share open
    after year t, ``conceded`` the share ended by concession by then.
    """
    concede, other_end = (
        implied(ending, x, range(1, max(years) + 1)),
        implied(other, x, range(1, max(years) + 1)),
    )
    rows, open_, conceded = [], 1.0, 0.0
    for c, o in zip(concede.itertuples(), other_end.itertuples(), strict=True):
        conceded += open_ * c.yearly
        open_ *= (1 - c.yearly) * (1 - o.yearly)
        if c.years_in_force in years:
            rows.append(
                {
                    "years_in_force": c.years_in_force,
                    "concession": c.yearly,
                    "other_end": o.yearly,
                    "in_force": open_,
                    "conceded": conceded,
                }
            )
    return pd.DataFrame(rows)


def russia_2014(fit: Fit, data: Path = DATA) -> tuple[dict[str, float], pd.DataFrame]:
    """Russia as a target in 2014, sanctioned by the United States (its record values)."""
    cinc = read("states", data).set_index(["ccode", "year"])["cinc"]
    poly = read("polyarchy", data).set_index(["ccode", "year"])["v2x_polyarchy"]
    x = {
        "target_major": 1.0,
        "target_polyarchy": float(poly[(365, 2014)]),
        "log_target_cinc_share": float(
            np.log(cinc[(365, 2014)] / (cinc[(365, 2014)] + cinc[(USA, 2014)]))
        ),
        "sender_us": 1.0,
        "target_costs_severe": 0.0,
    }
    return x, implied(fit, x)


def estimate(dyads: pd.DataFrame, data: Path = DATA) -> Sanctions:
    """The imposition logit (2001-2005) with its hold-out, the ending hazard, durations."""
    frame = directed(dyads, data)
    fit, _ = logit("sanction_imposition", frame, "imposed", IMPOSITION_TERMS)
    held, predicted = holdout(frame, "imposed", IMPOSITION_TERMS, IMPOSITION_TRAIN, IMPOSITION_TEST)
    rows = case_years(data)
    ending, _ = _hazard("sanction_ending", rows)
    variant, _ = _hazard("sanction_ending_settlement", case_years(data, settlement=True))
    recorded, _ = _hazard("sanction_ending_recorded", case_years(data, recorded_only=True))
    _, russia = russia_2014(ending, data)
    other, _ = _hazard("sanction_ending_other", rows, "other_end")
    adversary, _ = _hazard(
        "sanction_ending_adversary",
        adversaries(rows, data),
        terms=[*ENDING_TERMS, *ADVERSARY_TERMS],
    )
    cases = sanction_types.imposed_types(data, ENDING_YEARS)
    return Sanctions(
        fit,
        held,
        predicted,
        _top(frame, 2005),
        ending,
        variant,
        recorded,
        duration(rows),
        russia,
        other,
        adversary,
        sanction_types.type_shares(cases),
        sanction_types.sector_mix(cases),
    )
