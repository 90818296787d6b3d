"""Command line: ``sim SCENARIO.yaml`` runs a scenario; ``sim COMMAND --help`` lists the rest.

Each command is a module of ``sim.cli`` with two functions: ``add_parser(sub)``
declares its options and ``execute(args, argv)`` makes one library call and
prints. Building the parser imports nothing heavier than argparse, so
``sim --help`` is instant; a command's own imports wait until it runs. User
mistakes become one located line each and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sim.cli.options import EXIT_USAGE, option_problem
from sim.errors import ScenarioError

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
    "estimate",
    "explore",
)


def command(name: str):
    """The module of ``sim NAME``."""
    return importlib.import_module(f"sim.cli.{name}")


class _Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are reported like every other: one located line."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        raise ScenarioError(option_problem("", f"{message} (see {self.prog} --help)"))


def parser() -> argparse.ArgumentParser:
    """The argument parser (``sim SCENARIO`` is short for ``sim run SCENARIO``)."""
    top = _Parser(
        prog="sim",
        description="Agent-based simulation of strategic alliances between states.",
        epilog="Run `sim run --help` for the run options; `sim SCENARIO.yaml` is `sim run`.",
    )
    sub = top.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        command(name).add_parser(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m sim`` and the ``sim`` script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in COMMANDS and not argv[0].startswith("-"):
        argv = ["run", *argv]
    try:
        args = parser().parse_args(argv)
        return command(args.command).execute(args, argv)
    except ScenarioError as err:
        print(err, file=sys.stderr)
        return EXIT_USAGE
