"""Running replicates: one run is a function of (scenario, seed); many runs map it over seeds.

Replicate seeds are spawned from the master seed with
``numpy.random.SeedSequence(seed).spawn(runs)``, and results are put back in run
order, so the tables are identical whatever the number of worker processes. A
scenario with uncertainties gives each run its own values of them, drawn in this
process before any run starts (``sim.uncertainty``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from sim.analysis import backtest
from sim.analysis.summary import summarize
from sim.errors import RunFailed
from sim.experiments.engine import ensemble_size, groups, run_groups, run_one, run_together
from sim.experiments.parquet import write_parquet
from sim.experiments.settings import Execution
from sim.recorder import TABLES
from sim.scenario.loader import load, load_located, load_scenario  # noqa: F401 (load: its home)
from sim.scenario.schema import ScenarioConfig
from sim.uncertainty import parameters_table, run_configs


def replicate_seeds(seed: int, runs: int) -> list[np.random.SeedSequence]:
    """Independent seeds for ``runs`` replicates, all derived from one master seed."""
    return np.random.SeedSequence(seed).spawn(runs)


def run_replicate(config: ScenarioConfig, run: int, seed: np.random.SeedSequence) -> dict[str, Any]:
    """Run one replicate and return its four tables as columns (a picklable task)."""
    return _tables(run_one(config, seed, run))


def run_replicates_together(
    configs: list[ScenarioConfig],
    runs: list[int],
    seeds: list[np.random.SeedSequence],
    dyads_to: Path | None = None,
) -> list[dict[str, Any]]:
    """``run_replicate`` for several runs advanced together (``sim.ensemble``): the same tables.

    With ``dyads_to`` (a Parquet dataset's folder), the runs' dyads are written there
    as one part, named for the first run, and not returned: the largest table (at
    193 states, 1.9 million rows a run) goes to disk from the worker that made it
    instead of through the parent, which would otherwise receive, join and write
    every run's in turn (docs/performance.md).
    """
    tables = [_tables(columns) for columns in run_together(configs, seeds, runs)]
    if dyads_to is not None:
        dyads = _joined([table.pop("dyads") for table in tables])
        write_parquet(dyads, dyads_to / f"part-{runs[0]:06d}.parquet")
    return tables


def _tables(columns: dict[str, Any]) -> dict[str, Any]:
    """A run's four tables, as the columns it recorded (no DataFrame until they are joined)."""
    return {name: columns[name] for name in TABLES}


@dataclass
class Results:
    """The tables and summary of a set of replicates of one scenario."""

    scenario: ScenarioConfig
    seed: int
    runs: int
    states: pd.DataFrame
    dyads: pd.DataFrame  # or, while it is only on disk, its Parquet dataset's path
    system: pd.DataFrame
    events: pd.DataFrame
    summary: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    backtest: dict[str, Any] | None = None
    parameters: pd.DataFrame | None = None  # run + each uncertain path's value (sim.uncertainty)
    folder: Path | None = None  # where the results were written or read, if anywhere
    failed: dict[int, RunFailed] = field(default_factory=dict)  # runs left out, by run

    def __getattribute__(self, name: str) -> Any:
        """A table held on disk (its Parquet dataset's path) is read on first use."""
        value = object.__getattribute__(self, name)
        if name in TABLES and isinstance(value, Path):
            value = pd.read_parquet(value)
            object.__setattr__(self, name, value)
        return value

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four tables by name."""
        return {name: getattr(self, name) for name in TABLES}

    def in_memory(self) -> dict[str, pd.DataFrame]:
        """The tables held in memory, by name (not those still only on disk)."""
        return {name: vars(self)[name] for name in TABLES if not isinstance(vars(self)[name], Path)}

    def moved(self, folder: Path) -> None:
        """The results' folder is now ``folder``: a table on disk is read from there."""
        self.folder = folder
        for name in TABLES:
            if isinstance(vars(self)[name], Path):
                vars(self)[name] = folder / vars(self)[name].name


def run_replicates(
    config: ScenarioConfig,
    execution: Execution = Execution(),  # noqa: B008 - frozen
    configs: list[ScenarioConfig] | None = None,
    failed: dict[int, RunFailed] | None = None,
    dyads_to: Path | None = None,
) -> list[dict[str, Any]]:
    """Run every replicate, in this process or on workers, and return them in run order.

    Each run gets its own scenario, ``config`` with the run's draws of its
    uncertainties (``configs``, by default ``sim.uncertainty.run_configs``). Runs of a
    small world are advanced together in ensembles (``sim.ensemble``), with the same
    tables as one at a time. A run whose world stops being finite (``RunFailed``)
    is put in ``failed``, if given, and left out; any other error stops them all.
    """
    runs, seed = config.runs, config.seed
    seeds = replicate_seeds(seed, runs)
    configs = configs or run_configs(config, runs, seed)
    show = execution.progress
    bar = tqdm(total=runs, desc=config.name, unit="run", disable=not show, leave=False)
    done: dict[int, dict[str, Any]] = {}

    def finish(run: int, tables: dict[str, Any]) -> None:
        done[run] = tables
        bar.update()

    def fail(run: int, error: BaseException) -> None:
        if failed is None or not isinstance(error, RunFailed):
            raise error
        failed[run] = error
        bar.update()

    execution = replace(execution, jobs=min(execution.workers, runs))
    size = ensemble_size(len(config.world.states))
    try:
        run_groups(
            run_replicates_together,
            groups(list(range(runs)), size, execution.workers),
            lambda group: (
                [configs[run] for run in group],
                group,
                [seeds[run] for run in group],
                dyads_to,
            ),
            finish,
            fail,
            execution,
        )
    finally:
        bar.close()
    return [done[run] for run in range(runs) if run in done]


def combine(parts: list[dict[str, Any]], dyads_at: Path | None = None) -> dict[str, Any]:
    """Join the runs' tables, each given as columns, into one DataFrame each.

    Each column is joined once, over every run (state ids keep their categorical
    type), and each table becomes a DataFrame once: building a DataFrame for every
    run and concatenating them cost the workers and the parent a millisecond or more
    a run (docs/performance.md). Dyads the workers wrote to ``dyads_at`` stay there,
    as its path.
    """
    tables = {name: _joined([part[name] for part in parts]) for name in TABLES if name in parts[0]}
    if dyads_at is not None:  # the workers wrote them (``run_replicates_together``)
        tables["dyads"] = dyads_at
    return {name: tables[name] for name in TABLES}


def _joined(tables: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows of ``tables`` (columns by name, the same in each), in order."""
    joined: dict[str, Any] = {}
    for column, first in tables[0].items():
        values = [table[column] for table in tables]
        if isinstance(first, pd.Categorical):
            codes = np.concatenate([value.codes for value in values])
            joined[column] = pd.Categorical.from_codes(codes, dtype=first.dtype)
        else:
            joined[column] = np.concatenate(values)
    return pd.DataFrame(joined, copy=False)


def run_scenario(
    config: ScenarioConfig,
    execution: Execution = Execution(),  # noqa: B008 - frozen
    dyads_to: Path | None = None,
) -> Results:
    """Run a loaded scenario's replicates and return their tables and summary.

    Args:
        config: The scenario, as ``load`` returns it (its runs, seed and years).
        execution: ``jobs`` (worker processes; ``None`` or 0 uses every core) and
            ``progress`` (show a progress bar).
        dyads_to: A folder for the dyads as a Parquet dataset, which the workers
            write; the results then hold its path and read it on first use.

    Returns:
        The results: ``states``, ``dyads``, ``system``, ``events`` DataFrames and ``summary``.
    """
    started = time.perf_counter()
    configs = run_configs(config, config.runs, config.seed)
    failed: dict[int, RunFailed] = {}
    if dyads_to is not None:
        dyads_to.mkdir(exist_ok=True)
    parts = run_replicates(config, execution, configs, failed, dyads_to)
    elapsed = time.perf_counter() - started
    if not parts:
        raise every_run_failed(failed)
    tables = combine(parts, dyads_to)
    parameters = parameters_table(configs)
    if parameters is not None and failed:
        parameters = parameters[~parameters["run"].isin(list(failed))].reset_index(drop=True)
    checked = None
    if config.backtest:
        read = {
            name: pd.read_parquet(t) if isinstance(t, Path) else t for name, t in tables.items()
        }
        checked = backtest.report(read, list(config.world.states))
    results = Results(
        config,
        config.seed,
        config.runs,
        **tables,
        summary=summarize(config, tables, parameters),
        timings={"runs_seconds": elapsed},
        backtest=checked,
        parameters=parameters,
    )
    results.failed = dict(sorted(failed.items()))
    results.summary.update(failed_runs(results.failed))
    return results


def failed_runs(failed: dict[int, RunFailed]) -> dict[str, Any]:
    """The ``failed_runs`` entry of summary.json (nothing when every run finished)."""
    if not failed:
        return {}
    return {"failed_runs": [{"run": run, "error": str(error)} for run, error in failed.items()]}


def every_run_failed(failed: dict[int, RunFailed]) -> RunFailed:
    """The error of a scenario none of whose runs finished: the first run's, said so."""
    run, first = min(failed.items())
    many = f"every one of the {len(failed)} runs failed; run {run}: " if len(failed) > 1 else ""
    return RunFailed(many + first.message, first.entry, first.year, first.state, first.field)


def placed(error: RunFailed, source: Any, overrides: list[str] | None) -> RunFailed:
    """``error`` placed at the scenario entry it blames, in file:line form.

    Runs raise their failures unlocated (a worker has no scenario file); ``source``,
    the scenario as given (a file or a dict), is read again to find where the entry
    was written. A loaded ``ScenarioConfig`` has no file: the error stays as it is.
    """
    if isinstance(source, ScenarioConfig):
        return error
    return error.located(load_located(source, overrides))


def run_placed(
    config: ScenarioConfig,
    execution: Execution,
    source: Any,
    overrides: list[str] | None,
    dyads_to: Path | None = None,
) -> Results:
    """``run_scenario``, every failure ``placed`` where the entry it blames is written.

    Raises:
        RunFailed: Every run failed (placed like the others).
    """
    try:
        results = run_scenario(config, execution, dyads_to)
    except RunFailed as failed:
        raise placed(failed, source, overrides) from None
    if results.failed:
        results.failed = {run: placed(e, source, overrides) for run, e in results.failed.items()}
        results.summary.update(failed_runs(results.failed))
    return results


def load_folder(folder: str | Path) -> Results:
    """Read a run folder written by ``sim run`` back into Results.

    Raises:
        ScenarioError: If the folder is not a finished run folder, or a file in it is
            damaged (a manifest field missing, a table unreadable or lacking columns);
            the message names the file and the field.
    """
    from sim.errors import Problem, ScenarioError
    from sim.folder_checks import need_fields, read_json, read_table

    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise ScenarioError(
            Problem(str(folder), 0, 0, "", "not a finished run folder (no manifest.json)")
        )
    manifest = read_json(manifest_path)
    need_fields(manifest, manifest_path, {"seed": int, "runs": int})
    config = load(folder / "scenario.yaml")
    tables = {name: read_table(folder / f"{name}.parquet", required=("run",)) for name in TABLES}
    summary = read_json(folder / "summary.json")
    checked = folder / "backtest.json"
    drawn = folder / "parameters.parquet"
    return Results(
        config,
        manifest["seed"],
        manifest["runs"],
        **tables,
        summary=summary,
        timings=manifest.get("timings", {}),
        backtest=read_json(checked) if checked.is_file() else None,
        parameters=read_table(drawn) if drawn.is_file() else None,
        folder=folder,
        failed={f["run"]: RunFailed(f["error"]) for f in manifest.get("failed_runs", [])},
    )
