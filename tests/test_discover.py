"""Scenario discovery (sim discover): known rules recovered, reports written, mistakes refused."""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from SALib.sample import latin

import sim
from sim import api
from sim.analysis.discovery.data import parse_question, read_runs
from sim.analysis.discovery.find import DEFAULT_SIGNIFICANCE, DEFAULT_THRESHOLD, Discovery, discover
from sim.cli.main import main
from sim.errors import ScenarioError
from tests.conftest import ROOT, SCENARIOS

N = 300
X1, X2, NOISE = "parameters.a.x1", "parameters.a.x2", "parameters.a.noise"
KIND = "events.e.kind"
TOLERANCE = 0.05
FILES = ("report.md", "report.json", "peeling_trajectory.png", "box.png")


def _outcomes(point: np.ndarray, rule: np.ndarray) -> pd.DataFrame:
    """Outcomes where the rule's runs end multipolar, led by CHN, with a small leader share."""
    return pd.DataFrame(
        {
            "point": point.astype(np.int32),
            "run": np.zeros(len(point), np.int32),
            "leader": np.where(rule, "CHN", "USA"),
            "leader_share": np.where(rule, 0.15, 0.3),
            "effective_poles": np.where(rule, 4.0, 2.0),
            "polarity": np.where(rule, "multipolar", "bipolar"),
            "power_transition": rule,
            "share_USA": np.where(rule, 0.15, 0.3),
            "share_CHN": np.where(rule, 0.2, 0.1),
        }
    )


def write_folder(folder: Path, design: pd.DataFrame, outcomes: pd.DataFrame) -> Path:
    folder.mkdir(parents=True)
    design.to_parquet(folder / "design.parquet", index=False)
    outcomes.to_parquet(folder / "outcomes.parquet", index=False)
    (folder / "manifest.json").write_text(json.dumps({"kind": "sweep", "status": "complete"}))
    (folder / "scenario.yaml").write_text("name: synthetic\nstart_year: 2014\nyears: 26\n")
    return folder


def lhs(n: int, seed: int = 1) -> pd.DataFrame:
    problem = {"num_vars": 3, "names": [X1, X2, NOISE], "bounds": [[0.0, 1.0]] * 3}
    design = pd.DataFrame(latin.sample(problem, n, seed=seed), columns=problem["names"])
    design.insert(0, "point", np.arange(n, dtype=np.int32))
    design["parameters.a.fixed"] = 0.5  # constant: left out
    return design


@pytest.fixture(scope="module")
def box_folder(tmp_path_factory) -> Path:
    """LHS draws of x1, x2 and noise; multipolar exactly when x1 > 0.6 and x2 < 0.3."""
    design = lhs(N)
    rule = (design[X1] > 0.6) & (design[X2] < 0.3)
    return write_folder(
        tmp_path_factory.mktemp("box") / "sweep", design, _outcomes(design["point"], rule)
    )


@pytest.fixture(scope="module")
def found(box_folder) -> Discovery:
    return discover(box_folder, "polarity=multipolar", threshold=0.95)


def limit(result_box, name):
    return next(lim for lim in result_box.limits if lim.input == name)


def test_prim_recovers_the_box_and_ignores_the_noise(found):
    box = found.box
    assert {lim.input for lim in box.limits} == {X1, X2}
    assert limit(box, X1).low == pytest.approx(0.6, abs=TOLERANCE)
    assert limit(box, X1).high is None
    assert limit(box, X2).high == pytest.approx(0.3, abs=TOLERANCE)
    assert limit(box, X2).low is None
    assert box.coverage >= 0.9 and box.density >= 0.95
    assert found.constant == ["parameters.a.fixed"]
    assert found.base_rate == pytest.approx(found.cases / N)


def test_the_sentence_names_the_limits_and_the_statistics(found):
    assert found.sentence.startswith("multipolar in 2040 needs ")
    assert f"{X1} ≥ 0.6" in found.sentence and f"{X2} ≤ 0." in found.sentence
    box = found.box
    assert found.sentence.endswith(f"(coverage {box.coverage:.0%}, density {box.density:.0%})")


def test_the_default_box_is_the_widest_reaching_the_threshold(box_folder):
    loose = discover(box_folder, "polarity=multipolar")
    trajectory = loose.trajectory
    assert loose.box.density >= 0.8 and loose.chosen_by == "threshold"
    dense = trajectory[trajectory.density >= 0.8]
    assert loose.box.coverage == dense.coverage.max()
    assert limit(loose.box, X2).high == pytest.approx(0.3, abs=TOLERANCE)
    last = discover(box_folder, "polarity=multipolar", box=-1)
    assert last.box.index == len(trajectory) - 1 and last.chosen_by == "--box"


