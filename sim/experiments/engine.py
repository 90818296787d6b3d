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
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.experiments.executors import open_executor, process_pool
from sim.experiments.settings import Execution
from sim.recorder import TABLES
from sim.scenario.schema import ScenarioConfig

if TYPE_CHECKING:
    from sim.ensemble import Ensemble

OUTCOMES = "outcomes"
Columns = dict[str, Any]  # a table as named columns (numpy arrays or lists)
Finish = Callable[[int, Any], None]
Fail = Callable[[int, BaseException], None]


def quiet_numbers() -> np.errstate:
    """Runs keep numpy's overflow, division and invalid-value warnings off the terminal.

    A run that overflows is stopped by the model's yearly check (``sim.finite``)
    with one located line; a raw RuntimeWarning would say less, later, and in
    every worker.
    """
    return np.errstate(all="ignore")


def run_one(
    config: ScenarioConfig,
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
    return run_together([config], [seed], [run], tables)[0]


def run_together(
    configs: list[ScenarioConfig],
    seeds: list[np.random.SeedSequence],
    runs: list[int],
    tables: tuple[str, ...] = TABLES,
) -> list[dict[str, Columns]]:
    """Runs advanced together as ensembles (``sim.ensemble``), in the order given.

    Each run's tables are exactly what ``run_one`` gives for its scenario and seed.
    Runs that share their states, years and mechanisms (``Ensemble.shares``) make
    one ensemble, whatever else differs between them.
    """
    from sim.ensemble import Ensemble  # here, so that a sweep's parent never imports Mesa
    from sim.model import together as ensemble_of

    together: dict[tuple, list[int]] = {}
    for k, config in enumerate(configs):
        together.setdefault(Ensemble.shares(config), []).append(k)
    done: dict[int, dict[str, Columns]] = {}
    for members in together.values():
        with quiet_numbers():
            ensemble = ensemble_of(
                [configs[k] for k in members], [seeds[k] for k in members], tables
            )
            ensemble.run()
            for r, k in enumerate(members):
                done[k] = _finished(ensemble, r, runs[k], tables)
        ensemble.release()
    return [done[k] for k in range(len(configs))]


ENSEMBLE_NUMBERS = 20_000  # an ensemble's (R, n, n) arrays hold at most this many numbers
ENSEMBLE_RUNS = 32  # and at most this many runs: past it a run is no cheaper


def ensemble_size(states: int) -> int:
    """How many runs of a world of ``states`` acting states to advance together.

    Small worlds gain most (docs/performance.md); past about 100 states an (R, n, n)
    array is too large to gain anything, and runs go one at a time.
    """
    rows = states + 1
    return max(1, min(ENSEMBLE_RUNS, ENSEMBLE_NUMBERS // (rows * rows)))


def groups(todo: list[int], size: int, jobs: int) -> list[list[int]]:
    """``todo`` cut into consecutive groups of at most ``size``, at least ``2 * jobs`` if it can.

    Enough groups keep every worker busy to the end; within that, groups as large as
    ``size`` make each run cheapest.
    """
    if not todo:
        return []
    count = max(-(-len(todo) // size), min(len(todo), 2 * jobs if jobs > 1 else 1))
    bounds = np.linspace(0, len(todo), count + 1).round().astype(int)
    return [todo[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def run_groups(
    task: Callable[..., list[Any]],
    together: list[list[int]],
    arguments: Callable[[list[int]], tuple],
    finish: Finish,
    fail: Fail,
    execution: Execution = Execution(),  # noqa: B008 - frozen
) -> None:
    """``run_tasks`` for groups of runs made together: ``task(*arguments(group))``.

    The task returns one result per run of its group, and each goes to
    ``finish(index, result)``. A group that fails (its task raises, or its worker
    dies) is made again one run at a time, so that the failure is the run's own:
    ``fail(index, error)`` names the run that raised, and the others are kept.
    """
    again: list[list[int]] = []

    def finished(group: int, results: list[Any]) -> None:
        for index, result in zip(together[group], results, strict=True):
            finish(index, result)

    def failed(group: int, error: BaseException) -> None:
        if len(together[group]) == 1:
            fail(together[group][0], error)
        else:
            again.extend([index] for index in together[group])

    run_tasks(
        task,
        range(len(together)),
        lambda group: arguments(together[group]),
        finished,
        failed,
        execution,
    )
    if again:
        run_groups(task, again, arguments, finish, fail, execution)


def _finished(ensemble: Ensemble, r: int, run: int, tables: tuple[str, ...]) -> dict[str, Columns]:
    """Run ``r`` of a finished ensemble: its tables and outcomes row, numbered ``run``."""
    columns = ensemble.recorder.columns(r, run, tables)
    ended = {"run": [np.int32(run)]}
    ended.update({name: [value] for name, value in ensemble.recorder.outcomes(r).items()})
    columns[OUTCOMES] = ended
    return columns


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
    execution: Execution = Execution(),  # noqa: B008 - frozen
) -> None:
    """Call ``task(*arguments(i))`` for every ``i`` in ``todo`` on ``execution.jobs`` workers.

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
        execution: ``jobs`` (1 runs everything in this process), ``backend``
            (``process`` or ``dask``, ``sim.experiments.executors``) and ``address``
            (a Dask scheduler; without it a local cluster is started).

    Raises:
        KeyboardInterrupt: After Ctrl-C, once the runs already going have
            finished and been handed to ``finish``.
    """
    queue = deque(todo)
    window = max(2 * execution.workers, 4)
    while queue:
        with open_executor(execution) as executor:
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
