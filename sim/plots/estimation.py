"""The hold-out calibration of the estimated behaviour (docs/estimation.md).

One panel per logit (the three binary models): the observed share of events against
the mean predicted probability in ten equal groups of the 2010-2014 dyad-years, ranked
by the prediction of the fit on 2001-2009, on log axes (the events are rare), with the
diagonal.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from sim.estimation.report import BINARY, TITLES, Estimates
from sim.estimation.sections import calibration

DPI = 120


def draw_calibration(estimates: Estimates, path: Path) -> Path:
    """Write the calibration figure to ``path``; return it."""
    fig = Figure(figsize=(11, 3.8), layout="constrained")
    for ax, name in zip(fig.subplots(1, len(BINARY)), BINARY, strict=True):
        table = calibration(estimates.predictions[name])
        shown = table[table["observed"] > 0]
        low = min(table["predicted"].min(), shown["observed"].min()) / 2
        high = max(table["predicted"].max(), table["observed"].max()) * 2
        ax.plot([low, high], [low, high], color="grey", lw=1, ls="--")
        ax.plot(shown["predicted"], shown["observed"], "o-", color="#2166ac")
        ax.set(xscale="log", yscale="log", xlim=(low, high), ylim=(low, high))
        ax.set_title(TITLES[name], fontsize=10)
        ax.set_xlabel("mean predicted probability")
        held = estimates.holdouts[name]
        ax.text(
            0.03,
            0.97,
            f"AUC {held['auc']:.2f}, Brier {held['brier']:.4f}\n"
            f"{held['events']:.0f} events, {held['predicted_events']:.1f} predicted",
            transform=ax.transAxes,
            va="top",
            fontsize=8,
        )
    fig.axes[0].set_ylabel("observed share of events")
    fig.suptitle("Hold-out 2010-2014 of the fits on 2001-2009 (bins with no event not shown)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI)
    return path
