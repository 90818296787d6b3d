"""Runs advanced together (sim.ensemble) give exactly the tables they give one at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.ensemble import Ensemble
from sim.errors import ScenarioError
from sim.experiments.engine import ensemble_size, groups, run_one, run_together
from sim.mechanisms.axes import power, swap, zero_diagonal
from sim.model import WorldModel, together
from sim.run_parameters import stack_parameters
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Parameters
from sim.uncertainty import run_configs
from sim.world_state import OWN, check_shapes
from sim.year import DECLARATION, sizes
from tests.conftest import SCENARIOS


def assert_identical(configs, seeds, tables=("states", "dyads", "system", "events")):
    """Every table of every run, together and alone: equal to the last bit, dtypes included."""
    runs = list(range(len(configs)))
    together = run_together(configs, seeds, runs, tables)
    for run, (config, seed) in enumerate(zip(configs, seeds, strict=True)):
        alone = run_one(config, seed, run, tables)
        assert together[run].keys() == alone.keys()
        for name in alone:
            pd.testing.assert_frame_equal(
                pd.DataFrame(together[run][name]), pd.DataFrame(alone[name]), check_exact=True
            )


@pytest.mark.parametrize(
    ("scenario", "overrides"),
    [
        ("sanctions", []),  # every kind of scripted event among these scenarios
        ("arms_sales", []),
        ("silk_road", []),
        ("pipeline", []),
        ("western_cohesion", []),
        ("sino_russian_consolidation", []),
        ("backtest_2014", []),
        ("sanctions", ["parameters.alliances.mode=landscape"]),
    ],
)
def test_runs_together_equal_runs_alone_with_their_own_draws(scenario, overrides):
    base = load_scenario(SCENARIOS / f"{scenario}.yaml", [*overrides, "years=17"])
    configs = run_configs(base, 5, 11)  # each run its own draws of the uncertainties
    assert_identical(configs, np.random.SeedSequence(11).spawn(5))


def test_as_many_runs_as_rows_are_still_each_their_own():
    """R = n = 16: a mistaken broadcast between runs and rows would go unnoticed by shape."""
    base = load_scenario(SCENARIOS / "sanctions.yaml", ["years=6"])
    configs = run_configs(base, 16, 3)
    assert len(configs[0].world.states) + 1 == 16
    assert_identical(configs, np.random.SeedSequence(3).spawn(16))


def _numeric_fields(model, prefix="parameters."):
    for name, value in model:
        if hasattr(value, "__pydantic_fields__"):
            yield from _numeric_fields(value, f"{prefix}{name}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            yield f"{prefix}{name}", value


def test_runs_may_differ_in_every_numeric_parameter():
    """Each parameter is a value per run: the runs differ in all of them at once."""
    configs = []
    for factor in (0.8, 0.9, 1.0):
        overrides = [
            f"{path}={max(1, round(value * factor)) if isinstance(value, int) else value * factor}"
            for path, value in _numeric_fields(Parameters())
        ]
        configs.append(load_scenario(SCENARIOS / "sanctions.yaml", [*overrides, "years=15"]))
    assert configs[0].parameters.pipelines.build_years == 4  # integers differ too
    assert_identical(configs, np.random.SeedSequence(5).spawn(3))


def test_runs_of_different_modes_are_grouped_and_still_equal_alone():
    threat = load_scenario(SCENARIOS / "sanctions.yaml", ["years=6"])
    landscape = load_scenario(
        SCENARIOS / "sanctions.yaml", ["years=6", "parameters.alliances.mode=landscape"]
    )
    assert Ensemble.shares(threat) != Ensemble.shares(landscape)
    assert_identical([threat, landscape, threat], np.random.SeedSequence(2).spawn(3))


def test_a_run_of_an_ensemble_keeps_no_dyads_it_was_not_asked_for():
    config = load_scenario(SCENARIOS / "sanctions.yaml", ["years=4"])
    seeds = np.random.SeedSequence(1).spawn(2)
    assert_identical([config, config], seeds, tables=("states", "system"))
    ensemble = together([config, config], seeds, ("states", "system"))
    assert not ensemble.recorder.dyads
    assert all(not run.recorder.dyads for run in ensemble.runs)


def test_an_ensemble_refuses_runs_of_different_worlds():
    small = load_scenario(SCENARIOS / "sanctions.yaml", ["years=3"])
    longer = load_scenario(SCENARIOS / "sanctions.yaml", ["years=4"])
    with pytest.raises(ScenarioError, match="share their states, years"):
        together([small, longer], np.random.SeedSequence(1).spawn(2))


def test_each_run_sees_its_own_slice_of_the_ensemble():
    config = load_scenario(SCENARIOS / "sanctions.yaml", ["years=3"])
    ensemble = together([config] * 3, np.random.SeedSequence(4).spawn(3))
    ensemble.run()
    s = ensemble.state
    for r, run in enumerate(ensemble.runs):
        assert run.ensemble is ensemble
        assert np.shares_memory(run.affinity, s.affinity)
        assert np.array_equal(run.gdp, s.gdp[r])
        assert np.array_equal(run.sanctions, s.sanctions[r])
        assert run.distance is s.distance  # shared by the runs
    assert not np.array_equal(s.gdp[0], s.gdp[1])  # own shocks, own seeds


def test_a_single_run_is_an_ensemble_of_one_stepped_through_mesa():
    config = load_scenario(SCENARIOS / "sanctions.yaml", ["years=3"])
    model = WorldModel(config, rng=np.random.default_rng(4))
    assert len(model.ensemble.runs) == 1 and model.ensemble.state.gdp.shape == (1, model.n)
    model.step()
    assert model.year == config.start_year + 1 and model.steps == 1
    assert model.by_id["RUS"].gdp_usd_bn == model.ensemble.state.gdp[0, model.index["RUS"]]
    model.milex = model.milex * 2.0  # a run's field, set through its Mesa face
    assert np.array_equal(model.ensemble.state.milex[0], model.milex)
    assert "milex" not in vars(model)  # written into the world, not shadowing it
    with pytest.raises(ValueError, match="read-only"):
        model.distance = 0.0  # shared by the runs: never written
    many = together([config] * 2, np.random.SeedSequence(4).spawn(2))
    with pytest.raises(RuntimeError, match="stepped by its ensemble"):
        many.runs[0].step()


# ------------------------------------------------------------ the declared state


def test_every_field_keeps_its_declared_shape_and_type_through_the_years():
    config = load_scenario(SCENARIOS / "sanctions.yaml", ["years=4"])
    ensemble = together([config] * 3, np.random.SeedSequence(2).spawn(3))
    assert check_shapes(ensemble.state, 3, sizes(ensemble)) == []
    ensemble.run()
    assert check_shapes(ensemble.state, 3, sizes(ensemble)) == []


def test_the_state_holds_declared_fields_only_and_fixed_or_shared_ones_are_read_only():
    config = load_scenario(SCENARIOS / "sanctions.yaml", ["years=2"])
    state = WorldModel(config, rng=np.random.default_rng(1)).ensemble.state
    with pytest.raises(AttributeError):
        state.undeclared = np.zeros(3)
    for name, field in DECLARATION.items():
        assert getattr(state, name).flags.writeable == (field.role == OWN), name


# ------------------------------------------------------------ the runs' parameters


def test_parameters_are_stacked_once_as_arrays_with_the_run_axis():
    configs = [
        load_scenario(SCENARIOS / "sanctions.yaml", [f"parameters.arms.choice_odds={rate}"])
        for rate in (0.1, 0.2, 0.3)
    ]
    stacked = stack_parameters([config.parameters for config in configs])
    assert type(stacked.arms.choice_odds) is np.ndarray
    assert stacked.arms.choice_odds.tolist() == [0.1, 0.2, 0.3]
    assert stacked.pipelines.build_years.dtype.kind == "i"  # integers stay integers
    assert stacked.power.weights.military.shape == (3,)  # nested sections too
    assert stacked.alliances.mode == "estimated"  # a choice the runs share is one word


def test_runs_that_differ_in_a_choice_of_mechanism_are_refused_before_the_first_year():
    threat = load_scenario(SCENARIOS / "sanctions.yaml", ["years=2"])
    landscape = load_scenario(
        SCENARIOS / "sanctions.yaml", ["years=2", "parameters.alliances.mode=landscape"]
    )
    with pytest.raises(ScenarioError, match="parameters.alliances.mode: runs advanced together"):
        stack_parameters([threat.parameters, landscape.parameters])
    with pytest.raises(ScenarioError, match="share their states, years and modes"):
        together([threat, landscape], np.random.SeedSequence(1).spawn(2))


# ------------------------------------------------------------ the axes' helpers


def test_each_run_is_raised_to_its_own_exponent_as_a_number():
    base = np.array([[4.0, 9.0], [4.0, 9.0]])
    raised = power(base, np.array([0.5, 2.0]))
    assert raised.tolist() == [[4.0**0.5, 9.0**0.5], [16.0, 81.0]]


def test_pairs_helpers_act_on_each_run_alone():
    square = np.arange(18.0).reshape(2, 3, 3)
    assert np.array_equal(swap(square)[1], square[1].T)
    zero_diagonal(square, -1.0)
    assert np.array_equal(np.diagonal(square, axis1=1, axis2=2), -np.ones((2, 3)))
    assert square[1, 0, 1] == 10.0


# ------------------------------------------------------------ how runs are grouped


def test_small_worlds_go_together_and_large_ones_alone():
    assert ensemble_size(15) == 32
    assert 2 <= ensemble_size(60) < 32
    assert ensemble_size(100) == 1  # no faster together (docs/performance.md)
    assert ensemble_size(193) == 1


@pytest.mark.parametrize(
    ("runs", "size", "jobs"), [(100, 32, 1), (100, 32, 2), (5, 32, 4), (1, 8, 2)]
)
def test_groups_cover_the_runs_in_order_and_keep_every_worker_busy(runs, size, jobs):
    found = groups(list(range(runs)), size, jobs)
    assert [i for group in found for i in group] == list(range(runs))
    assert max(len(group) for group in found) <= size
    assert len(found) >= min(runs, 2 * jobs if jobs > 1 else 1)
    assert max(map(len, found)) - min(map(len, found)) <= 1
