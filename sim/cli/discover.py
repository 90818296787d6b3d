"""``sim discover FOLDER --outcome …``: which inputs lead to an outcome (PRIM, CART)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim discover``."""
    from sim.analysis import discovery_report

    discovery_report.add_arguments(
        sub.add_parser("discover", help="which inputs of a sweep lead to an outcome (PRIM, CART)")
    )


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run ``sim discover``."""
    from sim.analysis import discovery_report

    return discovery_report.main(args, argv)
