"""What every command shares: exit statuses, the ``--set`` option, located option errors.

Imported by ``sim --help``, so it imports nothing heavier than argparse.
"""

from __future__ import annotations

import argparse
import sys

from sim.errors import Problem, option_problem

EXIT_USAGE = 2
EXIT_RUNS_FAILED = 3  # some runs failed and were left out; the others were written
EXIT_INTERRUPTED = 130
__all__ = [  # option_problem comes from sim.errors, for the commands
    "EXIT_INTERRUPTED",
    "EXIT_RUNS_FAILED",
    "EXIT_USAGE",
    "add_overrides",
    "at_least",
    "interrupted",
    "option_problem",
]


def add_overrides(p: argparse.ArgumentParser, help: str = "override a scenario field") -> None:
    """The ``--set PATH=VALUE`` option every command that reads scenarios takes."""
    p.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE", help=help
    )


def at_least(args: argparse.Namespace, limits: dict[str, int]) -> list[Problem]:
    """Problems with integer options below their least value (``{"runs": 1}``)."""
    return [
        option_problem(f"--{name}", f"must be at least {least}, got {value}")
        for name, least in limits.items()
        if (value := getattr(args, name, None)) is not None and value < least
    ]


def interrupted(out: object) -> int:
    """Say that Ctrl-C left nothing in ``out``; the exit status of an interrupted command."""
    print(
        f"\ninterrupted: nothing was written to {out}; run the command again to redo it",
        file=sys.stderr,
    )
    return EXIT_INTERRUPTED
