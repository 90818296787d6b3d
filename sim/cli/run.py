"""``sim run SCENARIO.yaml`` (or just ``sim SCENARIO.yaml``): replicates into a results folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.options import EXIT_RUNS_FAILED, add_overrides, at_least, interrupted
from sim.errors import ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim run``."""
    p = sub.add_parser("run", help="run a scenario's replicates and write a results folder")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--runs", type=int, help="replicates (default: the scenario's runs)")
    p.add_argument("--seed", type=int, help="master seed (default: the scenario's seed)")
    p.add_argument("--years", type=int, help="years to simulate (default: the scenario's)")
    p.add_argument(
        "--jobs", type=int, default=1, help="worker processes; 0 = every core (default 1)"
    )
    p.add_argument("--out", type=Path, help="results folder (default results/NAME/TIMESTAMP)")
    add_overrides(p, "override a scenario field, e.g. parameters.trade.diversion_share=0.3")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run, write the folder, print the summary table."""
    from sim.experiments.executors import warm_up

    problems = at_least(args, {"runs": 1, "years": 1, "seed": 0})
    if problems:
        raise ScenarioError(problems[:1])
    warm_up(args.jobs)  # with several jobs, the workers import while this process reads
    from sim import api
    from sim.analysis.backtest import format_report
    from sim.analysis.summary import format_table, major_states

    try:
        results = api.run(
            args.scenario,
            runs=args.runs,
            seed=args.seed,
            years=args.years,
            jobs=args.jobs,
            overrides=args.overrides,
            progress=not args.quiet,
            out=args.out or api.DEFAULT_OUT,
            plots=not args.no_plots,
            argv=["sim", *argv],
        )
    except api.Interrupted as stop:
        return interrupted(stop.out)
    for run, error in results.failed.items():
        print(f"run {run} failed: {error}", file=sys.stderr)
    if not args.quiet:
        print(format_table(results.summary, major_states(results.scenario)))
        if results.backtest is not None:
            print("\n" + format_report(results.backtest))
        seconds = results.timings.get("runs_seconds", 0.0)
        done = results.runs - len(results.failed)
        failed = f" ({len(results.failed)} failed, left out)" if results.failed else ""
        print(f"\n{done} runs{failed} in {seconds:.1f} s; results written to {results.folder}")
    return EXIT_RUNS_FAILED if results.failed else 0
