"""The words of a scenario discovery: ``report.md``, ``report.json``'s data, the terminal summary.

Pure functions of a ``Discovery``. ``sim.experiments.discovery_folder`` writes them into
a report folder, with the figures of ``sim.plots.discovery`` (whose file names are
here, because report.md links them).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sim.analysis.discovery.find import DEFAULT_THRESHOLD, Box, Discovery, Limit

TRAJECTORY_FIGURE = "peeling_trajectory.png"
BOX_FIGURE = "box.png"
CHOSEN_BY = {
    "threshold": "the highest-coverage box whose density reaches {threshold:.0%}",
    "--box": "chosen with --box",
    "densest": "the densest box (none reaches {threshold:.0%})",
}
EXPLAIN = (
    "Coverage: the share of all runs with the outcome that fall inside the box. "
    "Density: the share of the runs inside the box that have the outcome. "
    "Mass: the share of all runs inside the box. Quasi-p: how likely a limit this "
    "good is by chance (one-sided binomial test; Bryant & Lempert 2010)."
)
SHOWN_SCORES = 5


def _number(value: float) -> str:
    return f"{value:.3g}"


def limit_cells(limit: Limit) -> tuple[str, str, str]:
    """Range over the runs, the box's limits and the quasi-p values, as text."""
    if limit.values is not None:
        full, box = ", ".join(limit.range), "{" + ", ".join(limit.values) + "}"
    else:
        full = f"{_number(limit.range[0])} – {_number(limit.range[1])}"
        if limit.low is not None and limit.high is not None:
            box = f"{_number(limit.low)} – {_number(limit.high)}"
        else:
            box = f"≥ {_number(limit.low)}" if limit.low is not None else f"≤ {_number(limit.high)}"
    qp = ", ".join(f"{q:.2g}" for q in limit.qp if q is not None) or "–"
    return full, box, qp


def _why(result: Discovery) -> str:
    why = CHOSEN_BY[result.chosen_by].format(threshold=result.threshold)
    if not result.dropped:
        return why
    weak = ", ".join(result.dropped)
    return (
        f"box {result.peeled}, {why}, without its limits on {weak} "
        f"(quasi-p > {result.significance:g}: chance)"
    )


def _counted(result: Discovery) -> str:
    """``300 runs``, or ``300 runs (60 distinct input draws)`` when runs share draws."""
    if result.draws == result.runs:
        return f"{result.runs} runs"
    return f"{result.runs} runs ({result.draws} distinct input draws)"


def box_stats(box: Box) -> str:
    """``coverage 93%, density 97%, mass 20%``."""
    return f"coverage {box.coverage:.0%}, density {box.density:.0%}, mass {box.mass:.0%}"


# ------------------------------------------------------------------ JSON


def _box_json(box: Box) -> dict[str, Any]:
    return {
        "coverage": box.coverage,
        "density": box.density,
        "mass": box.mass,
        "res_dim": box.res_dim,
        "conditions": box.conditions() if box.limits else "",
        "limits": [asdict(limit) for limit in box.limits],
    }


def to_json(result: Discovery) -> dict[str, Any]:
    """Everything in report.md, as data (the writer adds the provenance)."""
    q = result.question
    return {
        "question": f"Which inputs lead to {result.label}?",
        "outcome": {"column": q.column, "operator": q.op, "value": q.value, "text": str(q)},
        "folder": str(result.source),
        "year": result.year,
        "runs": result.runs,
        "cases": result.cases,
        "distinct_draws": result.draws,
        "distinct_case_draws": result.case_draws,
        "repeated_inputs": result.repeated,
        "base_rate": result.base_rate,
        "inputs": result.inputs,
        "constant_inputs": result.constant,
        "threshold": result.threshold,
        "sentence": result.sentence,
        "note": result.note,
        "prim": {
            "box": result.box.index,
            "chosen_by": result.chosen_by,
            "peeled_box": result.peeled,
            "dropped": result.dropped,
            "significance": result.significance,
            "needs": [asdict(limit) for limit in result.needed],
            **_box_json(result.box),
        },
        "peeling_trajectory": result.trajectory.to_dict(orient="records"),
        "cart": [{"leaf": box.index, **_box_json(box)} for box in result.cart],
        "feature_scores": {name: float(v) for name, v in result.scores.items()},
    }


# ------------------------------------------------------------------ Markdown


def _limits_table(limits: list[Limit]) -> list[str]:
    lines = ["| input | range over the runs | box | quasi-p |", "|---|---|---|---:|"]
    for limit in limits:
        full, box, qp = limit_cells(limit)
        lines.append(f"| `{limit.input}` | {full} | {box} | {qp} |")
    return lines


