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

from sim.cli.options import (
    EXIT_INTERRUPTED,
    EXIT_RUNS_FAILED,
    add_options,
    add_overrides,
    at_least,
    from_args,
)
from sim.errors import ScenarioError
from sim.experiments.settings import SWEEP_EXECUTION, Design, Execution, Output, Settings

if TYPE_CHECKING:
    from sim.api import SweepInterrupted


def add_common(p: argparse.ArgumentParser) -> None:
    """The options of every command that runs a sweep."""
    p.add_argument("scenario", type=Path, nargs="?", help="scenario YAML file")
    add_options(p, Settings, helps={"runs": "replicates per design point"})
    add_options(p, Execution, ("jobs", "backend", "address"), SWEEP_EXECUTION)
    add_options(
        p, Output, ("out",), helps={"out": "sweep folder (default results/NAME/KIND-TIMESTAMP)"}
    )
    add_options(p, Execution, ("resume",))
    add_overrides(p, "override a scenario field for every point")
    add_options(p, Output, ("tables", "plots"))
    add_options(p, Execution, ("progress",))


def names(text: str | None) -> list[str] | None:
    """A comma-separated option as a list (None when not given)."""
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


def check(args: argparse.Namespace) -> None:
    """Refuse integer options below their least value."""
    problems = at_least(args, Settings, Design)
    if problems:
        raise ScenarioError(problems[:1])


def common(args: argparse.Namespace, argv: list[str]) -> dict:
    """The library arguments every sweep command takes from the options of ``add_common``."""
    return {
        **from_args(Settings, args).given(),
        "overrides": args.overrides,
        "execution": from_args(Execution, args),
        "output": from_args(Output, args, argv=["sim", *argv]),
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
    add_options(p, Design)


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run the sweep, print its per-point table."""
    from sim.experiments.executors import warm_up

    check(args)
    given = common(args, argv)
    warm_up(given["execution"])  # the workers import while this process reads
    from sim import api

    try:
        result = api.run_sweep(args.scenario, design=from_args(Design, args), **given)
    except api.SweepInterrupted as stop:
        return stopped(stop, argv)
    failed = result.manifest["failed"]
    for failure in failed:
        where = f"point {failure['point']} run {failure['run']}"
        error = failure["error"].replace("\n", "; ")
        print(f"{where} failed: {error}", file=sys.stderr)
    if args.progress:
        print(result.table())
    return EXIT_RUNS_FAILED if failed else 0
