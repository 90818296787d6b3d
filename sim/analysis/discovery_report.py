"""``sim discover``: the report of a scenario discovery (Markdown, JSON, terminal) and its command.

``sim.analysis.discovery`` does the analysis; this module turns a ``Discovery`` into
``report.md``, ``report.json`` and the plots, written into a folder that appears
only when complete (``FOLDER/discover/<outcome>/`` by default; a rerun replaces it).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.analysis.discovery import DEFAULT_SIGNIFICANCE, DEFAULT_THRESHOLD, Box, Discovery, Limit
from sim.errors import Problem, ScenarioError

REPORT = "report.json"
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


def _stats(box: Box) -> str:
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


def to_json(result: Discovery, argv: list[str] | None = None) -> dict[str, Any]:
    """Everything in report.md, as data."""
    from sim.experiments.folders import run_provenance

    provenance = run_provenance(argv)
    for name in ("ema_workbench", "scikit-learn"):
        try:
            provenance["versions"][name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            provenance["versions"][name] = "not installed"
    q = result.question
    return {
        "question": f"Which inputs lead to {result.label}?",
        "outcome": {"column": q.column, "operator": q.op, "value": q.value, "text": str(q)},
        "folder": str(result.folder),
        "year": result.year,
        "runs": result.runs,
        "cases": result.cases,
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
            **_box_json(result.box),
        },
        "peeling_trajectory": result.trajectory.to_dict(orient="records"),
        "cart": [{"leaf": box.index, **_box_json(box)} for box in result.cart],
        "feature_scores": {name: float(v) for name, v in result.scores.items()},
        **provenance,
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
        f"Which inputs lead to {result.label}? `{result.folder}`: {result.runs} runs, "
        f"{result.question.label} in {result.cases} (base rate {result.base_rate:.0%}).",
        "",
        f"Inputs: {inputs}." + (f" Constant, left out: {constant}." if constant else ""),
        "",
        f"**{result.sentence}.**",
        "",
        *([f"Note: {result.note}.", ""] if result.note else []),
        f"## PRIM box {box.index}",
        "",
        f"{_why(result)[0].upper()}{_why(result)[1:]}: {_stats(box)}, "
        f"{box.res_dim} restricted input{'' if box.res_dim == 1 else 's'}.",
        "",
        *(_limits_table(box.limits) if box.limits else ["(no input is restricted)"]),
        "",
        EXPLAIN,
        "",
        *(["![PRIM box](box.png)", ""] if plots else []),
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
    lines += ["", *(["![Peeling trajectory](peeling_trajectory.png)", ""] if plots else [])]
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
        f"{result.runs} runs, {result.question.label} in {result.cases} ({result.base_rate:.0%})"
    )
    lines.append(f"PRIM box {box.index}: {_why(result)}")
    lines.append(f"  {_stats(box)}")
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
        lines.append(f"CART's densest leaf: {where} ({_stats(best)})")
    shown = result.scores.head(SHOWN_SCORES)
    lines.append("feature scores: " + ", ".join(f"{k} {v:.2f}" for k, v in shown.items()))
    return "\n".join(lines)


# ------------------------------------------------------------------ writing


def default_out(result: Discovery) -> Path:
    """``FOLDER/discover/<outcome-slug>/``."""
    return result.folder / "discover" / result.question.slug


def check_target(out: Path) -> bool:
    """Refuse a folder that holds something other than an earlier report; True to replace it."""
    from sim.experiments.folders import check_out

    if out.is_dir() and (out / REPORT).is_file():
        return True
    check_out(out, " (and is not an earlier discovery report)")
    return False


def write(result: Discovery, out: str | Path | None = None, plots: bool = True, argv=None) -> Path:
    """Write report.md, report.json and the plots into ``out`` atomically; return ``out``."""
    from sim.experiments.folders import atomic_folder

    out = Path(out) if out is not None else default_out(result)
    replace = check_target(out)
    with atomic_folder(out, replace=replace) as partial:
        data = to_json(result, argv)
        (partial / REPORT).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        (partial / "report.md").write_text(markdown(result, plots), encoding="utf-8")
        if plots:
            from sim.plots.discovery import plot_box, plot_trajectory

            plot_trajectory(result, partial / "peeling_trajectory.png")
            plot_box(result, partial / "box.png")
    return out


# ------------------------------------------------------------------ the command


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``sim discover``."""
    p.add_argument("folder", type=Path, help="a sweep folder, or a run folder with uncertainties")
    p.add_argument(
        "--outcome",
        required=True,
        metavar="COLUMN=CLASS|COLUMN>VALUE",
        help="the outcome of interest: polarity=multipolar, leader=CHN, share_CHN>0.2, "
        "effective_poles>=3 (also <, <=, !=; columns as in sim/outcomes.py)",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        metavar="DENSITY",
        help="least density of the chosen PRIM box: the highest-coverage box reaching it "
        f"(default {DEFAULT_THRESHOLD})",
    )
    p.add_argument(
        "--box",
        type=int,
        metavar="N",
        help="choose box N of the peeling trajectory (-1: the last, densest)",
    )
    p.add_argument(
        "--significance",
        type=float,
        default=DEFAULT_SIGNIFICANCE,
        metavar="ALPHA",
        help="drop the chosen box's limits whose quasi-p values exceed ALPHA, as chance "
        f"(default {DEFAULT_SIGNIFICANCE}; 1 keeps them all)",
    )
    p.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed of CART and the extra trees"
    )
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="report folder (default FOLDER/discover/OUTCOME)"
    )
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")


def main(args: argparse.Namespace, argv: list[str]) -> int:
    """``sim discover``: analyse, write the report, print the sentence and a short table."""
    from sim.analysis.discovery import discover

    if args.out is not None:
        check_target(args.out)  # a bad --out costs nothing
    if args.seed < 0:
        raise ScenarioError(Problem("command line", 0, 0, "--seed", "must be at least 0"))
    result = discover(
        args.folder,
        args.outcome,
        threshold=args.threshold,
        box=args.box,
        significance=args.significance,
        seed=args.seed,
    )
    out = write(result, args.out, plots=not args.no_plots, argv=["sim", *argv])
    print(format_summary(result))
    print(f"\nreport written to {out}")
    return 0
