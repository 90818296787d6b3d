"""The one way runs are made: ``run_one`` runs a replicate, ``run_tasks`` maps runs over workers.

``sim.run`` (``sim.experiments.runner``) and sweeps (``sim.experiments.sweep``)
both run every replicate through ``run_one`` and hand their runs to ``run_tasks``,
on any backend of ``sim.experiments.executors``. A run's seed is fixed before it
is submitted and results are handed back with their index, so what a run gives
never depends on the number of workers, the backend or the order runs finish in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Executor, Future, wait
from typing import Any

import numpy as np

from sim.experiments.executors import open_executor, process_pool
from sim.recorder import TABLES
from sim.scenario.schema import Scenario

OUTCOMES = "outcomes"
Columns = dict[str, Any]  # a table as named columns (numpy arrays or lists)
Finish = Callable[[int, Any], None]
Fail = Callable[[int, BaseException], None]


def run_one(
    config: Scenario,
    seed: np.random.SeedSequence,
    run: int = 0,
    tables: tuple[str, ...] = TABLES,
) -> dict[str, Columns]:
    """Run one replicate of a scenario and return its tables as columns.

    Args:
        config: The scenario, with this run's values of any uncertain fields set.
        seed: The replicate's seed (``runner.replicate_seeds``).
        run: The replicate's number, written in every table's ``run`` column.
        tables: The recorder's yearly tables to build (all by default).

    Returns:
        The ``tables`` asked for among ``states``, ``dyads``, ``system`` and
        ``events`` (the recorder's yearly tables), and ``outcomes``: one row
        saying where the run ended (``sim.analysis.outcomes``).
    """
    from sim.model import WorldModel  # here, so that a sweep's parent never imports Mesa

    model = WorldModel(config, rng=np.random.default_rng(seed), tables=tables)
    model.run()
    tables = model.recorder.columns(run, tables)
    ended = {"run": [np.int32(run)]}
    ended.update({name: [value] for name, value in model.recorder.outcomes().items()})
    model.recorder.release()  # not left to the cycle collector (Recorder.release)
    tables[OUTCOMES] = ended
    return tables


class WorkerDied(RuntimeError):
    """The worker process running a run died outright (a crash, the out-of-memory killer)."""

    def __init__(self) -> None:
        super().__init__("the worker process running this run died (crash or killed)")


def run_tasks(
    task: Callable[..., Any],
    todo: Iterable[int],
    arguments: Callable[[int], tuple],
    finish: Finish,
    fail: Fail,
    jobs: int = 1,
    backend: str = "process",
    address: str | None = None,
) -> None:
    """Call ``task(*arguments(i))`` for every ``i`` in ``todo`` on ``jobs`` workers.

    Each result goes to ``finish(i, result)`` as soon as it arrives (in the order
    runs finish), each exception to ``fail(i, error)``; either may raise to stop.
    At most ``2 * jobs`` runs are in flight, so arguments are built as they are
    needed. If a worker process dies, the runs that were in flight are rerun one
    at a time to find the one that killed it (it fails with ``WorkerDied``), and
    a fresh pool takes the rest.

    Args:
        task: A picklable top-level function.
        todo: The indices of the runs to make.
        arguments: The arguments of run ``i``.
        finish: Called with each result.
        fail: Called with each run's exception.
        jobs: Workers; 1 runs everything in this process.
        backend: ``process`` or ``dask`` (``sim.experiments.executors``).
        address: A Dask scheduler; without it a local cluster is started.

    Raises:
        KeyboardInterrupt: After Ctrl-C, once the runs already going have
            finished and been handed to ``finish``.
    """
    queue = deque(todo)
    window = max(2 * jobs, 4)
    while queue:
        with open_executor(backend, jobs, address) as executor:
            suspects = _pump(executor, queue, window, task, arguments, finish, fail)
        for index in suspects:
            _alone(index, task, arguments, finish, fail)


def _pump(
    executor: Executor,
    queue: deque[int],
    window: int,
    task: Callable[..., Any],
    arguments: Callable[[int], tuple],
    finish: Finish,
    fail: Fail,
) -> list[int]:
    """Keep ``window`` runs in flight until ``queue`` is empty or the pool breaks.

    Returns:
        The runs whose fate is unknown because the pool broke (empty otherwise).
    """
    pending: dict[Future, int] = {}
    broken = False
    try:
        while True:
            while not broken and len(pending) < window and queue:
                index = queue.popleft()
                try:
                    pending[executor.submit(task, *arguments(index))] = index
                except BrokenExecutor:
                    queue.appendleft(index)
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
                except Exception as err:  # noqa: BLE001 - the caller decides: record or raise
                    fail(index, err)
                    continue
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


def _alone(
    index: int,
    task: Callable[..., Any],
    arguments: Callable[[int], tuple],
    finish: Finish,
    fail: Fail,
) -> None:
    """Rerun one run that was in flight when a worker died, in a pool of its own."""
    with process_pool(1) as pool:
        future = pool.submit(task, *arguments(index))
        try:
            result = future.result()
        except BrokenExecutor:
            fail(index, WorkerDied())
            return
        except Exception as err:  # noqa: BLE001 - the caller decides: record or raise
            fail(index, err)
            return
    finish(index, result)
