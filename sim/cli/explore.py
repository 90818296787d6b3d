"""``sim explore TARGET``: a scenario live in the browser, or a finished run or sweep read-only."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from sim.cli.options import add_overrides, option_problem
from sim.errors import ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim explore``."""
    p = sub.add_parser(
        "explore",
        help="explore a scenario in the browser (step, play, sliders), or a results folder",
        description="Serve an interactive explorer on this machine and print its address. "
        "A scenario file is run live (Mesa's SolaraViz): step, play and reset with a seed, "
        "sliders for the fields the scenario declares uncertain or sweeps, a switch for each "
        "of its events. A finished run or sweep folder is shown read-only: fan charts and "
        "polarity, with a state picker (and a design-point picker for a sweep).",
    )
    p.add_argument("target", type=Path, help="a scenario file, or a run or sweep folder")
    add_overrides(p, help="override a scenario field (the sliders start from the result)")
    p.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    p.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: this machine only)"
    )


def execute(args: argparse.Namespace, argv: list[str]) -> int:  # noqa: ARG001
    """Check the target, print the address and serve until Ctrl-C."""
    if not 0 <= args.port <= 65535:
        raise ScenarioError(option_problem("--port", f"expected 0 to 65535, got {args.port}"))
    if importlib.util.find_spec("solara") is None:
        raise ScenarioError(
            option_problem(
                "explore",
                "the explorer needs the optional extra: pip install 'sim[explore]' "
                "(or uv sync --extra explore)",
            )
        )
    from sim.explore.server import serve

    try:
        serve(
            args.target,
            args.overrides,
            args.host,
            args.port,
            announce=lambda line: print(line, flush=True),
        )
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM that the server passed on
        pass
    print("interrupted: the explorer stopped (it writes nothing)", file=sys.stderr)
    return 0
