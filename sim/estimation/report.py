"""Estimate every behavioural model; write the coefficient tables and docs/estimation.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.estimation import alignment, alliances, arms, hostility, ideal_points, panel
from sim.estimation import sanctions as ties
from sim.estimation.fit import Fit
from sim.estimation.notes import HEAD, NOTES
from sim.estimation.report_arms import ARMS, ARMS_TABLES, arms_lines
from sim.estimation.report_sanctions import sanction_lines
from sim.estimation.sections import coefficient_lines, fit_lines

ESTIMATED = Path(__file__).resolve().parents[1] / "data" / "estimated"
FIGURE = Path("images") / "estimation_calibration.png"
BINARY = ("hostility", "alliance_formation", "alliance_termination")  # the logits
MODELS = (*BINARY, "ideal_points", "alignment")
SANCTION_TABLES = (
    "sanction_imposition",
    "sanction_ending",
    "sanction_ending_other",
    "sanction_duration",
    "sanction_sectors",
)
LEVELS = "alliance_termination_levels"  # the termination spec shipped before, compared
TITLES = {
    "hostility": "Militarized hostility: MID onset",
    "alliance_formation": "Defence-pledge formation",
    "alliance_termination": "Defence-pledge termination",
    "ideal_points": "Ideal-point movement",
    "alignment": "Alignment: UN voting agreement",
}


@dataclass(frozen=True)
class Estimates:
    """The fitted models (by name) and the hold-out of each."""

    fits: dict[str, Fit]
    holdouts: dict[str, dict[str, float]]
    predictions: dict[str, pd.DataFrame]  # the hold-out years: outcome y, prediction p
    transfers: arms.Transfers | None = field(default=None)  # arms transfers (apart)
    sanctions: ties.Sanctions | None = field(default=None)  # TIES, 1990-2005 (own section)

    def table(self, name: str) -> pd.DataFrame:
        """The coefficient table of a model: term, coef, se, z, p."""
        if name == ARMS and self.transfers is not None:
            return self.transfers.fit.table.reset_index()
        return self.fits[name].table.reset_index()

    def sanction_table(self, name: str) -> pd.DataFrame:
        """A shipped sanctions table: a coefficient table, the durations or the sector mix."""
        s = self.sanctions
        tables = {"sanction_duration": s.duration, "sanction_sectors": s.sectors}
        if name in tables:
            return tables[name]
        fits = {"sanction_imposition": s.imposition, "sanction_ending_other": s.other_end}
        return fits.get(name, s.ending).table.reset_index()


def estimate(data: Path = panel.DATA) -> Estimates:
    """Fit the five models on the packaged record (outcomes to 2014, never later)."""
    dyads = panel.build(data)
    fits, holdouts, predictions = {}, {}, {}
    models = {
        "hostility": hostility.estimate(dyads),
        **alliances.estimate(dyads),
        "ideal_points": ideal_points.estimate(data),
        "alignment": alignment.estimate(data),
    }
    for name, (fit, held, predicted) in models.items():
        fits[name], holdouts[name], predictions[name] = fit, held, predicted
    return Estimates(
        fits, holdouts, predictions, arms.transfers(dyads, data), ties.estimate(dyads, data)
    )


def read_tables(folder: Path = ESTIMATED) -> dict[str, pd.DataFrame]:
    """The shipped coefficient tables (and the arms tables read off the record)."""
    return {name: pd.read_csv(folder / f"{name}.csv") for name in (*MODELS, ARMS, *ARMS_TABLES)}


def write_tables(estimates: Estimates, folder: Path = ESTIMATED) -> list[Path]:
    """One CSV per model (term, coef, se, z, p), 6 significant digits."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in MODELS:
        path = folder / f"{name}.csv"
        estimates.table(name).to_csv(path, index=False, float_format="%.6g")
        paths.append(path)
    if estimates.transfers is not None:
        t = estimates.transfers
        for name, table in zip(
            (ARMS, *ARMS_TABLES),
            (estimates.table(ARMS), t.rival_sales, t.suppliers, t.sizes),
            strict=True,
        ):
            path = folder / f"{name}.csv"
            table.to_csv(path, index=False, float_format="%.6g")
    if estimates.sanctions is not None:
        for name in SANCTION_TABLES:
            path = folder / f"{name}.csv"
            estimates.sanction_table(name).to_csv(path, index=False, float_format="%.6g")
            paths.append(path)
    return paths


def summary(estimates: Estimates, name: str) -> str:
    """One line: a model's size and its hold-out fit."""
    s, held = estimates.fits[name].stats, estimates.holdouts[name]
    if name == "ideal_points":
        return (
            f"{name}: {s['state_years']:,.0f} state-years, R² {s['r2']:.3f}; hold-out "
            f"{held['test']} RMSE {held['rmse']:.4f} (no change {held['rmse_no_change']:.4f})"
        )
    if name == "alignment":
        return (
            f"{name}: {s['dyad_years']:,.0f} dyad-years; hold-out {held['test']} RMSE "
            f"{held['rmse']:.4f} (last year's share {held['rmse_persistence']:.4f})"
        )
    return (
        f"{name}: {s['dyad_years']:,.0f} dyad-years, {s['events']:,.0f} events; "
        f"hold-out {held['test']} AUC {held['auc']:.3f}, Brier {held['brier']:.5f}"
    )


