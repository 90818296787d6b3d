"""What a sweep runs: the design from a scenario's ``sweep:`` block and the options, checked.

``load_sweep`` merges the command line's design into the scenario's block;
``build_plan`` lists the design points and checks every one of them before
anything runs, as a scenario of its own (field values, then state ids and other
references against the world), so that a point the scenario cannot take is
reported at the line of the sweep entry, or the option, that produced it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from numbers import Number
from pathlib import Path
from typing import Any

import pandas as pd

from sim.design import (
    COMMAND_LINE,
    design_meta,
    design_table,
    parse_bounds,
    parse_grid,
    parse_range,
    point_config,
)
from sim.errors import Problem, ScenarioError
from sim.experiments.folders import RESULTS_ROOT, check_out, least_bytes, resolved_yaml
from sim.experiments.settings import Design, Execution, Output, Settings
from sim.recorder import TABLES
from sim.scenario.checks import check_against_world
from sim.scenario.loader import Located, load_located, validate, with_values
from sim.scenario.schema import ScenarioConfig, Sweep
from sim.uncertainty import METHOD, fix_swept

FORMAT = 2  # 2: every run of a sweep draws its own uncertainties
RESUME_HINT = " (add --resume to finish it)"
# a sweep's runs: each has its seed and its draws laid out before the first run (a
# 10,000-run sweep takes about 150 s on two cores; ten million, a cluster's month)
MAX_RUNS = 10_000_000


@dataclass
class Plan:
    """What a sweep runs: the base scenario, its design points and replicates."""

    config: ScenarioConfig
    sweep: Sweep
    design: pd.DataFrame
    runs: int
    seed: int
    tables: tuple[str, ...] = TABLES
    chunk_size: int = 0
    located: Located | None = field(default=None, repr=False, compare=False)  # failures' places

    def __post_init__(self) -> None:
        if not self.chunk_size:
            self.chunk_size = max(1, min(100, -(-self.tasks // 20)))

    @property
    def points(self) -> int:
        """Number of design points."""
        return len(self.design)

    @property
    def tasks(self) -> int:
        """Number of runs: points x replicates."""
        return self.points * self.runs

    @property
    def chunks(self) -> int:
        """Number of chunks of ``chunk_size`` runs."""
        return -(-self.tasks // self.chunk_size)

    def chunk_of(self, task: int) -> int:
        """The chunk a task belongs to."""
        return task // self.chunk_size

    def chunk_tasks(self, chunk: int) -> range:
        """The tasks of a chunk, in order."""
        return range(chunk * self.chunk_size, min((chunk + 1) * self.chunk_size, self.tasks))

    def meta(self) -> dict[str, Any]:
        """The design, as written to the manifest."""
        meta = design_meta(self.sweep, self.seed, self.points)
        uncertain = self.config.active_uncertainties()
        if uncertain:
            meta["uncertainties"] = {
                "method": f"{METHOD} over all {self.tasks} runs, each run its own draw",
                "distinct_draws": self.tasks,
                "parameters": {p: u.model_dump(exclude_none=True) for p, u in uncertain.items()},
            }
        return meta

    def identity(self) -> dict[str, Any]:
        """What must match for ``--resume`` to continue a folder."""
        design = self.design.to_json(orient="split", index=False, double_precision=15)
        return {
            "format": FORMAT,
            "scenario_sha256": _sha(resolved_yaml(self.config)),
            "design_sha256": _sha(design),
            "runs": self.runs,
            "seed": self.seed,
            "tables": list(self.tables),
            "chunk_size": self.chunk_size,
        }

    def least_bytes(self) -> int:
        """A lower bound of the bytes the sweep's tables take (``folders.least_bytes``)."""
        return least_bytes(self.config, self.tasks, self.tables)

    def describe(self, out: Path) -> str:
        """What will run into ``out``, in a line or two: points, runs, method, uncertainties."""
        text = (
            f"{self.config.name}: {self.points} design points x {self.runs} runs = "
            f"{self.tasks} runs ({self.meta()['method']}), into {out}"
        )
        uncertain = len(self.config.active_uncertainties())
        if uncertain:
            text += (
                f"\n{uncertain} uncertain parameter{'s' if uncertain != 1 else ''}, Latin "
                f"hypercube over all {self.tasks} runs (each run its own draw)"
            )
        return text


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def load_sweep(
    source: str | Path | dict,
    options: Design | None = None,
    overrides: list[str] | None = None,
    settings: Settings | None = None,
) -> tuple[Located, ScenarioConfig]:
    """Load a scenario and merge the command line's design into its sweep block.

    Command-line entries replace the block's entries for the same path; ``--sample``
    and ``--n`` replace the block's method and size. Mistakes point at the
    scenario line, or at the command-line option, that made them.
    """
    options = options or Design()
    settings = settings or Settings()
    located = load_located(source, overrides)
    given = options.grid or options.ranges or options.sample or options.vary or options.n
    if given:
        _merge(located, options)
    settled = {key: value for key, value in settings.given().items() if key != "runs"}
    config = with_values(validate(located), settled)
    if settings.runs is not None and config.sweep is not None:
        sweep = with_values(config.sweep, {"runs": settings.runs})
        config = config.model_copy(update={"sweep": sweep})
    check_against_world(config, located)
    return located, config


