"""``sim sensitivity SCENARIO.yaml --vary …``: a Sobol or Morris sweep, then its indices."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim sensitivity``."""
    from sim.cli.options import add_options
    from sim.cli.sweep import add_common
    from sim.experiments.settings import Design

    p = sub.add_parser("sensitivity", help="Sobol or Morris sensitivity indices of outcomes")
    add_common(p)
    add_options(p, Design, ("vary",), helps={"vary": "a varied parameter"})
    p.add_argument("--method", choices=("sobol", "morris"), default="sobol")
    helps = {
        "n": "sobol: base samples, a power of 2 (default 64); morris: trajectories (default 16)"
    }
    add_options(p, Design, ("n", "levels"), helps=helps)
    p.add_argument(
        "--outcomes",
        help="outcome columns to analyse, comma-separated (default leader_share,"
        "effective_poles,con,p_multipolar; see sim/outcomes.py; p_multipolar etc. allowed)",
    )


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run the sweep and the analysis; print the sweep's table and the indices."""
    from sim.cli.options import from_args
    from sim.cli.sweep import check, common, names, stopped
    from sim.experiments.executors import warm_up
    from sim.experiments.settings import Design

    check(args)
    given = common(args, argv)
    warm_up(given["execution"])  # the workers import while this process reads
    from sim import api

    try:
        result = api.sensitivity(
            args.scenario,
            method=args.method,
            outcomes=names(args.outcomes),
            design=from_args(Design, args),
            **given,
        )
    except api.SweepInterrupted as stop:
        return stopped(stop, argv)
    if args.progress:
        print(result.sweep.table())
        print("\n" + result.table())
    return 0
