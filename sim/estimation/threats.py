"""Face validity of the estimated threat: each state's top threats in 2014 beside the record.

The threat j poses to i (docs/model.md#threat) comes from the estimated hostility of the
pair and j's share of their capability. Its face validity is whether the states each
state fears most are those it has fought or named as rivals: this table puts each acting
state's three largest threats in the 2014 world beside the record of strategic
rivalries (Thompson & Dreyer) and militarized disputes since 1990 (MID 5.0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# the acting states of scenarios/baseline.yaml
STATES = (
    "USA", "CHN", "RUS", "EUU", "GBR", "JPN", "KOR", "IND",
    "VNM", "KAZ", "UZB", "TKM", "IRN", "SAU", "TUR",
)  # fmt: skip
START = 2014


def world_2014(states: tuple[str, ...] = STATES):
    """The 2014 world of ``states`` as the model starts it (a one-year scenario)."""
    from sim.model import WorldModel
    from sim.scenario.loader import load_scenario

    config = load_scenario({"name": "threats_2014", "world": {"states": list(states)}, "years": 1})
    return WorldModel(config, rng=np.random.default_rng(0))


def in_record(rival: float, peace_years: float) -> str:
    """What the record says of a pair: a strategic rivalry, a dispute since 1990, or nothing."""
    found = []
    if rival >= 0.5:
        found.append("strategic rival")
    if peace_years < 25:
        if float(peace_years).is_integer():
            found.append(f"dispute, last in {START - int(peace_years)}")
        else:  # a group: a GDP-weighted mean over member pairs
            found.append("disputes with members since 1990")
    return "; ".join(found)


def top_threats(states: tuple[str, ...] = STATES, k: int = 3) -> pd.DataFrame:
    """Each acting state's ``k`` largest threats in 2014, with the record of each pair.

    Columns: ``state``, ``rank``, ``threat_from``, ``theta`` (θ_ij), ``hostility``
    (h_ij, the yearly probability of a dispute onset) and ``record``.
    """
    model = world_2014(states)
    ids = list(model.ids)
    rows = []
    for i, state in enumerate(ids[:-1]):  # ROW poses and faces no threat
        order = np.argsort(-model.threat[i], kind="stable")[:k]
        for rank, j in enumerate(order, start=1):
            rows.append(
                {
                    "state": state,
                    "rank": rank,
                    "threat_from": ids[j],
                    "theta": float(model.threat[i, j]),
                    "hostility": float(model.hostility[i, j]),
                    "record": in_record(model.rival[i, j], model.peace_years[i, j]),
                }
            )
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> list[str]:
    """The table as markdown lines: one row per state, its threats in order."""
    lines = [
        "| state | 1st threat (θ; h) | 2nd | 3rd |",
        "|---|---|---|---|",
    ]
    for state, rows in table.groupby("state", sort=False):
        cells = [
            f"{r.threat_from} ({r.theta:.3f}; {r.hostility:.3f})"
            + (f": {r.record}" if r.record else ": no rivalry or dispute")
            for r in rows.itertuples()
        ]
        lines.append(f"| {state} | " + " | ".join(cells) + " |")
    return lines
