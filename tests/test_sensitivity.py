import json

import numpy as np
import pandas as pd
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

from sim.analysis.sensitivity import (
    analyse,
    analyse_sweep,
    format_table,
    point_means,
    read_report,
    write_report,
)
from sim.errors import ScenarioError
from sim.plots.sensitivity import sensitivity_chart

PI = float(np.pi)
ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-PI, PI]] * 3}
LINEAR = {
    "num_vars": 3,
    "names": ["parameters.a", "parameters.b", "parameters.c"],
    "bounds": [[0.0, 1.0]] * 3,
}


def frames(problem, x, y, noise, rng):
    """Design and outcome frames of a sampled design, two replicates per point, shuffled.

    The replicates are y + d and y - d, so only their mean recovers y.
    """
    design = pd.DataFrame(x, columns=problem["names"])
    design.insert(0, "point", np.arange(len(x), dtype=np.int32))
    d = rng.normal(0.0, noise, len(y))
    outcomes = pd.DataFrame(
        {
            "point": np.tile(np.arange(len(y), dtype=np.int32), 2),
            "run": np.repeat(np.arange(2, dtype=np.int32), len(y)),
            "leader_share": np.concatenate([y + d, y - d]),
        }
    )
    return (
        design.sample(frac=1.0, random_state=1),
        outcomes.sample(frac=1.0, random_state=2),
    )


@pytest.fixture(scope="module")
def ishigami():
    x = sobol_sample.sample(ISHIGAMI, 1024, calc_second_order=False, seed=3)
    design, outcomes = frames(ISHIGAMI, x, Ishigami.evaluate(x), 3.0, np.random.default_rng(0))
    meta = {"method": "sobol", "n": 1024, "problem": ISHIGAMI, "calc_second_order": False}
    return meta, design, outcomes


@pytest.fixture(scope="module")
def linear():
    x = morris_sample.sample(LINEAR, 30, num_levels=4, seed=5)
    y = 10 * x[:, 0] + 1 * x[:, 1] + 0 * x[:, 2]
    design, outcomes = frames(LINEAR, x, y, 0.5, np.random.default_rng(1))
    meta = {"method": "morris", "n": 30, "problem": LINEAR, "num_levels": 4}
    return meta, design, outcomes


def test_sobol_reproduces_analytic_ishigami_indices(ishigami):
    result = analyse(*ishigami, ["leader_share"]).set_index("parameter")
    assert list(result.columns) == ["outcome", "S1", "S1_conf", "ST", "ST_conf"]
    # analytic values (Saltelli et al. 2008, the Primer)
    np.testing.assert_allclose(result["S1"], [0.314, 0.442, 0.0], atol=0.04)
    np.testing.assert_allclose(result["ST"], [0.558, 0.442, 0.244], atol=0.04)
    assert (result["S1_conf"] > 0).all() and (result["S1_conf"] < 0.15).all()


def test_sobol_bootstrap_is_reproducible_with_seed_zero(ishigami):
    first = analyse(*ishigami, ["leader_share"], seed=0)
    again = analyse(*ishigami, ["leader_share"], seed=0)
    other = analyse(*ishigami, ["leader_share"], seed=1)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["S1_conf"], other["S1_conf"])


