"""Year-by-year figures: one run's power shares and poles, and polarity over many runs."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.metrics import POLARITIES
from sim.plots.style import POLARITY_COLORS, POLARITY_TITLES, end_labels, state_color


def _years_axis(ax, span: tuple[int, int] | None) -> None:
    """Whole years on the x axis, over ``span`` if given (so a growing run keeps its frame)."""
    if span is not None:
        ax.set_xlim(span[0] - 0.5, span[1] + 0.5)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("year")


def power_lines_figure(
    years: np.ndarray, shares: dict[str, np.ndarray], span: tuple[int, int] | None = None
) -> Figure:
    """Each state's share of world power over the years of one run, labelled at its end.

    Args:
        years: The years recorded so far.
        shares: Each state's share in those years.
        span: The first and last year of the run, to frame a run still going.
    """
    fig = Figure(figsize=(7.5, 4.5))
    ax = fig.subplots()
    for state, share in shares.items():
        color = state_color(state)
        ax.plot(years, share, color=color, marker="o" if len(years) == 1 else None)
    _years_axis(ax, span)
    right = ax.get_xlim()[1]
    ax.set_xlim(right=right + max(1.0, 0.08 * (right - ax.get_xlim()[0])))  # end labels
    ax.set_ylabel("share of world power")
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_title("Power shares")
    fig.tight_layout()
    end_labels(ax, {state: (years[-1], share[-1]) for state, share in shares.items()})
    return fig


def poles_figure(
    years: np.ndarray,
    states: np.ndarray,
    blocs: np.ndarray,
    polarity: list[str],
    span: tuple[int, int] | None = None,
) -> Figure:
    """Effective number of poles (states and blocs) over one run, shaded by polarity.

    Args:
        years: The years recorded so far.
        states: The effective number of poles counting states.
        blocs: The effective number of poles counting blocs.
        polarity: Each year's polarity (its shading).
        span: The first and last year of the run, to frame a run still going.
    """
    fig = Figure(figsize=(7.5, 4.5))
    ax = fig.subplots()
    for year, kind in zip(years, polarity, strict=True):
        ax.axvspan(year - 0.5, year + 0.5, color=POLARITY_COLORS[kind], alpha=0.15, lw=0)
    ax.plot(years, states, color="black", marker=".", label="effective poles (states)")
    ax.plot(years, blocs, color="grey", ls="--", marker=".", label="effective poles (blocs)")
    handles, labels = ax.get_legend_handles_labels()
    for kind in POLARITIES:
        handles.append(matplotlib.patches.Patch(color=POLARITY_COLORS[kind], alpha=0.3))
        labels.append(kind)
    ax.legend(handles, labels, fontsize=8, frameon=False, ncol=2)
    _years_axis(ax, span)
    ax.set_ylabel("effective number of poles")
    ax.set_ylim(bottom=0)
    ax.set_title(f"Polarity: {polarity[-1]} in {years[-1]}")
    fig.tight_layout()
    return fig


def polarity_shares_figure(system: pd.DataFrame, column: str = "polarity") -> Figure:
    """The share of runs unipolar, bipolar and multipolar each year (``bloc_polarity``: blocs)."""
    counts = pd.crosstab(system["year"], system[column], normalize="index")
    counts = counts.reindex(columns=list(POLARITIES), fill_value=0.0)
    fig = Figure(figsize=(7.5, 4.5))
    ax = fig.subplots()
    ax.stackplot(
        counts.index,
        *(counts[k] for k in POLARITIES),
        labels=POLARITIES,
        colors=[POLARITY_COLORS[k] for k in POLARITIES],
        alpha=0.8,
    )
    ax.set_xlim(counts.index.min(), counts.index.max())
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    _years_axis(ax, None)
    ax.set_ylabel("share of runs")
    ax.legend(loc="lower left", fontsize=8, frameon=True)
    runs = len(system[system["year"] == system["year"].max()])
    ax.set_title(f"{POLARITY_TITLES[column]} over {runs} runs")
    fig.tight_layout()
    return fig
