import json
import subprocess
import sys
from itertools import product

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from SALib.sample import latin

from sim.analysis.sensitivity import write_report
from sim.errors import ScenarioError
from sim.plots.binning import is_share, surface, wilson
from sim.plots.sweep import (
    grid_parameters,
    plot_sweep,
    polarity_profile,
    profile,
    slug,
)
from tests.conftest import ROOT

RUNS = 3


def outcomes_of(design: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Outcomes with a known relationship: the leader's share rises with parameter ``a``."""
    a = design["parameters.a"].to_numpy(dtype=float)
    rows = []
    for run in range(RUNS):
        leader = 0.2 + 0.5 * a + rng.normal(0.0, 0.01, len(a))
        polarity = np.where(
            leader > 0.4, "unipolar", np.where(leader < 0.3, "multipolar", "bipolar")
        )
        rows.append(
            pd.DataFrame(
                {
                    "point": design["point"].to_numpy(),
                    "run": np.full(len(a), run, dtype=np.int32),
                    "leader": "USA",
                    "leader_share": leader,
                    "con": 0.8 * leader,
                    "effective_poles": 1.0 / leader,
                    "poles": 2,
                    "polarity": polarity,
                    "power_transition": leader < 0.3,
                    "share_USA": leader,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def write_sweep(folder, method, design, parameters, status="complete", drop_points=()):
    rng = np.random.default_rng(0)
    design.insert(0, "point", np.arange(len(design), dtype=np.int32))
    outcomes = outcomes_of(design, rng)
    outcomes = outcomes[~outcomes["point"].isin(drop_points)]
    manifest = {
        "kind": "sweep",
        "status": status,
        "scenario": "synthetic",
        "seed": 0,
        "runs": RUNS,
        "points": len(design),
        "design": {"method": method, "parameters": parameters},
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    design.to_parquet(folder / "design.parquet")
    outcomes.to_parquet(folder / "outcomes.parquet")
    return folder


def lhs_sweep(folder, k, points=40, **kwargs):
    names = ["parameters.a", "parameters.b.c", "parameters.d", "parameters.e"][:k]
    problem = {"num_vars": k, "names": names, "bounds": [[0.0, 1.0]] * k}
    design = pd.DataFrame(latin.sample(problem, points, seed=1), columns=names)
    parameters = [{"path": n, "low": 0.0, "high": 1.0} for n in names]
    return write_sweep(folder, "lhs", design, parameters, **kwargs)


def grid_sweep(folder):
    a, b = [0.1, 0.3, 0.5, 0.7], ["tight", "loose", "none"]
    design = pd.DataFrame(list(product(a, b)), columns=["parameters.a", "parameters.b"])
    parameters = [{"path": "parameters.a", "values": a}, {"path": "parameters.b", "values": b}]
    return write_sweep(folder, "grid", design, parameters)


def assert_drawn(paths, expected):
    assert sorted(p.name for p in paths) == sorted(expected)
    for path in paths:
        assert path.stat().st_size > 10_000
        pixels = plt.imread(path)
        assert pixels.std() > 0.05  # not a blank canvas


def test_grid_with_two_parameters(tmp_path):
    folder = grid_sweep(tmp_path / "grid")
    paths = plot_sweep(folder)
    assert all(p.parent == folder / "plots" for p in paths)
    assert_drawn(
        paths,
        [
            "outcomes_a.png",
            "polarity_a.png",
            "outcomes_b.png",
            "polarity_b.png",
            "heatmap_a__b.png",
            "polarity_a__b.png",
        ],
    )


@pytest.mark.parametrize(
    ("k", "pairs"),
    [(1, []), (3, [("a", "b.c"), ("a", "d"), ("b.c", "d")]), (4, [("a", "b.c")])],
)
def test_lhs_draws_each_parameter_and_pairs(tmp_path, k, pairs):
    folder = lhs_sweep(tmp_path / f"lhs{k}", k)
    names = ["a", "b.c", "d", "e"][:k]
    expected = [f"{kind}_{n}.png" for n in names for kind in ("outcomes", "polarity")]
    expected += [f"{kind}_{p}__{q}.png" for p, q in pairs for kind in ("heatmap", "polarity")]
    assert_drawn(plot_sweep(folder, ["leader_share", "p_multipolar"]), expected)


def test_grid_crossed_with_lhs(tmp_path):
    rng = np.random.default_rng(4)
    a = rng.uniform(0.0, 1.0, 30)
    b = ["tight", "loose", "none"]
    design = pd.DataFrame([(x, v) for x in a for v in b], columns=["parameters.a", "parameters.b"])
    parameters = [
        {"path": "parameters.b", "values": b},
        {"path": "parameters.a", "low": 0.0, "high": 1.0},
    ]
    folder = write_sweep(tmp_path / "mixed", "grid x lhs", design, parameters)
    paths = plot_sweep(folder, ["leader_share", "p_unipolar"])
    assert_drawn(
        paths,
        [
            "outcomes_a.png",
            "polarity_a.png",
            "outcomes_b.png",
            "polarity_b.png",
            "heatmap_a__b.png",
            "polarity_a__b.png",
        ],
    )


def test_interrupted_sweep_is_drawn_from_finished_runs(tmp_path):
    folder = lhs_sweep(tmp_path / "part", 2, status="interrupted", drop_points=range(10, 25))
    paths = plot_sweep(folder, ["con"])
    assert "heatmap_a__b.c.png" in [p.name for p in paths]


def test_sensitivity_chart_is_redrawn(tmp_path):
    folder = lhs_sweep(tmp_path / "sens", 1)
    result = pd.DataFrame(
        {
            "outcome": ["con", "con"],
            "parameter": ["parameters.a", "parameters.b"],
            "S1": [0.6, 0.1],
            "S1_conf": [0.05, 0.04],
            "ST": [0.7, 0.2],
            "ST_conf": [0.06, 0.05],
        }
    )
    write_report(folder, result, "sobol")
    chart = folder / "plots" / "sensitivity.png"
    assert not chart.exists()
    paths = plot_sweep(folder, ["con"])
    assert chart in paths and chart.stat().st_size > 10_000


def test_figures_are_drawn_without_pyplot(tmp_path):
    folder = grid_sweep(tmp_path / "grid")
    result = pd.DataFrame(
        {"outcome": ["con"], "parameter": ["parameters.a"], "S1": [0.6], "S1_conf": [0.05]}
    ).assign(ST=0.7, ST_conf=0.06)
    write_report(folder, result, "sobol")
    code = (
        "import sys\n"
        "from sim.plots.sweep import plot_sweep\n"
        f"paths = plot_sweep({str(folder)!r})\n"
        "print(len(paths), 'matplotlib.pyplot' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["7", "False"]  # 6 sweep figures and the chart, no pyplot


def test_unknown_outcome_is_refused(tmp_path):
    folder = lhs_sweep(tmp_path / "bad", 1)
    with pytest.raises(ScenarioError, match="unknown outcome 'efective_poles'.*effective_poles"):
        plot_sweep(folder, ["efective_poles"])


def test_sweep_without_runs_is_refused(tmp_path):
    folder = lhs_sweep(tmp_path / "empty", 1, drop_points=range(40))
    with pytest.raises(ScenarioError, match="no finished run yet"):
        plot_sweep(folder)


def test_binned_median_recovers_slope():
    rng = np.random.default_rng(0)
    x = pd.Series(rng.uniform(0.0, 1.0, 2000))
    y = 2.0 * x + rng.normal(0.0, 0.05, len(x))
    prof = profile(x, y, grid=False, probability=False)
    assert len(prof) == 10 and prof["n"].sum() == 2000
    assert (prof["n"] == 200).all()  # quantile bins hold equal numbers of runs
    assert prof["x"].is_monotonic_increasing
    slope, intercept = np.polyfit(prof["x"], prof["mid"], 1)
    assert slope == pytest.approx(2.0, abs=0.05) and intercept == pytest.approx(0.0, abs=0.03)
    assert (prof["lo"] < prof["mid"]).all() and (prof["mid"] < prof["hi"]).all()


def test_grid_profile_keeps_value_order_and_quantiles():
    x = pd.Series(["tight", "tight", "tight", "loose", "loose", "none"])
    y = pd.Series([1.0, 2.0, 6.0, 10.0, 20.0, 5.0])
    prof = profile(x, y, grid=True, probability=False)
    assert list(prof["x"]) == ["tight", "loose", "none"]
    assert list(prof["mid"]) == [2.0, 15.0, 5.0]  # medians, not means
    assert list(prof["n"]) == [3, 2, 1]
    assert prof["lo"].iloc[0] == pytest.approx(1.1) and prof["hi"].iloc[0] == pytest.approx(5.6)


def test_numeric_grid_values_are_sorted():
    x = pd.Series([0.5, 0.1, 0.3, 0.1])
    prof = profile(x, pd.Series([5.0, 1.0, 3.0, 2.0]), grid=True, probability=False)
    assert list(prof["x"]) == [0.1, 0.3, 0.5]
    assert list(prof["mid"]) == [1.5, 3.0, 5.0]


def test_probability_profile_is_a_share_with_an_interval():
    x = pd.Series([1, 1, 1, 1, 2, 2])
    hit = pd.Series([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    prof = profile(x, hit, grid=True, probability=True)
    assert list(prof["mid"]) == [0.75, 0.0]
    assert (prof["lo"] <= prof["mid"]).all() and (prof["mid"] <= prof["hi"]).all()
    assert prof["lo"].iloc[1] == pytest.approx(0.0) and prof["hi"].iloc[1] > 0.0


def test_wilson_matches_the_textbook_bound():
    lo, hi = wilson(np.array([0.0, 10.0]), np.array([10.0, 10.0]), z=1.959964)
    # with no successes in n trials the upper bound is z²/(n+z²)
    assert lo[0] == pytest.approx(0.0, abs=1e-12) and hi[0] == pytest.approx(0.27753, abs=1e-4)
    assert lo[1] == pytest.approx(1 - 0.27753, abs=1e-4) and hi[1] == pytest.approx(1.0)


def test_polarity_profile_shares_sum_to_one():
    x = pd.Series([0.1, 0.1, 0.1, 0.1, 0.9, 0.9])
    polarity = pd.Series(
        ["unipolar", "multipolar", "multipolar", "bipolar", "unipolar", "unipolar"]
    )
    shares = polarity_profile(x, polarity, grid=True).set_index("x")
    assert shares.loc[0.1].tolist() == [0.25, 0.25, 0.5]
    assert shares.loc[0.9].tolist() == [1.0, 0.0, 0.0]


def test_binned_polarity_profile_follows_the_parameter():
    x = pd.Series(np.linspace(0.0, 1.0, 100))
    polarity = pd.Series(np.where(x < 0.5, "multipolar", "unipolar"))
    shares = polarity_profile(x, polarity, grid=False)
    assert len(shares) == 10
    np.testing.assert_allclose(shares[list(shares.columns[1:])].sum(axis=1), 1.0)
    assert shares["multipolar"].iloc[0] == 1.0 and shares["unipolar"].iloc[-1] == 1.0


def test_grid_surface_is_the_pivot_with_gaps():
    x = pd.Series(["lo", "lo", "hi", "hi", "lo"])
    y = pd.Series([1, 2, 1, 1, 1])
    value = pd.Series([1.0, 2.0, 3.0, 5.0, 3.0])
    cells = surface(x, y, value, grid=(True, True), probability=False)
    assert cells.binned == (False, False)
    assert list(cells.x) == ["lo", "hi"] and list(cells.y) == [1, 2]
    np.testing.assert_array_equal(cells.z, [[2.0, 4.0], [2.0, np.nan]])


def test_binned_surface_tracks_both_parameters():
    rng = np.random.default_rng(2)
    x, y = pd.Series(rng.uniform(0, 1, 4000)), pd.Series(rng.uniform(0, 1, 4000))
    cells = surface(x, y, x + 3 * y, grid=(False, False), probability=False, bins=5)
    assert cells.binned == (True, True) and len(cells.x) == 6 and cells.z.shape == (5, 5)
    assert (np.diff(cells.z, axis=1) > 0).all() and (np.diff(cells.z, axis=0) > 0).all()
    centres = (cells.x[:-1] + cells.x[1:]) / 2, (cells.y[:-1] + cells.y[1:]) / 2
    expected = centres[0][None, :] + 3 * centres[1][:, None]
    np.testing.assert_allclose(cells.z, expected, atol=0.12)


def test_mixed_surface_bins_only_the_sampled_axis():
    rng = np.random.default_rng(3)
    x = pd.Series(rng.uniform(0, 1, 900))
    y = pd.Series(np.tile(["none", "tight", "loose"], 300))
    offset = y.map({"none": 0.0, "tight": 10.0, "loose": 20.0})
    hit = (x + offset > 10.5).astype(float)
    cells = surface(x, y, hit, grid=(False, True), probability=True, bins=4)
    assert cells.binned == (True, False) and list(cells.y) == ["none", "tight", "loose"]
    assert len(cells.x) == 5 and cells.z.shape == (3, 4)
    np.testing.assert_array_equal(cells.z[0], 0.0)
    np.testing.assert_array_equal(cells.z[2], 1.0)
    np.testing.assert_allclose(cells.z[1], [0.0, 0.0, 1.0, 1.0], atol=0.1)


def test_grid_parameters_of_a_mixed_design():
    meta = {
        "method": "grid x lhs",
        "parameters": [{"path": "g", "values": [1, 2]}, {"path": "s", "low": 0, "high": 1}],
    }
    assert grid_parameters(meta, ["g", "s"]) == {"g"}
    assert grid_parameters({"method": "grid"}, ["g", "s"]) == {"g", "s"}
    assert grid_parameters({"method": "lhs"}, ["g", "s"]) == set()


@pytest.mark.parametrize(
    ("name", "share"),
    [("leader_share", True), ("p_multipolar", True), ("bloc_share_EUU", True), ("con", False)],
)
def test_share_outcomes_are_percent(name, share):
    assert is_share(name) is share


def test_slug_drops_the_common_prefix():
    assert slug("parameters.trade.diversion_share") == "trade.diversion_share"
    assert slug("events.x/y") == "events.x_y"
