"""``sim landscape FILE``: the stable two-bloc configurations of a landscape block."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.options import add_overrides


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim landscape``."""
    p = sub.add_parser("landscape", help="stable two-bloc configurations of a landscape block")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_overrides(p)


def execute(args: argparse.Namespace, argv: list[str]) -> int:  # noqa: ARG001
    """Analyse and print."""
    import json

    from sim import landscape
    from sim.scenario.loader import load_landscape

    spec = load_landscape(args.file, args.overrides).landscape
    result = landscape.analyse(
        spec.sizes, [tuple(p) for p in spec.propensities], starts=spec.starts, seed=spec.seed
    )
    print(json.dumps(result, indent=2) if args.json else landscape.format_table(result))
    return 0
