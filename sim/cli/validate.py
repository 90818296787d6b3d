"""``sim validate FILE…``: check scenario files without running them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.options import EXIT_USAGE, add_overrides
from sim.errors import ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim validate``."""
    p = sub.add_parser("validate", help="check scenario files without running them")
    p.add_argument("files", type=Path, nargs="+")
    add_overrides(p)


def execute(args: argparse.Namespace, argv: list[str]) -> int:  # noqa: ARG001
    """Load every file; print ``ok`` or its problems."""
    from sim.scenario.loader import load_scenario

    status = 0
    for file in args.files:
        try:
            load_scenario(file, args.overrides)
            print(f"{file}: ok")
        except ScenarioError as err:
            print(err, file=sys.stderr)
            status = EXIT_USAGE
    return status
