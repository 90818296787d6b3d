"""``sim plot FOLDER``: (re)draw every plot of a run, sweep or comparison folder."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim plot``."""
    p = sub.add_parser("plot", help="(re)draw every plot of a run, sweep or comparison folder")
    p.add_argument("folder", type=Path)


def execute(args: argparse.Namespace, argv: list[str]) -> int:  # noqa: ARG001
    """Draw and list the files drawn."""
    from sim.plots import plot_folder

    for path in plot_folder(args.folder):
        print(path)
    return 0
