"""The sensitivity bar chart: Sobol' S1 and ST, or Morris mu* and sigma, per parameter."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.sensitivity import ranked

BARS = {
    "sobol": [
        ("S1", "S1_conf", "S1 (alone)", "#92c5de"),
        ("ST", "ST_conf", "ST (total)", "#2166ac"),
    ],
    "morris": [("mu_star", "mu_star_conf", "mu*", "#2166ac"), ("sigma", None, "sigma", "#ef8a62")],
}


def _bounded(value: pd.Series, conf: pd.Series, method: str) -> np.ndarray:
    """Error bars, cut at the bounds of a Sobol' index (0 and 1): a share of variance."""
    value, conf = value.to_numpy(dtype=float), conf.to_numpy(dtype=float)
    if method != "sobol":
        return conf
    low = np.clip(conf, 0.0, np.maximum(value, 0.0))
    high = np.clip(conf, 0.0, np.maximum(1.0 - value, 0.0))
    return np.vstack([low, high])


def sensitivity_chart(result: pd.DataFrame, method: str, path: Path) -> Path:
    """Bars of S1 and ST (or mu* and sigma) per parameter, one panel per outcome.

    Args:
        result: The indices (``sim.analysis.sensitivity.analyse``).
        method: ``sobol`` or ``morris``.
        path: The PNG file to write; its folder is made if needed.

    Returns:
        ``path``.
    """
    blocks = ranked(result, method)
    ncols = min(2, len(blocks))
    nrows = math.ceil(len(blocks) / ncols)
    k = result["parameter"].nunique()
    fig = Figure(figsize=(7 * ncols, nrows * (1.6 + 0.5 * k)))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    height = 0.38
    for ax, (name, rows) in zip(axes.flat, blocks, strict=False):
        rows = rows.iloc[::-1]  # barh draws from the bottom: most influential on top
        y = np.arange(len(rows))
        offsets = (height / 2, -height / 2)
        for offset, (key, conf, label, color) in zip(offsets, BARS[method], strict=True):
            ax.barh(
                y + offset,
                rows[key],
                height,
                xerr=_bounded(rows[key], rows[conf], method) if conf else None,
                color=color,
                label=label,
                error_kw={"elinewidth": 1, "capsize": 2},
            )
        ax.set_yticks(y, rows["parameter"], fontsize=8)
        ax.axvline(0, color="black", linewidth=0.5)
        ax.set_title(name)
        ax.set_xlabel("index" if method == "sobol" else "outcome change over the parameter range")
        ax.legend(fontsize=8, frameon=False, loc="best")
    for ax in axes.flat[len(blocks) :]:
        ax.axis("off")
    level = result.attrs.get("conf_level")
    bars_note = f"; error bars: {level:.0%} confidence" if level else "; error bars: confidence"
    if method == "sobol":
        bars_note += ", cut at 0 and 1"
    fig.suptitle(
        ("Sobol' sensitivity indices" if method == "sobol" else "Morris screening") + bars_note,
        fontsize=10,
    )
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    return path
