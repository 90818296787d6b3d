"""Write ssp2_gdp.csv from the SSP database v3.1 GDP file (IIASA, amended marker).

The file ``output/20240814_v1/gdp_sspv31_markeramended_oecdfirst.csv`` of the public
repository ``iiasa/ssp2024_amended`` (commit a7e89fa2bc0a34ece8deb9b2f9b06b74d6609a44)
holds GDP|PPP (billion US$ at 2017 PPP a year) per country: the "Historical Reference"
to 2020 and each SSP from 2020. Usage, from the repository root:

    git clone https://github.com/iiasa/ssp2024_amended /tmp/ssp
    uv run python scripts/build_ssp2.py \
        /tmp/ssp/output/20240814_v1/gdp_sspv31_markeramended_oecdfirst.csv

Kept: the countries of states_2014.csv, 2015 from the Historical Reference (the SSP2
series starts in 2020) and 2020-2100 from SSP2, every five years.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parents[1] / "sim" / "data"
VARIABLE = "GDP|PPP"
BASE = "2015"
YEARS = [str(y) for y in range(2020, 2101, 5)]


def build(source: Path) -> pd.DataFrame:
    """The SSP2 GDP path of every packaged country that the source covers (long table)."""
    table = pd.read_csv(source)
    table = table[table["Variable"] == VARIABLE]
    countries = set(pd.read_csv(HERE / "states_2014.csv")["iso3"])
    table = table[table["Region"].isin(countries)]
    history = table[table["Scenario"] == "Historical Reference"].set_index("Region")[[BASE]]
    ssp2 = table[table["Scenario"] == "SSP2"].set_index("Region")[YEARS]
    wide = ssp2.join(history, how="inner")[[BASE, *YEARS]].dropna()
    long = wide.rename_axis("iso3").reset_index().melt("iso3", var_name="year")
    long = long.rename(columns={"value": "gdp_ppp_bn"})
    long["year"] = long["year"].astype(int)
    long["gdp_ppp_bn"] = long["gdp_ppp_bn"].round(3)
    return long.sort_values(["iso3", "year"]).reset_index(drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    args = parser.parse_args()
    table = build(args.source)
    table.to_csv(HERE / "ssp2_gdp.csv", index=False)
    print(f"{table['iso3'].nunique()} countries written to {HERE / 'ssp2_gdp.csv'}")


if __name__ == "__main__":
    main()
