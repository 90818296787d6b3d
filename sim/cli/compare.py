"""``sim compare A B …``: scenarios or run folders side by side, with statistics."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import add_overrides, interrupted


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim compare``."""
    p = sub.add_parser("compare", help="compare scenarios on common seeds, with statistics")
    p.add_argument(
        "sources",
        type=Path,
        nargs="+",
        metavar="SOURCE",
        help="scenario YAML files or run folders written by `sim SCENARIO`; the first is the "
        "reference every other is compared with",
    )
    p.add_argument(
        "--runs",
        type=int,
        help="replicates of each scenario file (default: a run folder's, else the reference's)",
    )
    p.add_argument(
        "--seed",
        type=int,
        help="master seed of every scenario file (default: a run folder's, else the reference's)",
    )
    p.add_argument("--years", type=int, help="years to simulate (default: each scenario's)")
    p.add_argument(
        "--jobs", type=int, default=1, help="worker processes; 0 = every core (default 1)"
    )
    p.add_argument(
        "--out", type=Path, help="comparison folder (default results/compare/A-vs-B/TIMESTAMP)"
    )
    add_overrides(p, "override a field of every scenario file, e.g. years=10")
    p.add_argument(
        "--outcomes",
        metavar="COL,COL",
        help="outcome columns to compare, e.g. leader_share,share_CHN,gdp_RUS (default: the "
        "system measures, major states' shares, bloc shares and sanction targets' GDP)",
    )
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Compare, write the folder, print the tables."""
    from sim import api

    try:
        comparison = api.compare(
            args.sources,
            runs=args.runs,
            seed=args.seed,
            years=args.years,
            jobs=args.jobs,
            overrides=args.overrides,
            outcomes=None if args.outcomes is None else args.outcomes.split(","),
            out=args.out or api.DEFAULT_OUT,
            plots=not args.no_plots,
            progress=not args.quiet,
            argv=["sim", *argv],
        )
    except api.Interrupted as stop:
        return interrupted(stop.out)
    if not args.quiet:
        print(comparison.table())
        print(f"\nresults written to {comparison.folder}")
    return 0
