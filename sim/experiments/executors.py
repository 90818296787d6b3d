"""Where runs execute: this process, a local process pool, or a Dask cluster.

Every backend is a ``concurrent.futures.Executor``, so the code that submits runs
and collects results is the same for all of them. Results never depend on the
backend: each run's seed is fixed before it is submitted.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sim.errors import Problem, ScenarioError, option_problem
from sim.experiments.settings import Execution

BACKENDS = ("process", "dask")
# what workers run: the tasks, the model and its bloc clustering (which the parent never
# imports) and the packaged data they read (sim.experiments.warm)
TASK_MODULES = (
    "sim.experiments.runner",
    "sim.experiments.sweep.worker",
    "sim.model",
    "scipy.cluster.hierarchy",
    "sim.experiments.warm",
)


class InlineExecutor(Executor):
    """Runs each call at once in this process (``--jobs 1``): no pickling, plain tracebacks."""

    def submit(self, fn, /, *args: Any, **kwargs: Any) -> Future:
        """Call ``fn`` now and return a finished future holding its result or exception."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt | SystemExit):
                raise
            future.set_exception(err)
        return future


def _start_worker(parent: int) -> None:
    # Ctrl-C reaches the whole process group; the parent alone decides what to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    """End this worker once the process that started the pool is gone (even killed -9).

    A worker waits for its next run on a queue whose write end every worker also
    holds, so it never sees the parent go; the worker server lives as long as any
    worker. Without this, a killed sweep left its server and workers running.
    """
    while not _gone(parent):
        time.sleep(0.5)
    os._exit(1)


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a killed process not yet reaped counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return True  # the number now belongs to another user's process
    try:  # Linux: a dead process its own parent has not reaped yet is a zombie
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return False


def _forkserver() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    # the server imports the model and the tasks once; every worker forked from it starts warm
    context.set_forkserver_preload(list(TASK_MODULES))
    return context


def warm_up(execution: Execution) -> None:
    """Start the worker processes' server now, so it imports while this process plans.

    The forkserver imports the model, the tasks and the packaged data once (seconds);
    started before the scenario is checked and the design laid out, that work runs
    beside this process's own instead of after it. Nothing happens for one job or Dask.
    """
    if execution.backend == "process" and execution.workers > 1:
        from multiprocessing import forkserver

        _forkserver()
        forkserver.ensure_running()


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes (forkserver: safe beside threads, quick to start)."""
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_forkserver(),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


def _dask_missing() -> ScenarioError:
    return ScenarioError(
        Problem(
            "command line",
            0,
            0,
            "--backend",
            "dask needs the optional extra: pip install 'sim[dask]' (or uv sync --extra dask)",
        )
    )


@contextmanager
def open_executor(execution: Execution) -> Iterator[Executor]:
    """An executor for ``execution.backend``; closed (and a local Dask cluster stopped) on exit.

    ``process`` runs in this process for one job, else on a pool of ``jobs``
    workers; ``dask`` uses the scheduler at ``address`` (e.g.
    ``tcp://10.0.0.5:8786``) or, without one, a LocalCluster of ``jobs``
    single-threaded worker processes on the loopback interface.
    """
    backend, jobs, address = execution.backend, execution.workers, execution.address
    if backend == "process":
        executor = InlineExecutor() if jobs <= 1 else process_pool(jobs)
        try:
            yield executor
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
        return
    if backend != "dask":
        raise ScenarioError(
            option_problem("--backend", f"expected one of {BACKENDS}, got {backend!r}")
        )
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise _dask_missing() from None
    cluster = None
    if address:
        try:
            client = Client(address, timeout="10s")
        except OSError as err:
            raise ScenarioError(
                option_problem("--address", f"cannot reach {address}: {err}")
            ) from None
    else:
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        )
        client = Client(cluster)
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
