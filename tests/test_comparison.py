"""Comparing scenarios: the comparison of outcome tables, and the command end to end."""

import argparse
import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis import comparison, comparison_text
from sim.analysis.statistics import proportion_ci
from sim.cli import compare as compare_command
from sim.errors import ScenarioError
from sim.experiments import comparison as comparing
from sim.experiments.runner import load
from tests.conftest import SCENARIOS

COHESION = SCENARIOS / "western_cohesion.yaml"
CONSOLIDATION = SCENARIOS / "sino_russian_consolidation.yaml"
RUNS = 60


def _frame(leader_share, con, multipolar_runs):
    polarity = ["multipolar"] * multipolar_runs + ["bipolar"] * (RUNS - multipolar_runs)
    return pd.DataFrame(
        {
            "run": np.arange(RUNS, dtype=np.int32),
            "leader_share": leader_share,
            "con": con,
            "polarity": polarity,
            "bloc_polarity": ["bipolar"] * RUNS,
        }
    )


@pytest.fixture(scope="module")
def synthetic():
    """The other scenario's leader is 5 points weaker; concentration is the same."""
    rng = np.random.default_rng(3)
    base = rng.normal(0.30, 0.01, RUNS)
    con = rng.normal(0.35, 0.02, RUNS)
    outcomes = {
        "unipolar": _frame(base, con, 6),
        "multipolar": _frame(base - 0.05 + rng.normal(0, 0.002, RUNS), con.copy(), 51),
    }
    result = comparison.compare_outcomes(outcomes, ["leader_share", "con"], paired=True, year=2040)
    return outcomes, result


def _row(result, outcome):
    return next(r for r in result["differences"] if r["outcome"] == outcome)


def test_known_shift_is_found(synthetic):
    _, result = synthetic
    row = _row(result, "leader_share")
    assert row["ci_low"] < -0.05 < row["ci_high"] < 0
    assert row["difference"] == pytest.approx(-0.05, abs=0.003)
    assert row["significant"] and row["p_adjusted"] < 1e-6 and row["constant"] is None
    assert row["a12"] < 0.05 and row["cliffs_delta"] == pytest.approx(2 * row["a12"] - 1)


def test_identical_outcome_shows_no_difference(synthetic):
    _, result = synthetic
    row = _row(result, "con")
    assert row["difference"] == 0 and row["ci_low"] == 0 == row["ci_high"]
    assert row["p_value"] == 1.0 and row["constant"] == "identical"
    assert not row["significant"] and row["a12"] == 0.5
    assert "no difference: equal in every run" in comparison_text.format_table(result)


def test_polarity_shares_and_intervals(synthetic):
    _, result = synthetic
    table = result["polarity"]["polarity"]
    assert table["scenarios"]["unipolar"]["multipolar"]["share"] == pytest.approx(0.10)
    assert table["scenarios"]["multipolar"]["multipolar"]["share"] == pytest.approx(0.85)
    wilson = proportion_ci(51, RUNS)
    cell = table["scenarios"]["multipolar"]["multipolar"]
    assert (cell["ci_low"], cell["ci_high"]) == (wilson.low, wilson.high)
    difference = next(d for d in table["differences"] if d["kind"] == "multipolar")
    assert difference["difference"] == pytest.approx(0.75)
    assert 0 < difference["ci_low"] < 0.75 < difference["ci_high"] < 1
    blocs = result["polarity"]["bloc_polarity"]["scenarios"]["multipolar"]
    assert blocs["bipolar"]["share"] == 1.0


