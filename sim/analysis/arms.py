"""Suppliers by buyer: the model's arms suppliers of 2015-2024 beside the 2000-2014 record.

The model's arms flows are the ``arms_transfer_usd_bn`` column of the dyads table (``a``
the supplier, ``b`` the buyer, TIV bn a year). A buyer's supplier share is the supplier's
part of everything the buyer received over the years, summed over the runs. The record
(``sim/data/estimated/arms_suppliers_2000_2014.csv``, SIPRI) is aggregated to the
scenario's rows as the starting world aggregates countries: a group such as ``EUU`` takes
its members' deliveries, and countries that are no row fall into ``ROW``. Deliveries
between members of one group are left out of the record's shares, as the model has no
flows within a row.

Example (the closing comparison on the backtest)::

    import sim
    from sim.analysis import arms
    results = sim.run("scenarios/backtest_2014.yaml", runs=20, seed=2014)
    print(arms.markdown(arms.beside_record(results.dyads, ["IND", "CHN", "VNM", "SAU"])))
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.world import DATA, members

RECORD = DATA / "estimated" / "arms_suppliers_2000_2014.csv"
YEARS = (2015, 2024)
FLOW = "arms_transfer_usd_bn"


def suppliers_by_buyer(dyads: pd.DataFrame, years: tuple[int, int] = YEARS) -> pd.DataFrame:
    """Each buyer's suppliers in the model over ``years``: buyer, supplier, tiv, share.

    ``tiv`` is the mean over runs of the buyer's receipts from the supplier summed over the
    years (TIV bn); ``share`` its part of the buyer's total (empty for a buyer of nothing).
    """
    window = dyads[dyads["year"].between(*years)]
    runs = max(window["run"].nunique(), 1)
    table = window.groupby(["b", "a"], as_index=False)[FLOW].sum()
    table = table.rename(columns={"b": "buyer", "a": "supplier", FLOW: "tiv"})
    table["tiv"] /= runs
    return _shares(table)


def record_by_row(rows: list[str], record: Path = RECORD) -> pd.DataFrame:
    """The record's suppliers by buyer, 2000-2014, on the scenario's rows (and ``ROW``)."""
    table = pd.read_csv(record)
    row_of = {country: row for row in rows for country in members(row)}
    table["buyer"] = table["recipient_iso3"].map(row_of).fillna("ROW")
    table["supplier"] = table["supplier_iso3"].map(row_of).fillna("ROW")
    table = table[table["buyer"] != table["supplier"]]
    table = table.groupby(["buyer", "supplier"], as_index=False)["tiv_musd"].sum()
    return _shares(table.assign(tiv=table.pop("tiv_musd") / 1000.0))


def _shares(table: pd.DataFrame) -> pd.DataFrame:
    total = table.groupby("buyer")["tiv"].transform("sum")
    table["share"] = (table["tiv"] / total).where(total > 0)
    return table.sort_values(
        ["buyer", "share", "supplier"], ascending=[True, False, True], ignore_index=True
    )


def beside_record(
    dyads: pd.DataFrame,
    buyers: list[str],
    top: int = 3,
    years: tuple[int, int] = YEARS,
    record: Path = RECORD,
) -> pd.DataFrame:
    """For each buyer, its ``top`` suppliers in the model and in the record, shares side by side.

    Columns: ``buyer``, ``supplier``, ``model_share``, ``record_share`` (0 where a side has
    no deliveries from the supplier), ``model_tiv`` (TIV bn over ``years``, mean run) and
    ``record_tiv`` (TIV bn over 2000-2014). A supplier appears if it is among the top of
    either side.
    """
    rows = sorted(set(dyads["a"]) - {"ROW"})
    model = suppliers_by_buyer(dyads, years).set_index(["buyer", "supplier"])
    past = record_by_row(rows, record).set_index(["buyer", "supplier"])
    out = []
    for buyer in buyers:
        chosen = []
        for side in (model, past):
            if buyer in side.index.get_level_values("buyer"):
                chosen += list(side.loc[buyer].head(top).index)
        for supplier in dict.fromkeys(chosen):
            key = (buyer, supplier)
            out.append(
                {
                    "buyer": buyer,
                    "supplier": supplier,
                    "model_share": _get(model, key, "share"),
                    "record_share": _get(past, key, "share"),
                    "model_tiv": _get(model, key, "tiv"),
                    "record_tiv": _get(past, key, "tiv"),
                }
            )
    return pd.DataFrame(
        out,
        columns=["buyer", "supplier", "model_share", "record_share", "model_tiv", "record_tiv"],
    )


def _get(table: pd.DataFrame, key: tuple[str, str], column: str) -> float:
    return float(table[column].get(key, 0.0)) if key in table.index else 0.0


def markdown(table: pd.DataFrame) -> str:
    """The side-by-side table as markdown: one line per buyer and supplier."""
    lines = [
        f"| buyer | supplier | model share {YEARS[0]}–{YEARS[1]} | record share 2000–2014 "
        "| model TIV bn | record TIV bn |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in table.itertuples():
        lines.append(
            f"| {r.buyer} | {r.supplier} | {100 * r.model_share:.0f}% "
            f"| {100 * r.record_share:.0f}% | {r.model_tiv:.2f} | {r.record_tiv:.2f} |"
        )
    return "\n".join(lines)
