"""Parameter sweeps: design points x replicates, streamed to disk, resumable after any stop.

Every run goes through ``sim.experiments.engine``, as the replicates of ``sim.run``
do: consecutive runs of a small world are advanced together as an ensemble
(``run_together``, ``sim.ensemble``) on the workers ``run_groups`` keeps busy, with
the same tables as one at a time. Runs are numbered in (point, run) order and
grouped into fixed chunks. How a run's results reach the folder
(``sim.experiments.sweep_folder``):

1. the worker returns each run's tables as Arrow tables (or its error);
2. they are staged at once in ``.staging/<task>.arrow`` (written to a hidden
   name, then renamed), so a finished run survives any later stop;
3. when every run of a chunk is staged, the chunk's part files are written
   (temporary name, then rename) and the chunk is recorded as done in the
   manifest (rewritten atomically); only then are its staged files removed.

``resume`` reads the manifest and the staging area and runs only what is in
neither. Because a chunk's parts always hold the same runs in the same order,
an interrupted and resumed sweep writes the same files as an uninterrupted one.
A finished sweep gets ``summary.json`` (per design point) and, from the caller's
``draw``, its figures.
"""

from __future__ import annotations

import json
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim.design import point_config
from sim.errors import Problem, ScenarioError
from sim.experiments.engine import OUTCOMES, ensemble_size, groups, run_groups
from sim.experiments.executors import resolve_jobs
from sim.experiments.folders import RESULTS_ROOT, atomic_write, check_out, resolved_yaml
from sim.experiments.sweep_folder import SweepFolder, read_outcomes, stage
from sim.experiments.sweep_plan import (
    DesignOptions,
    Plan,
    build_plan,
    check_tables,
    load_sweep,
    option_error,
)
from sim.experiments.sweep_runs import run_group
from sim.scenario.schema import Scenario
from sim.uncertainty import draw as draw_uncertainties

RESUME_HINT = " (add --resume to finish it)"


# ------------------------------------------------------------------ the result


@dataclass
class SweepResult:
    """A finished sweep.

    Attributes:
        folder: The sweep folder.
        scenario: The base scenario (swept fields' uncertainties removed).
        design: One row per design point: ``point`` and each swept path's value.
        outcomes: One row per finished run: ``point``, ``run``, where the run
            ended and the values of its uncertain fields.
        summary: One row per design point: its values, finished runs, the share
            of runs ending in each polarity and median outcomes (``summary.json``).
        manifest: The folder's manifest: design, seeds, failed runs, provenance.
    """

    folder: Path
    scenario: Scenario
    design: pd.DataFrame
    outcomes: pd.DataFrame
    summary: pd.DataFrame
    manifest: dict[str, Any]

    def table(self, rows: int = 20) -> str:
        """The per-point table, failures and timing, as the command line prints them."""
        shown = self.summary.head(rows)
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            lines = [shown.to_string(index=False, float_format=lambda v: f"{v:.3g}")]
        if len(self.summary) > len(shown):
            more = len(self.summary) - len(shown)
            lines.append(f"… {more} more points in {self.folder / 'summary.json'}")
        failed = self.manifest["failed"]
        if failed:
            first = failed[0]
            lines.append(
                f"{len(failed)} runs failed (recorded in manifest.json), e.g. point "
                f"{first['point']} run {first['run']}: {first['error']}"
            )
        seconds = self.manifest.get("timings", {}).get("runs_seconds", 0.0)
        lines.append(
            f"\n{self.manifest['tasks']} runs in {seconds:.1f} s; sweep written to {self.folder}"
        )
        return "\n".join(lines)


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


def every_run_failed(out: Path, error: str) -> ScenarioError:
    """The error of a sweep none of whose runs finished (the folder keeps the record)."""
    hint = ""
    if error.startswith("WorkerDied"):
        hint = (
            "; worker processes that die at once usually mean a Python script that starts "
            'runs on several processes without `if __name__ == "__main__":` around its code'
        )
    message = f"every run failed (recorded in manifest.json), the first with {error}{hint}"
    return ScenarioError(Problem(str(out), 0, 0, "", message))


def summarize(plan: Plan, out: Path, manifest: dict[str, Any]) -> SweepResult:
    """Write ``summary.json`` of a finished sweep and return the sweep's result."""
    if len(manifest["failed"]) >= plan.tasks:
        raise every_run_failed(out, manifest["failed"][0]["error"])
    outcomes = read_outcomes(out)
    summary = point_summary(plan.design, outcomes)
    data = {
        "scenario": plan.config.name,
        "design": manifest["design"],
        "runs_per_point": plan.runs,
        "runs_done": int(len(outcomes)),
        "runs_failed": len(manifest["failed"]),
        "failed_runs": [
            {key: failure[key] for key in ("point", "run", "error")}
            for failure in manifest["failed"]
        ],
        "points": json.loads(summary.to_json(orient="records", double_precision=6)),
    }
    atomic_write(out / "summary.json", json.dumps(data, indent=1) + "\n")
    return SweepResult(out, plan.config, plan.design, outcomes, summary, manifest)


# ------------------------------------------------------------------ preparing


