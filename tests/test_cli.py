"""The command line, in-process through main(argv), and once as a real command."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from sim.cli.main import main
from tests.conftest import ROOT, SCENARIOS

SANCTIONS = str(SCENARIOS / "sanctions.yaml")


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "run"
    assert (
        main(
            [SANCTIONS, "--runs", "3", "--years", "6", "--seed", "5", "--out", str(out), "--quiet"]
        )
        == 0
    )
    return out


def test_run_writes_every_promised_file(run_folder):
    for name in (
        "states.parquet",
        "dyads.parquet",
        "system.parquet",
        "events.parquet",
        "summary.json",
        "manifest.json",
        "scenario.yaml",
    ):
        assert (run_folder / name).exists(), name
    # the dyads, the largest table, as a Parquet dataset the workers wrote part by part
    parts = sorted(p.name for p in (run_folder / "dyads.parquet").iterdir())
    assert parts and all(p.startswith("part-") and p.endswith(".parquet") for p in parts)
    plots = {p.name for p in (run_folder / "plots").iterdir()}
    assert plots == {
        "power_share_fan.png",
        "polarity_final.png",
        "leader_share_final.png",
        "alignment_network.png",
    }
    assert not list(run_folder.parent.glob(".*partial*"))


def test_tables_have_the_promised_columns(run_folder):
    states = pd.read_parquet(run_folder / "states.parquet")
    assert {
        "run",
        "year",
        "state",
        "gdp_usd_bn",
        "milex_usd_bn",
        "capability",
        "energy_production_ej",
        "energy_consumption_ej",
        "power_index",
        "power_share",
    } <= set(states.columns)
    dyads = pd.read_parquet(run_folder / "dyads.parquet")
    assert list(dyads.columns[:4]) == ["run", "year", "a", "b"]
    assert {
        "trade_usd_bn",
        "affinity",
        "allied",
        "sanction_intensity",
        "arms_transfer_usd_bn",
        "gas_flow_bcm",
    } <= set(dyads.columns)
    system = pd.read_parquet(run_folder / "system.parquet")
    assert {"run", "year", "leader", "leader_share", "con", "effective_poles", "polarity"} <= set(
        system.columns
    )
    events = pd.read_parquet(run_folder / "events.parquet")
    assert {"run", "year", "kind", "source", "target", "magnitude"} <= set(events.columns)
    assert states["run"].nunique() == 3 and states["year"].max() == 2020


def test_summary_and_manifest(run_folder):
    summary = json.loads((run_folder / "summary.json").read_text())
    assert summary["scenario"] == "sanctions" and summary["runs"] == 3 and summary["seed"] == 5
    assert summary["years"] == [2014, 2020]
    assert set(summary["polarity_final"]) == {"unipolar", "bipolar", "multipolar"}
    assert set(summary["power_share_final"]["CHN"]) == {"p05", "p50", "p95"}
    manifest = json.loads((run_folder / "manifest.json").read_text())
    assert manifest["seed"] == 5 and manifest["versions"]["mesa"].startswith("3.")
    assert len(manifest["scenario_sha256"]) == 64 and "--runs" in manifest["command"]


def test_resolved_scenario_reruns_identically(run_folder, tmp_path):
    out = tmp_path / "again"
    assert (
        main([str(run_folder / "scenario.yaml"), "--out", str(out), "--quiet", "--no-plots"]) == 0
    )
    for name in ("states", "dyads", "system", "events"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(run_folder / f"{name}.parquet"),
            pd.read_parquet(out / f"{name}.parquet"),
        )


def test_run_prints_table_and_location(tmp_path, capsys):
    out = tmp_path / "r"
    assert main([SANCTIONS, "--runs", "2", "--years", "3", "--out", str(out), "--no-plots"]) == 0
    printed = capsys.readouterr().out
    assert "Power share in 2017" in printed and "RUS" in printed and "Polarity in 2017" in printed
    assert str(out) in printed


def test_set_override_changes_the_run(tmp_path):
    out = tmp_path / "r"
    assert (
        main(
            [
                SANCTIONS,
                "--runs",
                "1",
                "--years",
                "2",
                "--out",
                str(out),
                "--quiet",
                "--no-plots",
                "--set",
                "events.western_sanctions_2014.sectors.finance=0.9",
            ]
        )
        == 0
    )
    assert "finance: 0.9" in (out / "scenario.yaml").read_text()


def test_bad_input_exits_2_with_location_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: " + SANCTIONS + "\nname: bad\nyears: many\n")
    out = tmp_path / "never"
    assert main([str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (f"{bad}:3:8: years: expected a number, got 'many'")
    assert not out.exists() and not list(tmp_path.glob(".*partial*"))


def test_existing_output_folder_is_refused(run_folder, capsys):
    assert main([SANCTIONS, "--out", str(run_folder), "--quiet"]) == 2
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--runs", "--years"])
def test_nonpositive_counts_are_refused(option, tmp_path, capsys):
    assert main([SANCTIONS, option, "0", "--out", str(tmp_path / "x")]) == 2
    assert f"{option}: must be at least 1" in capsys.readouterr().err


def test_validate_reports_each_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nworld:\n  states: [USA]\n")
    assert main(["validate", SANCTIONS, str(bad)]) == 2
    captured = capsys.readouterr()
    assert f"{SANCTIONS}: ok" in captured.out
    assert f"{bad}:3:11: world.states: expected at least 2 items, got 1" in captured.err


def test_missing_file_is_a_clean_error(tmp_path, capsys):
    assert main([str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err.strip() == f"{tmp_path / 'nope.yaml'}: no such file"


def test_python_dash_m_sim_end_to_end(tmp_path):
    out = tmp_path / "e2e"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            SANCTIONS,
            "--runs",
            "2",
            "--years",
            "2",
            "--out",
            str(out),
            "--no-plots",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "results written to" in done.stdout and (out / "summary.json").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "sim", str(tmp_path / "none.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_a_folder_written_from_python_equals_the_command_lines(run_folder, tmp_path):
    import sim

    res = sim.run(SANCTIONS, runs=3, years=6, seed=5, out=tmp_path / "py")
    assert res.folder == tmp_path / "py"
    files = sorted(p.relative_to(run_folder) for p in run_folder.rglob("*"))
    assert sorted(p.relative_to(res.folder) for p in res.folder.rglob("*")) == files
    for name in ("states", "dyads", "system", "events", "outcomes", "parameters"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(res.folder / f"{name}.parquet"),
            pd.read_parquet(run_folder / f"{name}.parquet"),
        )
    for name in ("summary.json", "scenario.yaml"):
        assert (res.folder / name).read_text() == (run_folder / name).read_text()
    for name in ("power_share_fan.png", "alignment_network.png"):
        assert (res.folder / "plots" / name).read_bytes() == (
            run_folder / "plots" / name
        ).read_bytes()
    mine, theirs = (json.loads((f / "manifest.json").read_text()) for f in (res.folder, run_folder))
    for manifest in (mine, theirs):
        for varying in ("command", "created", "timings"):
            manifest.pop(varying)
    assert mine == theirs


def test_the_library_writes_nothing_without_out(tmp_path, monkeypatch):
    import sim

    monkeypatch.chdir(tmp_path)
    res = sim.run(SANCTIONS, runs=2, years=2)
    assert res.folder is None and not list(tmp_path.iterdir())


def test_a_run_folder_is_the_same_whether_workers_write_its_dyads_or_send_them(tmp_path):
    """Local workers write the dyads into the folder; a Dask cluster's send them back."""
    pytest.importorskip("distributed")
    import sim

    scenario = SCENARIOS / "sanctions.yaml"
    options = {"runs": 3, "years": 3, "jobs": 2, "plots": False}
    local = sim.run(scenario, out=tmp_path / "local", **options)
    sent = sim.run(scenario, out=tmp_path / "dask", backend="dask", **options)
    assert (tmp_path / "local" / "dyads.parquet").is_dir()  # a dataset the workers wrote
    assert (tmp_path / "dask" / "dyads.parquet").is_file()  # written by the parent
    for name in ("states", "dyads", "system", "events"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(tmp_path / "local" / f"{name}.parquet"),
            pd.read_parquet(tmp_path / "dask" / f"{name}.parquet"),
        )
        pd.testing.assert_frame_equal(getattr(local, name), getattr(sent, name))
