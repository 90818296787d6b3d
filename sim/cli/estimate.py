"""``sim estimate``: re-estimate the behavioural models on the packaged 2000-2014 record."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim estimate``."""
    p = sub.add_parser(
        "estimate",
        help="re-estimate the behavioural models (MID onset, defence pledges, ideal points, "
        "UN voting agreement) on the 2000-2014 record",
    )
    p.add_argument("--out", type=Path, default=Path("docs/estimation.md"))
    p.add_argument(
        "--tables",
        type=Path,
        default=None,
        help="folder of the coefficient tables (default: the package's sim/data/estimated)",
    )
    p.add_argument("--no-plots", dest="plots", action="store_false", help="draw no figure")


def execute(args: argparse.Namespace, argv: list[str]) -> int:  # noqa: ARG001
    """Estimate, write, print each model's size and hold-out fit."""
    from sim.api import estimate
    from sim.estimation.report import ESTIMATED, MODELS, summary

    tables = args.tables or ESTIMATED
    result = estimate(args.out, tables, plots=args.plots)
    for name in MODELS:
        print(summary(result, name))
    print(f"written to {args.out} and {tables}")
    return 0
