"""``sim run SCENARIO.yaml`` (or just ``sim SCENARIO.yaml``): replicates into a results folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.options import (
    EXIT_INTERRUPTED,
    EXIT_RUNS_FAILED,
    add_options,
    add_overrides,
    at_least,
    from_args,
    interrupted,
)
from sim.errors import ScenarioError
from sim.experiments.settings import DEFAULT_OUT, Execution, Output, Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim run``."""
    p = sub.add_parser("run", help="run a scenario's replicates and write a results folder")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    add_options(p, Settings)
    add_options(p, Execution, ("jobs",))
    add_options(
        p, Output, ("out",), helps={"out": "results folder (default results/NAME/TIMESTAMP)"}
    )
    add_overrides(p, "override a scenario field, e.g. parameters.trade.diversion_share=0.3")
    add_options(p, Output, ("plots",))
    add_options(p, Execution, ("progress",))


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run, write the folder, print the summary table."""
    from sim.experiments.executors import warm_up

    problems = at_least(args, Settings)
    if problems:
        raise ScenarioError(problems[:1])
    execution = from_args(Execution, args)
    warm_up(execution)  # with several jobs, the workers import while this process reads
    from sim import api
    from sim.analysis.backtest import format_report
    from sim.analysis.summary import format_table, major_states

    try:
        results = api.run(
            args.scenario,
            **from_args(Settings, args).given(),
            overrides=args.overrides,
            execution=execution,
            output=from_args(Output, args, out=args.out or DEFAULT_OUT, argv=["sim", *argv]),
        )
    except api.Interrupted as stop:
        if (Path(stop.out) / "manifest.json").is_file():  # stopped just after the rename
            print(f"\ninterrupted after the results were written to {stop.out}", file=sys.stderr)
            return EXIT_INTERRUPTED
        return interrupted(stop.out)
    for run, error in results.failed.items():
        print(f"run {run} failed: {error}", file=sys.stderr)
    if args.progress:
        print(format_table(results.summary, major_states(results.scenario)))
        if results.backtest is not None:
            print("\n" + format_report(results.backtest))
        seconds = results.timings.get("runs_seconds", 0.0)
        done = results.runs - len(results.failed)
        failed = f" ({len(results.failed)} failed, left out)" if results.failed else ""
        print(f"\n{done} runs{failed} in {seconds:.1f} s; results written to {results.folder}")
    return EXIT_RUNS_FAILED if results.failed else 0
