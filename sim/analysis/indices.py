"""Polarity and leader under every power index, and how fragile the headline class is.

The headline polarity uses one index (``parameters.power.index``) and one pole
threshold (``parameters.power.pole_share``). A reader needs to see what the other
published indices say (``sim.mechanisms.power.INDICES``) and whether the class would
change under a nearby threshold; where it would, the continuous measures
(concentration, effective poles) are the ones to read (docs/model.md#power-and-polarity).
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd

from sim.mechanisms.power import INDICES
from sim.metrics import POLARITIES
from sim.outcomes import INDEX_NAMES

SHORT = {"unipolar": "uni", "bipolar": "bi", "multipolar": "multi"}


def _quantiles(values: pd.Series) -> dict[str, float]:
    array = np.asarray(values, dtype=float)
    return {
        name: float(np.quantile(array, q))
        for name, q in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95))
    }


def by_index(final: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each index's share of runs ending in each polarity, its leaders and their share.

    Args:
        final: One row per run in the final year: the system table's last year, or a
            run's outcomes (which lack the leader's share under each index).
    """
    out = {}
    for index in INDICES:
        if f"polarity_{index}" not in final.columns:
            continue
        polarity = final[f"polarity_{index}"].value_counts(normalize=True)
        leaders = final[f"leader_{index}"].value_counts(normalize=True)
        entry: dict[str, Any] = {
            "name": INDEX_NAMES[index],
            "polarity": {kind: float(polarity.get(kind, 0.0)) for kind in POLARITIES},
            "leader": {str(k): float(v) for k, v in leaders.items()},
        }
        if f"leader_share_{index}" in final.columns:
            entry["leader_share"] = _quantiles(final[f"leader_share_{index}"])
        out[index] = entry
    return out


def fragility(
    final: pd.DataFrame, pole_share: float, band: float, ratio: float, ratio_band: float
) -> dict[str, Any] | None:
    """How the headline polarity changes within the bands of its thresholds, over the runs.

    The bands are ``pole_share ± band`` and ``ratio ± ratio_band`` (the unipolar ratio).

    The verdict is ``fragile`` when any run's class changes inside the band; then the
    continuous measures lead the summary. None for tables recorded without the band.
    """
    if "polarity_fragile" not in final.columns:
        return None
    flips = float(final["polarity_fragile"].astype(bool).mean())
    ends = {}
    for end in ("low", "high"):
        counts = final[f"polarity_{end}"].value_counts(normalize=True)
        ends[end] = {kind: float(counts.get(kind, 0.0)) for kind in POLARITIES}
    return {
        "pole_share": pole_share,
        "band": [max(pole_share - band, 0.0), pole_share + band],
        "unipolar_ratio": ratio,
        "ratio_band": [max(ratio - ratio_band, 1.0), ratio + ratio_band],
        "polarity_low": ends["low"],
        "polarity_high": ends["high"],
        "runs_changing": flips,
        "fragile": flips > 0,
    }


def _classes(shares: dict[str, float]) -> str:
    return " ".join(f"{SHORT[kind]} {shares[kind]:.0%}" for kind in POLARITIES)


def _leader(leaders: dict[str, float]) -> str:
    first = max(leaders, key=leaders.__getitem__)
    return f"{first} {leaders[first]:.0%}"


def index_lines(indices: dict[str, dict[str, Any]], default: str, year: int) -> list[str]:
    """The per-index table of a summary: classes, main leader and its share."""
    lines = [
        f"Polarity and leader in {year} under each power index (share of runs; * the headline's)",
        f"  {'index':<22}{'polarity':<30}{'leader':<12}share (median)",
    ]
    for index, entry in indices.items():
        name = entry["name"] + ("*" if index == default else "")
        share = entry.get("leader_share")
        text = f"{share['p50']:5.1%}" if share else ""
        lines.append(
            f"  {name:<21}{_classes(entry['polarity']):<30}{_leader(entry['leader']):<12}{text}"
        )
    return lines


def fragility_lines(fragile: dict[str, Any], year: int) -> list[str]:
    """The sentence on how the headline class holds within the band of pole thresholds."""
    low, high = fragile["band"]
    band = "pole thresholds {:.0%}-{:.0%} and unipolar ratios {:g}-{:g}".format(
        low, high, *fragile["ratio_band"]
    )
    if not fragile["fragile"]:
        return [f"  (robust: every run's class is the same at {band})"]
    text = (
        f"FRAGILE: the class changes within {band} in {fragile['runs_changing']:.0%} of runs "
        f"({year}: at {low:.0%} {_classes(fragile['polarity_low'])}; at {high:.0%} "
        f"{_classes(fragile['polarity_high'])}); read concentration and effective poles first"
    )
    return textwrap.wrap(text, 96, initial_indent="  ", subsequent_indent="    ")


def comparison_lines(result: dict[str, Any]) -> list[str]:
    """A compare table: each index's commonest class and leader, scenario by scenario."""
    tables = result.get("by_index") or {}
    if not tables:
        return []
    names = list(tables)
    cell = max(30, *(len(n) + 2 for n in names))
    year = f" in {result['year']}" if result.get("year") else ""
    lines = [
        f"Polarity and leader{year} under each power index (commonest, share of runs)",
        " " * 23 + "".join(f"{n:<{cell}}" for n in names),
    ]
    for index in INDICES:
        if not all(index in tables[n] for n in names):
            continue
        cells = []
        for n in names:
            entry = tables[n][index]
            kind = max(entry["polarity"], key=entry["polarity"].__getitem__)
            cells.append(f"{kind} {entry['polarity'][kind]:.0%}, {_leader(entry['leader'])}")
        lines.append(f"  {INDEX_NAMES[index]:<21}" + "".join(f"{c:<{cell}}" for c in cells))
    return lines
