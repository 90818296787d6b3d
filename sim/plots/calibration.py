"""Every country's growth against the record and SSP2 (docs/calibration.md).

Three panels over ``sim/data/calibration_world.csv``: the central path's mean real
growth 2015-24 against WDI, and its GDP growth factors 2015→2040 and 2015→2060
against SSP2 (log axes), each with the diagonal and the target band; the largest
economies of 2014 are labelled, and misses are marked.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from sim.plots.style import renderer, spread

DPI = 120
LABELLED = 8  # the largest economies named in each panel
INSIDE, OUTSIDE = "#0072B2", "#D55E00"


def _panel(ax, x, y, band, log: bool, names, sizes) -> None:
    known = np.isfinite(x) & np.isfinite(y)
    x, y, names, sizes = x[known], y[known], names[known], sizes[known]
    low, high = min(x.min(), y.min()), max(x.max(), y.max())
    line = np.linspace(low, high, 50) if not log else np.geomspace(low, high, 50)
    ax.plot(line, line, color="grey", lw=1, ls="--")
    if log:
        inside = np.abs(y / x - 1) <= band
        ax.fill_between(line, line * (1 - band), line * (1 + band), color="grey", alpha=0.15)
        ax.set(xscale="log", yscale="log")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            axis.set_minor_formatter(NullFormatter())
    else:
        inside = np.abs(y - x) <= band
        ax.fill_between(line, line - band, line + band, color="grey", alpha=0.15)
    ax.scatter(x[inside], y[inside], s=10, color=INSIDE, label="within the band")
    ax.scatter(x[~inside], y[~inside], s=14, color=OUTSIDE, marker="^", label="outside")
    order = np.argsort(-np.nan_to_num(sizes))[:LABELLED]
    heights = np.log(y[order]) if log else y[order]
    gap = 0.04 * (np.ptp(np.log(y)) if log else np.ptp(y))
    placed = spread(heights, gap)
    for i, height in zip(order, placed, strict=True):
        ax.annotate(
            names[i],
            (x[i], y[i]),
            xytext=(
                x[i] * 0.8 if log else x[i] - 0.12 * np.ptp(x),
                np.exp(height) if log else height,
            ),
            textcoords="data",
            fontsize=7,
            ha="right",
            va="center",
            arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "grey"},
        )


def draw_world(table: pd.DataFrame, path: Path) -> Path:
    """Write the world calibration figure to ``path``; return it."""
    fig = Figure(figsize=(13, 4.4), layout="constrained")
    axes = fig.subplots(1, 3)
    names = table["state"].to_numpy()
    sizes = table["gdp_2014_usd_bn"].to_numpy()
    _panel(
        axes[0],
        table["wdi_growth_pct"].to_numpy(),
        table["growth_pct"].to_numpy(),
        0.7,
        False,
        names,
        sizes,
    )
    axes[0].set(
        xlabel="WDI mean real growth 2015-24 (%)",
        ylabel="model (%)",
        title="Growth 2015-2024 (band ±0.7 pp)",
    )
    for ax, year in zip(axes[1:], (2040, 2060), strict=True):
        _panel(
            ax,
            table[f"ssp2_factor_{year}"].to_numpy(),
            table[f"factor_{year}"].to_numpy(),
            0.25,
            True,
            names,
            sizes,
        )
        ax.set(
            xlabel=f"SSP2 GDP {year} / 2015",
            ylabel="model",
            title=f"GDP 2015→{year} (band ±25%)",
        )
    axes[0].legend(loc="lower right", fontsize=8)
    fig.suptitle("Every country of world_all.yaml, central path: model against WDI and SSP2")
    renderer(fig)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    return path
