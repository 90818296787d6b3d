"""Runs advanced together (sim.ensemble) give exactly the tables they give one at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.ensemble import Ensemble
from sim.experiments.engine import ensemble_size, groups, run_one, run_together
from sim.mechanisms.batch import PerRun, at, lined_up, swap, zero_diagonal
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Parameters
from sim.uncertainty import run_configs
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
    assert configs[0].parameters.arms.delivery_years == 3  # integers differ too
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
    ensemble = Ensemble([config, config], seeds, ("states", "system"))
    assert all(not run.recorder.dyads for run in ensemble.members)


def test_an_ensemble_refuses_runs_of_different_worlds():
    small = load_scenario(SCENARIOS / "sanctions.yaml", ["years=3"])
    longer = load_scenario(SCENARIOS / "sanctions.yaml", ["years=4"])
    with pytest.raises(ValueError, match="share their states, years"):
        Ensemble([small, longer], np.random.SeedSequence(1).spawn(2))


def test_each_run_sees_its_own_slice_of_the_ensemble():
    config = load_scenario(SCENARIOS / "sanctions.yaml", ["years=3"])
    ensemble = Ensemble([config] * 3, np.random.SeedSequence(4).spawn(3))
    ensemble.run()
    for r, run in enumerate(ensemble.members):
        assert np.shares_memory(run.affinity, ensemble.affinity)
        assert np.array_equal(run.gdp, ensemble.gdp[r])
        assert np.array_equal(run.sanctions, ensemble.sanctions[:, r])
    assert not np.array_equal(ensemble.gdp[0], ensemble.gdp[1])  # own shocks, own seeds


# ------------------------------------------------------------ one value per run


def test_a_value_per_run_lines_up_with_the_leading_axis():
    rate = PerRun([1.0, 2.0])
    vectors = np.ones((2, 3))
    pairs = np.ones((2, 3, 3))
    assert np.array_equal(rate * vectors, [[1.0] * 3, [2.0] * 3])
    assert (rate * pairs)[1].tolist() == [[2.0] * 3] * 3
    assert np.array_equal(np.clip(rate - pairs, 0.0, None)[1], np.ones((3, 3)))
    both = 1.0 - rate
    assert isinstance(both, PerRun) and both.tolist() == [0.0, -1.0]
    with pytest.raises(ValueError, match="a value per run"):
        rate * np.ones((3, 2))
    with pytest.raises(ValueError, match="a value per run"):
        rate * np.ones(2)  # a row shared by the runs, though it has R entries


def test_a_value_per_run_at_pairs_and_in_functions_that_broadcast_from_the_right():
    rate = PerRun([0.1, 0.2, 0.3])
    pairs = (np.array([0, 2, 2]), np.array([1, 0, 1]), np.array([0, 1, 1]))
    assert at(rate, pairs).tolist() == [0.1, 0.3, 0.3]
    assert at(0.5, pairs) == 0.5
    grid = np.arange(27.0).reshape(3, 3, 3)
    assert at(grid, pairs).tolist() == [grid[0, 1, 0], grid[2, 0, 1], grid[2, 1, 1]]
    chosen = np.where(grid > 13, lined_up(rate, grid), 0.0)
    assert chosen[2, 2, 2] == 0.3 and chosen[0, 0, 0] == 0.0
    assert lined_up(0.5, grid) == 0.5


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
