"""Faults of the machine while a run writes its folder: one line, exit 2, nothing left.

Each fault is made real where the machine allows it (a pseudo file system, a
read-only or full tmpfs mounted for the test, SIGTERM to a real ``sim`` process)
and skipped, saying why, where it does not.
"""

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sim.experiments.folders as folders
from sim import load as sim_load
from sim.cli.main import main
from tests.conftest import ROOT, SCENARIOS

SANCTIONS = str(SCENARIOS / "sanctions.yaml")
SMALL = [SANCTIONS, "--runs", "2", "--years", "2", "--seed", "3", "--quiet"]
EVERY_FILE = ("states.parquet", "dyads.parquet", "system.parquet", "summary.json", "manifest.json")


def run_cli(out, capsys, *extra: str, plots: bool = False) -> tuple[int, str]:
    status = main([*SMALL, *extra, *([] if plots else ["--no-plots"]), "--out", str(out)])
    return status, capsys.readouterr().err


def one_line(err: str) -> str:
    """The message the user sees, which must be one line and no traceback."""
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def nothing_beside(out: Path) -> None:
    assert not out.exists()
    assert not [p for p in out.parent.glob(f".{out.name}*")]


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a tmpfs with the given options for the test; skip where mounting is not allowed."""
    mounted = []

    def _mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or 'not allowed'})")
        mounted.append(point)
        return point

    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root; the injected faults below still run")
    yield _mount
    for point in mounted:
        subprocess.run(["umount", "--lazy", str(point)], check=False)  # even if a file is open


def test_a_pseudo_file_system_is_refused_before_any_run(capsys):
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc on this machine")
    status, err = run_cli(Path("/proc/self/x"), capsys)
    assert status == 2
    line = one_line(err)
    assert line == (
        "command line: --out: /proc/self/x is on a proc pseudo file system, "
        "which cannot hold results"
    )
    assert "%" not in err  # refused before the runs: no progress bar began


def test_a_file_in_place_of_the_folder_is_refused(tmp_path, capsys):
    (tmp_path / "taken").write_text("a file")
    status, err = run_cli(tmp_path / "taken" / "out", capsys)
    assert status == 2
    assert "is a file, so the folder" in one_line(err)
    assert (tmp_path / "taken").read_text() == "a file"


def test_a_read_only_place_is_refused_before_any_run(tmp_path, capsys):
    if os.geteuid() == 0:  # permission bits do not stop root: a read-only mount does
        proc = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(tmp_path)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            pytest.skip(f"root cannot be stopped by chmod and cannot mount ({proc.stderr})")
        cause = "Read-only file system"
    else:
        tmp_path.chmod(0o500)
        cause = "Permission denied"
    try:
        status, err = run_cli(tmp_path / "deep" / "out", capsys)
        assert status == 2
        assert one_line(err) == (
            f"command line: --out: {tmp_path}/deep/out cannot be written: {tmp_path}: {cause}"
        )
        assert list(tmp_path.iterdir()) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "--lazy", str(tmp_path)], check=False)
        else:
            tmp_path.chmod(0o700)


def test_a_name_too_long_is_refused(tmp_path, capsys):
    status, err = run_cli(tmp_path / ("x" * 250), capsys)
    assert status == 2
    assert one_line(err).endswith("is too long")
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_writing_is_one_line_and_leaves_nothing(tmpfs, capsys):
    place = tmpfs("size=300k")
    out = place / "results" / "run"
    status, err = run_cli(out, capsys, plots=True)
    assert status == 2
    assert one_line(err) == (
        f"command line: --out: {out} could not be written (No space left on device); "
        "nothing was kept"
    )
    assert list(place.iterdir()) == []  # the parent made for it is gone too


def test_a_write_error_names_the_file_as_it_would_be_in_the_folder(tmp_path, capsys, monkeypatch):
    """ENOSPC injected on the first table: the same on every machine, root or not."""

    def full(table, path):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(folders, "write_parquet", full)
    out = tmp_path / "run"
    status, err = run_cli(out, capsys)
    assert status == 2
    assert one_line(err) == (
        f"command line: --out: {out} could not be written "
        f"({out}/states.parquet: No space left on device); nothing was kept"
    )
    nothing_beside(out)


def test_an_earlier_finished_folder_is_untouched_by_a_failed_write(tmp_path, capsys, monkeypatch):
    out = tmp_path / "first"
    assert run_cli(out, capsys)[0] == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    monkeypatch.setattr(
        folders,
        "write_parquet",
        lambda table, path: (_ for _ in ()).throw(OSError(errno.EROFS, "Read-only file system")),
    )
    status, err = run_cli(tmp_path / "second", capsys)
    assert status == 2 and "Read-only file system" in one_line(err)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["first"]


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_partial_folders_of_dead_processes_are_removed(tmp_path, capsys):
    out = tmp_path / "run"
    stale = tmp_path / f".run.partial-{dead_pid()}"
    (stale / "dyads.parquet").mkdir(parents=True)
    (stale / "dyads.parquet" / "part-0.parquet").write_bytes(b"x" * 1000)
    old = tmp_path / f".run.old-{dead_pid()}"
    old.mkdir()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        working = tmp_path / f".run.partial-{alive.pid}"  # another command's work in progress
        working.mkdir()
        other = tmp_path / f".other.partial-{dead_pid()}"  # another folder's: not ours to judge
        other.mkdir()
        status, _ = run_cli(out, capsys)
        assert status == 0
        assert (out / "manifest.json").is_file()
        assert not stale.exists() and not old.exists()
        assert working.is_dir() and other.is_dir()
    finally:
        alive.kill()
        alive.wait()


def complete(out: Path) -> bool:
    return (
        all((out / name).exists() for name in EVERY_FILE)
        and json.loads((out / "manifest.json").read_text()).get("status") == "complete"
    )


def test_sigterm_while_writing_leaves_the_whole_folder_or_none(tmp_path):
    """SIGTERM at seeded random moments of a real ``sim`` run's end, where it writes."""
    command = [sys.executable, "-m", "sim", *SMALL, "--no-plots", "--jobs", "1", "--years", "8"]

    def start(out: Path) -> tuple[subprocess.Popen, float]:
        proc = subprocess.Popen(
            [*command, "--out", str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return proc, time.perf_counter()

    proc, began = start(tmp_path / "timed")  # how long a run takes here
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    whole = time.perf_counter() - began
    rng = random.Random(28)
    outcomes = []
    for attempt in range(20):  # twenty seeded moments
        out = tmp_path / f"run{attempt}"
        proc, began = start(out)
        if attempt % 2:  # a moment once the tables are being written
            while proc.poll() is None and not list(tmp_path.glob(f".{out.name}.*/states.parquet")):
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.4))
        else:  # any moment of the run
            time.sleep(rng.uniform(0.3, 1.1) * whole)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=300)
        assert "Traceback" not in err, err
        assert not list(tmp_path.glob(f".{out.name}*")), err
        if proc.returncode == 0:  # finished before the signal
            assert err == "" and complete(out), err
            outcomes.append("whole")
        elif proc.returncode == -signal.SIGTERM:  # before Python could answer, or after main
            assert err == "" and (complete(out) or not out.exists()), err
            outcomes.append("whole" if out.exists() else "none")
        else:
            assert proc.returncode == 130, (proc.returncode, err)
            assert "interrupted" in err
            if out.exists():  # stopped just after the rename: said so, and whole
                assert complete(out) and f"written to {out}" in err
                outcomes.append("whole")
            else:
                assert "nothing was written" in err
                outcomes.append("none")
    assert "none" in outcomes  # the signal did land before the end at least once


