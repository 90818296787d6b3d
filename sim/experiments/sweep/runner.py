"""Running a sweep's plan into its folder, from the parent process; resumable after any stop.

How a run's results reach the folder is told in ``sim.experiments.sweep``.
"""

from __future__ import annotations

import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from sim.design import point_config
from sim.errors import Problem, ScenarioError
from sim.experiments.engine import OUTCOMES, ensemble_size, groups, run_groups
from sim.experiments.folders import atomic_write, check_out, resolved_yaml
from sim.experiments.settings import Execution, Output
from sim.experiments.sweep.folder import SweepFolder, stage
from sim.experiments.sweep.plan import RESUME_HINT, Plan
from sim.experiments.sweep.result import SweepResult, summarize
from sim.experiments.sweep.worker import run_group
from sim.scenario.schema import ScenarioConfig
from sim.uncertainty import draw as draw_uncertainties


def run_sweep(
    plan: Plan,
    execution: Execution,
    output: Output,
    draw: Callable[[SweepResult, Path], object] | None = None,
) -> SweepResult:
    """Run (or finish) a sweep into ``output.out``, write its summary and figures.

    Args:
        plan: The design and run settings (``plan_sweep``).
        execution: How the runs are made, and whether to ``resume`` the sweep
            already in the folder; with ``progress``, what runs is said on stderr.
        output: ``out``, the sweep folder (``choose_folder``), and ``argv``, the
            command line for the manifest.
        draw: ``draw(result, folder)`` adds the figures (``sim.plots.sweep``).

    Raises:
        KeyboardInterrupt: After Ctrl-C or SIGTERM, once every finished run is kept.
    """
    out = Path(output.out)
    if execution.progress:
        print(plan.describe(out), file=sys.stderr)
    manifest = execute(plan, execution, output)
    result = summarize(plan, out, manifest)
    if draw is not None:
        draw(result, out)
    return result


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C."""


def _raise_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Terminated


def execute(
    plan: Plan,
    execution: Execution,
    output: Output,
    task: Callable[..., list[dict[str, Any]]] = run_group,
) -> dict[str, Any]:
    """Run (or finish) a sweep's runs into ``output.out`` and return its final manifest.

    Args:
        plan: The design and run settings (``build_plan``).
        execution: ``jobs``, ``backend`` and ``address`` (where the runs are made),
            ``progress`` (a progress bar: runs done, rate, ETA) and ``resume``
            (continue the sweep in the folder, which must have the same plan; a
            folder where no sweep has begun yet is started afresh).
        output: ``out``, the sweep folder (new or empty unless ``resume``), and
            ``argv``, the command line for the manifest.
        task: The function that makes a group of runs (``run_group``).

    Raises:
        KeyboardInterrupt: After Ctrl-C or SIGTERM, once every finished run is staged.
    """
    folder = SweepFolder(Path(output.out))
    before = set(folder.path.iterdir()) if folder.path.is_dir() else None
    fresh = not execution.resume or folder.unstarted()
    manifest = _open(folder, plan, execution.resume, output.argv)
    folder.lock()
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    started = time.perf_counter()
    never_started = False
    try:
        _run(folder, plan, manifest, execution, task)
        manifest["status"] = "complete"
    except KeyboardInterrupt:
        manifest["status"] = "interrupted"
        raise
    except ScenarioError:  # the backend or the folder failed: a sweep that ran nothing goes
        never_started = fresh and not manifest["runs_done"] and not folder.staged()
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        try:
            if never_started:
                _remove_new(folder.path, before)
            else:
                timings = manifest.setdefault("timings", {})
                elapsed = timings.get("runs_seconds", 0.0) + time.perf_counter() - started
                timings["runs_seconds"] = round(elapsed, 3)
                folder.write_manifest(manifest)
        finally:
            folder.unlock()
    return manifest


def _remove_new(path: Path, before: set[Path] | None) -> None:
    """Remove what a sweep that never started wrote: the folder, or its new entries."""
    if before is None:
        shutil.rmtree(path, ignore_errors=True)
        return
    for entry in set(path.iterdir()) - before:
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _open(folder: SweepFolder, plan: Plan, resume: bool, argv: list[str] | None) -> dict:
    """The manifest to go on with: the folder's own (resume) or a new sweep's."""
    if resume and not folder.unstarted():
        return _reopen(folder, plan, argv)
    if not (resume and folder.path.exists()):
        hint = RESUME_HINT if folder.manifest_path.exists() else ""
        check_out(folder.path, hint)
    return _start(folder, plan, argv)


def _reopen(folder: SweepFolder, plan: Plan, argv: list[str] | None) -> dict:
    manifest = folder.read_manifest()
    differs = [key for key, value in plan.identity().items() if manifest.get(key) != value]
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


def _start(folder: SweepFolder, plan: Plan, argv: list[str] | None) -> dict:
    from sim.experiments.folders import run_provenance

    folder.path.mkdir(parents=True, exist_ok=True)
    folder.write_design(plan.design)
    atomic_write(folder.path / "scenario.yaml", resolved_yaml(plan.config))
    manifest = {
        "kind": "sweep",
        "status": "running",
        **plan.identity(),
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
    execution: Execution,
    task: Callable[..., list[dict[str, Any]]],
) -> None:
    """Run every run neither written nor staged; commit chunks as they fill."""
    names = [*plan.tables, OUTCOMES]
    done_chunks = set(manifest["chunks_done"])
    buffer: dict[int, set[int]] = {}  # chunk -> its runs staged so far
    for index in folder.staged():
        if plan.chunk_of(index) not in done_chunks:
            buffer.setdefault(plan.chunk_of(index), set()).add(index)
    staged = {i for chunk in buffer.values() for i in chunk}
    todo = [i for i in range(plan.tasks) if plan.chunk_of(i) not in done_chunks and i not in staged]
    seeds = np.random.SeedSequence(plan.seed).spawn(plan.runs)
    config_of = _point_configs(plan)
    # local workers stage their own results; remote ones (Dask) send them here
    staging = str(folder.staging) if execution.backend == "process" else None
    folder.staging.mkdir(exist_ok=True)

    def arguments(group: list[int]) -> tuple:
        runs = []
        for index in group:
            point, run = divmod(index, plan.runs)
            runs.append((config_of(point, run), point, run, seeds[run], index))
        return (runs, plan.tables, staging)

    def finish(index: int, result: dict[str, Any]) -> None:
        if not result.get("staged"):
            stage(folder.staging, index, result)
        buffer.setdefault(plan.chunk_of(index), set()).add(index)
        bar.update()
        _commit_ready(folder, plan, manifest, buffer, names)

    def fail(index: int, error: BaseException) -> None:
        trace = "".join(traceback.format_exception(error))
        finish(index, {"error": f"{type(error).__name__}: {error}", "traceback": trace})

    with tqdm(
        total=plan.tasks,
        initial=plan.tasks - len(todo),
        desc=f"{plan.config.name} sweep",
        unit="run",
        disable=not execution.progress,
        smoothing=0.05,
    ) as bar:
        # chunks already complete in staging (stopped between staging and writing)
        _commit_ready(folder, plan, manifest, buffer, names)
        size = ensemble_size(len(plan.config.world.states))
        together = groups(todo, size, execution.workers)
        run_groups(task, together, arguments, finish, fail, execution)
    shutil.rmtree(folder.staging, ignore_errors=True)


def _point_configs(plan: Plan) -> Callable[[int, int], ScenarioConfig]:
    """The scenario of (point, run): the point's values and, if any, the run's own draws.

    Every run of the sweep draws its own uncertainties: run ``r`` of point ``p`` takes
    row ``p * runs + r`` of one Latin hypercube over all the sweep's runs
    (``sim.uncertainty.draw`` over ``plan.tasks``), so a sweep of N runs holds N
    distinct draws of each uncertain field and no draw is counted twice. The replicate
    seeds stay common to the points (common random numbers). Without uncertainties,
    recently built scenarios are kept, since runs come in point order.
    """
    base = plan.config.model_dump(mode="json")
    columns = [c for c in plan.design.columns if c != "point"]
    drawn = draw_uncertainties(plan.config.active_uncertainties(), plan.tasks, plan.seed)
    uncertain = [c for c in drawn.columns if c != "run"]
    configs: dict[tuple[int, int], ScenarioConfig] = {}

    def config_of(point: int, run: int) -> ScenarioConfig:
        task = point * plan.runs + run
        key = (point, task if uncertain else 0)
        if key not in configs:
            if len(configs) > 64:
                configs.clear()
            row = plan.design.iloc[point]
            values = {c: row[c] for c in columns} | {c: drawn.at[task, c] for c in uncertain}
            configs[key] = point_config(base, values)
        return configs[key]

    return config_of


def placed(plan: Plan, result: dict[str, Any]) -> dict[str, Any]:
    """A failed run's record, a ``RunFailed`` placed where the entry it blames is written."""
    blame = result.pop("blame", None)
    if blame is None or plan.located is None:
        return result
    where = plan.located.problem(tuple(blame["entry"]), blame["message"])
    return {**result, "error": f"RunFailed: {where}"}


def _commit_ready(
    folder: SweepFolder,
    plan: Plan,
    manifest: dict[str, Any],
    buffer: dict[int, set[int]],
    names: list[str],
) -> None:
    """Write every chunk whose runs are all staged, and record it in the manifest."""
    for chunk in sorted(buffer):
        tasks = plan.chunk_tasks(chunk)
        if len(buffer[chunk]) < len(tasks):
            continue
        ordered = [folder.read_staged(i) for i in tasks]
        folder.write_chunk(chunk, ordered, names)
        for index, result in zip(tasks, ordered, strict=True):
            if "error" in result:
                point, run = divmod(index, plan.runs)
                manifest["failed"].append({"point": point, "run": run, **placed(plan, result)})
        manifest["chunks_done"] = sorted({*manifest["chunks_done"], chunk})
        manifest["runs_done"] = sum(len(plan.chunk_tasks(c)) for c in manifest["chunks_done"])
        folder.write_manifest(manifest)
        folder.unstage(tasks)
        del buffer[chunk]
