"""Command line: ``sim SCENARIO.yaml`` runs a scenario; ``sim validate FILE…`` checks files.

A thin layer over the Python API (``sim.run``): it parses arguments, prints
progress and the summary table, writes the results folder, and turns user
mistakes into one line each and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.errors import ScenarioError

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
COMMANDS = (
    "run",
    "validate",
    "sweep",
    "sensitivity",
    "compare",
    "discover",
    "plot",
    "landscape",
    "calibrate",
)


def add_overrides(p: argparse.ArgumentParser, help: str = "override a scenario field") -> None:
    """The ``--set PATH=VALUE`` option every command that reads scenarios takes."""
    p.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE", help=help
    )


def _run_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run a scenario's replicates and write a results folder")
    p.add_argument("scenario", type=Path, help="scenario YAML file")
    p.add_argument("--runs", type=int, help="replicates (default: the scenario's runs)")
    p.add_argument("--seed", type=int, help="master seed (default: the scenario's seed)")
    p.add_argument("--years", type=int, help="years to simulate (default: the scenario's)")
    p.add_argument(
        "--jobs", type=int, default=1, help="worker processes; 0 = every core (default 1)"
    )
    p.add_argument("--out", type=Path, help="results folder (default results/NAME/TIMESTAMP)")
    add_overrides(p, "override a scenario field, e.g. parameters.trade.diversion_share=0.3")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.add_argument("--quiet", action="store_true", help="no progress bar or table")


def _validate_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check scenario files without running them")
    p.add_argument("files", type=Path, nargs="+")
    add_overrides(p)


def _landscape_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("landscape", help="stable two-bloc configurations of a landscape block")
    p.add_argument("file", type=Path)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_overrides(p)


def _calibrate_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calibrate", help="fit trend growth, convergence and threat response (2015-2024, SSP2)"
    )
    p.add_argument("scenario", type=Path, nargs="?", default=Path("scenarios/backtest_2014.yaml"))
    p.add_argument("--baseline", type=Path, default=Path("scenarios/baseline.yaml"))
    p.add_argument("--out", type=Path, default=Path("docs/calibration.md"))
    p.add_argument("--runs", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)


def _landscape(args: argparse.Namespace) -> int:
    import json

    from sim import landscape
    from sim.scenario.loader import load_landscape

    spec = load_landscape(args.file, args.overrides).landscape
    result = landscape.analyse(
        spec.sizes, [tuple(p) for p in spec.propensities], starts=spec.starts, seed=spec.seed
    )
    print(json.dumps(result, indent=2) if args.json else landscape.format_table(result))
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from sim.experiments.calibration import PARAMETERS
    from sim.experiments.calibration_report import write

    fit = write(args.scenario, args.baseline, args.out, args.runs, args.seed)
    for path, key in zip(
        PARAMETERS, ("convergence", "frontier_growth", "threat_response"), strict=True
    ):
        print(f"{path} = {fit[key]:g}")
    print(
        f"largest growth error {fit['growth']['error_pp'].abs().max():.2f} pp (2015-2024); "
        f"largest SSP2 difference {100 * fit['ssp']['difference'].abs().max():.1f}%"
    )
    print(f"written to {args.out} and sim/data/growth_calibration.csv")
    return 0


class _Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are reported like every other: one located line."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        raise ScenarioError(_cli_problem("", f"{message} (see {self.prog} --help)"))


def parser() -> argparse.ArgumentParser:
    """The argument parser (``sim SCENARIO`` is short for ``sim run SCENARIO``)."""
    top = _Parser(
        prog="sim",
        description="Agent-based simulation of strategic alliances between states.",
        epilog="Run `sim run --help` for the run options; `sim SCENARIO.yaml` is `sim run`.",
    )
    sub = top.add_subparsers(dest="command", required=True)
    _run_parser(sub)
    _validate_parser(sub)
    from sim.analysis import comparison
    from sim.cli import sweep as sweep_command

    sweep_command.add_sweep_arguments(
        sub.add_parser(
            "sweep",
            help="run a design (grid, lhs, sobol, morris) x replicates into a resumable folder",
        )
    )
    sweep_command.add_sensitivity_arguments(
        sub.add_parser("sensitivity", help="Sobol or Morris sensitivity indices of outcomes")
    )
    comparison.add_arguments(
        sub.add_parser("compare", help="compare scenarios on common seeds, with statistics")
    )
    from sim.analysis import discovery_report

    discovery_report.add_arguments(
        sub.add_parser("discover", help="which inputs of a sweep lead to an outcome (PRIM, CART)")
    )
    plot = sub.add_parser("plot", help="(re)draw every plot of a run, sweep or comparison folder")
    plot.add_argument("folder", type=Path)
    _landscape_parser(sub)
    _calibrate_parser(sub)
    return top


def _validate(args: argparse.Namespace) -> int:
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


def _run(args: argparse.Namespace, argv: list[str]) -> int:
    from sim.analysis.summary import format_table, major_states
    from sim.experiments.folders import check_out, default_out, write_results
    from sim.experiments.runner import load, run

    for name, least in (("runs", 1), ("years", 1), ("seed", 0)):
        value = getattr(args, name)
        if value is not None and value < least:
            raise ScenarioError(_cli_problem(f"--{name}", f"must be at least {least}, got {value}"))
    config = load(args.scenario, args.overrides, runs=args.runs, seed=args.seed, years=args.years)
    out = args.out or default_out(config)
    check_out(out)
    try:
        results = run(config, jobs=args.jobs, progress=not args.quiet)
        write_results(results, out, plots=not args.no_plots, argv=["sim", *argv])
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: nothing was written to {out}; run the command again to redo it",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    if not args.quiet:
        print(format_table(results.summary, major_states(config)))
        if results.backtest is not None:
            from sim.analysis.backtest import format_report

            print("\n" + format_report(results.backtest))
        seconds = results.timings.get("runs_seconds", 0.0)
        print(f"\n{results.runs} runs in {seconds:.1f} s; results written to {out}")
    return 0


def _cli_problem(option: str, message: str):
    from sim.errors import Problem

    return Problem("command line", 0, 0, option, message)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m sim`` and the ``sim`` script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv = ["run", *argv]
    try:
        args = parser().parse_args(argv)
        if args.command == "validate":
            return _validate(args)
        if args.command == "landscape":
            return _landscape(args)
        if args.command == "calibrate":
            return _calibrate(args)
        if args.command in ("sweep", "sensitivity"):
            from sim.cli import sweep as sweep_command

            main = (
                sweep_command.sweep_main
                if args.command == "sweep"
                else (sweep_command.sensitivity_main)
            )
            return main(args, argv)
        if args.command == "compare":
            from sim.analysis import comparison

            return comparison.execute(args, argv)
        if args.command == "discover":
            from sim.analysis import discovery_report

            return discovery_report.main(args, argv)
        if args.command == "plot":
            from sim.plots.runs import plot_folder

            for path in plot_folder(args.folder):
                print(path)
            return 0
        return _run(args, argv)
    except ScenarioError as err:
        print(err, file=sys.stderr)
        return EXIT_USAGE
