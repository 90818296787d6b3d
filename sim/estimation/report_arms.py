"""The arms-transfer sections of the estimation report (docs/estimation.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.estimation import arms
from sim.estimation.notes import ARMS_NOTES
from sim.estimation.sections import calibration, coefficient_lines, fit_lines

ARMS = "arms_transfer"  # the supplier-choice logit, directed, outcome years 2002-2014
ARMS_TABLES = (  # read off the record
    "arms_rival_sales",
    "arms_suppliers_2000_2014",
    "arms_delivery_size",
)


def _years(years: pd.Series) -> str:
    """2000, 2001, 2002, 2005 -> "2000–2002, 2005"."""
    runs, out = [], sorted(set(years))
    for year in out:
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def arms_lines(t: arms.Transfers) -> list[str]:
    """The arms sections: supplier choice, sales to rivals, suppliers by buyer, sanctions."""
    s, held = t.fit.stats, t.holdout
    lines = [f"## Arms transfers: supplier choice (`{ARMS}.csv`)", "", ARMS_NOTES["choice"], ""]
    lines += coefficient_lines(t.fit.table) + [""] + fit_lines(t.fit, held)
    lines += [
        "",
        f"The base rate is {s['base_rate']:.4f} in sample ({s['active_supplier_years']:.0f} "
        f"active supplier-years) and {held['base_rate']:.4f} over the hold-out. "
        f"{s['rival_events']:.0f} deliveries in the sample went to a state the supplier "
        f"was a strategic rival of the year before; {held['train_rival_events']:.0f} did in "
        f"{held['train']}, so the training fit's `rival` coefficient has no finite maximum "
        "(quasi-complete separation)"
        + (
            ", the fit stops at its iteration limit with it at a large negative value, and "
            "the hold-out scores that fit as it stands (rival pairs get a probability of "
            "nearly 0)."
            if not held["train_converged"]
            else "."
        ),
        "",
        _expected_signs(t.fit.table),
        "",
        "Hold-out calibration (ten equal groups of the 2010–2014 dyad-years by the "
        f"prediction of the fit on {held['train']}):",
        "",
        "| group | mean predicted | observed share |",
        "|---:|---:|---:|",
    ]
    for group, row in calibration(t.predictions).iterrows():
        lines.append(f"| {group + 1} | {row['predicted']:.4f} | {row['observed']:.4f} |")
    return [
        *lines,
        "",
        *_rival_sales_lines(t.rival_sales),
        *_suppliers_lines(t.suppliers),
        *_sizes_lines(t.sizes),
        "## Sanctions and the arms industry",
        "",
        ARMS_NOTES["sanctions"],
        "",
    ]


def _expected_signs(table: pd.DataFrame) -> str:
    """The coefficients against the signs the arms-transfer literature expects."""
    expected = {"supplied_recent": 1, "pact": 1, "ideal_distance": -1}
    parts = []
    for term, sign in expected.items():
        coef, p = table.loc[term, "coef"], table.loc[term, "p"]
        agrees = "as expected" if np.sign(coef) == sign else "against the expected sign"
        parts.append(f"`{term}` {coef:+.3f} (p {p:.3f}, {agrees})")
    return (
        "Against the signs the literature leads one to expect (Kinsella 1994; Lebacher et "
        "al. 2019: "
        "past transfers +, a defence pledge +, ideal-point distance −): "
        + "; ".join(parts)
        + ". The signs are reported as estimated, not constrained."
    )


def _rival_sales_lines(sales: pd.DataFrame) -> list[str]:
    kinds = sales.groupby("kind")
    counts = {kind: len(group) for kind, group in kinds}
    tiv = {kind: group["tiv_musd"].sum() for kind, group in kinds}
    lines = [
        f"## Arms sales to rivals in the record (`{ARMS_TABLES[0]}.csv`)",
        "",
        ARMS_NOTES["rival_sales"],
        "",
        "| the recipient is, in the year of the delivery | supplier–recipient dyad-years "
        "| pairs | TIV (million) |",
        "|---|---:|---:|---:|",
    ]
    labels = {
        "rival": "the supplier's strategic rival",
        "rival_of_ally": ("a strategic rival of one of the supplier's defence allies"),
    }
    for kind, label in labels.items():
        pairs = sales[sales["kind"] == kind][["supplier", "recipient"]].drop_duplicates()
        lines.append(
            f"| {label} | {counts.get(kind, 0)} | {len(pairs)} | {tiv.get(kind, 0):,.0f} |"
        )
    lines += [
        "",
        "| kind | supplier → recipient | years | dyad-years | TIV (million) | via the ally |",
        "|---|---|---|---:|---:|---|",
    ]
    keys = ["kind", "supplier", "supplier_iso3", "recipient", "recipient_iso3"]
    for (kind, _, one, _, two), group in sales.groupby(keys, sort=True):
        via = " / ".join(sorted(set(group["via"]) - {""}))
        lines.append(
            f"| {kind} | {one} → {two} | {_years(group['year'])} | {len(group)} "
            f"| {group['tiv_musd'].sum():,.0f} | {via} |"
        )
    return [*lines, ""]


def _suppliers_lines(suppliers: pd.DataFrame, largest: int = 20) -> list[str]:
    totals = suppliers.groupby(["recipient", "recipient_iso3"])["tiv_musd"].sum()
    top = totals.sort_values(ascending=False).head(largest)
    lines = [
        f"## Suppliers by buyer, 2000–2014 (`{ARMS_TABLES[1]}.csv`)",
        "",
        ARMS_NOTES["suppliers"],
        "",
        f"The {largest} largest recipients and their three largest suppliers:",
        "",
        "| recipient | TIV 2000–2014 (million) | suppliers | first three suppliers' shares |",
        "|---|---:|---:|---|",
    ]
    for (code, iso3), total in top.items():
        rows = suppliers[suppliers["recipient"] == code]
        shares = ", ".join(
            f"{r.supplier_iso3} {100 * r.share:.0f}%" for r in rows.head(3).itertuples()
        )
        lines.append(f"| {iso3} | {total:,.0f} | {len(rows)} | {shares} |")
    empty = suppliers.loc[suppliers["share"].isna(), "recipient_iso3"].drop_duplicates()
    if len(empty):
        lines += ["", f"Recipients of deliveries of 0 TIV alone: {', '.join(empty)}."]
    return [*lines, ""]


def _sizes_lines(sizes: pd.DataFrame) -> list[str]:
    lines = [
        f"## Delivery sizes (`{ARMS_TABLES[2]}.csv`)",
        "",
        ARMS_NOTES["sizes"],
        "",
        "| relation | delivery-years | mean TIV (million) | median TIV (million) |",
        "|---|---:|---:|---:|",
    ]
    for row in sizes.itertuples():
        lines.append(
            f"| {row.kind} | {row.delivery_years} | {row.mean_tiv_musd:.1f} "
            f"| {row.median_tiv_musd:.1f} |"
        )
    return [*lines, ""]
