"""A sweep on a Dask cluster started apart from it, as users run one, that loses a worker.

A ``dask scheduler`` and two ``dask worker`` processes on the loopback address; the
sweep reaches them through ``--address``; one worker is killed (SIGKILL) once runs
are coming back. The scheduler hands the lost worker's runs to the other, and the
folder's tables are those of the same sweep made in one process: nothing lost,
nothing doubled.
"""

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli.main import main
from tests.conftest import ROOT, SCENARIOS

pytest.importorskip("distributed")

DASK = Path(sys.executable).with_name("dask")
TABLES = ("states", "system", "outcomes")
SWEEP = [
    *("sweep", str(SCENARIOS / "sanctions.yaml")),
    *("--grid", "parameters.trade.diversion_share=0.2,0.4,0.6,0.8"),
    *("--runs", "12", "--years", "26", "--tables", "states,system", "--no-plots", "--quiet"),
]


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(DASK), *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait_for(check, what: str, timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and two single-threaded workers; yields (address, workers)."""
    if not DASK.exists():
        pytest.skip(f"no dask command beside {sys.executable}")
    schedule = tmp_path / "scheduler.json"
    started = [
        _start(
            "scheduler",
            *("--host", "127.0.0.1", "--port", "0", "--no-dashboard"),
            *("--scheduler-file", str(schedule)),
        )
    ]
    try:
        info = _wait_for(lambda: schedule.exists() and _read(schedule), "the scheduler")
        workers = [
            _start(
                "worker",
                *("--scheduler-file", str(schedule), "--nthreads", "1", "--no-dashboard"),
                *("--name", f"worker-{i}", "--local-directory", str(tmp_path / f"w{i}")),
            )
            for i in range(2)
        ]
        started += workers
        from distributed import Client

        with Client(info["address"], timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield info["address"], workers
    finally:  # nothing of the cluster's is kept: stop it at once
        for process in reversed(started):
            process.kill()
            process.wait()


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except ValueError:  # being written
        return None


def _runs_done(out: Path) -> int:
    staged = out / ".staging"
    manifest = _read(out / "manifest.json") if (out / "manifest.json").exists() else None
    done = (manifest or {}).get("runs_done", 0)
    return done + (len(list(staged.iterdir())) if staged.is_dir() else 0)


def test_a_sweep_survives_losing_a_worker_with_nothing_lost_or_doubled(cluster, tmp_path):
    address, workers = cluster
    local = tmp_path / "local"
    assert main([*SWEEP, "--jobs", "1", "--out", str(local)]) == 0
    out = tmp_path / "cluster"
    sweep = subprocess.Popen(
        [sys.executable, "-m", "sim", *SWEEP, "--backend", "dask", "--address", address]
        + ["--jobs", "2", "--out", str(out)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    total = 4 * 12
    _wait_for(lambda: _runs_done(out) > 0, "the first runs", timeout=120)
    workers[0].kill()  # SIGKILL: the worker and whatever it was running are gone
    killed_at = _runs_done(out)
    _, err = sweep.communicate(timeout=300)
    assert sweep.returncode == 0, err
    assert killed_at < total, "the sweep ended before the worker was killed"
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_done"] == total
    assert manifest["failed"] == []
    for table in TABLES:
        here, there = (pd.read_parquet(f / f"{table}.parquet") for f in (local, out))
        assert not there.duplicated(
            [c for c in ("point", "run", "year", "state") if c in there]
        ).any()
        pd.testing.assert_frame_equal(here, there)
    shutil.rmtree(local)
