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
INSTITUTION = 1000  # TIES's code for an international institution as sender or target


def _pairs(frame: pd.DataFrame) -> pd.DataFrame:
    """Undirected pairs: the lower COW code first."""
    a, b = frame["ccode1"], frame["ccode2"]
    frame = frame.assign(ccode1=a.where(a < b, b), ccode2=b.where(a < b, a))
    return frame


def _codes(iso: pd.DataFrame) -> dict[str, int]:
    """ISO3 to COW code, from the COW state list (one code per ISO3)."""
    return dict(zip(iso["iso3"], iso["ccode"], strict=True))


def _arms(networks: Path) -> pd.DataFrame:
    """SIPRI TIV by supplier (ccode1), recipient (ccode2) and year; rows without COW codes out.

    The source gives one row per supplier, recipient and year, except where it codes a
    non-state group to its state (China to Myanmar and to the United Wa State, both
    ``recipient_cown`` 775): such rows are summed into the pair-year.
    """
    arms = pd.read_csv(networks / "arms_sipri_tiv_2000_2014.csv")
    arms = arms.dropna(subset=["supplier_cown", "recipient_cown"])
    arms = arms[arms["year"].between(FIRST, LAST)]
    arms = arms.rename(columns={"supplier_cown": "ccode1", "recipient_cown": "ccode2"})
    arms = arms.astype({"ccode1": int, "ccode2": int})
    return arms.groupby(["ccode1", "ccode2", "year"], as_index=False)["tiv_musd"].sum()


def _sanctions(behaviour: Path, codes: dict[str, int]) -> pd.DataFrame:
    """Imposed TIES sanctions: one row per sender state, target and case, with its years.

    In force from ``sancimpositionstartyear`` to ``endyear``, or to 2014 where no end is
    recorded (open cases). Senders are ``primarysender`` and ``sender1``-``sender5``;
    states by ISO3 through the COW list, so institutions (code 1000, no ISO3) drop out.
    """
    ties = pd.read_csv(behaviour / "ties_v4_1_cases_1945_2005.csv")
    ties = ties[(ties["imposition"] == 1)].dropna(subset=["sancimpositionstartyear"])
    ties = ties.assign(
        first=ties["sancimpositionstartyear"].astype(int),
        last=ties["endyear"].fillna(LAST).clip(upper=LAST).astype(int),
        target=ties["targetstate_iso3"].map(codes),
    )
    columns = ["primarysender_iso3", *(f"sender{i}_iso3" for i in range(1, 6))]
    rows = ties.melt(["caseid", "target", "first", "last"], columns, value_name="iso3")
    rows = rows.assign(sender=rows["iso3"].map(codes)).dropna(subset=["sender", "target"])
    rows = rows[(rows["last"] >= FIRST) & (rows["sender"] != rows["target"])]
    rows = rows.astype({"sender": int, "target": int})
    rows = rows[["sender", "target", "first", "last", "caseid"]].drop_duplicates()
    return rows.sort_values(["target", "sender", "first", "caseid"])


CASE_COLUMNS = [
    "caseid",
    "startyear",
    "endyear",
    "ongoingasofyear",
    "threat",
    "imposition",
    "sancimpositionstartyear",
    "finaloutcome",
    "targetcosts",
    "sendercosts",
    "issue1",
    "institution",
    "n_senders",
    "primarysender",
    *(f"sender{i}" for i in range(1, 6)),
    "targetstate",
    "sanctiontype",
]
TEXT_COLUMNS = ("caseid", "sanctiontype")  # the types imposed: codes separated by spaces


def _sanction_cases(behaviour: Path) -> pd.DataFrame:
    """TIES cases with a state as primary sender and a state as target, TIES's own codes.

    Dropped: cases with no primary sender recorded, cases whose primary sender or target
    is an institution (COW code 1000). Sender codes are kept as TIES gives them (1000 for
    an institution among the senders). No value is changed; missing stays missing.
    """
    ties = pd.read_csv(behaviour / "ties_v4_1_cases_1945_2005.csv")
    keep = (
        ties["primarysender"].notna()
        & (ties["primarysender"] != INSTITUTION)
        & (ties["targetstate"] != INSTITUTION)
    )
    cases = ties.loc[keep, CASE_COLUMNS]
    whole = [c for c in CASE_COLUMNS if c not in TEXT_COLUMNS]
    return cases.astype({c: "Int64" for c in whole})


def _agreement(networks: Path, codes: dict[str, int]) -> pd.DataFrame:
    """UNGA voting agreement per pair and year, ISO3 to COW code (ccode1 < ccode2)."""
    unga = pd.read_csv(networks / "unga_agreement_2013_2014.csv")
    unga = unga.assign(ccode1=unga["iso3_1"].map(codes), ccode2=unga["iso3_2"].map(codes))
    unga = unga.dropna(subset=["ccode1", "ccode2"]).astype({"ccode1": int, "ccode2": int})
    unga = _pairs(unga[unga["year"] <= LAST])
    return unga[["ccode1", "ccode2", "year", "n_joint_votes", "agree"]]


def build(raw: Path) -> dict[str, pd.DataFrame]:
    behaviour, networks = raw / "behaviour", raw / "networks"
    iso = pd.read_csv(networks / "states_cow_iso3.csv")[["ccode", "iso3"]]
    codes = _codes(iso)

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
    ideal = ideal[["ccode", "year", "idealpointall", "q5all", "q95all"]]

    tables = {
        "states": states,
        "mid_dyads": mid,
        "rivalries": riv,
        "polyarchy": vdem,
        "atop_defense": atop,
        "capital_distance": dist,
        "contiguity": contig,
        "ideal_points": ideal,
        "arms_tiv": _arms(networks),
        "sanctions": _sanctions(behaviour, codes),
        "sanction_cases": _sanction_cases(behaviour),
        "unga_agreement": _agreement(networks, codes),
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
