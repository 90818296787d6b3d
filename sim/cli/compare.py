"""``sim compare A B …``: scenarios or run folders side by side, with statistics."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim compare``."""
    from sim.analysis import comparison

    comparison.add_arguments(
        sub.add_parser("compare", help="compare scenarios on common seeds, with statistics")
    )


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run ``sim compare``."""
    from sim.analysis import comparison

    return comparison.execute(args, argv)
