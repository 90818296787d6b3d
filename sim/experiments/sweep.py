"""Parameter sweeps: design points x replicates, streamed to disk, resumable after any stop.

A sweep folder looks like a run folder (``states.parquet``, ``dyads.parquet``,
``system.parquet``, ``events.parquet``) with a ``point`` column beside ``run``;
each table is a folder of Parquet parts, which ``pandas.read_parquet`` reads as
one table. Beside them: ``design.parquet`` (one row per point), ``outcomes.parquet``
(one row per run, ``sim.analysis.outcomes``, then the value of each uncertain field the run
drew, named by its dotted path), ``scenario.yaml`` and ``manifest.json``.

Runs are numbered in (point, run) order and grouped into fixed chunks. How a
run's results reach the tables:

1. the worker returns the run's tables as Arrow tables (or its error);
2. the parent stages them at once in ``.staging/<task>/`` (written to a hidden
   name, then renamed), so a finished run survives any later stop;
3. when every run of a chunk is staged, the chunk's part files are written
   (temporary name, then rename) and the chunk is recorded as done in the
   manifest (rewritten atomically); only then are its staged files removed.

``--resume`` reads the manifest and the staging area and runs only what is in
neither. Because a chunk's parts always hold the same runs in the same order,
an interrupted and resumed sweep writes the same files as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
from tqdm import tqdm

from sim.design import design_meta, design_table, point_config
from sim.errors import Problem, ScenarioError
from sim.experiments.executors import open_executor, process_pool, resolve_jobs
from sim.experiments.runner import TABLES
from sim.model import WorldModel
from sim.scenario.loader import Located
from sim.scenario.schema import Scenario, Sweep
from sim.uncertainty import METHOD, draw, drawn_values, fix_swept

OUTCOMES = "outcomes"
STAGING = ".staging"
LOCK = ".lock"
FORMAT = 1
Task = Callable[..., dict[str, Any]]  # run_task's signature


# ------------------------------------------------------------------ one run


def run_task(
    config: Scenario,
    point: int,
    run: int,
    seed: np.random.SeedSequence,
    tables: tuple[str, ...] = TABLES,
    staging: str | None = None,
    task: int = 0,
) -> dict[str, Any]:
    """Run one replicate of one design point; return its Arrow tables, or its error.

    With ``staging`` (a folder this process can write: local workers), the run
    stages its own results there and returns only ``{"staged": True}`` — the
    writing happens in parallel in the workers and nothing large crosses the pipe.

    A run that raises does not stop the sweep: the error and its traceback are
    returned and recorded in the manifest.
    """
    result = _compute(config, point, run, seed, tables)
    if staging is None:
        return result
    stage(Path(staging), task, result)
    return {"staged": True}


def _compute(
    config: Scenario, point: int, run: int, seed: np.random.SeedSequence, tables: tuple[str, ...]
) -> dict[str, Any]:
    try:
        model = WorldModel(config, rng=np.random.default_rng(seed))
        model.run()
        columns = model.recorder.columns(run)
        result = {}
        for name in tables:
            table = columns[name]
            result[name] = pa.table({"point": np.full(len(table["run"]), point, np.int32), **table})
        outcome = {"point": [np.int32(point)], "run": [np.int32(run)]}
        outcome.update({k: [v] for k, v in model.recorder.outcomes().items()})
        outcome.update({path: [value] for path, value in drawn_values(config).items()})
        result[OUTCOMES] = pa.table(outcome)
        return {"tables": result}
    except Exception as err:  # noqa: BLE001 - recorded, not hidden
        return {"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}


# ------------------------------------------------------------------ the plan


@dataclass
class Plan:
    """What a sweep runs: the base scenario, its design points and replicates."""

    config: Scenario
    sweep: Sweep
    design: pd.DataFrame
    runs: int
    seed: int
    tables: tuple[str, ...] = TABLES
    chunk_size: int = 0

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
                "method": f"{METHOD} over the runs, the same draws at every point",
                "parameters": {p: u.model_dump(exclude_none=True) for p, u in uncertain.items()},
            }
        return meta

    def identity(self) -> dict[str, Any]:
        """What must match for ``--resume`` to continue a folder."""
        design = self.design.to_json(orient="split", index=False, double_precision=15)
        return {
            "format": FORMAT,
            "scenario_sha256": _sha(scenario_yaml(self.config)),
            "design_sha256": _sha(design),
            "runs": self.runs,
            "seed": self.seed,
            "tables": list(self.tables),
            "chunk_size": self.chunk_size,
        }


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def scenario_yaml(config: Scenario) -> str:
    """The resolved scenario as YAML."""
    from sim.experiments.folders import resolved_yaml

    return resolved_yaml(config)


@dataclass
class DesignOptions:
    """A design given on the command line, merged over the scenario's ``sweep:`` block."""

    grid: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    sample: str | None = None
    n: int | None = None
    vary: list[str] = field(default_factory=list)
    levels: int | None = None


