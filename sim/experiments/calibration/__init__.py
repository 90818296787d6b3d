"""Calibration of trend growth, convergence and threat response against 2015-2024.

``fit`` makes the fits; ``report`` writes docs/calibration.md from them, ``world``
its section on every country.
"""

from __future__ import annotations

import pandas as pd


def markdown_table(frame: pd.DataFrame) -> str:
    """A data frame as a Markdown table (floats to three significant digits)."""
    header = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(False)]
    return "\n".join([header, rule, *body])


def _cell(value) -> str:
    if isinstance(value, float):
        return "n/a" if pd.isna(value) else f"{value:.3g}"
    return str(value)