def test_result_is_json_and_reads_in_plain_words(synthetic):
    _, result = synthetic
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    text = comparison_text.format_table(result)
    assert "Power share of the leading state" in text and "Concentration of power" in text
    headline = " ".join(comparison_text.headlines(result))
    found = re.search(
        r"^multipolar vs unipolar: the power share of the leading state in 2040 is "
        r"(\d\.\d+) percentage points lower \(97.5% CI (\d\.\d+) to (\d\.\d+)\)",
        headline,
    )
    assert found, headline
    estimate, low, high = map(float, found.groups())
    assert low < 5.0 < high and estimate == pytest.approx(5.0, abs=0.3)
    assert "the world ends multipolar in 85% of runs vs 10%" in headline
    assert "1 of 2 outcomes differ significantly" in headline
    assert "other scenario minus unipolar (Hodges" in " ".join(text.split())
    markdown = comparison_text.to_markdown(result)
    assert "| Outcome | unipolar | multipolar |" in markdown
    assert "## multipolar minus unipolar" in markdown


def test_unpaired_comparison_uses_mann_whitney(synthetic):
    outcomes, _ = synthetic
    result = comparison.compare_outcomes(outcomes, ["leader_share"], paired=False)
    row = result["differences"][0]
    assert result["test"] == "mann-whitney u" and row["significant"] and row["p_adjusted"] < 1e-6
    assert "not paired" in comparison_text.format_table(result)


def test_paired_comparison_needs_the_same_runs(synthetic):
    outcomes, _ = synthetic
    shuffled = {**outcomes, "multipolar": outcomes["multipolar"].iloc[::-1]}
    with pytest.raises(ValueError, match="same runs"):
        comparison.compare_outcomes(shuffled, ["leader_share"], paired=True)


@pytest.mark.parametrize(
    ("column", "label", "kind"),
    [
        ("leader_share", "Power share of the leading state", "share"),
        ("share_CHN", "Power share of CHN", "share"),
        ("bloc_share_USA", "Power share of USA's bloc", "share"),
        ("gdp_RUS", "GDP of RUS (US$ bn, 2014 prices)", "gdp"),
        ("effective_poles", "Effective number of poles", "number"),
    ],
)
def test_labels(column, label, kind):
    assert comparison.describe(column) == (label, kind)


def test_default_outcomes_include_major_states_blocs_and_sanction_targets():
    columns = comparison.default_columns([load(COHESION), load(CONSOLIDATION)])
    assert columns[:4] == ["leader_share", "con", "effective_poles", "bloc_leader_share"]
    assert {"share_USA", "share_CHN", "share_RUS", "bloc_share_USA", "bloc_share_CHN"} <= set(
        columns
    )
    assert columns[-1] == "gdp_RUS" and len(columns) == len(set(columns))


def test_unknown_outcome_names_close_matches():
    configs = [load(COHESION), load(CONSOLIDATION)]
    with pytest.raises(ScenarioError, match=r"--outcomes: unknown outcome 'leader_shar'") as err:
        comparison.choose_columns(["leader_shar", "share_CHN", "gpd_RUS"], configs)
    assert len(err.value.problems) == 2
    assert "did you mean leader_share" in str(err.value) and "gdp_RUS" in str(err.value)
    chosen = comparison.choose_columns("share_CHN, gdp_RUS".split(","), configs)
    assert chosen == ["share_CHN", "gdp_RUS"]


def test_unique_names():
    assert comparing.unique_names(["a", "a", "b"]) == ["a", "a-2", "b"]
    assert comparing.unique_names(["a", "a", "a-2"]) == ["a", "a-3", "a-2"]


# ------------------------------------------------------------------ the command


def _execute(*argv):
    parser = argparse.ArgumentParser()
    compare_command.add_parser(parser.add_subparsers())
    argv = ["compare", *(str(a) for a in argv)]
    return compare_command.execute(parser.parse_args(argv), argv)


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """The two futures, 6 paired runs of 10 years (the shortest both allow)."""
    out = tmp_path_factory.mktemp("compare") / "uni-vs-multi"
    argv = [COHESION, CONSOLIDATION, "--runs", 6, "--seed", 3, "--set", "years=10"]
    assert _execute(*argv, "--jobs", 1, "--out", out, "--quiet") == 0
    return out