def test_limits_that_could_be_chance_are_not_called_needed(tmp_path):
    """With 10% of outcomes flipped, PRIM also trims x2 and noise a little: chance."""
    design = lhs(N, seed=0)
    flipped = np.random.default_rng(0).random(N) < 0.1
    rule = (design[X1] > 0.5) ^ flipped
    folder = write_folder(tmp_path / "sweep", design, _outcomes(design["point"], rule))
    result = discover(folder, "polarity=multipolar", threshold=0.9)
    # the box is the trajectory's widest at density 90%, as the trajectory shows it
    trajectory = result.trajectory.set_index("id")
    assert result.box.density == trajectory.loc[result.box.index, "density"] >= 0.9
    assert result.box.coverage == trajectory[trajectory.density >= 0.9].coverage.max()
    assert {lim.input for lim in result.box.limits} == {X1, X2, NOISE}
    # it needs x1 above about 0.5 only: the other limits, and x1's upper end, are chance
    assert [lim.input for lim in result.needed] == [X1]
    assert limit(result.box, X1).low == pytest.approx(0.5, abs=TOLERANCE)
    assert result.needed[0].high is None
    assert result.sentence.startswith(f"multipolar in 2040 needs {X1} ≥ 0.5")
    assert X2 in result.note and NOISE in result.note and "not significantly" in result.note
    # at 85% the widest box restricts x1 alone
    loose = discover(folder, "polarity=multipolar", threshold=0.85)
    assert [lim.input for lim in loose.box.limits] == [X1] and loose.note is None


def test_a_box_with_no_significant_limit_is_not_called_needed(tmp_path):
    design = lhs(N, seed=5)
    rule = np.random.default_rng(5).random(N) < 0.4  # nothing to find
    folder = write_folder(tmp_path / "sweep", design, _outcomes(design["point"], rule))
    result = discover(folder, "polarity=multipolar", threshold=0.6)
    assert " needs " not in result.sentence
    assert not result.needed
    if result.box.limits:
        assert "no input is shown to matter" in result.sentence


def test_too_few_cases_or_draws_are_refused(tmp_path):
    design = lhs(N, seed=6)
    rule = design[X1] > 0.975  # about 8 runs of 300
    folder = write_folder(tmp_path / "few", design, _outcomes(design["point"], rule))
    with pytest.raises(ScenarioError, match="at least 10 of each"):
        discover(folder, "polarity=multipolar")
    # 300 runs that repeat 6 draws 50 times: 6 distinct draws with the outcome
    repeated = lhs(6, seed=7).sample(N, replace=True, random_state=7)
    repeated["point"] = np.arange(N, dtype=np.int32)
    rule = repeated[X1] > repeated[X1].median()
    folder = write_folder(tmp_path / "repeated", repeated, _outcomes(repeated["point"], rule))
    with pytest.raises(ScenarioError, match="300 runs hold 6 distinct input draws"):
        discover(folder, "polarity=multipolar")


def test_inputs_drawn_once_for_many_runs_are_flagged(tmp_path):
    """Runs that share a draw of an uncertain input (the old sweep design) are not independent."""
    design = lhs(30, seed=8)
    outcomes = pd.concat([_outcomes(design["point"], design[X1] > 0.5)] * 10, ignore_index=True)
    outcomes["run"] = np.repeat(np.arange(10, dtype=np.int32), 30)
    shared = np.random.default_rng(8).random(10)  # run r of every point drew the same value
    outcomes["parameters.u.draw"] = shared[outcomes["run"]]
    folder = write_folder(tmp_path / "sweep", design, outcomes)
    result = discover(folder, "polarity=multipolar")
    assert result.repeated == {"parameters.u.draw": 10}
    assert "few distinct values of parameters.u.draw (10)" in result.note


def test_cart_finds_the_same_box(found):
    best = found.cart[0]
    assert best.density == 1.0 and best.coverage >= 0.9
    assert {lim.input for lim in best.limits} == {X1, X2}
    assert limit(best, X1).low == pytest.approx(0.6, abs=TOLERANCE)
    # a leaf holds at least 5% of the runs (15 here), so the x2 edge is coarser
    assert limit(best, X2).high == pytest.approx(0.3, abs=2 * TOLERANCE)


