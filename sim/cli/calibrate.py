"""``sim calibrate``: fit trend growth, convergence and threat response; rewrite the report."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Declare ``sim calibrate``."""
    p = sub.add_parser(
        "calibrate", help="fit trend growth, convergence and threat response (2015-2024, SSP2)"
    )
    p.add_argument("scenario", type=Path, nargs="?", default=Path("scenarios/backtest_2014.yaml"))
    p.add_argument("--baseline", type=Path, default=Path("scenarios/baseline.yaml"))
    p.add_argument("--world", type=Path, default=Path("scenarios/world_all.yaml"))
    p.add_argument("--out", type=Path, default=Path("docs/calibration.md"))
    p.add_argument("--runs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)


def execute(args: argparse.Namespace, argv: list[str]) -> int:  # noqa: ARG001
    """Fit, write, print the fitted values and the largest errors."""
    from sim.experiments.calibration.fit import PARAMETERS
    from sim.experiments.calibration.report import write
    from sim.experiments.runner import load
    from sim.plots.calibration import draw_world

    fit = write(args.scenario, args.baseline, args.world, args.out, args.runs, args.seed)
    figure = draw_world(fit["world_table"], args.out.parent / "images" / "calibration_world.png")
    defaults = load(args.baseline, ["uncertainties=null"]).parameters
    for path, key in zip(
        PARAMETERS, ("convergence", "frontier_growth", "threat_response"), strict=True
    ):
        section, field = path.split(".")[1:]
        default = getattr(getattr(defaults, section), field)
        moved = "" if fit[key] == default else f" (the default is {default:g}: update it)"
        print(f"{path} = {fit[key]:g}{moved}")
    print(
        f"largest growth error {fit['growth']['error_pp'].abs().max():.2f} pp (2015-2024); "
        f"largest SSP2 difference {100 * fit['ssp']['difference'].abs().max():.1f}%"
    )
    print(
        f"written to {args.out}, {figure}, sim/data/growth_calibration.csv and "
        "sim/data/calibration_world.csv"
    )
    return 0