def plan_sweep(
    scenario: str | Path | dict | None,
    design: DesignOptions,
    overrides: list[str] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    tables: list[str] | None = None,
    out: str | Path | None = None,
    resume: bool = False,
) -> Plan:
    """The checked plan of a sweep; without ``scenario``, that of the sweep to resume in ``out``."""
    if scenario is None:
        if not (resume and out is not None):
            raise option_error("scenario", "give a scenario file (or --resume --out DIR)")
        scenario = Path(out) / "scenario.yaml"
        if not scenario.is_file():
            raise option_error("--out", f"{out} holds no sweep to resume (no scenario.yaml)")
    located, config = load_sweep(scenario, design, overrides, runs=runs, seed=seed, years=years)
    return build_plan(located, config, tables=check_tables(tables))


def choose_folder(name: str, out: str | Path | None, resume: bool, kind: str = "sweep") -> Path:
    """The sweep's folder, checked: ``out``, or ``results/NAME/KIND-TIMESTAMP`` when None."""
    if out is None:
        if resume:
            raise option_error("--resume", "needs --out DIR, the folder of the sweep to finish")
        return RESULTS_ROOT / name / f"{kind}-{datetime.now():%Y%m%d-%H%M%S}"
    out = Path(out)
    if not resume:  # before anything runs or is printed, as every other mistake
        check_out(out, RESUME_HINT if (out / "manifest.json").is_file() else "")
    return out


def run_sweep(
    plan: Plan,
    out: Path,
    jobs: int | None = None,
    backend: str = "process",
    address: str | None = None,
    resume: bool = False,
    progress: bool = False,
    argv: list[str] | None = None,
    draw: Callable[[SweepResult, Path], object] | None = None,
) -> SweepResult:
    """Run (or finish) a sweep into ``out``, write its summary and figures, return its result.

    Args:
        plan: The design and run settings (``plan_sweep``).
        out: The sweep folder (``choose_folder``).
        jobs: Worker processes (default: every core).
        backend: ``process`` or ``dask``.
        address: Dask scheduler address; without it a LocalCluster is started.
        resume: Continue the sweep already in ``out``.
        progress: Say what runs and show a progress bar, on stderr.
        argv: The command line, for the manifest.
        draw: ``draw(result, folder)`` adds the figures (``sim.plots.sweep``).

    Raises:
        KeyboardInterrupt: After Ctrl-C or SIGTERM, once every finished run is kept.
    """
    if progress:
        print(plan.describe(out), file=sys.stderr)
    manifest = execute(plan, out, jobs, backend, address, resume, progress, argv)
    result = summarize(plan, out, manifest)
    if draw is not None:
        draw(result, out)
    return result


# ------------------------------------------------------------------ execution


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C."""


def _raise_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Terminated


def execute(
    plan: Plan,
    out: Path,
    jobs: int | None = None,
    backend: str = "process",
    address: str | None = None,
    resume: bool = False,
    progress: bool = False,
    argv: list[str] | None = None,
    task: Callable[..., list[dict[str, Any]]] = run_group,
) -> dict[str, Any]:
    """Run (or finish) a sweep's runs into ``out`` and return its final manifest.

    Args:
        plan: The design and run settings (``build_plan``).
        out: The sweep folder; must be new or empty unless ``resume``.
        jobs: Worker processes (default: every core).
        backend: ``process`` or ``dask``.
        address: Dask scheduler address; without it a LocalCluster is started.
        resume: Continue the sweep in ``out`` (it must have the same plan); a
            folder where no sweep has begun yet is started afresh.
        progress: Show a progress bar (runs done, rate, ETA).
        argv: The command line, for the manifest.
        task: The function that makes a group of runs (``run_group``).

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
        _run(folder, plan, manifest, jobs, backend, address, progress, task)
        manifest["status"] = "complete"
    except KeyboardInterrupt:
        manifest["status"] = "interrupted"
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        timings = manifest.setdefault("timings", {})
        elapsed = timings.get("runs_seconds", 0.0) + time.perf_counter() - started
        timings["runs_seconds"] = round(elapsed, 3)
        folder.write_manifest(manifest)
        folder.unlock()
    return manifest


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
    jobs: int,
    backend: str,
    address: str | None,
    progress: bool,
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
    staging = str(folder.staging) if backend == "process" else None
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
        disable=not progress,
        smoothing=0.05,
    ) as bar:
        # chunks already complete in staging (stopped between staging and writing)
        _commit_ready(folder, plan, manifest, buffer, names)
        size = ensemble_size(len(plan.config.world.states))
        run_groups(task, groups(todo, size, jobs), arguments, finish, fail, jobs, backend, address)
    shutil.rmtree(folder.staging, ignore_errors=True)


def _point_configs(plan: Plan) -> Callable[[int, int], Scenario]:
    """The scenario of (point, run): the point's values and, if any, the run's draws.

    Run r of every point draws the same values (common random numbers, like its
    seed). Recently built scenarios are kept, since runs come in point order.
    """
    base = plan.config.model_dump(mode="json")
    columns = [c for c in plan.design.columns if c != "point"]
    drawn = draw_uncertainties(plan.config.active_uncertainties(), plan.runs, plan.seed)
    uncertain = [c for c in drawn.columns if c != "run"]
    configs: dict[tuple[int, int], Scenario] = {}

    def config_of(point: int, run: int) -> Scenario:
        key = (point, run if uncertain else 0)
        if key not in configs:
            if len(configs) > 64:
                configs.clear()
            row = plan.design.iloc[point]
            values = {c: row[c] for c in columns} | {c: drawn.at[run, c] for c in uncertain}
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