def test_feature_scores_rank_the_rule_above_the_noise(found):
    assert list(found.scores.index[:2]) == sorted([X1, X2], key=lambda k: -found.scores[k])
    assert found.scores[NOISE] < min(found.scores[X1], found.scores[X2])
    assert found.scores.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("leader_share<0.2", "leader_share < 0.2"),
        ("effective_poles>=3", "effective_poles >= 3"),
        ("share_CHN>0.15", "share_CHN > 0.15"),
        ("leader=CHN", "leader = CHN"),
        ("power_transition", "power_transition = True"),
        ("polarity!=bipolar", "polarity != bipolar"),
    ],
)
def test_every_kind_of_outcome_picks_the_rule_runs(box_folder, spec, expected):
    runs = read_runs(box_folder)
    question = parse_question(spec, runs.outcomes)
    assert str(question) == expected
    rule = (runs.inputs[X1] > 0.6) & (runs.inputs[X2] < 0.3)
    assert (question.cases(runs.outcomes[question.column]) == rule.to_numpy()).all()


def test_a_threshold_outcome_finds_the_same_box(box_folder):
    result = discover(box_folder, "leader_share<0.2", threshold=0.95)
    assert result.sentence.startswith("leader_share < 0.2 in 2040 needs ")
    assert {lim.input for lim in result.box.limits} == {X1, X2}


@pytest.mark.parametrize(
    ("spec", "slug"),
    [
        ("polarity=multipolar", "polarity-multipolar"),
        ("share_CHN>0.2", "share_CHN-gt-0.2"),
        ("effective_poles >= 3", "effective_poles-ge-3"),
        ("leader_share<0.2", "leader_share-lt-0.2"),
        ("polarity!=unipolar", "polarity-ne-unipolar"),
    ],
)
def test_outcome_slugs(spec, slug):
    outcomes = _outcomes(np.arange(3), np.array([True, False, True]))
    assert parse_question(spec, outcomes).slug == slug


def test_categorical_inputs_are_peeled_as_sets(tmp_path):
    design = lhs(N, seed=2)
    design[KIND] = np.array(["a", "b", "c"])[np.arange(N) % 3]
    rule = (design[X1] > 0.5) & (design[KIND] != "b")
    folder = write_folder(tmp_path / "sweep", design, _outcomes(design["point"], rule))
    result = discover(folder, "polarity=multipolar", threshold=0.95)
    assert limit(result.box, KIND).values == ["a", "c"]
    assert limit(result.box, X1).low == pytest.approx(0.5, abs=TOLERANCE)
    best = result.cart[0]
    assert best.density == 1.0 and limit(best, KIND).values == ["a", "c"]
    assert f"{KIND} in {{a, c}}" in result.sentence


def test_per_run_draws_and_uncertain_run_folders_are_inputs(tmp_path):
    rng = np.random.default_rng(3)
    draw = rng.random(N)
    outcomes = _outcomes(np.zeros(N), draw > 0.7)
    outcomes["run"] = np.arange(N, dtype=np.int32)
    outcomes["parameters.u.draw"] = draw  # a per-run draw in a sweep's outcomes
    design = pd.DataFrame({"point": [0], "parameters.a.fixed": [0.5]})
    sweep = write_folder(tmp_path / "sweep", design, outcomes)
    assert limit(discover(sweep, "polarity=multipolar").box, "parameters.u.draw").low > 0.65

    run = tmp_path / "run"
    run.mkdir()
    parameters = pd.DataFrame({"run": outcomes["run"], "parameters.u.draw": draw})
    parameters.to_parquet(run / "parameters.parquet", index=False)
    outcomes.drop(columns=["point", "parameters.u.draw"]).to_parquet(run / "outcomes.parquet")
    runs = read_runs(run)
    assert runs.kind == "run" and list(runs.inputs.columns) == ["parameters.u.draw"]
    assert limit(discover(run, "leader=CHN").box, "parameters.u.draw").low > 0.65


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def test_the_command_writes_the_report_and_a_rerun_replaces_it(box_folder, capsys):
    argv = ["discover", str(box_folder), "--outcome", "polarity=multipolar"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    out = box_folder / "discover" / "polarity-multipolar"
    assert printed.startswith("multipolar in 2040 needs ") and str(out) in printed
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    report = json.loads((out / "report.json").read_text())
    assert report["runs"] == N and report["prim"]["box"] is not None
    assert report["sentence"] in (out / "report.md").read_text()
    assert main([*argv, "--box", "3", "--no-plots"]) == 0
    assert json.loads((out / "report.json").read_text())["prim"]["box"] == 3
    assert not (out / "box.png").exists()
    assert [p.name for p in out.parent.iterdir()] == ["polarity-multipolar"]  # no leftovers


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--outcome", "polarty=multipolar"], "command line: --outcome: unknown outcome 'polarty'"),
        (["--outcome", "polarity=multipolr"], "'multipolr' is not a class of polarity; did you"),
        (["--outcome", "polarity>2"], "command line: --outcome: polarity is categorical"),
        (["--outcome", "share_CHN>lots"], "expected a number after '>', got 'lots'"),
        (["--outcome", "polarity=unipolar"], f"unipolar in 0 of {N} runs: nothing to discover"),
        (["--outcome", "share_CHN>0"], f"share_CHN > 0 in {N} of {N} runs: nothing to discover"),
        (["--outcome", "leader=CHN", "--threshold", "1.5"], "command line: --threshold: must be"),
        (["--outcome", "leader=CHN", "--box", "999"], "command line: --box: the peeling traj"),
        (["--outcome", "leader=CHN", "--significance", "0"], "command line: --significance: mu"),
        (["--outcome", "leader=CHN", "--seed", "-1"], "command line: --seed: must be at least 0"),
        (["--threshold", "0.5"], "command line: the following arguments are required: --outcome"),
    ],
)
def test_mistakes_are_refused_and_nothing_is_written(box_folder, args, expected, capsys):
    before = _snapshot(box_folder)
    assert main(["discover", str(box_folder), *args]) == 2
    err = capsys.readouterr().err
    assert expected in err.splitlines()[0] and "Traceback" not in err
    assert _snapshot(box_folder) == before


