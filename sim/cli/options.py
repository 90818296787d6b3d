"""What every command shares: exit statuses, the declared options, located option errors.

The options of running and writing are declared once, in ``sim.experiments.settings``;
``add_options`` makes their arguments and ``from_args`` the objects the library takes.
Imported by ``sim --help``, so it imports nothing heavier than argparse.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields
from typing import Any

from sim.errors import Problem, option_problem
from sim.experiments.settings import Settings

EXIT_USAGE = 2
EXIT_RUNS_FAILED = 3  # some runs failed and were left out; the others were written
EXIT_INTERRUPTED = 130
__all__ = [  # option_problem comes from sim.errors, for the commands
    "EXIT_INTERRUPTED",
    "EXIT_RUNS_FAILED",
    "EXIT_USAGE",
    "add_options",
    "add_overrides",
    "at_least",
    "from_args",
    "interrupted",
    "option_problem",
]


def add_overrides(p: argparse.ArgumentParser, help: str = "override a scenario field") -> None:
    """The ``--set PATH=VALUE`` option every command that reads scenarios takes."""
    p.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE", help=help
    )


def add_options(
    p: argparse.ArgumentParser,
    declared: type,
    names: tuple[str, ...] | None = None,
    defaults: object | None = None,
    helps: dict[str, str] | None = None,
) -> None:
    """Arguments for the options ``declared`` (``Settings``, ``Execution``, …) declares.

    Args:
        p: The command's parser.
        declared: A class of ``sim.experiments.settings``.
        names: The options the command takes (default: every one of the command line).
        defaults: An instance whose values are the command's defaults.
        helps: Help that says more for this command (the folder ``--out`` defaults to).
    """
    for spec in fields(declared):
        meta = spec.metadata
        if (names is not None and spec.name not in names) or not meta.get("command_line", True):
            continue
        default = getattr(defaults, spec.name) if defaults is not None else spec.default
        text = (helps or {}).get(spec.name, meta["help"])
        if spec.default is False or spec.default is True:
            off = "flag" in meta  # a flag that turns off what is on unless it is given
            flag = meta.get("flag", f"--{spec.name}")
            action = "store_false" if off else "store_true"
            p.add_argument(flag, dest=spec.name, action=action, help=meta.get("off", text))
            continue
        extra = {k: meta[k] for k in ("choices", "metavar") if k in meta}
        if meta.get("many"):
            extra.update(action="append", default=[])
        else:
            extra["default"] = default
            if default not in (None, ""):
                text += f" (default {default})"
        if "parse" in meta:
            extra["type"] = meta["parse"]
        p.add_argument(meta.get("flag", f"--{spec.name}"), dest=spec.name, help=text, **extra)


def from_args(declared: type, args: argparse.Namespace, **values: Any) -> Any:
    """The ``declared`` object of the options given, and of ``values``."""
    given = {
        spec.name: getattr(args, spec.name) for spec in fields(declared) if hasattr(args, spec.name)
    }
    given = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}
    return declared(**{**given, **values})


def at_least(args: argparse.Namespace, *declared: type) -> list[Problem]:
    """Problems with integer options below the least value their declaration gives."""
    return [
        option_problem(f"--{spec.name}", f"must be at least {least}, got {value}")
        for kind in (declared or (Settings,))
        for spec in fields(kind)
        if (least := spec.metadata.get("least")) is not None
        and (value := getattr(args, spec.name, None)) is not None
        and value < least
    ]


def interrupted(out: object) -> int:
    """Say that Ctrl-C left nothing in ``out``; the exit status of an interrupted command."""
    print(
        f"\ninterrupted: nothing was written to {out}; run the command again to redo it",
        file=sys.stderr,
    )
    return EXIT_INTERRUPTED
