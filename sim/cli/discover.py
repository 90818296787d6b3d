"""``sim discover FOLDER --outcome …``: which inputs lead to an outcome (PRIM, CART)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import add_options, from_args, interrupted
from sim.experiments.settings import DEFAULT_OUT, Output

# Options left out take the library's defaults (``sim.api.discover``); the help quotes them.
DEFAULTED = ("threshold", "significance", "seed")


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim discover``."""
    p = sub.add_parser("discover", help="which inputs of a sweep lead to an outcome (PRIM, CART)")
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
        metavar="DENSITY",
        help="least density of the chosen PRIM box: the highest-coverage box reaching it "
        "(default 0.8)",
    )
    p.add_argument(
        "--box", type=int, metavar="N", help="choose box N of the peeling trajectory (-1: the last)"
    )
    p.add_argument(
        "--significance",
        type=float,
        metavar="ALPHA",
        help="a limit whose quasi-p values all exceed ALPHA is not said to be needed (and is "
        "dropped if the box keeps its density without it) (default 0.05; 1 keeps them all)",
    )
    p.add_argument("--seed", type=int, metavar="S", help="seed of CART and the extra trees (0)")
    p.add_argument(
        "--partial",
        action="store_true",
        help="analyse the finished runs of an unfinished (interrupted) sweep",
    )
    helps = {"out": "report folder (default FOLDER/discover/OUTCOME)"}
    add_options(p, Output, ("out", "plots"), helps=helps)


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Analyse, write the report, print the sentence and a short table."""
    from sim import api
    from sim.analysis.discovery.report import format_summary

    given = {name: getattr(args, name) for name in DEFAULTED if getattr(args, name) is not None}
    try:
        result = api.discover(
            args.folder,
            args.outcome,
            box=args.box,
            partial=args.partial,
            output=from_args(Output, args, out=args.out or DEFAULT_OUT, argv=["sim", *argv]),
            **given,
        )
    except api.Interrupted as stop:
        return interrupted(stop.out)
    if result.unfinished:
        done, planned = result.unfinished
        print(
            f"--partial: read {result.runs} runs of an unfinished sweep "
            f"({done} of {planned} planned runs finished)\n"
        )
    print(format_summary(result))
    print(f"\nreport written to {result.folder}")
    return 0
