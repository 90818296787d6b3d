"""``sim sweep SCENARIO.yaml``: a design x replicates into a folder that survives any stop.

The options shared with ``sim sensitivity`` (which runs a sweep too) are declared
here, with what both print when a sweep is interrupted.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sim.cli.options import EXIT_INTERRUPTED, EXIT_RUNS_FAILED, add_overrides, at_least
from sim.errors import ScenarioError

if TYPE_CHECKING:
    from sim.api import SweepInterrupted

LEAST = {"runs": 1, "years": 1, "n": 1, "levels": 1, "seed": 0}


def add_common(p: argparse.ArgumentParser) -> None:
    """The options of every command that runs a sweep."""
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
    p.add_argument("--out", type=Path, help="sweep folder (default results/NAME/KIND-TIMESTAMP)")
    p.add_argument("--resume", action="store_true", help="finish the interrupted sweep in --out")
    add_overrides(p, "override a scenario field for every point")
    p.add_argument(
        "--tables",
        help="tables to keep, comma-separated (default states,dyads,system,events; "
        "outcomes are always kept)",
    )
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")


def names(text: str | None) -> list[str] | None:
    """A comma-separated option as a list (None when not given)."""
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


def check(args: argparse.Namespace) -> None:
    """Refuse integer options below their least value."""
    problems = at_least(args, LEAST)
    if problems:
        raise ScenarioError(problems[:1])


def common(args: argparse.Namespace, argv: list[str]) -> dict:
    """The library arguments every sweep command takes from the options of ``add_common``."""
    return {
        "runs": args.runs,
        "seed": args.seed,
        "years": args.years,
        "jobs": args.jobs,
        "backend": args.backend,
        "address": args.address,
        "overrides": args.overrides,
        "tables": names(args.tables),
        "resume": args.resume,
        "out": args.out,
        "plots": not args.no_plots,
        "progress": not args.quiet,
        "argv": ["sim", *argv],
    }


def stopped(stop: SweepInterrupted, argv: list[str]) -> int:
    """Say what an interrupted sweep kept and how to finish it; return the exit status."""
    again = [a for a in argv if a != "--resume"]
    if "--out" not in again:
        again += ["--out", str(stop.out)]
    print(
        f"\ninterrupted: {stop.kept} of {stop.total} runs are kept in {stop.out}; finish with: "
        f"sim {shlex.join([*again, '--resume'])}",
        file=sys.stderr,
    )
    return EXIT_INTERRUPTED


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim sweep``."""
    p = sub.add_parser(
        "sweep", help="run a design (grid, lhs, sobol, morris) x replicates into a resumable folder"
    )
    add_common(p)
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


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run the sweep, print its per-point table."""
    from sim.experiments.executors import warm_up

    check(args)
    warm_up(args.jobs, args.backend)  # the workers import while this process reads
    from sim import api

    try:
        result = api.run_sweep(
            args.scenario,
            grid=args.grid,
            ranges=args.ranges,
            sample=args.sample,
            n=args.n,
            vary=args.vary,
            levels=args.levels,
            **common(args, argv),
        )
    except api.SweepInterrupted as stop:
        return stopped(stop, argv)
    failed = result.manifest["failed"]
    for failure in failed:
        where = f"point {failure['point']} run {failure['run']}"
        error = failure["error"].replace("\n", "; ")
        print(f"{where} failed: {error}", file=sys.stderr)
    if not args.quiet:
        print(result.table())
    return EXIT_RUNS_FAILED if failed else 0