def test_a_file_replaced_in_place_keeps_its_old_text_when_the_disk_is_full(tmp_path, monkeypatch):
    """A sweep's manifest is rewritten in place: a full disk keeps the old one, no temporary."""
    manifest = tmp_path / "manifest.json"
    manifest.write_text("old")
    real = Path.write_text

    def half_then_full(self, text, *args, **kwargs):
        real(self, text[:1], *args, **kwargs)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_text", half_then_full)
    with pytest.raises(folders.WriteFailed) as caught:
        folders.atomic_write(manifest, "new")
    monkeypatch.undo()
    assert str(caught.value) == (
        f"command line: --out: {manifest} could not be written (No space left on device); "
        "its earlier version is kept"
    )
    assert manifest.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]


def test_a_comparison_on_a_full_disk_names_its_own_folder(tmpfs, capsys):
    place = tmpfs("size=64k")  # room for the estimate (40 KB), not for the folder
    out = place / "comparison"
    scenarios = [SANCTIONS, str(SCENARIOS / "baseline.yaml")]
    status = main(
        ["compare", *scenarios, "--runs", "2", "--years", "2", "--quiet", "--out", str(out)]
    )
    assert status == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"command line: --out: {out} could not be written (")
    assert "No space left on device" in line and ".partial-" not in line
    assert list(place.iterdir()) == []


BASELINE = str(SCENARIOS / "baseline.yaml")
LONG_COMMANDS = {
    "compare": ["compare", SANCTIONS, BASELINE, "--runs", "400", "--jobs", "1"],
    "sensitivity": [
        "sensitivity",
        SANCTIONS,
        "--method",
        "morris",
        "--vary",
        "parameters.military.depreciation=0.05:0.15",
        "--vary",
        "parameters.trade.diversion_share=0.2:0.8",
        "--n",
        "40",
        "--runs",
        "4",
        "--jobs",
        "1",
    ],
}


