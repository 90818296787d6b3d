"""Arms transfers: the choice of supplier, sales to rivals, and each buyer's suppliers.

*Supplier choice* is a directed dyad-year logit (supplier i, recipient j, year t) on
``delivery``: any SIPRI delivery from i to j in t (a row of ``arms_tiv.csv``, rows of
0 TIV included: they are small deliveries). Outcome years 2002-2014. The universe is
every ordered pair of COW system members in t whose supplier is an *active supplier*,
one that delivered to anyone in t - 5..t - 1, so states that never export are not
counted as choosing not to. The record starts in 2000, so until 2005 the five-year
windows are cut short at 2000 (left-censored). Covariates after the literature
(Krause 1992; Kinsella 1994; Thurner et al. 2019; Lebacher et al. 2019; Pamp et al.
2018), of t - 1 where they vary: ``supplied_recent`` (i delivered to j in t - 5..t - 1),
``pact`` (an ATOP defence pledge), ``ideal_distance``, ``rival`` (Thompson-Dreyer,
carried to 2014 as in ``panel``), ``rival_of_ally`` (j is a strategic rival of one of
i's ATOP defence allies), ``log_distance`` (capitals, fixed), ``log_supplier_cinc``,
``log_recipient_cinc``, ``recipient_dispute_recent`` (j in a militarized dispute, with
anyone, in t - 5..t - 1) and ``polyarchy_gap``. Errors are clustered two ways, by
supplier and by recipient (``fit.logit``).

*Sales to rivals* lists every supplier-recipient-year of the record (2000-2014) with a
delivery where the two are strategic rivals that year, or where the recipient is that
year a strategic rival of one of the supplier's defence allies. *Suppliers by buyer*
gives each recipient's suppliers' shares of its total TIV over 2000-2014.

*Delivery sizes* are the mean and median TIV of a delivery-year of the sample: ``new``,
one to a recipient the supplier had not delivered to in t - 5..t - 1 (``supplied_recent``
0), and ``young``, one to a recipient it had, where the relation began (a ``new``
delivery) within t - 5..t - 1. The model sizes the deliveries of the relations it draws
by them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from sim.estimation.fit import Fit, holdout, logit
from sim.estimation.panel import DATA, FIRST, LAST, read, rival_pairs

OUTCOME = "delivery"
TERMS = [
    "supplied_recent",
    "pact",
    "ideal_distance",
    "rival",
    "rival_of_ally",
    "log_distance",
    "log_supplier_cinc",
    "log_recipient_cinc",
    "recipient_dispute_recent",
    "polyarchy_gap",
]
WINDOW = 5  # years before t that "recent" looks back over
SAMPLE = (2002, 2014)
TRAIN, TEST = (2002, 2009), (2010, 2014)
RECORD = (2000, 2014)  # the years of the SIPRI record packaged
KEYS = ["ccode1", "ccode2", "year"]


@dataclass(frozen=True)
class Transfers:
    """The supplier-choice fit and hold-out, and the two tables read off the record."""

    fit: Fit
    holdout: dict[str, float]
    predictions: pd.DataFrame  # the hold-out years: outcome y, prediction p
    rival_sales: pd.DataFrame
    suppliers: pd.DataFrame
    sizes: pd.DataFrame


def _recent(events: pd.DataFrame, keys: list[str], window: int = WINDOW) -> pd.DataFrame:
    """The keys and years t for which an event happened in t - window..t - 1."""
    rows = events[[*keys, "year"]].drop_duplicates()
    later = [rows.assign(year=rows["year"] + k) for k in range(1, window + 1)]
    return pd.concat(later).drop_duplicates().reset_index(drop=True)


def _flag(frame: pd.DataFrame, keys: pd.DataFrame, on: list[str]) -> np.ndarray:
    marked = keys[on].drop_duplicates().assign(_hit=1.0)
    return frame[on].merge(marked, on=on, how="left")["_hit"].fillna(0).to_numpy()


def _both_ways(pairs: pd.DataFrame) -> pd.DataFrame:
    """Undirected pairs written in both directions."""
    flipped = pairs.rename(columns={"ccode1": "ccode2", "ccode2": "ccode1"})
    return pd.concat([pairs, flipped], ignore_index=True)[KEYS]


def rivals_of_allies(data: Path = DATA, years: range = range(FIRST, LAST + 1)) -> pd.DataFrame:
    """(i, j, year, ally): j is a strategic rival of i's defence ally in that year (j != i)."""
    allies = _both_ways(read("atop_defense", data)).rename(columns={"ccode2": "ally"})
    rivals = _both_ways(rival_pairs(read("rivalries", data), years))
    rivals = rivals.rename(columns={"ccode1": "ally"})
    joined = allies.merge(rivals, on=["ally", "year"])
    joined = joined[joined["ccode1"] != joined["ccode2"]]
    return joined[[*KEYS, "ally"]].drop_duplicates().reset_index(drop=True)


