"""Markdown pieces the estimation report is made of: coefficient tables, fit lines."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.estimation.fit import Fit


def coefficient_lines(table: pd.DataFrame) -> list[str]:
    """A coefficient table as markdown rows (term, coefficient, s.e., z, p)."""
    lines = ["| term | coefficient | s.e. | z | p |", "|---|---:|---:|---:|---:|"]
    for term, row in table.iterrows():
        if np.isnan(row["se"]):
            lines.append(f"| `{term}` | {row['coef']:.3f} | | | |")
            continue
        lines.append(
            f"| `{term}` | {row['coef']:.3f} | {row['se']:.3f} | {row['z']:.2f} | {row['p']:.3f} |"
        )
    return lines


def fit_lines(fit: Fit, held: dict[str, float]) -> list[str]:
    """A logit's fit in sample and on its hold-out, as a markdown table."""
    s = fit.stats
    return [
        "| sample | years | dyad-years | events | AUC | Brier | Brier of the base rate |",
        "|---|---|---:|---:|---:|---:|---:|",
        f"| in sample | {s['years']} | {s['dyad_years']:,.0f} | {s['events']:,.0f} "
        f"| {s['auc']:.3f} | {s['brier']:.5f} | |",
        f"| hold-out (fit {held['train']}) | {held['test']} | {held['dyad_years']:,.0f} "
        f"| {held['events']:,.0f} | {held['auc']:.3f} | {held['brier']:.5f} "
        f"| {held['brier_base_rate']:.5f} |",
        "",
        f"Log-likelihood {s['log_likelihood']:.1f}; McFadden pseudo-R² {s['pseudo_r2']:.3f}. "
        f"Over the hold-out years the fit on {held['train']} predicts "
        f"{held['predicted_events']:.1f} events; {held['events']:.0f} occurred.",
    ]


def calibration(predicted: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Mean prediction and observed share of events in ``bins`` equal groups by prediction."""
    ranked = predicted.sort_values("p", kind="stable").reset_index(drop=True)
    group = ranked.index * bins // len(ranked)
    return ranked.groupby(group).agg(predicted=("p", "mean"), observed=("y", "mean"))
