"""Sweeps: same results whatever the backend, every run kept through kills and crashes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli.main import main
from sim.errors import ScenarioError
from sim.experiments.engine import run_one
from sim.experiments.runner import TABLES
from sim.experiments.settings import Design, Execution, Output, Settings
from sim.experiments.sweep.plan import build_plan, load_sweep
from sim.experiments.sweep.runner import execute
from sim.experiments.sweep.worker import run_group
from tests.conftest import ROOT, SCENARIOS

SANCTIONS = SCENARIOS / "sanctions.yaml"
SHARE = "parameters.trade.diversion_share"
RESPONSE = "parameters.military.threat_response"
ALL = (*TABLES, "outcomes")


def small_plan(runs=3, years=4, values="0.1,0.5", chunk_size=0):
    located, config = load_sweep(
        SANCTIONS, Design(grid=[f"{SHARE}={values}"]), settings=Settings(runs=runs, years=years)
    )
    plan = build_plan(located, config)
    if chunk_size:
        plan.chunk_size = chunk_size
    return plan


def read(folder, table):
    return pd.read_parquet(folder / f"{table}.parquet")


def assert_same_tables(a, b):
    for table in ALL:
        pd.testing.assert_frame_equal(read(a, table), read(b, table))


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "serial"
    execute(small_plan(), Execution(jobs=1), Output(out))
    return out


def test_a_sweep_folder_holds_the_run_tables_with_a_point_column(serial):
    manifest = json.loads((serial / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_done"] == 6
    assert manifest["failed"] == []
    for table in ALL:
        frame = read(serial, table)
        assert list(frame.columns[:2]) == ["point", "run"], table
    outcomes = read(serial, "outcomes")
    assert outcomes[["point", "run"]].values.tolist() == [[p, r] for p in (0, 1) for r in range(3)]
    design = pd.read_parquet(serial / "design.parquet")
    assert design[SHARE].tolist() == [0.1, 0.5]
    assert not (serial / ".staging").exists() and not (serial / ".lock").exists()


def test_each_point_equals_a_plain_run_with_the_same_values(serial):
    """Without uncertainties, point p is the plain run of its values, replicate by replicate."""
    plan = small_plan(runs=3, years=4)
    config = plan.config.model_copy(update={"uncertainties": {}})
    out = serial.parent / "certain"
    execute(build_plan_for(config, plan), Execution(jobs=1), Output(out))
    system = read(out, "system")
    for point, value in enumerate((0.1, 0.5)):
        res = sim.run(
            SANCTIONS, runs=3, years=4, overrides=[f"{SHARE}={value}", "uncertainties=null"]
        )
        one = system[system["point"] == point].drop(columns="point")
        pd.testing.assert_frame_equal(one.reset_index(drop=True), res.system)


def build_plan_for(config, plan):
    from sim.experiments.sweep.plan import Plan

    return Plan(config, plan.sweep, plan.design, plan.runs, plan.seed, located=plan.located)


def test_every_run_of_a_sweep_draws_its_own_uncertainties(serial):
    """A sweep of P points x R runs holds P x R distinct draws of each uncertain field;
    run r of point p is the scenario with the point's values and its own draws, on the
    replicate seed r (common to the points)."""
    from sim.design import point_config

    outcomes = read(serial, "outcomes").sort_values(["point", "run"], ignore_index=True)
    plan = small_plan()
    drawn = list(plan.config.active_uncertainties())
    assert drawn and len(outcomes) == plan.tasks == 6
    for path in drawn:
        assert outcomes[path].nunique() == plan.tasks
    manifest = json.loads((serial / "manifest.json").read_text())
    assert manifest["design"]["uncertainties"]["distinct_draws"] == 6
    seeds = np.random.SeedSequence(plan.seed).spawn(plan.runs)
    system = read(serial, "system")
    base = plan.config.model_dump(mode="json")
    for row in outcomes.to_dict("records"):
        point, run = int(row["point"]), int(row["run"])
        values = {SHARE: (0.1, 0.5)[point]} | {path: row[path] for path in drawn}
        alone = run_one(point_config(base, values), seeds[run], run, ("system",))
        expected = pd.DataFrame(alone["system"])
        got = system.query("point == @point and run == @run").drop(columns="point")
        pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)


def test_the_parameter_moves_the_outcome(serial):
    # more trade diversion away from sanctioning states keeps Russia's trade higher
    states = read(serial, "states").query("state == 'RUS' and year == year.max()")
    trade = states.groupby("point")["trade_usd_bn"].median()
    assert trade[1] > trade[0]


def test_two_processes_give_identical_files(serial, tmp_path):
    out = tmp_path / "two"
    execute(small_plan(), Execution(jobs=2), Output(out))
    assert_same_tables(serial, out)
    for table in ALL:
        for part in sorted((serial / f"{table}.parquet").iterdir()):
            assert part.read_bytes() == (out / f"{table}.parquet" / part.name).read_bytes()


def test_a_dask_local_cluster_gives_identical_tables(serial, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "dask"
    execute(small_plan(), Execution(jobs=2, backend="dask"), Output(out))
    assert_same_tables(serial, out)


def failing_task(runs, *rest):
    if any((point, run) == (1, 0) for _, point, run, *_ in runs):
        raise RuntimeError("this run cannot go on")
    return run_group(runs, *rest)


def dying_task(runs, *rest):
    if any((point, run) == (0, 2) for _, point, run, *_ in runs):
        os._exit(3)  # a worker that crashes outright
    return run_group(runs, *rest)


@pytest.mark.parametrize(
    ("task", "jobs", "where", "message"),
    [
        (failing_task, 1, (1, 0), "RuntimeError: this run cannot go on"),
        (failing_task, 2, (1, 0), "RuntimeError: this run cannot go on"),
        (dying_task, 2, (0, 2), "worker process running this run died"),
    ],
)
def test_a_failing_run_is_recorded_and_the_sweep_goes_on(
    serial, tmp_path, task, jobs, where, message
):
    out = tmp_path / "failing"
    manifest = execute(small_plan(), Execution(jobs=jobs), Output(out), task=task)
    assert manifest["status"] == "complete"
    (failure,) = manifest["failed"]
    assert (failure["point"], failure["run"]) == where and message in failure["error"]
    outcomes = read(out, "outcomes")
    assert len(outcomes) == 5
    expected = read(serial, "outcomes")
    keep = ~((expected["point"] == where[0]) & (expected["run"] == where[1]))
    pd.testing.assert_frame_equal(outcomes, expected[keep].reset_index(drop=True))


def test_a_sweep_whose_every_run_fails_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    from sim.experiments.sweep import worker as sweep_runs

    def broken(*args, **kwargs):
        raise RuntimeError("no run can go on")

    monkeypatch.setattr(sweep_runs, "run_together", broken)  # runs together, then each alone
    monkeypatch.setattr(sweep_runs, "run_one", broken)
    out = tmp_path / "broken"
    grid = "parameters.trade.diversion_share=0.2,0.4"
    argv = ["sweep", str(SCENARIOS / "sanctions.yaml"), "--grid", grid, "--runs", "1"]
    status = main([*argv, "--years", "2", "--jobs", "1", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(err) == 1 and "every run failed" in err[0]
    assert "RuntimeError: no run can go on" in err[0]
    manifest = json.loads((out / "manifest.json").read_text())  # the record is kept
    assert len(manifest["failed"]) == 2


KILLED_VALUES = "0.1,0.3,0.5"
KILLED_RUNS = 100  # many groups of runs made together (ensembles), to kill between
KILLED_YEARS = 8


def _sweep_command(out, *extra):
    return [
        *(sys.executable, "-m", "sim", "sweep", str(SANCTIONS)),
        *("--grid", f"{SHARE}={KILLED_VALUES}", "--runs", str(KILLED_RUNS)),
        *("--years", str(KILLED_YEARS), "--jobs", "2", "--no-plots", "--quiet"),
        *("--out", str(out), *extra),
    ]


def _manifest(out):
    try:
        return json.loads((out / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


def _staged(out):
    staging = out / ".staging"
    return [e for e in staging.iterdir() if not e.name.startswith(".")] if staging.is_dir() else []


def _descendants(pid):
    """The processes ``pid`` started, and theirs (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += children
            todo += children
    return found


def _alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_sigkill_at_several_moments_then_resume_equals_an_uninterrupted_sweep(tmp_path):
    import random

    whole = tmp_path / "whole"
    execute(small_plan(KILLED_RUNS, KILLED_YEARS, KILLED_VALUES), Execution(jobs=1), Output(whole))
    total = 3 * KILLED_RUNS
    out = tmp_path / "killed"
    moments = random.Random(7)
    kills = 0
    for attempt in range(3):
        extra = ("--resume",) if attempt else ()
        before = (_manifest(out) or {}).get("runs_done", 0) + len(_staged(out))
        wanted = before + moments.randint(1, 5)
        proc = subprocess.Popen(_sweep_command(out, *extra), cwd=ROOT)
        deadline = time.monotonic() + 120
        # wait until this invocation has kept a few more runs, then kill it outright
        while time.monotonic() < deadline and proc.poll() is None:
            manifest = _manifest(out) or {}
            if manifest.get("runs_done", 0) + len(_staged(out)) >= wanted:
                break
            time.sleep(0.005)
        time.sleep(moments.uniform(0, 0.05))
        if proc.poll() is None:
            workers = _descendants(proc.pid)
            proc.send_signal(signal.SIGKILL)
            kills += 1
            # the worker server and its workers end with the killed sweep
            deadline = time.monotonic() + 20
            while any(_alive(p) for p in workers) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not [p for p in workers if _alive(p)]
        proc.wait(timeout=60)
    assert kills == 3
    assert _manifest(out)["status"] != "complete"
    subprocess.run(_sweep_command(out, "--resume"), check=True, cwd=ROOT, timeout=300)
    manifest = _manifest(out)
    assert manifest["status"] == "complete" and manifest["runs_done"] == total
    # a resume killed before it wrote its manifest leaves no trace; one at least did
    assert 1 <= len(manifest["resumed"]) <= 3
    assert_same_tables(whole, out)
    outcomes = read(out, "outcomes")
    assert not outcomes.duplicated(["point", "run"]).any() and len(outcomes) == total


def test_sigterm_stops_cleanly_and_says_how_to_resume(tmp_path):
    out = tmp_path / "term"
    proc = subprocess.Popen(_sweep_command(out), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while (
        time.monotonic() < deadline
        and not _staged(out)
        and not (_manifest(out) or {}).get("runs_done")
    ):
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted: ") and "--resume" in last and str(out) in last
    assert "Traceback" not in err
    assert _manifest(out)["status"] == "interrupted"
    assert main(_sweep_command(out, "--resume")[3:]) == 0
    assert _manifest(out)["status"] == "complete"


def test_resume_refuses_a_different_design(serial, tmp_path):
    out = tmp_path / "other"
    execute(small_plan(), Execution(jobs=1), Output(out))
    with pytest.raises(ScenarioError, match="different sweep"):
        execute(small_plan(values="0.1,0.3"), Execution(jobs=1, resume=True), Output(out))


def test_a_new_sweep_refuses_a_folder_in_use(serial, capsys):
    status = main(["sweep", str(SANCTIONS), "--grid", f"{SHARE}=0.1", "--out", str(serial)])
    assert status == 2
    err = capsys.readouterr().err
    assert "is not empty" in err and "--resume" in err


def test_the_command_writes_summary_and_plots(tmp_path, capsys):
    out = tmp_path / "cli"
    argv = [
        "sweep",
        str(SANCTIONS),
        "--range",
        f"{SHARE}=0.1:0.5:3",
        "--runs",
        "2",
        "--years",
        "4",
        "--jobs",
        "1",
        "--out",
        str(out),
    ]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert SHARE in printed and "6 runs" in printed
    summary = json.loads((out / "summary.json").read_text())
    assert [p["runs"] for p in summary["points"]] == [2, 2, 2]
    assert any(p.suffix == ".png" for p in (out / "plots").iterdir())
    assert main(["plot", str(out)]) == 0


# ------------------------------------------------------------ points checked against the world

TARGET = "events.western_sanctions_2014.target"


def test_a_swept_state_id_the_world_lacks_is_refused_before_anything_runs(tmp_path, capsys):
    out = tmp_path / "s1"
    argv = ["sweep", str(SANCTIONS), "--grid", f"{TARGET}=RUS,ZZZ", "--runs", "1"]
    status = main([*argv, "--years", "1", "--jobs", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2, err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"command line: sweep.grid.{TARGET}: {TARGET} = 'ZZZ' (point 1): ")
    assert "'ZZZ' is not an acting state of this scenario" in line
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_swept_state_id_in_a_sweep_block_is_reported_at_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: {SANCTIONS}\nsweep:\n  grid:\n    {TARGET}: [RUS, ZZZ]\n")
    located, config = load_sweep(path)
    with pytest.raises(ScenarioError) as err:
        build_plan(located, config)
    (problem,) = err.value.problems
    assert (problem.file, problem.line) == (str(path), 4)
    assert problem.message.startswith(f"{TARGET} = 'ZZZ' (point 1): 'ZZZ' is not an acting state")


# ------------------------------------------------------------ resuming what never began


def _start_files_only(out, serial):
    out.mkdir()
    for name in ("design.parquet", "scenario.yaml"):
        (out / name).write_bytes((serial / name).read_bytes())


@pytest.mark.parametrize("left", ["nothing", "the files before the manifest"])
def test_resume_where_no_sweep_began_starts_it(serial, tmp_path, left):
    out = tmp_path / "later" / "resumed"
    if left != "nothing":
        out.parent.mkdir()
        _start_files_only(out, serial)
    argv = ["sweep", str(SANCTIONS), "--grid", f"{SHARE}=0.1,0.5", "--runs", "3", "--years", "4"]
    assert main([*argv, "--jobs", "1", "--no-plots", "--quiet", "--resume", "--out", str(out)]) == 0
    manifest = _manifest(out)
    assert manifest["status"] == "complete" and "resumed" not in manifest
    assert_same_tables(serial, out)


# ------------------------------------------------------------ the library writes the same folder

VOLATILE = {"command", "created", "updated", "timings"}


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_run_sweep_writes_the_folder_the_command_writes(tmp_path, capsys):
    options = {"ranges": [f"{SHARE}=0.1:0.5:2"], "runs": 2, "years": 3, "jobs": 1}
    cli, api = tmp_path / "cli", tmp_path / "api"
    argv = ["sweep", str(SANCTIONS), "--range", options["ranges"][0], "--runs", "2"]
    assert main([*argv, "--years", "3", "--jobs", "1", "--out", str(cli)]) == 0
    printed = capsys.readouterr().out
    result = sim.run_sweep(SANCTIONS, api, **options)

    assert result.folder == api and _files(api) == _files(cli)
    assert any(name.startswith("plots/") for name in _files(api))
    assert_same_tables(cli, api)
    pd.testing.assert_frame_equal(pd.read_parquet(cli / "design.parquet"), result.design)
    for name in ("summary.json", "scenario.yaml"):
        assert (api / name).read_text() == (cli / name).read_text(), name
    made, wrote = (json.loads((f / "manifest.json").read_text()) for f in (api, cli))
    assert {k: v for k, v in made.items() if k not in VOLATILE} == {
        k: v for k, v in wrote.items() if k not in VOLATILE
    }
    assert wrote["command"][:2] == ["sim", "sweep"] and made["command"] != wrote["command"]
    pd.testing.assert_frame_equal(result.outcomes, read(cli, "outcomes"))
    points = json.loads((cli / "summary.json").read_text())["points"]
    assert result.summary["runs"].tolist() == [p["runs"] for p in points] == [2, 2]
    # the command prints the result's table (but for the seconds it took)
    assert result.table().splitlines()[0] in printed


# ------------------------------------------------------------ option mistakes cost nothing

GRID = ["--grid", f"{SHARE}=0.1,0.5"]
VARY = ["--vary", f"{SHARE}=0.1:0.6"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["sweep", "{S}", *GRID, "--tables", "states,bogus"], "--tables: unknown table 'bogus'"),
        (["sweep", "{S}", *GRID, "--resume"], "--resume: needs --out DIR"),
        (["sweep", *GRID], "scenario: give a scenario file (or --resume --out DIR)"),
        (["sweep", "--resume", "--out", "{W}/none"], "--out: {W}/none holds no sweep to resume"),
        (["sweep", "{S}", *GRID, "--runs", "0"], "--runs: must be at least 1, got 0"),
        (
            ["sensitivity", "{S}", *VARY, "--outcomes", "leader_shar"],
            "--outcomes: unknown outcome 'leader_shar'; did you mean leader_share",
        ),
        (
            ["sensitivity", "{G}", *VARY],
            "--vary: a sensitivity analysis varies sampled parameters only (no grid)",
        ),
    ],
)
def test_option_mistakes_are_refused_before_anything_runs(
    tmp_path, monkeypatch, capsys, argv, expected
):
    gridded = tmp_path / "gridded.yaml"
    gridded.write_text(f"extends: {SANCTIONS}\nsweep:\n  grid:\n    {RESPONSE}: [1, 2]\n")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    fill = {"{S}": str(SANCTIONS), "{G}": str(gridded)}
    argv = [fill.get(a, a).replace("{W}", str(work)) for a in argv]
    assert main([*argv, "--jobs", "1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("command line: " + expected.replace("{W}", str(work))), err
    assert not list(work.iterdir())


def test_tables_left_out_are_not_built_and_the_kept_ones_are_the_same(serial, tmp_path):
    plan = small_plan()
    plan.tables = ("states", "system")
    out = tmp_path / "kept"
    execute(plan, Execution(jobs=1), Output(out))
    for table in (*plan.tables, "outcomes"):
        pd.testing.assert_frame_equal(read(serial, table), read(out, table))
    assert not (out / "dyads.parquet").exists() and not (out / "events.parquet").exists()


def test_a_run_builds_only_the_tables_asked_for():
    config = load_sweep(
        SANCTIONS, Design(grid=[f"{SHARE}=0.5"]), settings=Settings(runs=1, years=3)
    )[1]
    seed = np.random.SeedSequence(5)
    every = run_one(config, seed, 0)
    some = run_one(config, seed, 0, ("system",))
    assert set(some) == {"system", "outcomes"}
    for name in some:
        pd.testing.assert_frame_equal(pd.DataFrame(some[name]), pd.DataFrame(every[name]))


def test_a_run_that_keeps_no_dyads_records_none():
    from sim.model import WorldModel

    config = load_sweep(
        SANCTIONS, Design(grid=[f"{SHARE}=0.5"]), settings=Settings(runs=1, years=3)
    )[1]
    model = WorldModel(config, rng=np.random.default_rng(5), tables=("states", "system"))
    model.run()
    assert model.recorder.dyads == {}
    assert len(model.recorder.columns(0, ("states",))["states"]["year"]) == 4 * model.n
    with pytest.raises(ValueError, match="not recorded in this run: dyads"):
        model.recorder.columns(0, ("dyads",))