def _merge(located: Located, options: Design) -> None:
    """Put the options' entries into the located scenario's sweep block."""
    cli = (COMMAND_LINE, 0, 0)
    block = located.data.get("sweep")
    if not isinstance(block, dict):
        block = located.data["sweep"] = {}
        located.origins[("sweep",)] = cli
    given: dict[str, str] = {}  # path → the option that gave it
    for text, parse, flag in [
        *((t, parse_grid, "--grid") for t in options.grid),
        *((t, parse_range, "--range") for t in options.ranges),
    ]:
        path, value = parse(text)
        _once(given, path, flag)
        grid = block.setdefault("grid", {})
        if not isinstance(grid, dict):
            grid = block["grid"] = {}
        grid[path] = value
        located.origins[("sweep", "grid", path)] = cli
    if options.sample or options.vary or options.n or options.levels:
        sample = block.get("sample")
        if not isinstance(sample, dict):
            sample = block["sample"] = {}
            located.origins[("sweep", "sample")] = cli
        for key, value in (("method", options.sample), ("n", options.n)):
            if value is not None:
                sample[key] = value
                located.origins[("sweep", "sample", key)] = cli
        if options.levels is not None:
            sample["levels"] = options.levels
        varied: dict[str, str] = {}
        for text in options.vary:
            path, bounds = parse_bounds(text)
            _once(varied, path, "--vary")
            sample.setdefault("vary", {})[path] = bounds
            located.origins[("sweep", "sample", "vary", path)] = cli


def _once(given: dict[str, str], path: str, flag: str) -> None:
    """Refuse a path given twice on the command line (else the last would silently win)."""
    if path in given:
        raise option_error(
            flag,
            f"{path} is given twice ({given[path]} and {flag}); give each path once, "
            "with all its values",
        )
    given[path] = flag


def option_error(option: str, message: str) -> ScenarioError:
    """A mistake in an option of a sweep, located at the option (``--tables``, …)."""
    return ScenarioError(Problem(COMMAND_LINE, 0, 0, option, message))


