"""The options of a command besides its scenario, each declared once.

``Settings`` are the run settings given over the scenario's own (runs, seed,
years), ``Execution`` says how runs are made (jobs, backend, address, progress,
resume), ``Output`` what is written (the folder, figures, tables kept, the
command line recorded) and ``Design`` the design a sweep adds to the scenario's
``sweep:`` block. Each field is declared with ``option``: its type, default and
help. The command line builds its arguments from these declarations
(``sim.cli.options.add_options``), the library builds the objects from keyword
arguments (``split``), and the experiments layer takes the objects whole.

Imported by ``sim --help``, so it imports the standard library only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any


def option(default: Any, help: str, **cli: Any) -> Any:
    """A declared option: its default, its help and how the command line spells it.

    ``cli`` may hold ``flag`` (the option's spelling when not ``--NAME``; for a
    boolean that is on by default, the flag that turns it off), ``parse`` (the
    function reading the typed text), ``choices``, ``metavar``, ``many`` (the option
    may be repeated), ``least`` (its least value) and ``command_line=False`` (the
    option is not one of the command line).
    """
    return field(default=default, metadata={"help": help, **cli})


def comma_list(text: str) -> tuple[str, ...]:
    """A comma-separated option as a tuple of its names."""
    return tuple(t.strip() for t in text.split(",") if t.strip())


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT_OUT"


DEFAULT_OUT: Any = _Default()  # a new timestamped folder under results/<scenario name>/


@dataclass(frozen=True)
class Settings:
    """Run settings given over the scenario's own; applied as typed values."""

    runs: int | None = option(None, "replicates (default: the scenario's runs)", parse=int, least=1)
    seed: int | None = option(
        None, "master seed (default: the scenario's seed)", parse=int, least=0
    )
    years: int | None = option(
        None, "years to simulate (default: the scenario's)", parse=int, least=1
    )

    def given(self) -> dict[str, int]:
        """The settings given, by name."""
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class Execution:
    """How runs are made: on how many workers, where, what is shown, whether to resume."""

    jobs: int | None = option(1, "worker processes; 0 = every core", parse=int)
    backend: str = option(
        "process",
        "process pool on this machine or a Dask cluster",
        choices=("process", "dask"),
    )
    address: str | None = option(
        None, "Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: a LocalCluster)"
    )
    progress: bool = option(
        False,
        "say what runs and show a progress bar",
        flag="--quiet",
        off="no progress bar or table",
    )
    resume: bool = option(False, "finish the interrupted sweep in --out")

    def __post_init__(self) -> None:
        if self.jobs is not None and self.jobs < 0:  # -1 is not "every core": 0 is
            from sim.errors import ScenarioError, option_problem

            raise ScenarioError(
                option_problem("--jobs", f"must be at least 0 (0 = every core), got {self.jobs}")
            )

    @property
    def workers(self) -> int:
        """Worker processes: ``jobs``, where ``None`` or 0 means every core."""
        return self.jobs if self.jobs and self.jobs > 0 else (os.cpu_count() or 1)


SWEEP_EXECUTION = Execution(jobs=0)  # sweeps use every core unless told otherwise


@dataclass(frozen=True)
class Output:
    """What is written: the folder (``None``: nothing), its figures and tables, the command."""

    out: Path | str | None = option(None, "the folder to write", parse=Path)
    plots: bool = option(
        True, "draw the figures into the folder", flag="--no-plots", off="skip the PNG plots"
    )
    tables: tuple[str, ...] | None = option(
        None,
        "tables to keep, comma-separated (default states,dyads,system,events; "
        "outcomes are always kept)",
        parse=comma_list,
    )
    argv: tuple[str, ...] | list[str] | None = option(
        None, "the command line recorded in the manifest (default sys.argv)", command_line=False
    )


@dataclass(frozen=True)
class Design:
    """A sweep's design given with the command, merged over the scenario's ``sweep:`` block."""

    grid: tuple[str, ...] = option((), "grid values", many=True, metavar="PATH=V1,V2,…")
    ranges: tuple[str, ...] = option(
        (),
        "N evenly spaced grid values from LO to HI",
        many=True,
        flag="--range",
        metavar="PATH=LO:HI:N",
    )
    sample: str | None = option(None, "sampled design (SALib)", choices=("lhs", "sobol", "morris"))
    n: int | None = option(
        None, "lhs: points; sobol: base samples; morris: trajectories", parse=int, least=1
    )
    vary: tuple[str, ...] = option((), "a sampled parameter", many=True, metavar="PATH=LO:HI")
    levels: int | None = option(None, "morris grid levels (default 4)", parse=int, least=1)


def names(declared: type) -> list[str]:
    """The options a class declares."""
    return [f.name for f in fields(declared)]


def split(options: dict[str, Any], given: Any, defaults: Any) -> Any:
    """``given`` (else ``defaults``) with the ``options`` its class declares, taken out of them."""
    own = {name: options.pop(name) for name in names(type(defaults)) if name in options}
    own = {k: tuple(v) if isinstance(v, list) and k != "argv" else v for k, v in own.items()}
    return replace(given if given is not None else defaults, **own)


def refuse_unknown(function: str, options: dict[str, Any]) -> None:
    """Raise TypeError for keyword arguments no declaration took, as Python would."""
    if options:
        raise TypeError(f"{function}() got an unexpected keyword argument {next(iter(options))!r}")