def load_sweep(
    source: str | Path | dict,
    options: DesignOptions | None = None,
    overrides: list[str] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
) -> tuple[Located, Scenario]:
    """Load a scenario and merge the command line's design into its sweep block.

    Command-line entries replace the block's entries for the same path; ``--sample``
    and ``--n`` replace the block's method and size. Mistakes point at the
    scenario line, or at the command-line option, that made them.
    """
    from sim.design import COMMAND_LINE, parse_bounds, parse_grid, parse_range
    from sim.scenario.checks import check_against_world
    from sim.scenario.loader import load_located, validate

    options = options or DesignOptions()
    settings = [f"{k}={v}" for k, v in (("seed", seed), ("years", years)) if v is not None]
    located = load_located(source, [*(overrides or []), *settings])
    cli = (COMMAND_LINE, 0, 0)
    given = options.grid or options.ranges or options.sample or options.vary or options.n
    if given:
        block = located.data.get("sweep")
        if not isinstance(block, dict):
            block = located.data["sweep"] = {}
            located.origins[("sweep",)] = cli
        for text, parse in [
            *((t, parse_grid) for t in options.grid),
            *((t, parse_range) for t in options.ranges),
        ]:
            path, value = parse(text)
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
            for text in options.vary:
                path, bounds = parse_bounds(text)
                sample.setdefault("vary", {})[path] = bounds
                located.origins[("sweep", "sample", "vary", path)] = cli
    if runs is not None and isinstance(located.data.get("sweep"), dict):
        located.data["sweep"]["runs"] = runs
        located.origins[("sweep", "runs")] = cli
    config = validate(located)
    check_against_world(config, located)
    return located, config