def check_tables(names: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """The tables a sweep keeps, in their usual order (all of them by default)."""
    if names is None:
        return TABLES
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        choices = ", ".join(TABLES)
        raise option_error("--tables", f"unknown table {unknown[0]!r}; choose from {choices}")
    return tuple(t for t in TABLES if t in names)


def build_plan(
    located: Located,
    config: ScenarioConfig,
    runs: int | None = None,
    tables: tuple[str, ...] = TABLES,
) -> Plan:
    """Check the scenario's sweep block against the scenario and list its points.

    Every point is validated before anything runs; a value the scenario cannot
    take is reported at the line of the sweep entry that produced it.
    """
    sweep = config.sweep
    if sweep is None:
        raise ScenarioError(
            Problem(
                located.file,
                0,
                0,
                "sweep",
                "no design: give --grid, --range or --sample with --vary, or a sweep: block",
            )
        )
    runs = runs or sweep.runs or config.runs
    if sweep.points * runs > MAX_RUNS:
        raise option_error(
            "--runs",
            f"{sweep.points:,} design points x {runs:,} runs = {sweep.points * runs:,} runs, "
            f"more than the {MAX_RUNS:,} a sweep holds; make fewer runs a point or fewer points",
        )
    design = design_table(sweep, config.seed)
    config = fix_swept(config, [c for c in design.columns if c != "point"])
    check_points(located, config, design)
    return Plan(config, sweep, design, runs, config.seed, tables, located=located)


def _entry(path: str, sweep: Sweep) -> tuple[str, ...]:
    if path in sweep.grid:
        return ("sweep", "grid", path)
    return ("sweep", "sample", "vary", path)


def _blamed(where: str, names: list[str]) -> str:
    """The swept path a problem at the dotted path ``where`` comes from (else the first)."""
    related = (p for p in names if f"{where}.".startswith(f"{p}.") or p.startswith(f"{where}."))
    return next(related, names[0])


def _refusal(
    located: Located, sweep: Sweep, path: str, point: int, values: dict[str, Any], problem: Problem
) -> ScenarioError:
    """``problem`` of a point's scenario, placed at the sweep entry of ``path``."""
    at = "" if problem.path == path else f" at {problem.path}"
    message = f"{path} = {values[path]!r} (point {point}): {problem.message}{at}"
    return ScenarioError(located.problem(_entry(path, sweep), message))


def check_points(located: Located, config: ScenarioConfig, design: pd.DataFrame) -> None:
    """Raise a located ScenarioError for the first design point the scenario cannot take.

    Each point's scenario is validated, then checked against the world (state
    ids, events, per-state parameters) as a scenario file is. The error is
    placed at the sweep entry (or option) of the swept path it comes from and
    names the point and its value. Uncertainties are checked again, which is
    slower, only at points whose non-numeric values are new: a swept number
    cannot change which states exist or what an uncertain field may name.
    """
    from pydantic import ValidationError

    sweep = config.sweep
    base = config.model_dump(mode="json")
    names = [c for c in design.columns if c != "point"]
    seen: set[tuple[str, ...]] = set()
    for row in design.itertuples(index=False):
        point, values = int(row[0]), dict(zip(names, row[1:], strict=True))
        try:
            scenario = point_config(base, values)
        except KeyError as err:
            path = next(p for p in names if f".{err.args[0]}." in f".{p}.")
            raise ScenarioError(
                located.problem(_entry(path, sweep), f"{path}: {err.args[0]} is not a mapping")
            ) from None
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            path = next((p for p in names if where.startswith(p)), names[0])
            problem = Problem(located.file, 0, 0, where, first["msg"])
            raise _refusal(located, sweep, path, point, values, problem) from None
        labels = tuple(repr(v) for v in values.values() if not isinstance(v, Number))
        checked = [scenario.model_copy(update={"uncertainties": {}})]
        if scenario.active_uncertainties() and labels not in seen:
            seen.add(labels)
            checked.append(scenario)
        for one in checked:
            try:
                check_against_world(one, located)
            except ScenarioError as err:
                first = err.problems[0]
                path = _blamed(first.path, names)
                raise _refusal(located, sweep, path, point, values, first) from None


def plan_sweep(
    scenario: str | Path | dict | None,
    design: Design,
    overrides: list[str] | None,
    settings: Settings,
    execution: Execution,
    output: Output,
) -> Plan:
    """The checked plan of a sweep; without ``scenario``, that of the sweep to resume in ``out``."""
    out = output.out
    if scenario is None:
        if not (execution.resume and out is not None):
            raise option_error("scenario", "give a scenario file (or --resume --out DIR)")
        scenario = Path(out) / "scenario.yaml"
        if not scenario.is_file():
            raise option_error("--out", f"{out} holds no sweep to resume (no scenario.yaml)")
    located, config = load_sweep(scenario, design, overrides, settings)
    return build_plan(located, config, tables=check_tables(output.tables))


def choose_folder(
    name: str, out: str | Path | None, resume: bool, kind: str = "sweep", needed: int = 0
) -> Path:
    """The sweep's folder, checked: ``out``, or ``results/NAME/KIND-TIMESTAMP`` when None.

    ``needed``: the least bytes the sweep writes (``Plan.least_bytes``), checked against
    the free room of the disk.
    """
    if out is None:
        if resume:
            raise option_error("--resume", "needs --out DIR, the folder of the sweep to finish")
        return RESULTS_ROOT / name / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}"
    out = Path(out)
    if not resume:  # before anything runs or is printed, as every other mistake
        check_out(out, RESUME_HINT if (out / "manifest.json").is_file() else "", needed)
    return out
