"""``sim sensitivity``: a Sobol or Morris sweep, then its indices per outcome."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim sensitivity``."""
    from sim.cli.sweep import add_sensitivity_arguments

    add_sensitivity_arguments(
        sub.add_parser("sensitivity", help="Sobol or Morris sensitivity indices of outcomes")
    )


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run ``sim sensitivity``."""
    from sim.cli.sweep import sensitivity_main

    return sensitivity_main(args, argv)
