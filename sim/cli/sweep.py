"""``sim sweep`` and ``sim sensitivity``: the command-line side of sim.experiments.sweep.

Both build a design (the scenario's ``sweep:`` block and/or options), run it into a
folder that survives any interruption, then summarise: a per-point table for a
sweep, Sobol or Morris indices for a sensitivity analysis.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.sensitivity import DEFAULT_OUTCOMES
from sim.cli.options import add_overrides
from sim.errors import Problem, ScenarioError
from sim.experiments.runner import TABLES

EXIT_INTERRUPTED = 130
SENSITIVITY_DEFAULTS = {"sobol": 64, "morris": 16}
SENSITIVITY_RUNS = 4


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", type=Path, nargs="?", help="scenario YAML file")
    p.add_argument("--runs", type=int, help="replicates per design point")
    p.add_argument("--seed", type=int, help="master seed (default: the scenario's seed)")
    p.add_argument("--years", type=int, help="years to simulate (default: the scenario's)")
    p.add_argument("--jobs", type=int, default=0, help="worker processes; 0 = every core (default)")
    p.add_argument(
        "--backend",
        choices=("process", "dask"),
        default="process",
        help="process pool on this machine (default) or a Dask cluster",
    )
    p.add_argument(
        "--address", help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster)"
    )
    p.add_argument("--out", type=Path, help="sweep folder (default results/NAME/sweep-TIMESTAMP)")
    p.add_argument("--resume", action="store_true", help="finish the interrupted sweep in --out")
    add_overrides(p, "override a scenario field for every point")
    p.add_argument(
        "--tables",
        default=",".join(TABLES),
        help=f"tables to keep (default {','.join(TABLES)}; outcomes are always kept)",
    )
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")


def add_sweep_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``sim sweep``."""
    _common(p)
    p.add_argument(
        "--grid", action="append", default=[], metavar="PATH=V1,V2,…", help="grid values"
    )
    p.add_argument(
        "--range",
        dest="ranges",
        action="append",
        default=[],
        metavar="PATH=LO:HI:N",
        help="N evenly spaced grid values from LO to HI",
    )
    p.add_argument("--sample", choices=("lhs", "sobol", "morris"), help="sampled design (SALib)")
    p.add_argument("--n", type=int, help="lhs: points; sobol: base samples; morris: trajectories")
    p.add_argument(
        "--vary", action="append", default=[], metavar="PATH=LO:HI", help="a sampled parameter"
    )
    p.add_argument("--levels", type=int, help="morris grid levels (default 4)")


def add_sensitivity_arguments(p: argparse.ArgumentParser) -> None:
    """Options of ``sim sensitivity``."""
    _common(p)
    p.add_argument(
        "--vary", action="append", default=[], metavar="PATH=LO:HI", help="a varied parameter"
    )
    p.add_argument("--method", choices=("sobol", "morris"), default="sobol")
    p.add_argument(
        "--n",
        type=int,
        help="sobol: base samples, a power of 2 (default 64); morris: trajectories (default 16)",
    )
    p.add_argument("--levels", type=int, help="morris grid levels (default 4)")
    p.add_argument(
        "--outcomes",
        default=",".join(DEFAULT_OUTCOMES),
        help="outcome columns to analyse (see sim/outcomes.py; p_multipolar etc. allowed)",
    )
    p.set_defaults(grid=[], ranges=[], sample=None)


# ----------------------------------------------------------------- shared steps


def _problem(option: str, message: str) -> ScenarioError:
    return ScenarioError(Problem("command line", 0, 0, option, message))


def _tables(text: str) -> tuple[str, ...]:
    names = tuple(t.strip() for t in text.split(",") if t.strip())
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        raise _problem("--tables", f"unknown table {unknown[0]!r}; choose from {', '.join(TABLES)}")
    return tuple(t for t in TABLES if t in names)


def _plan(args: argparse.Namespace, sample: str | None, n: int | None):
    from sim.experiments.sweep import DesignOptions, build_plan, load_sweep

    for name, least in (("runs", 1), ("years", 1), ("n", 1), ("levels", 1), ("seed", 0)):
        value = getattr(args, name, None)
        if value is not None and value < least:
            raise _problem(f"--{name}", f"must be at least {least}, got {value}")
    source = args.scenario
    if source is None:
        if not (args.resume and args.out):
            raise _problem("scenario", "give a scenario file (or --resume --out DIR)")
        source = args.out / "scenario.yaml"
        if not source.is_file():
            raise _problem("--out", f"{args.out} holds no sweep to resume (no scenario.yaml)")
    options = DesignOptions(
        grid=args.grid, ranges=args.ranges, sample=sample, n=n, vary=args.vary, levels=args.levels
    )
    located, config = load_sweep(
        source, options, args.overrides, runs=args.runs, seed=args.seed, years=args.years
    )
    return build_plan(located, config, tables=_tables(args.tables))


def _out(args: argparse.Namespace, name: str, kind: str) -> Path:
    from sim.experiments.folders import check_out

    if args.out:
        if not args.resume:  # before the first line is printed, as every other mistake
            resumable = (args.out / "manifest.json").is_file()
            check_out(args.out, " (add --resume to finish it)" if resumable else "")
        return args.out
    if args.resume:
        raise _problem("--resume", "needs --out DIR, the folder of the sweep to finish")
    from sim.experiments.folders import RESULTS_ROOT

    return RESULTS_ROOT / name / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}"


