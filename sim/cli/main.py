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
import signal
import sys

from sim.cli.options import EXIT_INTERRUPTED, EXIT_USAGE, option_problem
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
    previous = _on_sigterm(_terminate)
    try:
        args = parser().parse_args(argv)
        return command(args.command).execute(args, argv)
    except ScenarioError as err:
        print(err, file=sys.stderr)
        return EXIT_USAGE
    except ImportError as err:  # Ctrl-C or SIGTERM while a compiled module was loading
        if not _interrupted(err):
            raise
        print("\ninterrupted: nothing was written; run the command again", file=sys.stderr)
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:  # before the command began to write (it answers those itself)
        print("\ninterrupted: nothing was written; run the command again", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        _on_sigterm(previous)


def _interrupted(err: BaseException | None) -> bool:
    """Whether ``err`` was caused by an interrupt (raised inside a module's loading)."""
    seen = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, KeyboardInterrupt):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False


def _on_sigterm(handler):
    """Set the SIGTERM handler (only the main thread may); return the one it replaces."""
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # called from another thread: the signal stays as it was
        return handler


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the command stops and leaves no half-written folder."""


def _terminate(signum, frame):  # noqa: ARG001 - signal handler signature
    raise Terminated