def markdown(result: Discovery, plots: bool = True) -> str:
    """report.md: the question, the sentence, PRIM's box and trajectory, CART, scores."""
    box = result.box
    inputs = ", ".join(f"`{name}`" for name in result.inputs)
    constant = ", ".join(f"`{name}`" for name in result.constant)
    lines = [
        f"# Scenario discovery: {result.label}",
        "",
        f"Which inputs lead to {result.label}? `{result.source}`: {_counted(result)}, "
        f"{result.question.label} in {result.cases} (base rate {result.base_rate:.0%}).",
        "",
        f"Inputs: {inputs}." + (f" Constant, left out: {constant}." if constant else ""),
        "",
        f"**{result.sentence}.**",
        "",
        *([f"Note: {result.note}.", ""] if result.note else []),
        f"## PRIM box {box.index}",
        "",
        f"{_why(result)[0].upper()}{_why(result)[1:]}: {box_stats(box)}, "
        f"{box.res_dim} restricted input{'' if box.res_dim == 1 else 's'}.",
        "",
        *(_limits_table(box.limits) if box.limits else ["(no input is restricted)"]),
        "",
        EXPLAIN,
        "",
        *([f"![PRIM box]({BOX_FIGURE})", ""] if plots else []),
        "## Peeling trajectory",
        "",
        "Each row is a box of PRIM's peeling (and pasting): smaller boxes are denser but "
        f"cover fewer cases. `--box N` chooses another; `--threshold` sets the density "
        f"(default {DEFAULT_THRESHOLD:.0%}).",
        "",
        "| box | coverage | density | mass | restricted | runs | cases |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result.trajectory.itertuples(index=False):
        mark = " ←" if row.id == box.index else ""
        lines.append(
            f"| {row.id}{mark} | {row.coverage:.0%} | {row.density:.0%} | {row.mass:.0%} "
            f"| {row.res_dim} | {row.n} | {row.k} |"
        )
    if result.dropped:
        lines += [
            "",
            f"Box {box.index} is box {result.peeled} without its limits on "
            f"{', '.join(result.dropped)}, whose quasi-p values exceed {result.significance:g} "
            "(EMA's `drop_restriction`; `--significance 1` keeps them).",
        ]
    lines += ["", *([f"![Peeling trajectory]({TRAJECTORY_FIGURE})", ""] if plots else [])]
    lines += [
        "## CART leaves",
        "",
        "The leaves of a classification tree (at least 5% of the runs each), densest first.",
        "",
        "| leaf | coverage | density | mass | conditions |",
        "|---:|---:|---:|---:|---|",
    ]
    for leaf in result.cart:
        where = leaf.conditions() if leaf.limits else "(all runs)"
        lines.append(
            f"| {leaf.index} | {leaf.coverage:.0%} | {leaf.density:.0%} | {leaf.mass:.0%} "
            f"| {where} |"
        )
    lines += [
        "",
        "## Feature scores",
        "",
        "Importance of each input for the outcome in an extra-trees classifier "
        "(Jaxa-Rozen & Kwakkel 2018); the scores sum to 1.",
        "",
        "| input | score |",
        "|---|---:|",
        *(f"| `{name}` | {score:.3f} |" for name, score in result.scores.items()),
        "",
    ]
    return "\n".join(lines)


# ------------------------------------------------------------------ terminal


def format_summary(result: Discovery) -> str:
    """The sentence and a short table, for the terminal."""
    box = result.box
    lines = [result.sentence, *([f"note: {result.note}"] if result.note else []), ""]
    lines.append(
        f"{_counted(result)}, {result.question.label} in {result.cases} ({result.base_rate:.0%})"
    )
    lines.append(f"PRIM box {box.index}: {_why(result)}")
    lines.append(f"  {box_stats(box)}")
    if box.limits:
        cells = [(limit.input, *limit_cells(limit)) for limit in box.limits]
        head = ("input", "range", "box", "quasi-p")
        widths = [max(len(r[i]) for r in [head, *cells]) for i in range(4)]
        for row in [head, *cells]:
            cells_text = "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
            lines.append(("  " + cells_text).rstrip())
    if result.cart:
        best = result.cart[0]
        where = best.conditions() if best.limits else "all runs"
        lines.append(f"CART's densest leaf: {where} ({box_stats(best)})")
    shown = result.scores.head(SHOWN_SCORES)
    lines.append("feature scores: " + ", ".join(f"{k} {v:.2f}" for k, v in shown.items()))
    return "\n".join(lines)