def test_command_writes_every_promised_file(compared):
    for name in (
        "comparison.json",
        "comparison.md",
        "outcomes.parquet",
        "power_share.parquet",
        "manifest.json",
    ):
        assert (compared / name).is_file(), name
    for scenario in ("western_cohesion", "sino_russian_consolidation"):
        folder = compared / "scenarios" / scenario
        assert {p.name for p in folder.iterdir()} >= {"states.parquet", "manifest.json"}
    plots = {p.name for p in (compared / "plots").iterdir()}
    assert plots == {"distributions.png", "ecdf.png", "power_share_fan.png", "polarity.png"}
    assert not list(compared.parent.glob(".*partial*"))


def test_command_result_and_manifest(compared):
    result = json.loads((compared / "comparison.json").read_text())
    assert result["reference"] == "western_cohesion" and result["scenarios"] == [
        "western_cohesion",
        "sino_russian_consolidation",
    ]
    assert result["paired"] and result["runs"] == {
        "western_cohesion": 6,
        "sino_russian_consolidation": 6,
    }
    assert result["year"] == 2024 and set(result["polarity"]) == {"polarity", "bloc_polarity"}
    assert {"leader_share", "share_CHN", "bloc_share_USA", "gdp_RUS"} <= set(result["outcomes"])
    assert result["outcomes"]["leader_share"]["scenarios"]["western_cohesion"].keys() >= {
        "p05",
        "p50",
    }
    # 6 paired runs cannot reach p <= 2/64 < 0.05 / m: no interval, nothing starred
    change = {r["outcome"]: r for r in result["differences"]}
    assert change["bloc_share_USA"]["other"] == "sino_russian_consolidation"
    assert result["interval_confidence"] == pytest.approx(1 - 0.05 / len(change))
    for row in change.values():
        assert row["ci_low"] is None and row["ci_high"] is None and not row["significant"]
    manifest = json.loads((compared / "manifest.json").read_text())
    assert manifest["kind"] == "comparison" and manifest["paired"] is True
    assert manifest["seed"] == 3 and manifest["runs"] == 6
    assert [s["name"] for s in manifest["sources"]] == [
        "western_cohesion",
        "sino_russian_consolidation",
    ]
    assert manifest["sources"][0]["folder"] == "scenarios/western_cohesion"
    assert manifest["command"][:3] == ["sim", "compare", str(COHESION)]
    outcomes = pd.read_parquet(compared / "outcomes.parquet")
    assert outcomes.columns[0] == "scenario" and len(outcomes) == 12


def test_run_folders_give_the_same_comparison(compared, tmp_path, capsys):
    folders = [
        compared / "scenarios" / name for name in ("western_cohesion", "sino_russian_consolidation")
    ]
    out = tmp_path / "again"
    assert _execute(*folders, "--out", out, "--no-plots") == 0
    printed = capsys.readouterr().out
    assert (
        "Headline\n  sino_russian_consolidation vs western_cohesion: "
        "the power share of the leading state" in printed
    )
    assert "Runs are paired" in printed and f"results written to {out}" in printed
    first = json.loads((compared / "comparison.json").read_text())
    again = json.loads((out / "comparison.json").read_text())
    assert again["differences"] == first["differences"]
    assert not (out / "scenarios").exists() and not (out / "plots").exists()


def test_run_folders_with_other_seeds_are_unpaired(compared, tmp_path):
    other = tmp_path / "reseeded"
    shutil.copytree(compared / "scenarios" / "sino_russian_consolidation", other)
    manifest = json.loads((other / "manifest.json").read_text())
    (other / "manifest.json").write_text(json.dumps({**manifest, "seed": 99}))
    out = tmp_path / "unpaired"
    assert (
        _execute(compared / "scenarios" / "western_cohesion", other, "--out", out, "--no-plots")
        == 0
    )
    result = json.loads((out / "comparison.json").read_text())
    assert result["paired"] is False and result["test"] == "mann-whitney u"