def _levels_lines(estimates: Estimates) -> list[str]:
    """The termination hold-out beside that of the levels spec shipped before."""
    new, old = estimates.holdouts["alliance_termination"], estimates.holdouts[LEVELS]
    terms = ", ".join(f"`{t}`" for t in alliances.LEVELS_TERMINATION_TERMS)
    worse = new["auc"] < old["auc"] and new["brier"] > old["brier"]
    return [
        "",
        f"The previous specification used levels ({terms}). On the same hold-out "
        f"({old['test']}, fit {old['train']}, {old['events']:.0f} terminations) it scored "
        f"AUC {old['auc']:.3f} and Brier {old['brier']:.5f}, against AUC {new['auc']:.3f} "
        f"and Brier {new['brier']:.5f} here (the base rate's Brier is "
        f"{new['brier_base_rate']:.5f}). The literature's specification is used because "
        "its terms are the causes of termination that theory names and Leeds & Savun "
        "(2007) test; it was chosen from the literature, not from its fit or from any "
        "outcome of the simulation"
        + (", and it is kept though the levels predicted the hold-out better." if worse else "."),
    ]


def _ideal_lines(fit: Fit, held: dict[str, float]) -> list[str]:
    s = fit.stats
    gain = 1 - held["rmse"] / held["rmse_no_change"]
    return [
        "| sample | years | state-years | states | RMSE | RMSE of no change |",
        "|---|---|---:|---:|---:|---:|",
        f"| in sample | {s['years']} | {s['state_years']:,.0f} | {s['states']:.0f} "
        f"| {s['residual_sd']:.4f} (residual s.d.) | |",
        f"| hold-out (fit {held['train']}) | {held['test']} | {held['state_years']:,.0f} | "
        f"| {held['rmse']:.4f} | {held['rmse_no_change']:.4f} |",
        "",
        f"R² {s['r2']:.3f}. The hold-out predicts each year from the year before (one step "
        f"ahead); its RMSE is {100 * abs(gain):.1f}% {'below' if gain >= 0 else 'above'} "
        "that of no change (x_t = x_(t−1)). "
        f"Implied long-run mean c/(1 − ρ) = {s['long_run_mean']:.3f} and half-life "
        f"ln 0.5 / ln ρ = {s['half_life']:.1f} years, for a state with no partner set.",
        "",
        *_measurement_lines(fit),
    ]


def _measurement_lines(fit: Fit) -> list[str]:
    """The residual s.d. split into measurement error and shock, pooled and by big state."""
    s, rho = fit.stats, fit.table.loc["ideal_lag", "coef"]
    lines = [
        "**Measurement error.** The ideal points are estimates: each state-year's "
        "posterior 5–95% interval (`q5all`, `q95all`), read as a normal one, gives its "
        "measurement s.d. σ_e = (q95all − q5all) / (2 × 1.645). If the observed point is "
        "x_obs,t = x_t + e_t with errors independent of each other across years, of the "
        "true points and of the shocks, the error enters the residual twice, through x_t "
        "and through ρ x_(t−1), so the residual variance is about σ²_shock + (1 + ρ²) "
        "E[σ²_e]. Taken as exact this also assumes that the estimated ρ is the true "
        "persistence (measurement error attenuates it: about "
        f"{100 * s['lag_error_share']:.1f}% of the lagged point's variance is error, and "
        "correcting for that would take more out) and that the error "
        "entering through the three pulls, whose coefficients are small, can be ignored. "
        "E[σ²_e] is the mean over the sample's state-years, both the t and the t − 1 "
        "points as used, and "
        "`shock_sd` = sqrt(max(residual s.d.² − (1 + ρ²) E[σ²_e], 0)):",
        "",
        "| residual s.d. | measurement s.d. (root mean σ²_e) | ρ | shock s.d. (`shock_sd`) |",
        "|---:|---:|---:|---:|",
        f"| {s['residual_sd']:.4f} | {s['measurement_sd']:.4f} | {rho:.4f} | {s['shock_sd']:.4f} |",
        "",
        "The shock is the difference of two nearly equal variances, so it is fragile: a "
        "mean measurement variance 5% smaller would give "
        f"{_shock(s, rho, 0.95):.3f} and one 10% smaller {_shock(s, rho, 0.9):.3f}, and "
        "errors correlated positively across years (as they would be were neighbouring "
        "years' estimates to share information) would "
        "enter less than (1 + ρ²) times and leave a larger shock. Read `shock_sd` as near "
        "the low end of the yearly true movement, `residual_sd` as the high end.",
        "",
        "The pooled residuals are dominated by small states that cast few votes. For the "
        "big states alone (their own residual s.d. is the root mean square of their "
        "residuals in the pooled model; informational, not shipped):",
        "",
        "| state | state-years | residual s.d. | measurement s.d. | shock s.d. |",
        "|---|---:|---:|---:|---:|",
    ]
    for _, row in s["big_states"].iterrows():
        lines.append(
            f"| {row['state']} | {row['state_years']} | {row['residual_sd']:.4f} "
            f"| {row['measurement_sd']:.4f} | {row['shock_sd']:.4f} |"
        )
    return [
        *lines,
        "",
        "A shock s.d. of 0 is a state whose residuals are no larger than its measurement "
        "error alone would make them.",
    ]