def test_morris_ranks_linear_effects_with_no_spread(linear):
    result = analyse(*linear, ["leader_share"]).set_index("parameter")
    assert list(result.columns) == ["outcome", "mu", "mu_star", "mu_star_conf", "sigma"]
    np.testing.assert_allclose(result["mu_star"], [10.0, 1.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(result["mu"], [10.0, 1.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(result["sigma"], 0.0, atol=1e-9)


def test_constant_outcome_has_zero_indices_and_says_so(linear):
    meta, design, outcomes = linear
    outcomes = outcomes.assign(poles=3.0)
    result = analyse(meta, design, outcomes, ["poles"])
    assert (result[["mu", "mu_star", "mu_star_conf", "sigma"]] == 0.0).all().all()
    assert result.attrs["scope"]["poles"] == {"between": None, "constant": 3.0}
    block = format_table(result, "morris").split("\n\n")[1]
    assert block == "poles: the same in every run (3): nothing to apportion"  # no table of 0s


def test_the_share_between_points_bounds_what_the_parameters_explain(linear):
    """Point means 0 or 1, replicates 1 above and below: a fifth of the variance is between."""
    meta, design, outcomes = linear
    point, run = outcomes["point"].to_numpy(), outcomes["run"].to_numpy()
    outcomes = outcomes.assign(con=(point % 2) + np.where(run == 0, 1.0, -1.0))
    uncertain = {"parameters.u": {"uniform": [0, 1]}}
    meta = {**meta, "uncertainties": {"parameters": uncertain}}
    result = analyse(meta, design, outcomes, ["con"])
    assert result.attrs["scope"]["con"]["between"] == pytest.approx(0.2)
    assert result.attrs["uncertain"] == ["parameters.u"]
    text = " ".join(format_table(result, "morris").split())
    assert "not the 1 declared uncertainty (parameters.u)" in text
    assert "con: 20% of the runs' variance lies between design points" in text


def test_polarity_share_per_point():
    outcomes = pd.DataFrame(
        {
            "point": [0, 0, 0, 0, 1, 1, 2],
            "run": [0, 1, 2, 3, 0, 1, 0],
            "polarity": [
                "multipolar",
                "unipolar",
                "multipolar",
                "bipolar",
                "unipolar",
                "unipolar",
                "multipolar",
            ],
            "leader_share": [0.2, 0.4, 0.2, 0.3, 0.5, 0.7, 0.1],
        }
    )
    means = point_means(
        outcomes, ["p_multipolar", "p_unipolar", "p_bipolar", "leader_share"], points=3
    )
    np.testing.assert_allclose(means["p_multipolar"], [0.5, 0.0, 1.0])
    np.testing.assert_allclose(means["p_unipolar"], [0.25, 1.0, 0.0])
    np.testing.assert_allclose(means["p_bipolar"], [0.25, 0.0, 0.0])
    np.testing.assert_allclose(means["leader_share"], [0.275, 0.6, 0.1])


def test_missing_points_name_them_and_resume(linear):
    meta, design, outcomes = linear
    partial = outcomes[~outcomes["point"].isin([4, 17])]
    with pytest.raises(ScenarioError, match=r"points 4, 17\).*sim sweep --resume") as info:
        analyse(meta, design, partial, ["leader_share"], folder="results/sw")
    problem = info.value.problems[0]
    assert (problem.file, problem.path) == ("results/sw", "outcomes")
    assert "2 of 120 design points" in problem.message


def test_unknown_outcome_lists_close_matches(linear):
    with pytest.raises(ScenarioError, match="unknown outcome 'leader_shar'.*leader_share"):
        analyse(*linear, ["leader_shar"])
    meta, design, outcomes = linear
    with pytest.raises(ScenarioError, match="p_multipolar"):
        analyse(meta, design, outcomes.assign(polarity="bipolar"), ["p_multipolr"])


@pytest.mark.parametrize("method", ["grid", "lhs"])
def test_other_designs_are_refused(linear, method):
    meta, design, outcomes = linear
    with pytest.raises(ScenarioError, match="needs a sobol or morris design"):
        analyse({**meta, "method": method}, design, outcomes, ["leader_share"])


def test_truncated_design_is_refused(linear):
    meta, design, outcomes = linear
    short = design[design["point"] < 118]
    with pytest.raises(ScenarioError, match="multiple of 4 points, got 118"):
        analyse(meta, short, outcomes, ["leader_share"])


def test_format_table_ranks_parameters(linear):
    meta, design, outcomes = linear
    outcomes = outcomes.assign(con=-outcomes["leader_share"])
    text = format_table(analyse(meta, design, outcomes, ["leader_share", "con"]), "morris")
    assert text.startswith("mu*: mean absolute elementary effect")
    assert "95% bootstrap confidence" in " ".join(text.split())
    blocks = text.split("\n\n")
    assert [b.splitlines()[0].split(":")[0] for b in blocks[1:]] == ["leader_share", "con"]
    rows = blocks[1].splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["parameters.a", "parameters.b", "parameters.c"]


def test_format_table_sobol_sorts_by_total_index(ishigami):
    text = format_table(analyse(*ishigami, ["leader_share"]), "sobol")
    rows = text.split("\n\n")[1].splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["x1", "x2", "x3"]
    assert "ST: share" in text


def test_report_round_trips(tmp_path, ishigami):
    result = analyse(*ishigami, ["leader_share"])
    paths = write_report(tmp_path, result, "sobol")
    assert [p.name for p in paths] == ["sensitivity.json", "sensitivity.md"]
    chart = sensitivity_chart(result, "sobol", tmp_path / "plots" / "sensitivity.png")
    assert chart.parent == tmp_path / "plots" and chart.stat().st_size > 10_000
    back, method = read_report(tmp_path)
    assert method == "sobol" and back.attrs["conf_level"] == 0.95
    pd.testing.assert_frame_equal(back, result)
    markdown = paths[1].read_text()
    assert "## leader_share" in markdown and "| `x1` |" in markdown


def test_analyse_sweep_reads_a_folder(tmp_path, linear):
    meta, design, outcomes = linear
    (tmp_path / "manifest.json").write_text(
        json.dumps({"kind": "sweep", "status": "complete", "runs": 2, "design": meta})
    )
    design.to_parquet(tmp_path / "design.parquet")
    outcomes.to_parquet(tmp_path / "outcomes.parquet")
    result, method = analyse_sweep(tmp_path, ["leader_share"])
    assert method == "morris"
    assert result.loc[0, "mu_star"] == pytest.approx(10.0)


def test_analyse_sweep_refuses_other_folders(tmp_path):
    with pytest.raises(ScenarioError, match="not a sweep folder: manifest.json"):
        analyse_sweep(tmp_path)


def test_the_library_returns_the_indices_the_command_writes(tmp_path, capsys):
    from sim import sensitivity
    from sim.cli.main import main
    from tests.conftest import SCENARIOS

    scenario = SCENARIOS / "sanctions.yaml"
    vary = "parameters.trade.diversion_share=0.1:0.6"
    options = ["--n", "2", "--runs", "2", "--years", "3", "--jobs", "1", "--outcomes", "con"]
    cli, api = tmp_path / "cli", tmp_path / "api"
    argv = ["sensitivity", str(scenario), "--vary", vary, *options, "--out", str(cli)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    result = sensitivity(
        scenario, vary=[vary], n=2, runs=2, years=3, jobs=1, outcomes=["con"], out=api
    )

    written, method = read_report(cli)
    assert method == result.method == "sobol" and result.folder == api
    pd.testing.assert_frame_equal(result.indices, written)
    assert list(written["parameter"]) == ["parameters.trade.diversion_share"]
    assert result.table() == format_table(written, method) and result.table() in printed
    assert (api / "sensitivity.md").read_text() == (cli / "sensitivity.md").read_text()
    files = [sorted(p.relative_to(f).as_posix() for p in f.rglob("*")) for f in (api, cli)]
    assert files[0] == files[1] and "plots/sensitivity.png" in files[0]
    assert len(result.sweep.design) == 6 and len(result.sweep.outcomes) == 12