def test_same_scenario_twice_gets_unique_names(compared, tmp_path):
    folder = compared / "scenarios" / "western_cohesion"
    out = tmp_path / "self"
    assert _execute(folder, folder, "--out", out, "--no-plots", "--quiet") == 0
    result = json.loads((out / "comparison.json").read_text())
    assert result["scenarios"] == ["western_cohesion", "western_cohesion-2"]
    assert all(r["difference"] == 0 and not r["significant"] for r in result["differences"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: (f / "manifest.json").unlink(), "has no manifest.json"),
        (lambda f: _edit_manifest(f, status="running"), "not complete"),
        (lambda f: _edit_manifest(f, kind="sweep"), "a sweep folder"),
        (lambda f: _edit_manifest(f, runs=7), "records 7 runs but the tables hold 6"),
        (lambda f: (f / "states.parquet").unlink(), "missing states.parquet"),
    ],
)
def test_incomplete_run_folders_are_refused(compared, tmp_path, change, message):
    folder = tmp_path / "run"
    shutil.copytree(compared / "scenarios" / "western_cohesion", folder)
    change(folder)
    out = tmp_path / "never"
    with pytest.raises(ScenarioError, match=message):
        _execute(folder, compared / "scenarios" / "sino_russian_consolidation", "--out", out)
    assert not out.exists()


def _edit_manifest(folder, **changes):
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, **changes}))


def test_interrupt_leaves_nothing_behind(compared, tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(comparing, "compare_outcomes", interrupted)
    folders = [
        compared / "scenarios" / name for name in ("western_cohesion", "sino_russian_consolidation")
    ]
    out = tmp_path / "new" / "deeper" / "cut"
    assert _execute(*folders, "--out", out, "--quiet") == 130
    assert "interrupted: nothing was written" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([COHESION], "sources: give at least two"),
        ([COHESION, CONSOLIDATION, "--runs", 1], "--runs: must be at least 2"),
        ([COHESION, SCENARIOS / "missing.yaml"], "missing.yaml: no such file or folder"),
        ([COHESION, CONSOLIDATION, "--outcomes", "leader"], "did you mean leader_share"),
        ([COHESION, CONSOLIDATION, "--set", "years=5"], "western_exercise_2024.year"),
        ([COHESION, CONSOLIDATION, "--outcomes", " , "], "--outcomes: expected comma-separated"),
    ],
)
def test_mistakes_are_reported_before_anything_runs(argv, message, tmp_path):
    out = tmp_path / "never"
    with pytest.raises(ScenarioError, match=message):
        _execute(*argv, "--out", out)
    assert not out.exists()


def test_options_for_scenario_files_are_refused_with_only_run_folders(compared, tmp_path):
    folders = [
        compared / "scenarios" / name for name in ("western_cohesion", "sino_russian_consolidation")
    ]
    with pytest.raises(ScenarioError, match="--runs: applies to scenario files only"):
        _execute(*folders, "--runs", 10, "--out", tmp_path / "x")


def test_sources_must_end_in_the_same_year(compared, tmp_path):
    folder = compared / "scenarios" / "western_cohesion"
    with pytest.raises(ScenarioError, match="end in the same year.*ends in 2026"):
        _execute(folder, CONSOLIDATION, "--years", 12, "--out", tmp_path / "x")


# ------------------------------------------------------------------ the library


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _manifest_without_provenance(path, *skip):
    manifest = json.loads(path.read_text())
    return {k: v for k, v in manifest.items() if k not in {"command", "created", *skip}}


