"""Write milex_burden.csv: the highest military share of GDP each country's record shows.

From the World Bank WDI military expenditure (% of GDP), 1990-2014, for the countries of
states_2014.csv. Usage, from the repository root, given the raw data folder (see its
SOURCES.md):

    uv run python scripts/build_burden.py PATH/TO/shared/data

Columns: iso3; ``milex_share_max_pct``, the country's highest yearly share 1990-2014
(empty without any); ``max_year``, the year of it; ``years``, how many years WDI has;
``milex_share_cap_pct``, the cap the model holds military spending under
(docs/model.md#military): the country's own highest share or the median of every
country's highest share (its peers'), whichever is larger; the median alone for a
country without a record.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parents[1] / "sim" / "data"
FIRST, LAST = 1990, 2014


def burden(raw: Path) -> pd.DataFrame:
    """The packaged table, one row per country of states_2014.csv, sorted by iso3."""
    countries = sorted(pd.read_csv(HERE / "states_2014.csv")["iso3"])
    wdi = pd.read_csv(raw / "wdi.csv", usecols=["iso3", "year", "military_share_gdp_pct"])
    wdi = wdi[wdi["iso3"].isin(countries) & wdi["year"].between(FIRST, LAST)]
    wdi = wdi.dropna(subset=["military_share_gdp_pct"])
    grouped = wdi.groupby("iso3")["military_share_gdp_pct"]
    top = wdi.loc[grouped.idxmax()].set_index("iso3")
    table = pd.DataFrame(index=pd.Index(countries, name="iso3"))
    table["milex_share_max_pct"] = grouped.max().round(4)
    table["max_year"] = top["year"].astype("Int64")
    table["years"] = grouped.count().reindex(countries).fillna(0).astype(int)
    peers = float(table["milex_share_max_pct"].median())
    table["milex_share_cap_pct"] = table["milex_share_max_pct"].fillna(peers).clip(lower=peers)
    table["milex_share_cap_pct"] = table["milex_share_cap_pct"].round(4)
    return table.reset_index()


def main(argv: list[str] | None = None) -> None:
    """Write sim/data/milex_burden.csv and print the peers' median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, help="the raw data folder (wdi.csv)")
    table = burden(parser.parse_args(argv).raw)
    table.to_csv(HERE / "milex_burden.csv", index=False)
    known = table["milex_share_max_pct"].notna()
    print(f"{len(table)} countries, {known.sum()} with a WDI record 1990-2014")
    print(f"median of the highest shares (the peers' cap): {table['milex_share_max_pct'].median()}")


if __name__ == "__main__":
    main()