def frame(dyads: pd.DataFrame, data: Path = DATA, years: tuple[int, int] = SAMPLE) -> pd.DataFrame:
    """The directed dyad-years of active suppliers and every other system member.

    ``dyads`` is the undirected panel (``panel.build``), which gives the pair's lagged
    pledge, rivalry, ideal-point distance, polyarchy gap and capital distance.
    """
    first, last = years[0], min(years[1], LAST)
    states = read("states", data)
    arms = read("arms_tiv", data)
    members = states[states["year"].between(first, last)][["ccode", "year"]]
    active = _recent(arms.rename(columns={"ccode1": "ccode"}), ["ccode"])
    active = active.merge(members, on=["ccode", "year"])
    pairs = active.rename(columns={"ccode": "ccode1"}).merge(
        members.rename(columns={"ccode": "ccode2"}), on="year"
    )
    pairs = pairs[pairs["ccode1"] != pairs["ccode2"]][KEYS]
    pairs = pairs.sort_values(KEYS, ignore_index=True)

    pairs[OUTCOME] = _flag(pairs, arms, KEYS)
    pairs["supplied_recent"] = _flag(pairs, _recent(arms, ["ccode1", "ccode2"]), KEYS)
    lagged_allies = rivals_of_allies(data).assign(year=lambda d: d["year"] + 1)
    pairs["rival_of_ally"] = _flag(pairs, lagged_allies, KEYS)
    mids = _both_ways(read("mid_dyads", data)).rename(columns={"ccode1": "ccode"})
    disputes = _recent(mids, ["ccode"]).rename(columns={"ccode": "ccode2"})
    pairs["recipient_dispute_recent"] = _flag(pairs, disputes, ["ccode2", "year"])

    cinc = states.assign(year=states["year"] + 1).set_index(["ccode", "year"])["cinc"]
    with np.errstate(divide="ignore"):
        log_cinc = np.log(cinc.where(cinc > 0))
    for side, name in (("ccode1", "log_supplier_cinc"), ("ccode2", "log_recipient_cinc")):
        index = pd.MultiIndex.from_arrays([pairs[side], pairs["year"]])
        pairs[name] = log_cinc.reindex(index).to_numpy()

    undirected = ["pact_lag", "rival", "ideal_distance", "polyarchy_gap", "log_distance"]
    lo = np.minimum(pairs["ccode1"], pairs["ccode2"])
    hi = np.maximum(pairs["ccode1"], pairs["ccode2"])
    keyed = pd.DataFrame({"ccode1": lo, "ccode2": hi, "year": pairs["year"]})
    covariates = keyed.merge(dyads[[*KEYS, *undirected]], on=KEYS, how="left")
    for name in undirected:
        pairs["pact" if name == "pact_lag" else name] = covariates[name].to_numpy()
    return pairs