@pytest.mark.parametrize("name", sorted(LONG_COMMANDS))
def test_sigterm_stops_every_long_command_with_one_message(tmp_path, name):
    """SIGTERM in the middle of the work: "interrupted", exit 130, no partial folder."""
    out = tmp_path / name
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", *LONG_COMMANDS[name], "--quiet", "--no-plots"]
        + ["--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4.0)  # imports done, runs under way
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted"), err
    assert not list(tmp_path.glob(f".{name}*")), "a hidden partial folder was left"
    if name == "compare":  # a comparison is written whole or not at all
        assert not out.exists() and "nothing was written" in last
    else:  # a sweep keeps its finished runs and says how to finish
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest["status"] == "interrupted" and "--resume" in last


SWEEP = ["sweep", SANCTIONS, "--grid", "parameters.trade.diversion_share=0.1,0.2"]
SWEEP += ["--runs", "2", "--years", "2", "--jobs", "1", "--quiet", "--no-plots"]


def test_a_sweep_that_cannot_reach_its_scheduler_writes_nothing(tmp_path, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "sweep"
    argv = [*SWEEP, "--backend", "dask", "--address", "tcp://127.0.0.1:1", "--out", str(out)]
    assert main(argv) == 2  # after Dask's 10 s of trying to connect
    line = one_line(capsys.readouterr().err)
    assert line.startswith("command line: --address: cannot reach tcp://127.0.0.1:1")
    assert not out.exists()


def test_a_sweep_that_cannot_start_leaves_the_users_empty_folder_empty(
    tmp_path, capsys, monkeypatch
):
    from sim.errors import ScenarioError, option_problem
    from sim.experiments import engine

    def unreachable(*args, **kwargs):
        raise ScenarioError(option_problem("--address", "cannot reach tcp://10.0.0.5:8786"))

    monkeypatch.setattr(engine, "open_executor", unreachable)
    out = tmp_path / "sweep"
    out.mkdir()
    assert main([*SWEEP, "--out", str(out)]) == 2
    assert one_line(capsys.readouterr().err).endswith("cannot reach tcp://10.0.0.5:8786")
    assert list(out.iterdir()) == []


def test_a_sweep_whose_last_manifest_cannot_be_written_leaves_no_lock(
    tmp_path, capsys, monkeypatch
):
    from sim.experiments.sweep.folder import LOCK

    real = Path.write_text

    def full_at_the_end(self, text, *args, **kwargs):  # the disk fills as the sweep ends
        if self.name.startswith(".manifest.json.tmp-") and '"status": "complete"' in text:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_at_the_end)
    out = tmp_path / "sweep"
    assert main([*SWEEP, "--out", str(out)]) == 2
    line = one_line(capsys.readouterr().err)
    assert "No space left on device" in line and str(out) in line
    assert not (out / LOCK).exists()
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]


def test_a_disk_too_small_for_the_tables_is_refused_before_any_run(tmpfs, capsys):
    place = tmpfs("size=512k")  # about 2.8 MB of dyads alone for 20 runs of sanctions.yaml
    out = place / "run"
    status = main([SANCTIONS, "--runs", "20", "--quiet", "--no-plots", "--out", str(out)])
    assert status == 2
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"command line: --out: {out} cannot hold the results: they need")
    assert list(place.iterdir()) == []


@pytest.mark.parametrize("command", ["run", "sweep", "compare"])
def test_the_room_a_folder_needs_is_checked_against_the_free_disk(
    tmp_path, capsys, monkeypatch, command
):
    """The estimate is a lower bound: half the bytes a row takes in a real folder."""
    import shutil

    from sim.experiments import folders

    real = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(folders.shutil, "disk_usage", lambda path: real._replace(free=300_000))
    out = tmp_path / command
    argv = {
        "run": [*SMALL, "--no-plots"],
        "sweep": SWEEP,
        "compare": ["compare", SANCTIONS, BASELINE, "--runs", "2", "--years", "2", "--quiet"],
    }[command]
    assert main([*argv, "--out", str(out)]) == 0  # 2 small runs: about 40 KB
    capsys.readouterr()
    bigger = tmp_path / f"{command}-bigger"
    more = ["--runs", "40", "--years", "26"]
    assert main([*argv, *more, "--out", str(bigger)]) == 2
    assert "cannot hold the results" in one_line(capsys.readouterr().err)
    assert not bigger.exists()


def test_the_least_bytes_are_below_what_a_run_writes(tmp_path):
    from sim.experiments import folders

    config = sim_load(SANCTIONS)
    out = tmp_path / "run"
    assert main([SANCTIONS, "--runs", "5", "--quiet", "--no-plots", "--out", str(out)]) == 0
    tables = ("states", "dyads")
    files = [
        p
        for p in out.rglob("*")
        if p.is_file() and p.relative_to(out).parts[0] in ("states.parquet", "dyads.parquet")
    ]  # dyads.parquet is a folder of parts
    written = sum(p.stat().st_size for p in files)
    assert 0.3 * written < folders.least_bytes(config, 5, tables) < written
