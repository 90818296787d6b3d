"""Write sim/data/behaviour/: the record the behavioural models are estimated on.

Copies, from the raw data folder described in its SOURCES.md files, only the columns
and years (up to 2014) that ``sim estimate`` needs. Usage, from the repository root:

    uv run python scripts/build_behaviour.py PATH/TO/shared/data

Nothing is estimated or typed in here; every row is a row (or a filtered row) of the
raw files. Provenance is in sim/data/README.md ("behaviour/").
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "sim" / "data" / "behaviour"
FIRST, LAST = 1990, 2014


def _pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Undirected pairs: the lower COW code first."""
    a, b = frame["ccode1"], frame["ccode2"]
    frame = frame.assign(ccode1=a.where(a < b, b), ccode2=b.where(a < b, a))
    return frame


def build(raw: Path) -> dict[str, pd.DataFrame]:
    behaviour, networks = raw / "behaviour", raw / "networks"
    iso = pd.read_csv(networks / "states_cow_iso3.csv")[["ccode", "iso3"]]

    nmc = pd.read_csv(raw / "cow_nmc_v6.csv")
    nmc = nmc[nmc["year"].between(FIRST, LAST)][["ccode", "stateabb", "year", "cinc"]]
    states = nmc.merge(iso, on="ccode", how="left")[["ccode", "stateabb", "iso3", "year", "cinc"]]

    mid = pd.read_csv(behaviour / "mid_cow_v5_dirdyadyear_1990_2014.csv")
    mid = _pairs(mid[mid["year"].between(FIRST, LAST)])
    mid = (
        mid.groupby(["ccode1", "ccode2", "year"], as_index=False)
        .agg(onset=("cowmidonset", "max"), hostlev=("hostlev", "max"))
        .sort_values(["year", "ccode1", "ccode2"])
    )

    riv = pd.read_csv(behaviour / "rivalries_thompson_dreyer_1494_2010.csv")
    riv = _pairs(riv[riv["endyear"] >= FIRST])
    riv = riv[["rivalryno", "ccode1", "ccode2", "styear", "endyear", "ongoing_2010"]]

    vdem = pd.read_csv(behaviour / "regime_vdem_v15_polyarchy_1990_2014.csv")
    vdem = vdem.dropna(subset=["ccode"])
    vdem = vdem[vdem["year"].between(FIRST, LAST)]
    vdem = vdem.astype({"ccode": int})[["ccode", "year", "v2x_polyarchy"]]

    atop = pd.concat(
        [
            pd.read_csv(behaviour / "alliances_atop_v5_1_1990_1999.csv"),
            pd.read_csv(networks / "alliances_atop_v5_1_2000_2014.csv"),
        ]
    )
    atop = atop[(atop["atop_defense"] == 1) & atop["year"].between(FIRST, LAST)]
    atop = _pairs(atop)[["ccode1", "ccode2", "year"]].drop_duplicates()

    dist = _pairs(pd.read_csv(networks / "distance_capitals_cow_2014.csv"))
    dist = dist[["ccode1", "ccode2", "capdist_km"]].drop_duplicates(["ccode1", "ccode2"])

    contig = _pairs(pd.read_csv(networks / "contiguity_cow_direct_2014.csv"))
    contig = contig.groupby(["ccode1", "ccode2"], as_index=False)["conttype"].min()

    ideal = pd.read_csv(networks / "unga_idealpoints_2000_2014.csv")
    ideal = ideal[ideal["year"].between(FIRST, LAST)].dropna(subset=["idealpointall"])
    ideal = ideal[["ccode", "year", "idealpointall"]]

    tables = {
        "states": states,
        "mid_dyads": mid,
        "rivalries": riv,
        "polyarchy": vdem,
        "atop_defense": atop,
        "capital_distance": dist,
        "contiguity": contig,
        "ideal_points": ideal,
    }
    return {k: v.sort_values(list(v.columns[:3])).reset_index(drop=True) for k, v in tables.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", type=Path, help="the raw data folder (shared/data)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name, table in build(args.raw).items():
        table.to_csv(OUT / f"{name}.csv", index=False, float_format="%.6g")
        print(f"{name}.csv: {len(table)} rows")


if __name__ == "__main__":
    main()
