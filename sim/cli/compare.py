"""``sim compare A B …``: scenarios or run folders side by side, with statistics."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import add_options, add_overrides, from_args, interrupted
from sim.experiments.settings import DEFAULT_OUT, Execution, Output, Settings


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
    add_options(
        p,
        Settings,
        helps={
            "runs": "replicates of each scenario file (default: a run folder's, else the "
            "reference's)",
            "seed": "master seed of every scenario file (default: a run folder's, else the "
            "reference's)",
            "years": "years to simulate (default: each scenario's)",
        },
    )
    add_options(p, Execution, ("jobs",))
    add_options(
        p,
        Output,
        ("out",),
        helps={"out": "comparison folder (default results/compare/A-vs-B/TIMESTAMP)"},
    )
    add_overrides(p, "override a field of every scenario file, e.g. years=10")
    p.add_argument(
        "--outcomes",
        metavar="COL,COL",
        help="outcome columns to compare, e.g. leader_share,share_CHN,gdp_RUS (default: the "
        "system measures, major states' shares, bloc shares and sanction targets' GDP)",
    )
    add_options(p, Output, ("plots",))
    add_options(p, Execution, ("progress",))


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Compare, write the folder, print the tables."""
    from sim import api

    try:
        comparison = api.compare(
            args.sources,
            **from_args(Settings, args).given(),
            overrides=args.overrides,
            outcomes=None if args.outcomes is None else args.outcomes.split(","),
            execution=from_args(Execution, args),
            output=from_args(Output, args, out=args.out or DEFAULT_OUT, argv=["sim", *argv]),
        )
    except api.Interrupted as stop:
        return interrupted(stop.out)
    if args.progress:
        print(comparison.table())
        print(f"\nresults written to {comparison.folder}")
    return 0
