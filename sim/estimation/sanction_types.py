"""Which sectors imposed sanctions touch: TIES sanction types and the model's sectors.

TIES codes the type(s) of each imposed sanction (``sanctiontype``, several codes
separated by spaces; the code list of the TIES manual, Morgan, Bapat & Kobayashi 2013,
which the packaged source notes do not reproduce). Each type is mapped to the model's
sectors it touches, and the shipped table (``sanction_sectors.csv``) gives the share of
imposed cases with each combination of sectors: a sanction a state decides in the
model touches a combination drawn with those shares.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.estimation.panel import read

MODEL_SECTORS = ("trade", "finance", "energy", "technology", "arms")  # the model's, in order
# TIES sanction types (the TIES manual's code list) and the model's sectors each touches:
# a total embargo stops everything; partial embargoes, import and export restrictions, a
# blockade and a suspended economic agreement stop goods trade; an asset freeze and the
# end of aid are financial; a travel ban and "other" touch no sector the model has.
SANCTION_TYPES = {
    1: ("total economic embargo", MODEL_SECTORS),
    2: ("partial economic embargo", ("trade",)),
    3: ("import restriction", ("trade",)),
    4: ("export restriction", ("trade",)),
    5: ("blockade", ("trade",)),
    6: ("asset freeze", ("finance",)),
    7: ("termination of foreign aid", ("finance",)),
    8: ("travel ban", ()),
    9: ("suspension of an economic agreement", ("trade",)),
    10: ("other", ()),
}


def imposed_types(data: Path, years: tuple[int, int]) -> pd.DataFrame:
    """The imposed cases of ``years`` (as ``sanctions.case_years`` takes them), with types.

    ``types`` is the set of TIES ``sanctiontype`` codes recorded (codes separated by
    spaces; empty where none is recorded).
    """
    cases = read("sanction_cases", data)
    cases = cases[(cases["imposition"] == 1)].dropna(subset=["sancimpositionstartyear"])
    cases = cases[cases["sancimpositionstartyear"].astype(int).between(*years)]
    codes = cases["sanctiontype"].fillna("").astype(str).str.split()
    return cases.assign(types=codes.map(lambda c: frozenset(int(float(x)) for x in c)))


def type_shares(cases: pd.DataFrame) -> pd.DataFrame:
    """Each TIES sanction type: the cases (with a type recorded) that include it, and share."""
    typed = cases[cases["types"].map(len) > 0]
    rows = [
        {
            "code": code,
            "type": name,
            "sectors": " ".join(sectors) or "none",
            "cases": int(typed["types"].map(lambda t, c=code: c in t).sum()),
        }
        for code, (name, sectors) in SANCTION_TYPES.items()
    ]
    table = pd.DataFrame(rows)
    return table.assign(share=table["cases"] / len(typed))


def sector_mix(cases: pd.DataFrame) -> pd.DataFrame:
    """The combinations of model sectors the imposed cases touch, with their share.

    One row per combination (a 0/1 column per sector of ``MODEL_SECTORS``), among the
    cases with a type recorded: ``cases`` and ``share`` of them. A case touching no
    sector of the model (a travel ban alone) is the row of zeros.
    """
    typed = cases[cases["types"].map(len) > 0]
    touched = typed["types"].map(
        lambda t: tuple(int(any(k in SANCTION_TYPES[c][1] for c in t)) for k in MODEL_SECTORS)
    )
    counts = touched.value_counts().rename_axis("mix").reset_index(name="cases")
    table = pd.DataFrame(counts["mix"].tolist(), columns=list(MODEL_SECTORS))
    table = table.assign(cases=counts["cases"], share=counts["cases"] / len(typed))
    return table.sort_values(["cases", *MODEL_SECTORS], ascending=False).reset_index(drop=True)
