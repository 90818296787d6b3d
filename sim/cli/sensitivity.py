"""``sim sensitivity SCENARIO.yaml --vary …``: a Sobol or Morris sweep, then its indices."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim sensitivity``."""
    from sim.cli.sweep import add_common

    p = sub.add_parser("sensitivity", help="Sobol or Morris sensitivity indices of outcomes")
    add_common(p)
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
        help="outcome columns to analyse, comma-separated (default leader_share,"
        "effective_poles,con,p_multipolar; see sim/outcomes.py; p_multipolar etc. allowed)",
    )


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run the sweep and the analysis; print the sweep's table and the indices."""
    from sim.cli.sweep import check, common, names, stopped
    from sim.experiments.executors import warm_up

    check(args)
    warm_up(args.jobs, args.backend)  # the workers import while this process reads
    from sim import api

    try:
        result = api.sensitivity(
            args.scenario,
            method=args.method,
            vary=args.vary,
            n=args.n,
            levels=args.levels,
            outcomes=names(args.outcomes),
            **common(args, argv),
        )
    except api.SweepInterrupted as stop:
        return stopped(stop, argv)
    if not args.quiet:
        print(result.sweep.table())
        print("\n" + result.table())
    return 0