def test_python_writes_the_folder_the_command_line_writes(compared, tmp_path):
    out = tmp_path / "python"
    found = sim.compare([COHESION, CONSOLIDATION], runs=6, seed=3, overrides=["years=10"], out=out)
    assert found.folder == out
    assert _files(out) == _files(compared)
    for name in _files(out):
        ours, theirs = out / name, compared / name
        if name.endswith(".parquet"):
            pd.testing.assert_frame_equal(pd.read_parquet(ours), pd.read_parquet(theirs))
        elif name == "manifest.json":
            assert _manifest_without_provenance(ours) == _manifest_without_provenance(theirs)
        elif name.endswith("manifest.json"):  # a scenario's run: its timings differ too
            skip = ("timings",)
            assert _manifest_without_provenance(ours, *skip) == _manifest_without_provenance(
                theirs, *skip
            )
        else:
            assert ours.read_bytes() == theirs.read_bytes(), name
    assert found.result == json.loads((out / "comparison.json").read_text())
    pd.testing.assert_frame_equal(found.outcomes, pd.read_parquet(out / "outcomes.parquet"))
    pd.testing.assert_frame_equal(found.power_shares, pd.read_parquet(out / "power_share.parquet"))


def test_result_prints_what_the_command_line_prints(compared, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    folders = [
        compared / "scenarios" / name for name in ("western_cohesion", "sino_russian_consolidation")
    ]
    found = sim.compare(folders, outcomes=["share_CHN", "gdp_RUS"])
    assert found.folder is None and not list(tmp_path.iterdir())  # nothing written
    out = tmp_path / "command"
    assert _execute(*folders, "--outcomes", "share_CHN,gdp_RUS", "--out", out, "--no-plots") == 0
    assert capsys.readouterr().out == found.table() + f"\n\nresults written to {out}\n"
    assert found.markdown() == (out / "comparison.md").read_text()
    assert found.result == json.loads((out / "comparison.json").read_text())
    assert found.names == ["western_cohesion", "sino_russian_consolidation"]
    assert found.headlines[0].startswith(
        "sino_russian_consolidation vs western_cohesion: the power share of CHN in 2024"
    )
    assert list(found.differences["outcome"]) == ["share_CHN", "gdp_RUS"]
    first = found.differences.loc[0]
    assert found.result["interval_confidence"] == pytest.approx(1 - 0.05 / 2)
    assert first["ci_low"] is None and "too few runs for an interval" in found.table()


@pytest.mark.parametrize(
    ("sources", "options", "argv"),
    [
        ([COHESION], {}, []),
        (COHESION, {}, []),
        ([COHESION, CONSOLIDATION], {"runs": 1}, ["--runs", 1]),
        ([COHESION, CONSOLIDATION], {"seed": -1}, ["--seed", -1]),
        ([COHESION, SCENARIOS / "missing.yaml"], {}, []),
        (
            [COHESION, CONSOLIDATION],
            {"outcomes": ["leader", "gpd_RUS"]},
            ["--outcomes", "leader,gpd_RUS"],
        ),
        ([COHESION, CONSOLIDATION], {"outcomes": []}, ["--outcomes", ","]),
        ([COHESION, CONSOLIDATION], {"overrides": ["years=5"]}, ["--set", "years=5"]),
    ],
)
def test_python_mistakes_read_as_on_the_command_line(sources, options, argv, tmp_path):
    with pytest.raises(ScenarioError) as raised:
        sim.compare(sources, out=tmp_path / "never", **options)
    listed = sources if isinstance(sources, list) else [sources]
    with pytest.raises(ScenarioError) as printed:
        _execute(*listed, *argv, "--out", tmp_path / "never")
    assert str(raised.value) == str(printed.value)
    assert not (tmp_path / "never").exists()


def test_default_folder_names_the_scenarios():
    now = datetime(2024, 5, 1, 12, 30, 0)
    folder = comparing.default_out(["western_cohesion", "sino_russian_consolidation"], now)
    assert folder == Path(
        "results/compare/western_cohesion-vs-sino_russian_consolidation/20240501-123000"
    )