def _folder_cases(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty"
    empty.mkdir()
    plain = tmp_path / "plain_run"
    plain.mkdir()
    (plain / "states.parquet").write_bytes(b"")
    design = lhs(20)
    design[X1] = 0.5
    design[X2] = 0.5
    design[NOISE] = 0.5
    fixed = write_folder(tmp_path / "fixed", design, _outcomes(design["point"], design[X1] > 0))
    afile = tmp_path / "a_file"
    afile.write_text("x")
    return {
        "missing": (tmp_path / "nowhere", "nowhere: no such folder"),
        "file": (afile, "a_file: is a file, expected a sweep folder or a run folder"),
        "empty": (empty, "empty: not a sweep or run folder"),
        "plain run": (plain, "plain_run: a run folder without uncertain parameters"),
        "constant": (fixed, "fixed: no input varies across its 20 runs (constant: parameters"),
    }


@pytest.mark.parametrize("case", ["missing", "file", "empty", "plain run", "constant"])
def test_folders_without_inputs_are_refused(tmp_path, case, capsys):
    folder, expected = _folder_cases(tmp_path)[case]
    before = _snapshot(tmp_path)
    assert main(["discover", str(folder), "--outcome", "polarity=multipolar"]) == 2
    assert capsys.readouterr().err.startswith(f"{tmp_path}/{expected}")
    assert _snapshot(tmp_path) == before


def test_an_occupied_out_is_refused(box_folder, tmp_path, capsys):
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine")
    argv = ["discover", str(box_folder), "--outcome", "leader=CHN", "--out", str(taken)]
    assert main(argv) == 2
    assert "--out: " in capsys.readouterr().err
    assert [p.name for p in taken.iterdir()] == ["notes.txt"]


def test_python_api_is_exported(found):
    assert sim.discover is api.discover and isinstance(found, sim.Discovery)
    with pytest.raises(ScenarioError, match="nothing to discover"):
        sim.discover(found.source, "polarity=unipolar")


def test_the_library_writes_nothing_unless_asked(box_folder):
    before = _snapshot(box_folder)
    result = sim.discover(box_folder, "leader=CHN", threshold=0.95)
    assert result.folder is None and _snapshot(box_folder) == before
    assert result.sentence == discover(box_folder, "leader=CHN", threshold=0.95).sentence


def test_the_library_writes_the_folder_the_command_writes(box_folder, tmp_path, capsys):
    """``sim.discover(..., out=DIR)`` writes what ``sim discover ... --out DIR2`` writes."""
    spec, options = "share_CHN>0.15", ["--threshold", "0.9", "--box", "-2", "--seed", "3"]
    from_python = tmp_path / "python"
    result = sim.discover(box_folder, spec, threshold=0.9, box=-2, seed=3, out=from_python)
    assert result.folder == from_python
    from_command = tmp_path / "command"
    argv = ["discover", str(box_folder), "--outcome", spec, *options, "--out", str(from_command)]
    assert main(argv) == 0
    assert f"report written to {from_command}" in capsys.readouterr().out
    python, command = _snapshot(from_python), _snapshot(from_command)
    assert sorted(python) == sorted(command) == sorted(FILES)
    reports = [json.loads(files.pop("report.json")) for files in (python, command)]
    for report in reports:
        del report["created"], report["command"]
    assert reports[0] == reports[1] and reports[0]["prim"]["box"] == result.box.index
    assert python == command  # report.md and the figures, byte for byte


def test_the_default_out_is_beside_the_runs(box_folder, tmp_path):
    source = shutil.copytree(box_folder, tmp_path / "sweep")
    result = sim.discover(source, "leader=CHN", out=api.DEFAULT_OUT, plots=False)
    assert result.folder == source / "discover" / "leader-CHN"
    assert sorted(p.name for p in result.folder.iterdir()) == ["report.json", "report.md"]
    assert json.loads((result.folder / "report.json").read_text())["sentence"] == result.sentence


@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_an_interrupt_while_drawing_writes_nothing(box_folder, tmp_path, monkeypatch, capsys, stop):
    def interrupt(result, folder):
        if stop == "sigterm":  # the real signal, to this process: main() handles it
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises here
            pytest.fail("SIGTERM did not stop the command")
        raise KeyboardInterrupt

    monkeypatch.setattr("sim.plots.discovery.draw_discovery", interrupt)
    out = tmp_path / "reports" / "report"
    argv = ["discover", str(box_folder), "--outcome", "leader=CHN", "--out", str(out)]
    assert main(argv) == 130
    assert f"nothing was written to {out}" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()


def test_the_help_quotes_the_library_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["discover", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert f"(default {DEFAULT_THRESHOLD})" in shown
    assert f"(default {DEFAULT_SIGNIFICANCE};" in shown


def test_end_to_end_on_a_real_sweep(tmp_path, capsys):
    sweep = tmp_path / "sweep"
    assert (
        main(
            [
                "sweep",
                str(SCENARIOS / "baseline.yaml"),
                "--sample",
                "lhs",
                "--n",
                "12",
                "--runs",
                "2",
                "--years",
                "3",
                "--vary",
                "parameters.trade.diversion_share=0.1:0.6",
                "--vary",
                "parameters.military.threat_response=1:6",
                "--out",
                str(sweep),
                "--jobs",
                "1",
                "--no-plots",
                "--quiet",
                "--tables",
                "system",
            ]
        )
        == 0
    )
    outcomes = pd.read_parquet(sweep / "outcomes.parquet")
    # every run draws its own uncertainties: 24 runs, 24 distinct draws of each
    drawn = [c for c in outcomes.columns if c.startswith("parameters.economy.")]
    assert drawn and all(outcomes[c].nunique() == 24 for c in drawn)
    share = outcomes["share_CHN"]
    spec = f"share_CHN>{share.median():.9f}"
    assert main(["discover", str(sweep), "--outcome", spec]) == 0
    assert "share_CHN > " in capsys.readouterr().out
    out = sweep / "discover" / parse_question(spec, share.to_frame()).slug
    assert all((out / name).is_file() for name in FILES)


@pytest.mark.parametrize(
    "module",
    [
        "cli/main",
        "cli/discover",
        "api",
        "analysis/discovery/find",
        "analysis/discovery/boxes",
        "analysis/discovery/data",
        "analysis/discovery/report",
        "experiments/discovery_folder",
        "plots/discovery",
    ],
)
def test_ema_workbench_is_imported_only_when_used(module):
    """``sim --help`` stays fast: EMA Workbench (seconds to import) waits for ``discover``."""
    tree = ast.parse((ROOT / "sim" / f"{module}.py").read_text())
    top = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    names = [a.name for n in top if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in top if isinstance(n, ast.ImportFrom)]
    assert not [name for name in names if name.split(".")[0] in ("ema_workbench", "sklearn")]


def test_the_command_line_parser_leaves_ema_workbench_unimported():
    code = (
        "import sys; from sim.cli.main import parser; parser(); "
        "print([m for m in ('ema_workbench', 'sklearn') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


def test_the_library_function_has_the_analysis_defaults():
    import inspect

    import sim.api

    parameters = inspect.signature(sim.api.discover).parameters
    assert parameters["threshold"].default == DEFAULT_THRESHOLD
    assert parameters["significance"].default == DEFAULT_SIGNIFICANCE
