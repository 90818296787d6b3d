"""How a sweep's runs are made on the workers and handed to its folder.

A group of consecutive runs is advanced together as an ensemble (``run_group``,
``sim.experiments.engine.run_together``), with the same tables as one at a time;
each run's tables become Arrow tables with their design point, and a local worker
stages them itself (``sim.experiments.sweep.folder.stage``) so that nothing large
crosses the pipe. A run that raises does not stop the sweep: its error is recorded.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from sim.errors import RunFailed
from sim.experiments.engine import OUTCOMES, run_one, run_together
from sim.experiments.sweep.folder import stage
from sim.recorder import TABLES
from sim.scenario.schema import ScenarioConfig
from sim.uncertainty import drawn_values


def run_task(
    config: ScenarioConfig,
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
    try:
        result = _arrow(run_one(config, seed, run, tables), config, point, tables)
    except Exception as err:  # noqa: BLE001 - recorded, not hidden
        result = {"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()}
        if isinstance(err, RunFailed):  # placed in the scenario file by the sweep (sweep.placed)
            result["blame"] = {"entry": list(err.entry), "message": err.message}
    return _handed(result, staging, task)


Run = tuple[ScenarioConfig, int, int, np.random.SeedSequence, int]  # config, point, run, seed, task


def run_group(
    runs: list[Run], tables: tuple[str, ...] = TABLES, staging: str | None = None
) -> list[dict[str, Any]]:
    """Several runs advanced together (``run_together``), each handed on as ``run_task`` does.

    If the ensemble raises, every run is made again alone (``run_task``), so that the
    error is recorded against the run that raised and the others are kept.
    """
    try:
        together = run_together(
            [config for config, *_ in runs],
            [seed for *_, seed, _ in runs],
            [run for _, _, run, *_ in runs],
            tables,
        )
    except Exception:  # noqa: BLE001 - each run made again alone records its own error
        return [run_task(*args[:4], tables, staging, args[4]) for args in runs]
    return [
        _handed(_arrow(columns, config, point, tables), staging, task)
        for columns, (config, point, _, _, task) in zip(together, runs, strict=True)
    ]


def _arrow(columns: dict[str, Any], config: ScenarioConfig, point: int, tables: tuple[str, ...]):
    """A run's tables as Arrow tables with their point, and the values it drew beside its end."""
    columns[OUTCOMES].update({p: [v] for p, v in drawn_values(config).items()})
    result: dict[str, Any] = {"tables": {}}
    for name in (*tables, OUTCOMES):
        rows = len(columns[name]["run"])
        point_column = np.full(rows, point, np.int32)
        result["tables"][name] = pa.table({"point": point_column, **columns[name]})
    return result


def _handed(result: dict[str, Any], staging: str | None, task: int) -> dict[str, Any]:
    """The result itself, or, with ``staging`` (local workers), staged here and a receipt."""
    if staging is None:
        return result
    stage(Path(staging), task, result)
    return {"staged": True}
