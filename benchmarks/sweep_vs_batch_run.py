"""A sweep of sanctions.yaml through `sim sweep` and through `mesa.batch_run`, side by side.

Both run the same model on the same design (finance-sanction intensity x
replicates, the same replicate seeds) on the same number of processes, keep
yearly state-level and system-level results (`sim sweep --tables
states,system`) and end with them on disk as Parquet; `sim sweep` is also
measured writing every table, as it does by default. Each runs as its own
process; wall time and the peak resident memory of the whole process tree
(parent and workers, sampled every 20 ms) are measured from outside.

    uv run python benchmarks/sweep_vs_batch_run.py            # 1,000 runs
    uv run python benchmarks/sweep_vs_batch_run.py --runs 20  # 200 runs
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import mesa
import numpy as np
import pandas as pd

from sim.experiments.runner import load
from sim.model import WorldModel

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "sanctions.yaml"
PARAMETER = "events.western_sanctions_2014.sectors.finance"
VALUES = [round(0.1 * k, 1) for k in range(1, 11)]


# ----------------------------------------------------------------- measuring


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process: PSS shares pages between the processes using them."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def measure(command: list[str]) -> dict[str, float]:
    """Run ``command``; return its wall time and the peak memory of its process tree.

    ``peak_rss_mib`` sums each process's resident set (pages shared between the
    parent and its forked workers counted in each); ``peak_pss_mib`` sums their
    proportional sets (a shared page split between its users) — the tree's real use.
    """
    peak = peak_pss = 0
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        while not done.is_set():
            readings = [_memory_kib(p) for p in _tree(proc.pid)]
            peak = max(peak, sum(r for r, _ in readings))
            peak_pss = max(peak_pss, sum(p for _, p in readings))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    status = proc.wait()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if status:
        raise SystemExit(f"{command} failed with status {status}")
    return {"wall_seconds": wall, "peak_rss_mib": peak / 1024, "peak_pss_mib": peak_pss / 1024}


# ----------------------------------------------------------------- batch_run side


@functools.cache
def _config(finance: float):
    """The scenario at one finance intensity, read once per process (as a user would)."""
    return load(SCENARIO, [f"{PARAMETER}={finance}"])


class BatchWorld(WorldModel):
    """The sanctions world, built from keyword arguments as batch_run wants."""

    def __init__(self, finance: float = 0.3, rng=None):
        super().__init__(_config(finance), rng=np.random.default_rng(rng))
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "year": "year",
                "leader_share": lambda m: float(m.recorder.system[-1][2]),
                "con": lambda m: float(m.recorder.system[-1][3]),
                "polarity": lambda m: m.recorder.system[-1][5],
            },
            agent_reporters={
                "state": "iso3",
                "gdp_usd_bn": "gdp_usd_bn",
                "capability": "capability",
                "power_index": lambda a: float(a.model.power_indices()["composite"][a.index]),
            },
        )
        self.datacollector.collect(self)

    def step(self) -> None:
        """One year, then collect as batch_run expects."""
        super().step()
        self.datacollector.collect(self)
        if self.year >= self.config.end_year:
            self.running = False


def batch_run_main(runs: int, jobs: int, out: Path) -> None:
    """`mesa.batch_run` over the same model, design and seeds; results to Parquet."""
    seeds = np.random.SeedSequence(load(SCENARIO).seed).spawn(runs)
    results = mesa.batch_run(
        BatchWorld,
        parameters={"finance": VALUES},
        number_processes=jobs,
        rng=seeds,
        data_collection_period=1,
        max_steps=1000,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    frame["rng"] = frame["rng"].map(lambda s: s.spawn_key[0])
    frame.to_parquet(out / "batch_run.parquet", index=False)


# ----------------------------------------------------------------- main


LIKE_FOR_LIKE = "states,system"  # the yearly state and system rows batch_run collects


def _sim_sweep(runs: int, jobs: int, out: Path, tables: str | None) -> dict[str, float]:
    """`sim sweep` of the design, keeping ``tables`` (every table if None)."""
    grid = f"{PARAMETER}={','.join(str(v) for v in VALUES)}"
    kept = ["--tables", tables] if tables else []
    side = measure(
        [
            *(sys.executable, "-m", "sim", "sweep", str(SCENARIO), "--grid", grid),
            *("--runs", str(runs), "--jobs", str(jobs), "--no-plots", "--quiet"),
            *("--out", str(out), *kept),
        ]
    )
    total = runs * len(VALUES)
    side.update(runs=total, runs_per_second=total / side["wall_seconds"])
    side["output_mib"] = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 2**20
    return side


def compare(runs: int, jobs: int) -> dict[str, object]:
    """The three sides, measured in this session; the ratios batch_run / sim.

    ``sim_sweep`` keeps what batch_run collects (``--tables states,system``), the
    like-for-like comparison; ``sim_sweep_all_tables`` also writes the dyads and
    events tables, as a sweep does by default.
    """
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sim_side = _sim_sweep(runs, jobs, tmp / "sweep", LIKE_FOR_LIKE)
        every_table = _sim_sweep(runs, jobs, tmp / "sweep_all", None)
        mesa_side = measure(
            [sys.executable, __file__, "--batch-run", str(runs), str(jobs), str(tmp)]
        )
        total = runs * len(VALUES)
        mesa_side.update(runs=total, runs_per_second=total / mesa_side["wall_seconds"])
        mesa_side["output_mib"] = (tmp / "batch_run.parquet").stat().st_size / 2**20
    return {
        "design": f"{len(VALUES)} values of {PARAMETER} x {runs} runs",
        "jobs": jobs,
        "sim_sweep": sim_side,
        "sim_sweep_all_tables": every_table,
        "mesa_batch_run": mesa_side,
        "speedup": mesa_side["wall_seconds"] / sim_side["wall_seconds"],
        "speedup_all_tables": mesa_side["wall_seconds"] / every_table["wall_seconds"],
    }


def main() -> None:
    """Command line."""
    if len(sys.argv) > 1 and sys.argv[1] == "--batch-run":
        batch_run_main(int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="replicates per value (x10)")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    result = compare(args.runs, args.jobs)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