def _execute(args: argparse.Namespace, argv: list[str], plan, out: Path, command: str) -> int:
    from sim.experiments import sweep

    quiet = args.quiet
    if not quiet:
        total = plan.tasks
        print(
            f"{plan.config.name}: {plan.points} design points x {plan.runs} runs = {total} runs "
            f"({plan.meta()['method']}), into {out}",
            file=sys.stderr,
        )
        uncertain = len(plan.config.active_uncertainties())
        if uncertain:
            print(
                f"{uncertain} uncertain parameter{'s' if uncertain != 1 else ''}, Latin "
                f"hypercube over the {plan.runs} runs of each point (same draws at every point)",
                file=sys.stderr,
            )
    try:
        manifest = sweep.execute(
            plan,
            out,
            jobs=args.jobs,
            backend=args.backend,
            address=args.address,
            resume=args.resume,
            progress=not quiet,
            argv=["sim", *argv],
        )
    except KeyboardInterrupt:
        kept = _kept(out)
        again = [a for a in argv if a != "--resume"]
        if "--out" not in again:
            again += ["--out", str(out)]
        print(
            f"\ninterrupted: {kept} of {plan.tasks} runs are kept in {out}; finish with: "
            f"sim {shlex.join([*again, '--resume'])}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    _finish(out, plan, manifest, plots=not args.no_plots)
    if not quiet:
        print(_report(out, plan, manifest))
    return 0


def _kept(out: Path) -> int:
    from sim.experiments.sweep import SweepFolder

    folder = SweepFolder(out)
    try:
        done = folder.read_manifest()["runs_done"]
    except ScenarioError:
        return 0
    staged = sum(1 for e in folder.staging.glob("*") if not e.name.startswith("."))
    return done + staged


def _finish(out: Path, plan, manifest: dict[str, Any], plots: bool) -> None:
    from sim.experiments.sweep import point_summary, read_outcomes

    outcomes = read_outcomes(out)
    summary = point_summary(plan.design, outcomes)
    data = {
        "scenario": plan.config.name,
        "design": manifest["design"],
        "runs_per_point": plan.runs,
        "runs_done": int(len(outcomes)),
        "runs_failed": len(manifest["failed"]),
        "points": json.loads(summary.to_json(orient="records", double_precision=6)),
    }
    (out / "summary.json").write_text(json.dumps(data, indent=1) + "\n")
    if plots:
        from sim.plots.sweep import plot_sweep

        plot_sweep(out)


def _report(out: Path, plan, manifest: dict[str, Any]) -> str:
    from sim.experiments.sweep import point_summary, read_outcomes

    summary = point_summary(plan.design, read_outcomes(out))
    shown = summary.head(20)
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        lines = [shown.to_string(index=False, float_format=lambda v: f"{v:.3g}")]
    if len(summary) > len(shown):
        lines.append(f"… {len(summary) - len(shown)} more points in {out / 'summary.json'}")
    failed = manifest["failed"]
    if failed:
        first = failed[0]
        lines.append(
            f"{len(failed)} runs failed (recorded in manifest.json), e.g. point {first['point']} "
            f"run {first['run']}: {first['error']}"
        )
    seconds = manifest.get("timings", {}).get("runs_seconds", 0.0)
    lines.append(f"\n{plan.tasks} runs in {seconds:.1f} s; sweep written to {out}")
    return "\n".join(lines)


def _check_outcomes(columns: list[str], states: list[str]) -> None:
    import difflib

    from sim.analysis.outcomes import outcome_names
    from sim.metrics import POLARITIES

    known = [*outcome_names(states), *(f"p_{kind}" for kind in POLARITIES), "power_transition"]
    for column in columns:
        if column not in known:
            close = difflib.get_close_matches(column, known, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise _problem("--outcomes", f"unknown outcome {column!r}{hint}")
    if not columns:
        raise _problem("--outcomes", "name at least one outcome")


# ----------------------------------------------------------------- commands


def sweep_main(args: argparse.Namespace, argv: list[str]) -> int:
    """``sim sweep``."""
    plan = _plan(args, args.sample, args.n)
    out = _out(args, plan.config.name, "sweep")
    return _execute(args, argv, plan, out, "sweep")


def sensitivity_main(args: argparse.Namespace, argv: list[str]) -> int:
    """``sim sensitivity``: a Sobol or Morris sweep, then its indices per outcome."""
    from sim.analysis import sensitivity

    n = args.n or SENSITIVITY_DEFAULTS[args.method]
    if args.runs is None:
        args.runs = SENSITIVITY_RUNS
    plan = _plan(args, args.method, n)
    if plan.sweep.grid:
        raise _problem("--vary", "a sensitivity analysis varies sampled parameters only (no grid)")
    columns = [c.strip() for c in args.outcomes.split(",") if c.strip()]
    _check_outcomes(columns, [*plan.config.world.states, "ROW"])
    out = _out(args, plan.config.name, f"sensitivity-{args.method}")
    status = _execute(args, argv, plan, out, "sensitivity")
    if status:
        return status
    from sim.experiments.sweep import read_outcomes

    result = sensitivity.analyse(
        plan.meta(), plan.design, read_outcomes(out), columns, seed=plan.seed, folder=str(out)
    )
    sensitivity.write_report(out, result, args.method)
    if not args.quiet:
        print("\n" + sensitivity.format_table(result, args.method))
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim sweep``."""
    add_sweep_arguments(
        sub.add_parser(
            "sweep",
            help="run a design (grid, lhs, sobol, morris) x replicates into a resumable folder",
        )
    )


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run ``sim sweep``."""
    return sweep_main(args, argv)