def _shock(s: dict, rho: float, scale: float) -> float:
    """The shock s.d. were the mean measurement variance ``scale`` times what it is."""
    return ideal_points.shock_sd(s["residual_sd"], rho, scale * s["measurement_sd"] ** 2)


def _alignment_lines(fit: Fit, held: dict[str, float]) -> list[str]:
    s = fit.stats
    return [
        "| sample | years | dyad-years | RMSE | correlation |",
        "|---|---|---:|---:|---:|",
        f"| in sample | {s['years']} | {s['dyad_years']:,.0f} | {s['rmse']:.4f} "
        f"| {s['correlation']:.3f} |",
        f"| hold-out (fit {held['train']}) | {held['test']} | {held['dyad_years']:,.0f} "
        f"| {held['rmse']:.4f} | {held['correlation']:.3f} |",
        f"| {held['test']} predicted by the pair's {held['train']} share | {held['test']} "
        f"| {held['persistence_pairs']:,.0f} | {held['rmse_persistence']:.4f} "
        f"| {held['correlation_persistence']:.3f} |",
        "",
        f"Mean agreement {s['mean_agreement']:.3f}. "
        + (
            "The pair's agreement of the year before predicts the next better than the "
            "three covariates do: the model gives the agreement that ideal points and ties "
            "imply, for pairs whose ideal points or ties change, not a forecast of the "
            "share of a pair whose ties stay as they are."
            if held["rmse_persistence"] < held["rmse"]
            else "The model predicts the next year better than the pair's own share does."
        ),
    ]


def markdown(estimates: Estimates, figure: str | None = None) -> str:
    """docs/estimation.md; ``figure``: the calibration figure's path relative to it."""
    lines = [HEAD]
    if figure is not None:
        lines += [
            "The hold-out calibration of each logit (observed against predicted share of "
            "events in ten bins of equal size by predicted probability):",
            "",
            f"![Hold-out calibration, 2010–2014]({figure})",
            "",
        ]
    for name in MODELS:
        fit, held = estimates.fits[name], estimates.holdouts[name]
        lines += [f"## {TITLES[name]} (`{name}.csv`)", "", NOTES[name], ""]
        lines += coefficient_lines(fit.table) + [""]
        if name == "ideal_points":
            lines += _ideal_lines(fit, held)
        elif name == "alignment":
            lines += _alignment_lines(fit, held)
        else:
            lines += fit_lines(fit, held)
        if name == "alliance_termination":
            lines += _levels_lines(estimates)
        lines.append("")
    if estimates.transfers is not None:
        lines += arms_lines(estimates.transfers)
    return "\n".join(lines + _threat_lines() + sanction_lines(estimates.sanctions))


def _threat_lines() -> list[str]:
    """The face-validity table of the threat the model derives from the shipped hostility."""
    from sim.estimation import threats

    return [
        "## Threats in 2014",
        "",
        "The threat the model derives from the shipped hostility model (docs/model.md#threat): "
        "each acting state of `scenarios/baseline.yaml`, its three largest threats θ_ij = "
        "h_ij · K_j/(K_i + K_j) in the 2014 world, with the yearly probability of a dispute "
        "onset h_ij and what the record says of the pair: a strategic rivalry (Thompson & "
        "Dreyer) or militarized disputes since 1990 (MID 5.0). `sim.estimation.threats` "
        "builds it; `tests/mechanisms/test_estimated_behaviour.py` checks it against the "
        "record by running the model.",
        "",
        *threats.markdown(threats.top_threats()),
        "",
    ]


def write_report(
    estimates: Estimates, doc: Path, draw: Callable[[Estimates, Path], Path] | None = None
) -> Path:
    """docs/estimation.md, and the calibration figure beside it (``images/``) if ``draw``."""
    doc.parent.mkdir(parents=True, exist_ok=True)
    figure = None
    if draw is not None:
        figure = draw(estimates, doc.parent / FIGURE).relative_to(doc.parent).as_posix()
    doc.write_text(markdown(estimates, figure))
    return doc