def estimate(
    dyads: pd.DataFrame, data: Path = DATA, directed: pd.DataFrame | None = None
) -> tuple[Fit, dict[str, float], pd.DataFrame]:
    """The fit on 2002-2014 and the 2010-2014 hold-out of a fit on 2002-2009.

    No delivery between states that were rivals the year before is recorded in
    2002-2009, so the training fit's ``rival`` coefficient runs off to minus infinity
    (quasi-complete separation) and the fit stops at its iteration limit; the hold-out
    statistics record this (``train_converged``, ``train_rival_events``) and score the
    fit as it stands, which gives rival pairs a probability of nearly 0.
    """
    directed = frame(dyads, data) if directed is None else directed
    fit, _ = logit("arms_transfer", directed, OUTCOME, TERMS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        held, predicted = holdout(directed, OUTCOME, TERMS, TRAIN, TEST)
    held["train_converged"] = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    train = directed[directed["year"].between(*TRAIN)].dropna(subset=[OUTCOME, *TERMS])
    held["train_rival_events"] = float(train.loc[train["rival"] == 1, OUTCOME].sum())
    fit.stats["rival_events"] = float(
        directed.dropna(subset=[OUTCOME, *TERMS]).query("rival == 1")[OUTCOME].sum()
    )
    fit.stats["active_supplier_years"] = float(
        directed[["ccode1", "year"]].drop_duplicates().shape[0]
    )
    fit.stats["base_rate"] = fit.stats["events"] / fit.stats["dyad_years"]
    held["base_rate"] = held["events"] / held["dyad_years"]
    return fit, held, predicted


def _iso3(data: Path) -> pd.Series:
    states = read("states", data).sort_values("year")
    return states.groupby("ccode")["iso3"].last().fillna("")


def rival_sales(data: Path = DATA) -> pd.DataFrame:
    """Every delivery of the record between rivals, or to a rival of the supplier's ally.

    One row per kind and supplier-recipient-year: ``kind`` is ``rival`` (the pair are
    strategic rivals that year) or ``rival_of_ally`` (the recipient is that year a
    strategic rival of a defence ally of the supplier; ``via`` lists those allies).
    """
    arms = read("arms_tiv", data)
    arms = arms[arms["year"].between(*RECORD)]
    iso3 = _iso3(data)
    rivals = _both_ways(rival_pairs(read("rivalries", data), range(FIRST, LAST + 1)))
    direct = arms.merge(rivals.drop_duplicates(), on=KEYS).assign(kind="rival", via="")
    through = arms.merge(rivals_of_allies(data), on=KEYS)
    through = (
        through.assign(ally=through["ally"].map(iso3))
        .groupby([*KEYS, "tiv_musd"])["ally"]
        .agg(lambda a: " ".join(sorted(a)))
        .rename("via")
        .reset_index()
        .assign(kind="rival_of_ally")
    )
    table = pd.concat([direct, through], ignore_index=True)
    table = table.assign(
        supplier_iso3=table["ccode1"].map(iso3), recipient_iso3=table["ccode2"].map(iso3)
    ).rename(columns={"ccode1": "supplier", "ccode2": "recipient"})
    columns = ["kind", "supplier", "supplier_iso3", "recipient", "recipient_iso3", "year"]
    table = table[[*columns, "tiv_musd", "via"]]
    return table.sort_values(["kind", "supplier", "recipient", "year"], ignore_index=True)


def suppliers_by_buyer(data: Path = DATA) -> pd.DataFrame:
    """Each recipient's suppliers and their shares of its total TIV 2000-2014.

    A recipient whose deliveries all round to 0 TIV has no share (left empty).
    """
    arms = read("arms_tiv", data)
    arms = arms[arms["year"].between(*RECORD)]
    iso3 = _iso3(data)
    table = arms.groupby(["ccode2", "ccode1"], as_index=False)["tiv_musd"].sum()
    total = table.groupby("ccode2")["tiv_musd"].transform("sum")
    table["share"] = (table["tiv_musd"] / total).where(total > 0)
    table = table.rename(columns={"ccode2": "recipient", "ccode1": "supplier"})
    table["recipient_iso3"] = table["recipient"].map(iso3)
    table["supplier_iso3"] = table["supplier"].map(iso3)
    columns = ["recipient", "recipient_iso3", "supplier", "supplier_iso3", "tiv_musd", "share"]
    table = table[columns].sort_values(
        ["recipient", "share", "supplier"], ascending=[True, False, True], ignore_index=True
    )
    return table


def delivery_sizes(directed: pd.DataFrame, data: Path = DATA) -> pd.DataFrame:
    """Mean and median TIV (million) of the sample's delivery-years, new and young relations.

    ``new``: ``supplied_recent`` 0; ``young``: ``supplied_recent`` 1 and a ``new``
    delivery of the pair in t - 5..t - 1. One row each: ``kind``, ``delivery_years``,
    ``mean_tiv_musd``, ``median_tiv_musd``.
    """
    delivered = directed[directed[OUTCOME] == 1].merge(read("arms_tiv", data), on=KEYS)
    new = delivered[delivered["supplied_recent"] == 0]
    young = _flag(delivered, _recent(new, ["ccode1", "ccode2"]), KEYS) == 1
    rows = []
    for kind, group in (("new", new), ("young", delivered[young])):
        tiv = group["tiv_musd"]
        rows.append((kind, len(group), tiv.mean(), tiv.median()))
    columns = ["kind", "delivery_years", "mean_tiv_musd", "median_tiv_musd"]
    return pd.DataFrame(rows, columns=columns)


def transfers(dyads: pd.DataFrame, data: Path = DATA) -> Transfers:
    """Everything of this module: the fit, its hold-out, sales to rivals, suppliers by buyer."""
    directed = frame(dyads, data)
    fit, held, predicted = estimate(dyads, data, directed)
    return Transfers(
        fit,
        held,
        predicted,
        rival_sales(data),
        suppliers_by_buyer(data),
        delivery_sizes(directed, data),
    )
