"""Uncertain parameters: Latin hypercube draws, one scenario per run, recorded everywhere."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from sim.analysis.outcomes import final_outcomes
from sim.cli.main import main
from sim.experiments.runner import load, load_folder, replicate_seeds
from sim.experiments.settings import Design, Execution, Output, Settings
from sim.experiments.sweep.plan import build_plan, load_sweep
from sim.experiments.sweep.runner import execute
from sim.scenario.schema import Uncertainty
from sim.uncertainty import draw, latin_hypercube, path_seed, quantiles, run_configs

SHOCK = "events.crash.change_pct"
SHARE = "parameters.trade.diversion_share"
THREAT = "parameters.military.threat_response"
# RUS's growth in 2015 changes by the drawn percentage points; no other growth noise
SCENARIO = {
    "name": "uncertain",
    "world": {"states": ["USA", "CHN", "RUS"]},
    "years": 3,
    "runs": 8,
    "seed": 5,
    "parameters": {"economy": {"growth_shock_scale": 0.0}},
    "events": {
        "crash": {"kind": "growth_shock", "year": 2015, "states": ["RUS"], "change_pct": -5}
    },
    "uncertainties": {
        SHOCK: {"uniform": [-20, 20]},
        THREAT: {"triangular": [1.0, 2.0, 6.0]},
        "parameters.power.index": {"discrete": {"composite": 3, "cinc": 1}},
    },
}
DISTRIBUTIONS = [
    {"uniform": [1.0, 6.0]},
    {"triangular": [0.1, 0.3, 0.6]},
    {"normal": {"mean": 1.0, "sd": 0.2, "low": 0.5, "high": 1.5}},
    {"normal": {"mean": 0.0, "sd": 1.0, "low": 2.0, "high": 3.0}},  # all in one tail
]


def _cdf(uncertainty: Uncertainty):
    if uncertainty.kind == "uniform":
        low, high = uncertainty.uniform
        return stats.uniform(low, high - low).cdf
    if uncertainty.kind == "triangular":
        low, mode, high = uncertainty.triangular
        return stats.triang((mode - low) / (high - low), low, high - low).cdf
    n = uncertainty.normal
    return stats.truncnorm((n.low - n.mean) / n.sd, (n.high - n.mean) / n.sd, n.mean, n.sd).cdf


# ------------------------------------------------------------------ sampling alone


@pytest.mark.parametrize("n", [1, 2, 7, 100])
def test_each_of_n_equal_bins_holds_exactly_one_draw(n):
    u = latin_hypercube(n, path_seed(3, SHARE))
    assert u.shape == (n,) and ((u >= 0) & (u < 1)).all()
    assert sorted(np.floor(u * n).astype(int)) == list(range(n))


@pytest.mark.parametrize("spec", DISTRIBUTIONS, ids=lambda s: json.dumps(s))
@pytest.mark.parametrize("n", [5, 64])
def test_draws_are_stratified_in_probability_and_within_bounds(spec, n):
    uncertainty = Uncertainty.model_validate(spec)
    values = np.array(draw({SHARE: uncertainty}, n, seed=11)[SHARE])
    given = spec[uncertainty.kind]
    low, high = (
        (given["low"], given["high"]) if uncertainty.kind == "normal" else given[:: len(given) - 1]
    )
    assert ((values >= low) & (values <= high)).all()
    probabilities = _cdf(uncertainty)(values)
    bins = np.minimum(np.floor(probabilities * n + 1e-9), n - 1).astype(int)
    assert sorted(bins) == list(range(n))


def test_discrete_draws_follow_their_weights_exactly_up_to_one_run():
    equal = Uncertainty.model_validate({"discrete": ["composite", "cinc", "gdp"]})
    counts = pd.Series(quantiles(equal, latin_hypercube(30, path_seed(0, "x")))).value_counts()
    assert counts.to_dict() == {"composite": 10, "cinc": 10, "gdp": 10}
    weighted = Uncertainty.model_validate({"discrete": {"2": 0.7, "5": 0.2, "9": 0.1}})
    drawn = quantiles(weighted, latin_hypercube(50, path_seed(0, "y")))
    assert set(drawn) == {2, 5, 9} and all(isinstance(v, int) for v in drawn)
    counts = pd.Series(drawn).value_counts()
    for value, share in {2: 0.7, 5: 0.2, 9: 0.1}.items():
        assert abs(counts[value] - 50 * share) <= 1


def test_draws_are_reproducible_and_keyed_by_seed_and_path():
    spec = {
        p: Uncertainty.model_validate(d)
        for p, d in zip([SHARE, THREAT], DISTRIBUTIONS[:2], strict=True)
    }
    first = draw(spec, 20, seed=1)
    pd.testing.assert_frame_equal(first, draw(spec, 20, seed=1))
    assert not np.allclose(first[SHARE], draw(spec, 20, seed=2)[SHARE])
    renamed = draw({THREAT: spec[SHARE]}, 20, seed=1)[THREAT]  # each path its own hypercube
    assert not np.allclose(first[SHARE], renamed)
    alone = draw({SHARE: spec[SHARE]}, 20, seed=1)  # another uncertainty does not move these
    pd.testing.assert_series_equal(first[SHARE], alone[SHARE])


def test_the_draws_stream_is_not_a_replicate_stream():
    drawn = {tuple(path_seed(4, p).generate_state(4)) for p in (SHARE, THREAT)}
    replicates = {tuple(s.generate_state(4)) for s in replicate_seeds(4, 1000)}
    assert not drawn & replicates
    assert tuple(path_seed(4, SHARE).generate_state(4)) != tuple(
        path_seed(5, SHARE).generate_state(4)
    )


# ------------------------------------------------------------------ one scenario, many runs


@pytest.fixture(scope="module")
def serial():
    return sim.run(SCENARIO, jobs=1)


def test_each_run_gets_its_own_scenario_with_its_draws():
    config = load(SCENARIO)
    configs = run_configs(config, 8, 5)
    shocks = [c.events["crash"].change_pct for c in configs]
    assert len(set(shocks)) == 8 and all(-20 <= s <= 20 for s in shocks)
    assert {c.parameters.power.index for c in configs} == {"composite", "cinc"}
    assert [c.model_dump(exclude={"events", "parameters"}) for c in configs] == [
        config.model_dump(exclude={"events", "parameters"})
    ] * 8
    fixed = load({**SCENARIO, "uncertainties": {}})
    assert run_configs(fixed, 3, 5) == [fixed] * 3


def test_draws_are_the_same_whatever_the_number_of_processes(serial):
    parallel = sim.run(SCENARIO, jobs=2)
    pd.testing.assert_frame_equal(serial.parameters, parallel.parameters)
    for name, table in serial.tables().items():
        pd.testing.assert_frame_equal(table, parallel.tables()[name])
    other = sim.run(SCENARIO, seed=6)
    assert not np.allclose(other.parameters[SHOCK], serial.parameters[SHOCK])


def test_the_recorded_value_is_the_one_the_model_used(serial):
    shocks = serial.events.query("kind == 'growth_shock'").set_index("run")["magnitude"]
    recorded = serial.parameters.set_index("run")[SHOCK]
    pd.testing.assert_series_equal(shocks.sort_index(), recorded, check_names=False)
    # and it shows: RUS ends richer the milder its drawn shock, run by run
    outcomes = final_outcomes(serial.states, serial.system).set_index("run")
    order = recorded.sort_values().index
    assert outcomes.loc[order, "gdp_RUS"].is_monotonic_increasing
    assert serial.parameters["run"].tolist() == list(range(8))


def test_the_summary_records_the_distributions_and_the_draws(serial):
    drawn = serial.summary["uncertainties"]
    assert drawn["method"] == "latin hypercube" and drawn["runs"] == 8
    shock = drawn["parameters"][SHOCK]
    assert shock["distribution"] == {"uniform": [-20.0, 20.0]}
    assert -20 <= shock["p05"] < shock["p50"] < shock["p95"] <= 20
    assert shock["p50"] == pytest.approx(serial.parameters[SHOCK].median())
    assert drawn["parameters"]["parameters.power.index"]["frequencies"] == {
        "composite": 0.75,
        "cinc": 0.25,
    }


def test_a_run_folder_records_parameters_and_outcomes(tmp_path, write, capsys):
    path = write("uncertain.yaml", json.dumps(SCENARIO))
    out = tmp_path / "out"
    assert main([str(path), "--out", str(out), "--no-plots", "--jobs", "2"]) == 0
    assert "3 uncertain parameters, Latin hypercube over 8 runs" in capsys.readouterr().out
    parameters = pd.read_parquet(out / "parameters.parquet")
    assert list(parameters.columns) == ["run", SHOCK, THREAT, "parameters.power.index"]
    outcomes = pd.read_parquet(out / "outcomes.parquet")
    assert outcomes["run"].tolist() == list(range(8)) and "gdp_RUS" in outcomes
    again = load_folder(out)
    pd.testing.assert_frame_equal(again.parameters, parameters)
    assert json.loads((out / "summary.json").read_text())["uncertainties"]["runs"] == 8
    rerun = sim.run(out / "scenario.yaml", jobs=1)  # the resolved scenario keeps them
    pd.testing.assert_frame_equal(rerun.parameters, parameters)


def test_a_run_folder_without_uncertainties_has_outcomes_but_no_parameters(tmp_path):
    plain = {**SCENARIO, "uncertainties": {}, "runs": 2}
    out = sim.run(plain, out=tmp_path / "plain", plots=False).folder
    assert (out / "outcomes.parquet").is_file() and not (out / "parameters.parquet").exists()
    assert load_folder(out).parameters is None
    assert "uncertainties" not in (out / "scenario.yaml").read_text()


# ------------------------------------------------------------------ --set


def test_set_adds_replaces_and_removes_uncertainties():
    rate = "parameters.trade.adjustment_rate"
    config = load(
        SCENARIO,
        [
            f"uncertainties.{rate}={{uniform: [0.2, 0.4]}}",
            f"uncertainties.{THREAT}=null",
            f"uncertainties.{SHOCK}={{discrete: [-1, 1]}}",
        ],
    )
    assert set(config.active_uncertainties()) == {SHOCK, rate, "parameters.power.index"}
    assert config.uncertainties[SHOCK].discrete == [-1, 1]
    assert load(SCENARIO, ["uncertainties=null"]).active_uncertainties() == {}


def test_a_plain_set_of_an_uncertain_field_fixes_it():
    config = load(SCENARIO, [f"{SHOCK}=-3", "parameters.power={index: gdp}"])
    assert set(config.active_uncertainties()) == {THREAT}
    assert all(c.events["crash"].change_pct == -3 for c in run_configs(config, 4, 0))


# ------------------------------------------------------------------ sweeps and comparisons


def _plan(runs=3):
    options = Design(grid=[f"{SHARE}=0.1,0.5"])
    located, config = load_sweep(SCENARIO, options, settings=Settings(runs=runs))
    return build_plan(located, config)


def test_a_sweep_draws_per_run_on_top_of_each_point_and_records_the_draws(tmp_path, serial):
    out_1, out_2 = tmp_path / "one", tmp_path / "two"
    execute(_plan(), Execution(jobs=1), Output(out_1))
    execute(_plan(), Execution(jobs=2), Output(out_2))
    first, second = (pd.read_parquet(o / "outcomes.parquet") for o in (out_1, out_2))
    pd.testing.assert_frame_equal(first, second)
    assert {SHOCK, THREAT, "parameters.power.index"} <= set(first.columns)
    # every run of the sweep draws its own: run r of point p takes row p x 3 + r of the
    # hypercube over all 6 runs, the draws a plain run of 6 makes
    expected = sim.run(SCENARIO, runs=6).parameters
    ordered = first.sort_values(["point", "run"])
    assert ordered[SHOCK].tolist() == expected[SHOCK].tolist()
    assert ordered[SHOCK].nunique() == 6
    manifest = json.loads((out_1 / "manifest.json").read_text())
    assert set(manifest["design"]["uncertainties"]["parameters"]) == {
        SHOCK,
        THREAT,
        "parameters.power.index",
    }


def test_a_swept_path_is_fixed_by_the_design():
    options = Design(grid=[f"{SHOCK}=-10,10"])
    located, config = load_sweep(SCENARIO, options, settings=Settings(runs=2))
    plan = build_plan(located, config)
    assert SHOCK not in plan.config.active_uncertainties()
    assert THREAT in plan.config.active_uncertainties()


def test_compared_scenarios_share_the_draws_of_the_paths_they_share():
    other = {**SCENARIO, "name": "other", "uncertainties": {SHOCK: {"uniform": [-20, 20]}}}
    a, b = sim.run(SCENARIO, runs=6, seed=9), sim.run(other, runs=6, seed=9)
    pd.testing.assert_series_equal(a.parameters[SHOCK], b.parameters[SHOCK])


def test_a_scenario_extending_another_can_remove_an_inherited_uncertainty(write):
    write("base.yaml", json.dumps(SCENARIO))
    child = write("child.yaml", f"extends: base.yaml\nuncertainties:\n  {THREAT}: null\n")
    assert set(load(child).active_uncertainties()) == {SHOCK, "parameters.power.index"}


def test_a_scenario_extending_another_replaces_an_inherited_distribution_whole(write):
    write("base.yaml", json.dumps(SCENARIO))
    child = write(
        "child.yaml", f"extends: base.yaml\nuncertainties:\n  {THREAT}: {{uniform: [1, 3]}}\n"
    )
    replaced = load(child).active_uncertainties()[THREAT]  # inherited: triangular
    assert replaced.kind == "uniform" and replaced.uniform == [1, 3]


def test_a_scenario_problem_is_not_blamed_on_its_uncertainties(capsys):
    """An event outside the run is reported once, not again at every uncertain field."""
    from tests.conftest import SCENARIOS

    status = main(["validate", str(SCENARIOS / "western_cohesion.yaml"), "--set", "years=3"])
    lines = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert len(lines) == 2, lines
    assert all("events.western_exercise_20" in line for line in lines)
    assert not [line for line in lines if "uncertainties." in line]
