"""Damaged results folders and command-line holes end in one located line, exit 2.

Each test damages a copy of a finished folder the way a full disk, a killed copy
or a hand edit would (a manifest field removed, a Parquet table truncated or
overwritten) and checks that every command reading it names the folder, file and
field, and prints no traceback.
"""

import json
import shutil

import pytest

from sim.analysis.sensitivity import analyse_sweep
from sim.cli.main import main
from sim.errors import ScenarioError
from tests.conftest import SCENARIOS

SANCTIONS = str(SCENARIOS / "sanctions.yaml")
GRID = "events.western_sanctions_2014.sectors.finance"


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished run folder and a finished sweep folder (2 runs, 2 years)."""
    root = tmp_path_factory.mktemp("faults")
    run, sweep = root / "run", root / "sweep"
    small = ["--runs", "2", "--years", "2", "--no-plots", "--quiet"]
    assert main([SANCTIONS, *small, "--out", str(run)]) == 0
    assert main(["sweep", SANCTIONS, *small, "--grid", f"{GRID}=0.1,0.6", "--out", str(sweep)]) == 0
    return run, sweep


def copy(folder, tmp_path, name="copy"):
    return shutil.copytree(folder, tmp_path / name)


def drop_field(folder, *path):
    manifest = json.loads((folder / "manifest.json").read_text())
    inner = manifest
    for key in path[:-1]:
        inner = inner[key]
    del inner[path[-1]]
    (folder / "manifest.json").write_text(json.dumps(manifest))


def truncate(path, keep=300):
    path.write_bytes(path.read_bytes()[:keep])


def one_line(capsys, argv, *expected):
    """Run ``sim argv``; it must exit 2 with one stderr line holding every ``expected``."""
    capsys.readouterr()
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    for text in expected:
        assert str(text) in err, (text, err)
    return err


@pytest.mark.parametrize("field", ["seed", "runs"])
def test_run_manifest_missing_a_field_is_named(finished, tmp_path, capsys, field):
    folder = copy(finished[0], tmp_path)
    drop_field(folder, field)
    one_line(capsys, ["plot", folder], folder / "manifest.json", field)
    one_line(capsys, ["compare", finished[0], folder, "--out", tmp_path / "c"], field)
    assert not (tmp_path / "c").exists()


def test_run_manifest_not_json_is_named(finished, tmp_path, capsys):
    folder = copy(finished[0], tmp_path)
    truncate(folder / "manifest.json", 40)
    one_line(capsys, ["plot", folder], folder, "manifest.json")


@pytest.mark.parametrize("damage", ["truncated", "overwritten"])
@pytest.mark.parametrize("table", ["states", "system", "events"])
def test_damaged_run_table_is_named(finished, tmp_path, capsys, damage, table):
    folder = copy(finished[0], tmp_path)
    path = folder / f"{table}.parquet"
    if damage == "truncated":
        truncate(path)
    else:
        path.write_bytes(b"not parquet at all\n" * 10)
    one_line(capsys, ["plot", folder], path, "not a readable Parquet table")
    one_line(capsys, ["compare", finished[0], folder, "--out", tmp_path / "c"], path)
    assert not (tmp_path / "c").exists()


def test_run_table_without_its_run_column_is_named(finished, tmp_path, capsys):
    import pandas as pd

    folder = copy(finished[0], tmp_path)
    path = folder / "system.parquet"
    pd.read_parquet(path).drop(columns="run").to_parquet(path)
    one_line(capsys, ["plot", folder], path, "lacks the column(s) run")


def test_sweep_manifest_without_design_is_named(finished, tmp_path, capsys):
    folder = copy(finished[1], tmp_path)
    drop_field(folder, "design")
    one_line(capsys, ["plot", folder], folder / "manifest.json", "design")
    other = copy(finished[1], tmp_path, "other")
    drop_field(other, "design", "method")
    with pytest.raises(ScenarioError, match="design.method: missing from the manifest"):
        analyse_sweep(other)


def test_damaged_sweep_part_is_named(finished, tmp_path, capsys):
    folder = copy(finished[1], tmp_path)
    parts = sorted((folder / "outcomes.parquet").iterdir())
    truncate(parts[-1], 200)
    one_line(capsys, ["plot", folder], folder / "outcomes.parquet", "not a readable Parquet")
    one_line(
        capsys,
        ["discover", folder, "--outcome", "leader=USA", "--out", tmp_path / "d"],
        folder / "outcomes.parquet",
    )
    assert not (tmp_path / "d").exists()


def test_undamaged_folders_still_read(finished, tmp_path):
    assert main(["plot", str(finished[0])]) == 0
    out = tmp_path / "c"
    assert main(["compare", str(finished[0]), str(finished[0]), "--out", str(out)]) == 0
    assert (out / "manifest.json").is_file()


@pytest.mark.parametrize("command", [[SANCTIONS], ["sweep", SANCTIONS, "--grid", f"{GRID}=0.1"]])
@pytest.mark.parametrize("jobs", ["-1", "-8"])
def test_negative_jobs_are_refused(tmp_path, capsys, command, jobs):
    out = tmp_path / "out"
    one_line(capsys, [*command, "--jobs", jobs, "--out", out], "--jobs", "at least 0", jobs)
    assert not out.exists()


@pytest.mark.parametrize(
    "repeated, flags",
    [
        (["--grid", f"{GRID}=0.1,0.2", "--grid", f"{GRID}=0.3"], "(--grid and --grid)"),
        (["--grid", f"{GRID}=0.1,0.2", "--range", f"{GRID}=0:1:3"], "(--grid and --range)"),
        (
            ["--sample", "lhs", "--n", "4", "--vary", f"{GRID}=0:1", "--vary", f"{GRID}=0:0.5"],
            "(--vary and --vary)",
        ),
    ],
)
def test_a_path_given_twice_is_refused(tmp_path, capsys, repeated, flags):
    out = tmp_path / "out"
    one_line(capsys, ["sweep", SANCTIONS, *repeated, "--out", out], GRID, "given twice", flags)
    assert not out.exists()


@pytest.mark.parametrize("block", ["events", "uncertainties"])
def test_null_for_a_name_the_base_lacks_is_refused(write, capsys, block):
    name = "western_sanction_2014" if block == "events" else "parameters.trade.diversion_shares"
    text = f"extends: {SCENARIOS / 'sanctions.yaml'}\n{block}:\n  {name}: null\n"
    path = write("typo.yaml", text)
    err = one_line(capsys, ["validate", path], f"{path}:3:", f"{block}.{name}", "did you mean")
    if block == "events":
        assert "western_sanctions_2014" in err and "joint_sea_2014" in err


def test_null_for_an_inherited_event_still_removes_it(write):
    from sim.scenario.loader import load_scenario

    text = f"extends: {SCENARIOS / 'sanctions.yaml'}\nevents:\n  western_sanctions_2014: null\n"
    config = load_scenario(write("ok.yaml", text))
    assert "western_sanctions_2014" not in config.active_events()
    assert "joint_sea_2014" in config.active_events()


def test_discover_refuses_an_unfinished_sweep_unless_partial(tmp_path, capsys):
    from tests.test_discover import X1, X2, N, _outcomes, lhs, write_folder

    design = lhs(N)
    rule = (design[X1] > 0.6) & (design[X2] < 0.3)
    folder = write_folder(tmp_path / "sweep", design, _outcomes(design["point"], rule))
    manifest = {"kind": "sweep", "status": "interrupted", "runs_done": N, "tasks": 2 * N}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    asked = ["discover", folder, "--outcome", "polarity=multipolar", "--no-plots"]
    one_line(capsys, [*asked, "--out", tmp_path / "a"], folder, f"unfinished ({N} of {2 * N}")
    assert not (tmp_path / "a").exists()
    assert main([str(a) for a in [*asked, "--partial", "--out", tmp_path / "b"]]) == 0
    said = capsys.readouterr().out
    assert f"--partial: read {N} runs of an unfinished sweep ({N} of {2 * N} planned" in said
    assert (tmp_path / "b" / "report.json").is_file()


@pytest.mark.parametrize("text", [b"name: x\n  bad: [\n", b"\x00\x01binary", b"- a list\n"])
def test_damaged_sweep_scenario_is_named(finished, tmp_path, capsys, text):
    folder = copy(finished[1], tmp_path)
    (folder / "scenario.yaml").write_bytes(text)
    one_line(capsys, ["plot", folder], folder / "scenario.yaml", "not a readable scenario file")


THREE_AXES = [
    "--range",
    "parameters.trade.diversion_share=0:1:1000",
    "--range",
    "parameters.affinity.reversion=0.05:0.2:1000",
    "--range",
    "parameters.military.depreciation=0.05:0.15:1000",
]


def test_a_design_too_large_to_lay_out_is_refused_before_it_is_built(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main(["sweep", SANCTIONS, *THREE_AXES, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        "command line: sweep: the design has 1,000,000,000 points (1,000 x 1,000 x 1,000), "
        "more than the 1,000,000 a sweep lays out; use fewer values, or sample the space "
        "(lhs) instead of a grid"
    )
    assert not out.exists()


def test_a_design_too_large_is_named_at_its_line_in_the_file(write, capsys):
    paths = [axis.split("=")[0] for axis in THREE_AXES[1::2]]
    axes = "\n".join(f"    {p}: {{low: 0.05, high: 0.15, n: 1000}}" for p in paths)
    path = write("big.yaml", f"extends: {SANCTIONS}\nname: big\nsweep:\n  grid:\n{axes}\n")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{path}:4:3: sweep: the design has 1,000,000,000 points")


def test_too_many_runs_in_all_are_refused_before_the_design_is_built(tmp_path, capsys):
    out = tmp_path / "sweep"
    argv = ["sweep", SANCTIONS, *THREE_AXES[:4], "--runs", "100", "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("command line: --runs: 1,000,000 design points x 100 runs")
    assert not out.exists()


@pytest.mark.parametrize("given", [["--years", "6"], ["--set", "years=2"]])
def test_a_backtest_too_short_for_its_data_is_refused_at_validation(tmp_path, capsys, given):
    out = tmp_path / "run"
    argv = [SANCTIONS, "--set", "backtest=true", *given, "--runs", "2", "--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    option = "--years" if given[0] == "--years" else "--set years"
    assert err.startswith(f"command line: {option}: backtest: true compares 2015-2024")
    assert "years must be at least 10" in err and "\n" not in err
    assert not out.exists()


@pytest.mark.parametrize("scenario", [None, 3, ["a.yaml"]])
def test_the_library_names_a_scenario_of_the_wrong_kind(scenario):
    import sim

    with pytest.raises(ScenarioError, match="scenario: expected a scenario file's path"):
        sim.run(scenario)
