"""The benchmark suite: prints a table and writes benchmarks/results.json.

    uv run python benchmarks/run.py           # everything (about 20 minutes on 2 cores)
    uv run python benchmarks/run.py --quick   # smaller counts (about 2 minutes)

Measured, each side by side in this one invocation (these machines are shared and
noisy: compare ratios, not seconds):

1. one run of sanctions.yaml (2014-2040) in-process: median wall time; runs per
   second in one process, one at a time and in ensembles (runs advanced together,
   as `sim run` makes them), side by side in alternating rounds; runs per second in
   ensembles on 2 processes (a warm pool); parallel efficiency;
2. time per run against the number of states n (the largest economies first,
   50 years), and the fitted exponent of time in n;
3. the same years as bare numpy (benchmarks/floor.py) at each n, each sim run timed
   beside a floor run: sim / floor, the median of the paired rounds, for one run
   alone and, where a world is small enough for ensembles, per run of an ensemble;
4. a sweep of sanctions.yaml through `sim sweep` and through `mesa.batch_run`
   (benchmarks/sweep_vs_batch_run.py): the ratio of their wall times, keeping the same
   yearly results (and `sim sweep` also writing every table);
5. the peak memory of a 10,000-run sweep streamed to disk (1,000 with --quick);
6. sweep start-up: seconds from launching `python -m sim sweep` to its first
   completed run (a run staged on disk), median of three launches;
7. each figure against its target, as a table of met and missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor  # noqa: E402
import sweep_vs_batch_run  # noqa: E402

from sim.experiments.engine import ensemble_size, groups, run_together  # noqa: E402
from sim.experiments.executors import process_pool  # noqa: E402
from sim.experiments.runner import load, run_replicate, run_replicates_together  # noqa: E402
from sim.uncertainty import run_configs  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SANCTIONS = ROOT / "scenarios" / "sanctions.yaml"
SIZES = (12, 25, 50, 100, 193)
RESULTS = Path(__file__).resolve().parent / "results.json"


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def single_run(repeats: int, parallel_runs: int, rounds: int = 3) -> dict[str, float]:
    """sanctions.yaml in-process: one run alone, and throughput one at a time and in ensembles.

    The runs (each with its own draws of the scenario's uncertainties, as ``sim run``
    makes them) are made one at a time and in ensembles (``sim run``'s way, groups of
    ``ensemble_size`` runs advanced together) in alternating rounds, then on 2 processes.
    """
    config = load(SANCTIONS)
    runs = max(repeats, parallel_runs)
    configs = run_configs(config, runs, config.seed)
    seeds = np.random.SeedSequence(config.seed).spawn(runs)
    run_replicate(configs[0], 0, seeds[0])  # warm: world cache, imports
    run_replicates_together(configs[:2], [0, 1], seeds[:2])
    times = [_timed(run_replicate, configs[k], k, seeds[k]) for k in range(repeats)]
    together = groups(list(range(parallel_runs)), ensemble_size(len(config.world.states)), 1)

    def alone() -> None:
        for k in range(parallel_runs):
            run_replicate(configs[k], k, seeds[k])

    def in_ensembles(parts: list[list[int]]) -> list:
        return [_ensemble(*_part(configs, seeds, part)) for part in parts]

    paired = [(_timed(alone), _timed(in_ensembles, together)) for _ in range(rounds)]
    spread = groups(list(range(parallel_runs)), ensemble_size(len(config.world.states)), 2)
    with process_pool(2) as pool:
        warm = [_part(configs, seeds, part) for part in ([0, 1], [2, 3])]
        list(pool.map(_ensemble, *zip(*warm, strict=True)))  # warm workers
        tasks = [_part(configs, seeds, part) for part in spread]
        started = time.perf_counter()
        list(pool.map(_ensemble, *zip(*tasks, strict=True)))
        parallel = time.perf_counter() - started
    one = parallel_runs / statistics.median(a for a, _ in paired)
    ensemble = parallel_runs / statistics.median(e for _, e in paired)
    two = parallel_runs / parallel
    return {
        "median_seconds": statistics.median(times),
        "runs_per_second_1_process_alone": one,
        "runs_per_second_1_process": ensemble,
        "ensemble_speedup": statistics.median(a / e for a, e in paired),
        "ensemble_size": len(together[0]),
        "runs_per_second_2_processes": two,
        "parallel_efficiency": two / (2 * ensemble),
    }


def _part(configs: list, seeds: list, part: list[int]) -> tuple[list, list, list[int]]:
    """The scenarios and seeds of the runs ``part`` (only theirs go to a worker)."""
    return [configs[k] for k in part], [seeds[k] for k in part], part


def _ensemble(configs: list, seeds: list, part: list[int]) -> None:
    """The runs ``part`` advanced together, their tables built as ``sim run`` builds them."""
    run_replicates_together(configs, part, seeds)


def largest(n: int) -> list[str]:
    """The n largest economies of the packaged world (ROW holds the rest)."""
    table = pd.read_csv(ROOT / "sim" / "data" / "states_2014.csv")
    return table.sort_values("gdp_usd_bn", ascending=False)["iso3"].head(n).tolist()


def scaling(repeats: int, years: int = 50) -> dict[str, object]:
    """Time per run against the number of states, beside the floor, and the fitted exponent.

    A sim run and a floor run of the same n are timed back to back, round after round,
    and the ratio is the median of the rounds' ratios: on a shared machine the load
    moves between rounds, and a ratio taken within one round sees the same load on both
    sides. Smaller worlds, which are quick, get more rounds.
    """
    rows = []
    for n in SIZES:
        states = largest(n)
        config = load({"name": f"n{n}", "world": {"states": states}, "years": years})
        rounds = repeats * (5 if n <= 50 else 3 if n <= 100 else 1)
        seeds = np.random.SeedSequence(1).spawn(rounds + 1)
        run_replicate(config, 0, seeds[0])  # warm: the world of this n, imports
        floor.run(states, years, 0)
        timed = [
            (_timed(run_replicate, config, k, seeds[k + 1]), _timed(floor.run, states, years, k))
            for k in range(rounds)
        ]
        row = {
            "n": n,
            "rounds": rounds,
            "seconds_per_run": statistics.median(sim for sim, _ in timed),
            "floor_seconds": statistics.median(bare for _, bare in timed),
            "floor_ratio": statistics.median(sim / bare for sim, bare in timed),
            "ensemble_size": ensemble_size(n),
        }
        if row["ensemble_size"] > 1:  # how sim run makes replicates of this world
            size = row["ensemble_size"]
            many = np.random.SeedSequence(2).spawn(size)
            run_together([config] * 2, many[:2], [0, 1])  # warm
            paired = [
                (
                    _timed(run_together, [config] * size, many, list(range(size))) / size,
                    _timed(floor.run, states, years, k),
                )
                for k in range(rounds)
            ]
            row["seconds_per_run_in_ensembles"] = statistics.median(sim for sim, _ in paired)
            row["floor_ratio_in_ensembles"] = statistics.median(sim / bare for sim, bare in paired)
        rows.append(row)
    sizes = np.log([r["n"] for r in rows])
    exponent = float(np.polyfit(sizes, np.log([r["seconds_per_run"] for r in rows]), 1)[0])
    return {
        "years": years,
        "rows": rows,
        "exponent": exponent,
        "floor_ratio_at_largest_n": rows[-1]["floor_ratio"],
    }


def big_sweep(runs_per_point: int, points: int = 10) -> dict[str, float]:
    """Peak memory (RSS and PSS of the process tree) of a large sweep streamed to disk."""
    values = ",".join(f"{0.1 * (k + 1):.1f}" for k in range(points))
    with tempfile.TemporaryDirectory() as tmp:
        result = sweep_vs_batch_run.measure(
            [
                *(sys.executable, "-m", "sim", "sweep", str(SANCTIONS)),
                *("--grid", f"{sweep_vs_batch_run.PARAMETER}={values}"),
                *("--runs", str(runs_per_point), "--jobs", "2", "--no-plots", "--quiet"),
                *("--out", str(Path(tmp) / "sweep")),
            ]
        )
    result["runs"] = runs_per_point * points
    result["runs_per_second"] = result["runs"] / result["wall_seconds"]
    return result


def startup(launches: int = 3) -> dict[str, float]:
    """Seconds from launching a small sweep to its first completed run, median of launches."""
    firsts, totals = [], []
    for _ in range(launches):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "sweep"
            command = [
                *(sys.executable, "-m", "sim", "sweep", str(SANCTIONS)),
                *("--grid", "parameters.trade.diversion_share=0.2,0.4"),
                *("--runs", "2", "--jobs", "2", "--no-plots", "--quiet", "--out", str(out)),
            ]
            started = time.perf_counter()
            proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
            first = None
            while proc.poll() is None:
                if first is None and any((out / ".staging").glob("[0-9]*")):
                    first = time.perf_counter() - started
                time.sleep(0.005)
            if proc.returncode:
                raise SystemExit(f"{command} failed with status {proc.returncode}")
            totals.append(time.perf_counter() - started)
            firsts.append(first if first is not None else totals[-1])
    return {
        "first_run_seconds": statistics.median(firsts),
        "total_seconds": statistics.median(totals),
    }


def _thousand_run_sweep(results: dict) -> float:
    """Wall seconds of a 1,000-run sweep on 2 processes, start-up and writing included."""
    sweep = results["sweep_vs_batch_run"]["sim_sweep_all_tables"]  # a sweep as it comes
    if sweep["runs"] == 1000:
        return sweep["wall_seconds"]
    return results["big_sweep"]["wall_seconds"]  # --quick: the big sweep has 1,000 runs


def _largest_n_50_years(results: dict) -> float:
    """Seconds a run at the largest n, scaled to 50 years if fewer were run (--quick)."""
    return results["scaling"]["rows"][-1]["seconds_per_run"] * 50 / results["scaling"]["years"]


def _worst_floor_ratio(results: dict) -> float:
    """sim / floor at the worst n, each n made the way ``sim run`` makes its replicates."""
    rows = results["scaling"]["rows"]
    return max(row.get("floor_ratio_in_ensembles", row["floor_ratio"]) for row in rows)


TARGETS = (  # (what, how it is read from the results, comparison, target)
    (
        "runs/s per core, sanctions.yaml",  # as sim run makes them: in ensembles
        lambda r: r["single_run"]["runs_per_second_1_process"],
        ">=",
        60,
    ),
    ("1,000-run sweep on 2 cores, s", _thousand_run_sweep, "<=", 20),
    (f"{SIZES[-1]} states, s a run (50 years)", _largest_n_50_years, "<=", 0.5),
    ("worst sim / bare numpy over n", _worst_floor_ratio, "<=", 3),
    ("sim sweep speed / mesa.batch_run", lambda r: r["sweep_vs_batch_run"]["speedup"], ">=", 3),
    ("sweep start-up to first run, s", lambda r: r["startup"]["first_run_seconds"], "<=", 2),
)


def targets(results: dict) -> list[str]:
    """Each figure against its target: met or missed, and by how much."""
    lines = ["against the targets", f"  {'':36s} {'measured':>9s} {'target':>9s}"]
    for what, read, sign, goal in TARGETS:
        value = read(results)
        met = value >= goal if sign == ">=" else value <= goal
        factor = goal / value if sign == ">=" else value / goal
        verdict = "met" if met else f"missed, by {factor:.1f}x"
        lines.append(f"  {what:36s} {value:9.2f} {sign} {goal:<6g} {verdict}")
    if results["quick"]:
        lines.append(
            "  (--quick: 193 states run 20 years, scaled to 50; batch_run compared on 100 runs)"
        )
    return lines


def table(results: dict) -> str:
    """The printed summary."""
    one = results["single_run"]
    scale = results["scaling"]
    sweep = results["sweep_vs_batch_run"]
    big = results["big_sweep"]
    lines = [
        f"sim benchmarks, {results['date']}, {results['machine']}",
        "",
        "sanctions.yaml, one run (2014-2040)",
        f"  median wall time in-process       {one['median_seconds'] * 1000:8.1f} ms",
        f"  runs/s, 1 process, one at a time  {one['runs_per_second_1_process_alone']:8.1f}",
        f"  runs/s, 1 process, in ensembles   {one['runs_per_second_1_process']:8.1f}"
        f"   ({one['ensemble_size']} runs together)",
        f"  ensembles / one at a time         {one['ensemble_speedup']:8.2f}",
        f"  runs/s, 2 processes, ensembles    {one['runs_per_second_2_processes']:8.1f}",
        f"  parallel efficiency               {one['parallel_efficiency']:8.0%}",
        "",
        f"cost against the number of states ({scale['years']} years)",
        "       n   s/run   bare numpy s/run   ratio   in ensembles: runs, s/run, ratio",
    ]
    for row in scale["rows"]:
        together = (
            f"   {row['ensemble_size']:4d} {row['seconds_per_run_in_ensembles']:7.3f}"
            f" {row['floor_ratio_in_ensembles']:6.1f}"
            if row["ensemble_size"] > 1
            else "      one at a time"
        )
        lines.append(
            f"  {row['n']:6d} {row['seconds_per_run']:7.3f} {row['floor_seconds']:18.3f}"
            f" {row['floor_ratio']:7.1f} {together}   ({row['rounds']} rounds)"
        )
    lines += [
        f"  fitted exponent of time in n      {scale['exponent']:8.2f}",
        f"  sim / bare numpy at n = {SIZES[-1]}      {scale['floor_ratio_at_largest_n']:8.1f}",
        "",
        f"sweep of {sweep['design']}, 2 processes",
        *(
            f"  {label:26s} {sweep[key]['wall_seconds']:7.1f} s"
            f"  {sweep[key]['runs_per_second']:6.1f} runs/s"
            f"  peak PSS {sweep[key]['peak_pss_mib']:6.0f} MiB"
            for label, key in (
                ("sim sweep (states,system)", "sim_sweep"),
                ("sim sweep (every table)", "sim_sweep_all_tables"),
                ("mesa.batch_run", "mesa_batch_run"),
            )
        ),
        f"  batch_run / sim sweep, like for like  {sweep['speedup']:6.2f}",
        f"  batch_run / sim sweep, every table    {sweep['speedup_all_tables']:6.2f}",
        "",
        f"a {big['runs']:,}-run sweep streamed to disk",
        f"  wall {big['wall_seconds']:.0f} s, {big['runs_per_second']:.1f} runs/s; peak memory "
        f"{big['peak_pss_mib']:.0f} MiB PSS ({big['peak_rss_mib']:.0f} MiB summed RSS)",
        "",
        "sweep start-up (2 points x 2 runs, 2 processes), median of 3 launches",
        f"  first completed run               {results['startup']['first_run_seconds']:8.2f} s",
        f"  whole command                     {results['startup']['total_seconds']:8.2f} s",
        "",
        *targets(results),
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the suite."""
    parser = argparse.ArgumentParser(description="sim benchmark suite")
    parser.add_argument("--quick", action="store_true", help="smaller counts, about 2 minutes")
    args = parser.parse_args()
    quick = args.quick
    results = {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}",
        "quick": quick,
        "single_run": single_run(10 if quick else 40, 40 if quick else 200),
        "scaling": scaling(1 if quick else 3, 20 if quick else 50),
        "sweep_vs_batch_run": sweep_vs_batch_run.compare(10 if quick else 100, 2),
        "big_sweep": big_sweep(100 if quick else 1000),
        "startup": startup(),
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"\nwritten to {RESULTS}")


if __name__ == "__main__":
    main()
