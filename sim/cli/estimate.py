"""``sim estimate``: re-estimate the behavioural models on the packaged 2000-2014 record."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim estimate``."""
    p = sub.add_parser(
        "estimate",
        help="re-estimate MID onset and defence-pledge formation and termination (2000-2014)",
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
    from sim.estimation.report import ESTIMATED, MODELS

    tables = args.tables or ESTIMATED
    result = estimate(args.out, tables, plots=args.plots)
    for name in MODELS:
        stats, held = result.fits[name].stats, result.holdouts[name]
        print(
            f"{name}: {stats['dyad_years']:,.0f} dyad-years, {stats['events']:,.0f} events; "
            f"hold-out {held['test']} AUC {held['auc']:.3f}, Brier {held['brier']:.5f}"
        )
    print(f"written to {args.out} and {tables}")
    return 0
