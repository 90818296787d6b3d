"""The sanctions sections of the estimation report (docs/estimation.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.estimation import panel
from sim.estimation import sanctions as ties
from sim.estimation.fit import Fit
from sim.estimation.notes import SANCTION_NOTES, SANCTIONS_HEAD
from sim.estimation.sections import coefficient_lines, fit_lines


def sanction_lines(s: ties.Sanctions | None) -> list[str]:
    """The sanctions section: imposition, ending and duration (TIES, to 2005)."""
    if s is None:
        return []
    fit, held = s.imposition, s.holdout
    names = panel.read("states").drop_duplicates("ccode").set_index("ccode")["stateabb"]
    lines = [SANCTIONS_HEAD, "### Imposition (`sanction_imposition.csv`)", ""]
    lines += [SANCTION_NOTES["sanction_imposition"], "", *coefficient_lines(fit.table), ""]
    lines += fit_lines(fit, held)
    if held["brier"] > held["brier_base_rate"]:
        lines[-1] += (
            " The hold-out ranks the dyads well but its Brier score is above that of the "
            "base rate: fewer sanctions were imposed in 2004–2005 than the 2001–2003 fit "
            "expects, so its level runs high."
        )
    lines += [
        "",
        "The 15 directed dyads the hold-out fit (2001–2003) ranks most likely to see a new "
        "sanction in 2005, and what happened (TIES):",
        "",
        "| sender | target | predicted | imposed in 2005 | in force in 2000–2004 | rivals |",
        "|---|---|---:|---|---|---|",
    ]
    for row in s.top.itertuples():
        lines.append(
            f"| {names.get(row.sender, row.sender)} | {names.get(row.target, row.target)} "
            f"| {row.p:.3f} | {'yes' if row.imposed else 'no'} "
            f"| {'yes' if row.sanctioned_before else 'no'} | {'yes' if row.rival else 'no'} |"
        )
    lines += ["", "### Ending by the target's concession (`sanction_ending.csv`)", ""]
    lines += [SANCTION_NOTES["sanction_ending"], "", *coefficient_lines(s.ending.table), ""]
    lines += [_hazard_line(s.ending), ""]
    lines += [
        "Two variants, not shipped. Counting every negotiated settlement (code 10) as a "
        "concession:",
        "",
        *coefficient_lines(s.ending_settlement.table),
        "",
        _hazard_line(s.ending_settlement),
        "",
        "Leaving out the cases with neither an end year nor `ongoingasofyear` (TIES "
        "records nothing of them after the imposition; above they are taken as open to "
        "2005):",
        "",
        *coefficient_lines(s.ending_recorded.table),
        "",
        _hazard_line(s.ending_recorded),
        "",
    ]
    lines += [
        "**Adversaries and allies.** Drezner (1999, *The Sanctions Paradox*) expects "
        "targets that anticipate future conflict with the sender to concede less, and "
        "allies more. The same hazard with `rival` (the target and the primary sender are "
        "Thompson–Dreyer strategic rivals in the imposition year) and `pact` (they share "
        "an ATOP defence pledge then), not shipped:",
        "",
        *coefficient_lines(s.ending_adversary.table),
        "",
        _hazard_line(s.ending_adversary)
        + " Among the *imposed* cases of 1990–2005 the signs run the other way: rivals "
        "concede more, allies less. That is the threat-stage selection of Drezner (2003): "
        "allies that would concede do so before a sanction is imposed, and the imposed "
        "cases among allies are mostly trade disputes that end otherwise. With only a "
        "dozen cases between rivals neither term is estimated with any precision, and the "
        "shipped hazard leaves them out: adding them would raise, not lower, the "
        "concession of a target like Russia, a rival of the United States since 2007.",
        "",
        "### Ending without concession (`sanction_ending_other.csv`)",
        "",
        SANCTION_NOTES["sanction_ending_other"],
        "",
        *coefficient_lines(s.other_end.table),
        "",
        _hazard_line(s.other_end).replace("concessions;", "endings without concession;"),
        "",
    ]
    x, russia = ties.russia_2014(s.ending)
    lines += [
        "**Implied for a major-power autocratic target.** Russia as the target of a "
        f"sanction by the United States, with its 2014 record: polyarchy "
        f"{x['target_polyarchy']:.3f}, CINC share of the pair "
        f"{np.exp(x['log_target_cinc_share']):.3f}, target costs not severe. The yearly "
        "probability that the sanction ends with Russia conceding, and the chance of a "
        "concession by then were the sanction to stay in force:",
        "",
        "| years in force | yearly probability | cumulative |",
        "|---:|---:|---:|",
    ]
    for row in russia.itertuples():
        lines.append(f"| {row.years_in_force} | {row.yearly:.4f} | {row.cumulative:.3f} |")
    both = ties.competing(s.ending, s.other_end, x)
    lines += [
        "",
        "With both hazards (concession drawn first, then the other ending), the share "
        "of such sanctions still in force and the share ended by Russia's concession:",
        "",
        "| years in force | concession | other ending | in force | conceded by then |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in both.itertuples():
        lines.append(
            f"| {row.years_in_force} | {row.concession:.4f} | {row.other_end:.4f} "
            f"| {row.in_force:.3f} | {row.conceded:.3f} |"
        )
    lines += [
        "",
        "### Sectors (`sanction_sectors.csv`)",
        "",
        SANCTION_NOTES["sanction_sectors"],
        "",
        "| code | TIES type | model sectors | cases | share of cases |",
        "|---:|---|---|---:|---:|",
    ]
    for row in s.types.itertuples():
        lines.append(f"| {row.code} | {row.type} | {row.sectors} | {row.cases} | {row.share:.1%} |")
    sectors = [c for c in s.sectors.columns if c not in ("cases", "share")]
    lines += [
        "",
        "The combinations of model sectors (the shipped table):",
        "",
        f"| {' | '.join(sectors)} | cases | share |",
        "|" + "---:|" * (len(sectors) + 2),
    ]
    for row in s.sectors.itertuples(index=False):
        marks = " | ".join("x" if getattr(row, c) else "" for c in sectors)
        lines.append(f"| {marks} | {row.cases} | {row.share:.1%} |")
    lines += [
        "",
        SANCTION_NOTES["trade_dependence"],
        "",
        "### Duration (`sanction_duration.csv`)",
        "",
        SANCTION_NOTES["sanction_duration"],
        "",
        *_duration_lines(s.duration),
        "",
        "For the variant cases (status recorded only) the same table:",
        "",
        *_duration_lines(ties.duration(ties.case_years(recorded_only=True))),
        "",
    ]
    return lines


def _hazard_line(fit: Fit) -> str:
    s = fit.stats
    return (
        f"{s['cases']:.0f} cases imposed {s['years']} ({s['case_years']:,.0f} case-years, "
        f"{s['targets']:.0f} target states), {s['events']:.0f} concessions; "
        f"{s['cases_dropped']:.0f} cases dropped for a missing covariate. "
        f"Log-likelihood {s['log_likelihood']:.1f}; McFadden pseudo-R² {s['pseudo_r2']:.3f}."
    )


def _duration_lines(table: pd.DataFrame) -> list[str]:
    lines = [
        "| target | cases | ended | median years in force (KM) | in force after 5 / 10 "
        "years (KM) | conceded within 5 years | within 10 years | open, last seen before "
        "5 / 10 years |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in table.itertuples():
        median = (
            f"{row.median_years:.0f}"
            if np.isfinite(row.median_years)
            else f"not reached (longest {row.longest_years})"
        )
        lines.append(
            f"| {'major power' if row.target_major else 'other'} | {row.cases} | {row.ended} "
            f"| {median} | {row.in_force_5:.2f} / {row.in_force_10:.2f} "
            f"| {row.conceded_5} ({row.share_conceded_5:.1%}) "
            f"| {row.conceded_10} ({row.share_conceded_10:.1%}) "
            f"| {row.censored_before_5} / {row.censored_before_10} |"
        )
    return lines