def build_plan(
    located: Located,
    config: Scenario,
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
    design = design_table(sweep, config.seed)
    _validate_points(located, config.model_dump(mode="json"), design)
    config = fix_swept(config, [c for c in design.columns if c != "point"])
    return Plan(config, sweep, design, runs or sweep.runs or config.runs, config.seed, tables)


def _entry(path: str, sweep: Sweep) -> tuple[str, ...]:
    if path in sweep.grid:
        return ("sweep", "grid", path)
    return ("sweep", "sample", "vary", path)


def _validate_points(located: Located, base: dict[str, Any], design: pd.DataFrame) -> None:
    from pydantic import ValidationError

    sweep = Scenario.model_validate(base).sweep
    names = [c for c in design.columns if c != "point"]
    for row in design.itertuples(index=False):
        values = dict(zip(names, row[1:], strict=True))
        try:
            point_config(base, values)
        except KeyError as err:
            path = next(p for p in names if f".{err.args[0]}." in f".{p}.")
            raise ScenarioError(
                located.problem(_entry(path, sweep), f"{path}: {err.args[0]} is not a mapping")
            ) from None
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            path = next((p for p in names if where.startswith(p)), names[0])
            raise ScenarioError(
                located.problem(
                    _entry(path, sweep),
                    f"{path} = {values[path]!r} (point {row[0]}): {first['msg']} at {where}",
                )
            ) from None


# ------------------------------------------------------------------ the folder


class SweepFolder:
    """A sweep's folder on disk: manifest, staging area, part files, lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.staging = self.path / STAGING

    @property
    def manifest_path(self) -> Path:
        """``manifest.json``."""
        return self.path / "manifest.json"

    def read_manifest(self) -> dict[str, Any]:
        """The manifest, or a ScenarioError if the folder is not a sweep."""
        try:
            manifest = json.loads(self.manifest_path.read_text())
        except (OSError, ValueError):
            raise ScenarioError(
                Problem(str(self.path), 0, 0, "", "not a sweep folder (no readable manifest.json)")
            ) from None
        if manifest.get("kind") != "sweep":
            raise ScenarioError(Problem(str(self.path), 0, 0, "", "not a sweep folder"))
        return manifest

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Rewrite the manifest atomically."""
        manifest["updated"] = datetime.now().astimezone().isoformat(timespec="seconds")
        _atomic_write(self.manifest_path, json.dumps(manifest, indent=1) + "\n")

    # ---------------------------------------------------------------- lock

    def lock(self) -> None:
        """Refuse to share the folder with a live sweep; take over a dead one's lock."""
        lock = self.path / LOCK
        try:
            other = int(lock.read_text().strip() or 0)
        except (OSError, ValueError):
            other = 0
        if other and other != os.getpid() and _alive(other):
            raise ScenarioError(
                Problem(
                    str(self.path), 0, 0, "", f"another sweep (process {other}) is writing here"
                )
            )
        _atomic_write(lock, str(os.getpid()))

    def unlock(self) -> None:
        """Release the lock."""
        (self.path / LOCK).unlink(missing_ok=True)

    # ---------------------------------------------------------------- staging

    def staged(self) -> set[int]:
        """Every run staged (by this or an earlier, interrupted invocation)."""
        if not self.staging.is_dir():
            return set()
        found = set()
        for entry in self.staging.iterdir():
            if entry.name.startswith("."):
                shutil.rmtree(entry, ignore_errors=True)  # a stage cut short: redo the run
            else:
                found.add(int(entry.name))
        return found

    def read_staged(self, task: int) -> dict[str, Any]:
        """One staged run's tables (or its error)."""
        entry = self.staging / f"{task:09d}"
        error = entry / "error.json"
        if error.exists():
            return json.loads(error.read_text())
        return {
            "tables": {
                f.stem: feather.read_table(f, memory_map=False)
                for f in sorted(entry.glob("*.arrow"))
            }
        }

    def unstage(self, tasks: range) -> None:
        """Drop the staged copies of runs whose chunk is written."""
        for task in tasks:
            shutil.rmtree(self.staging / f"{task:09d}", ignore_errors=True)

    # ---------------------------------------------------------------- parts

    def write_chunk(self, chunk: int, results: list[dict[str, Any]], names: list[str]) -> None:
        """Write one chunk's part of every table (runs in task order)."""
        for name in names:
            parts = [r["tables"][name] for r in results if "tables" in r]
            if not parts:
                continue
            folder = self.path / f"{name}.parquet"
            folder.mkdir(exist_ok=True)
            temporary = folder / f".part-{chunk:06d}.tmp"
            pq.write_table(pa.concat_tables(parts), temporary)
            temporary.rename(folder / f"part-{chunk:06d}.parquet")


def stage(staging: Path, task: int, result: dict[str, Any]) -> None:
    """Keep one finished run on disk until its chunk is written (hidden name, then rename)."""
    final = staging / f"{task:09d}"
    temporary = staging / f".{task:09d}-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    if "error" in result:
        (temporary / "error.json").write_text(json.dumps(result))
    else:
        for name, table in result["tables"].items():
            feather.write_feather(table, temporary / f"{name}.arrow", compression="uncompressed")
    shutil.rmtree(final, ignore_errors=True)
    temporary.rename(final)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


# ------------------------------------------------------------------ execution


@dataclass
class Progress:
    """Counts kept while a sweep runs."""

    total: int
    done: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    ran: int = 0


class _Interrupted(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C."""


def _raise_interrupt(signum, frame):  # noqa: ARG001
    raise _Interrupted


def execute(
    plan: Plan,
    out: Path,
    jobs: int | None = None,
    backend: str = "process",
    address: str | None = None,
    resume: bool = False,
    progress: bool = False,
    argv: list[str] | None = None,
    task: Task = run_task,
) -> dict[str, Any]:
    """Run (or finish) a sweep into ``out`` and return its final manifest.

    Args:
        plan: The design and run settings (``build_plan``).
        out: The sweep folder; must be new or empty unless ``resume``.
        jobs: Worker processes (default: every core).
        backend: ``process`` or ``dask``.
        address: Dask scheduler address; without it a LocalCluster is started.
        resume: Continue the sweep already in ``out`` (it must have the same plan).
        progress: Show a progress bar (runs done, rate, ETA).
        argv: The command line, for the manifest.
        task: The function run per replicate (``run_task``).

    Raises:
        KeyboardInterrupt: After Ctrl-C or SIGTERM, once every finished run is staged.
    """
    folder = SweepFolder(out)
    jobs = resolve_jobs(jobs)
    manifest = _open(folder, plan, resume, argv)
    folder.lock()
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.perf_counter()
    try:
        manifest = _run(folder, plan, manifest, jobs, backend, address, progress, task)
    except KeyboardInterrupt:
        manifest["status"] = "interrupted"
        folder.write_manifest(manifest)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        manifest.setdefault("timings", {})["runs_seconds"] = round(
            manifest.get("timings", {}).get("runs_seconds", 0.0) + time.perf_counter() - started, 3
        )
        folder.unlock()
    return manifest


def _open(folder: SweepFolder, plan: Plan, resume: bool, argv: list[str] | None) -> dict:
    from sim.experiments.folders import run_provenance

    identity = plan.identity()
    if resume:
        manifest = folder.read_manifest()
        differs = [key for key, value in identity.items() if manifest.get(key) != value]
        if differs:
            raise ScenarioError(
                Problem(
                    str(folder.path),
                    0,
                    0,
                    "--resume",
                    f"this folder holds a different sweep ({', '.join(differs)} differ); "
                    "resume it with the command that started it, or choose a new --out",
                )
            )
        manifest["status"] = "running"
        manifest.setdefault("resumed", []).append(argv if argv is not None else sys.argv)
        return manifest
    if folder.path.exists() and (not folder.path.is_dir() or any(folder.path.iterdir())):
        hint = " (add --resume to finish it)" if folder.manifest_path.exists() else ""
        raise ScenarioError(
            Problem("command line", 0, 0, "--out", f"{folder.path} is not empty{hint}")
        )
    folder.path.mkdir(parents=True, exist_ok=True)
    design = plan.design
    try:
        design.to_parquet(folder.path / "design.parquet", index=False)
    except (pa.ArrowException, ValueError):
        as_text = design.astype({c: str for c in design.columns if design[c].dtype == object})
        as_text.to_parquet(folder.path / "design.parquet", index=False)
    _atomic_write(folder.path / "scenario.yaml", scenario_yaml(plan.config))
    manifest = {
        "kind": "sweep",
        "status": "running",
        **identity,
        "scenario": plan.config.name,
        "points": plan.points,
        "tasks": plan.tasks,
        "chunks": plan.chunks,
        "design": plan.meta(),
        "chunks_done": [],
        "runs_done": 0,
        "failed": [],
        **run_provenance(argv),
    }
    folder.write_manifest(manifest)
    return manifest


def _run(
    folder: SweepFolder,
    plan: Plan,
    manifest: dict[str, Any],
    jobs: int,
    backend: str,
    address: str | None,
    progress: bool,
    task: Task,
) -> dict[str, Any]:
    names = [*plan.tables, OUTCOMES]
    done_chunks = set(manifest["chunks_done"])
    buffer: dict[int, set[int]] = {}  # chunk -> its runs staged so far
    for index in folder.staged():
        if plan.chunk_of(index) not in done_chunks:
            buffer.setdefault(plan.chunk_of(index), set()).add(index)
    staged = {i for chunk in buffer.values() for i in chunk}
    todo = [i for i in range(plan.tasks) if plan.chunk_of(i) not in done_chunks and i not in staged]
    kept = plan.tasks - len(todo)
    bar = tqdm(
        total=plan.tasks,
        initial=kept,
        desc=f"{plan.config.name} sweep",
        unit="run",
        disable=not progress,
        smoothing=0.05,
    )
    base = plan.config.model_dump(mode="json")
    seeds = np.random.SeedSequence(plan.seed).spawn(plan.runs)
    configs: dict[tuple[int, int], Scenario] = {}
    columns = [c for c in plan.design.columns if c != "point"]
    # run r of every point draws the same values (common random numbers, like its seed)
    drawn = draw(plan.config.active_uncertainties(), plan.runs, plan.seed)
    uncertain = [c for c in drawn.columns if c != "run"]

    def config_of(point: int, run: int) -> Scenario:
        key = (point, run if uncertain else 0)
        if key not in configs:
            if len(configs) > 64:
                configs.clear()
            row = plan.design.iloc[point]
            values = {c: row[c] for c in columns} | {c: drawn.at[run, c] for c in uncertain}
            configs[key] = point_config(base, values)
        return configs[key]

    # local workers stage their own results; remote ones (Dask) send them here
    staging = str(folder.staging) if backend == "process" else None
    folder.staging.mkdir(exist_ok=True)

    def arguments(index: int) -> tuple:
        point, run = divmod(index, plan.runs)
        return (config_of(point, run), point, run, seeds[run], plan.tables, staging, index)

    def finish(index: int, result: dict[str, Any]) -> None:
        if not result.get("staged"):
            stage(folder.staging, index, result)
        buffer.setdefault(plan.chunk_of(index), set()).add(index)
        bar.update()
        _commit_ready(folder, plan, manifest, buffer, names)

    # chunks already complete in staging (stopped between staging and writing)
    _commit_ready(folder, plan, manifest, buffer, names)
    window = max(2 * jobs, 4)
    try:
        _drain(
            lambda: open_executor(backend, jobs, address),
            deque(todo),
            window,
            arguments,
            finish,
            task,
        )
    except KeyboardInterrupt:
        bar.close()
        raise
    bar.close()
    manifest["status"] = "complete"
    shutil.rmtree(folder.staging, ignore_errors=True)
    folder.write_manifest(manifest)
    return manifest


def _drain(
    open_pool: Callable[[], Any],
    todo: deque[int],
    window: int,
    arguments: Callable[[int], tuple],
    finish: Callable[[int, dict[str, Any]], None],
    task: Task,
) -> None:
    """Run every task in ``todo``, handing each result to ``finish`` as it arrives.

    If a worker process dies, the runs that were in flight are rerun one at a
    time to find the one that killed it (recorded as failed); then a fresh pool
    takes the rest.
    """
    while todo:
        with open_pool() as executor:
            suspects = _pump(executor, todo, window, arguments, finish, task)
        if suspects:
            _isolate(suspects, arguments, finish, task)


def _pump(
    executor: Executor,
    todo: deque[int],
    window: int,
    arguments: Callable[[int], tuple],
    finish: Callable[[int, dict[str, Any]], None],
    task: Task,
) -> list[int]:
    """Keep ``window`` runs in flight until ``todo`` is empty or the pool breaks.

    Returns:
        The runs whose fate is unknown because the pool broke (empty otherwise).
    """
    pending: dict[Future, int] = {}
    broken = False
    try:
        while True:
            while not broken and len(pending) < window and todo:
                index = todo.popleft()
                try:
                    pending[executor.submit(task, *arguments(index))] = index
                except BrokenExecutor:
                    todo.appendleft(index)
                    broken = True
            if not pending:
                return []
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                try:
                    result = future.result()
                except BrokenExecutor:
                    pending[future] = index
                    broken = True
                    continue
                except Exception as err:  # noqa: BLE001 - e.g. a Dask worker that died
                    result = {"error": f"{type(err).__name__}: {err}", "traceback": ""}
                finish(index, result)
            if broken:
                return sorted(pending.values())
    except KeyboardInterrupt:
        for future in pending:
            future.cancel()
        # runs already going finish (workers ignore Ctrl-C) and are kept
        executor.shutdown(wait=True, cancel_futures=True)
        for future, index in pending.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                finish(index, future.result())
        raise


def _isolate(
    suspects: list[int],
    arguments: Callable[[int], tuple],
    finish: Callable[[int, dict[str, Any]], None],
    task: Task,
) -> None:
    """Rerun each run that was in flight when a worker died, alone, to find the culprit."""
    for index in suspects:
        with process_pool(1) as alone:
            future = alone.submit(task, *arguments(index))
            try:
                result = future.result()
            except BrokenExecutor:
                result = {
                    "error": "the worker process running this run died (crash or killed)",
                    "traceback": "",
                }
        finish(index, result)


def _commit_ready(
    folder: SweepFolder,
    plan: Plan,
    manifest: dict[str, Any],
    buffer: dict[int, set[int]],
    names: list[str],
) -> None:
    for chunk in sorted(buffer):
        tasks = plan.chunk_tasks(chunk)
        if len(buffer[chunk]) < len(tasks):
            continue
        ordered = [folder.read_staged(i) for i in tasks]
        folder.write_chunk(chunk, ordered, names)
        for index, result in zip(tasks, ordered, strict=True):
            if "error" in result:
                point, run = divmod(index, plan.runs)
                manifest["failed"].append({"point": point, "run": run, **result})
        manifest["chunks_done"] = sorted({*manifest["chunks_done"], chunk})
        manifest["runs_done"] = sum(len(plan.chunk_tasks(c)) for c in manifest["chunks_done"])
        folder.write_manifest(manifest)
        folder.unstage(tasks)
        del buffer[chunk]


# ------------------------------------------------------------------ reading


def read_outcomes(path: Path) -> pd.DataFrame:
    """The outcomes table of a sweep folder (one row per finished run)."""
    return pd.read_parquet(Path(path) / f"{OUTCOMES}.parquet")


def point_summary(design: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per design point: runs, polarity fractions and median outcomes."""
    from sim.metrics import POLARITIES

    grouped = outcomes.groupby("point")
    table = pd.DataFrame({"runs": grouped.size()})
    for kind in POLARITIES:
        table[f"p_{kind}"] = grouped["polarity"].apply(lambda s, k=kind: float((s == k).mean()))
    for column in ("leader_share", "con", "effective_poles", "bloc_leader_share"):
        table[f"{column}_median"] = grouped[column].median()
    return design.set_index("point").join(table, how="left").reset_index()


def run_sweep(
    scenario: str | Path | dict,
    out: str | Path,
    *,
    grid: list[str] | None = None,
    ranges: list[str] | None = None,
    sample: str | None = None,
    n: int | None = None,
    vary: list[str] | None = None,
    levels: int | None = None,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    overrides: list[str] | None = None,
    jobs: int | None = None,
    backend: str = "process",
    address: str | None = None,
    resume: bool = False,
    progress: bool = False,
) -> Path:
    """Run a sweep from Python, with the command line's options; return its folder.

    Example:
        >>> from sim import run_sweep
        >>> folder = run_sweep(  # doctest: +SKIP
        ...     "scenarios/sanctions.yaml", "results/finance-sweep",
        ...     grid=["events.western_sanctions_2014.sectors.finance=0.1,0.5,1.0"], runs=20)
        >>> pd.read_parquet(folder / "outcomes.parquet")  # doctest: +SKIP
    """
    options = DesignOptions(
        grid=list(grid or []),
        ranges=list(ranges or []),
        sample=sample,
        n=n,
        vary=list(vary or []),
        levels=levels,
    )
    located, config = load_sweep(scenario, options, overrides, runs=runs, seed=seed, years=years)
    plan = build_plan(located, config)
    execute(plan, Path(out), jobs, backend, address, resume, progress)
    return Path(out)
