"""Experimental designs: parsing, grids, SALib samples, and located errors."""

import copy

import numpy as np
import pytest

from sim.design import (
    design_meta,
    design_table,
    grid_points,
    parse_bounds,
    parse_grid,
    parse_range,
    point_config,
    sample_points,
)
from sim.errors import ScenarioError
from sim.experiments.settings import Design, Settings
from sim.experiments.sweep.plan import build_plan, load_sweep
from sim.scenario.loader import load
from sim.scenario.schema import Sample, Sweep
from sim.uncertainty import value_at
from tests.conftest import SCENARIOS

SANCTIONS = SCENARIOS / "sanctions.yaml"
SHARE = "parameters.trade.diversion_share"
RESPONSE = "parameters.military.threat_response"


def test_parse_grid_reads_each_value_as_yaml():
    assert parse_grid(f"{SHARE}=0.1,0.3, 0.5") == (SHARE, [0.1, 0.3, 0.5])
    assert parse_grid("parameters.power.index=cinc,gdp") == (
        "parameters.power.index",
        ["cinc", "gdp"],
    )


def test_parse_range_and_bounds():
    assert parse_range(f"{SHARE}=0:1:5") == (SHARE, {"low": 0.0, "high": 1.0, "n": 5})
    assert parse_bounds(f"{SHARE}=0.1:0.4") == (SHARE, {"low": 0.1, "high": 0.4})


@pytest.mark.parametrize(
    ("parse", "text", "message"),
    [
        (parse_grid, SHARE, "expected PATH="),
        (parse_grid, f"{SHARE}=0.1,,0.3", "empty value"),
        (parse_range, f"{SHARE}=0:1", "expected LOW:HIGH:N"),
        (parse_range, f"{SHARE}=0:1:2.5", "whole number"),
        (parse_bounds, f"{SHARE}=a:1", "is not a number"),
        (parse_bounds, f"{SHARE}=0:1:3", "expected LOW:HIGH"),
    ],
)
def test_malformed_specs_name_the_option(parse, text, message):
    with pytest.raises(ScenarioError) as err:
        parse(text)
    assert str(err.value).startswith("command line: --")
    assert message in str(err.value)


def test_grid_is_the_full_factorial_last_fastest():
    table = grid_points({"a": [1, 2], "b": ["x", "y", "z"]})
    assert len(table) == 6
    assert table.iloc[0].tolist() == [1, "x"] and table.iloc[1].tolist() == [1, "y"]
    assert table.iloc[-1].tolist() == [2, "z"]


def _sample(method, n, **vary):
    return Sample(
        method=method, n=n, vary={k: {"low": lo, "high": hi} for k, (lo, hi) in vary.items()}
    )


def test_latin_hypercube_puts_one_point_in_every_stratum():
    sample = _sample("lhs", 20, a=(0.0, 1.0), b=(10.0, 30.0))
    table = sample_points(sample, seed=3)
    assert table.shape == (20, 2)
    for column, (low, high) in (("a", (0, 1)), ("b", (10, 30))):
        strata = np.floor((table[column] - low) / (high - low) * 20).astype(int)
        assert sorted(strata) == list(range(20))


def test_sobol_and_morris_sizes_and_levels():
    sobol = sample_points(_sample("sobol", 16, a=(0, 1), b=(0, 1), c=(0, 1)), seed=1)
    assert sobol.shape == (16 * (3 + 2), 3)
    morris = sample_points(_sample("morris", 5, a=(0, 1), b=(2, 4)), seed=1)
    assert morris.shape == (5 * (2 + 1), 2)
    assert set(np.round(morris["a"] * 3, 9)) <= {0, 1, 2, 3}
    assert morris["b"].between(2, 4).all()


def test_samples_are_fixed_by_the_seed():
    sample = _sample("lhs", 8, a=(0, 1))
    assert sample_points(sample, 5).equals(sample_points(sample, 5))
    assert not sample_points(sample, 5).equals(sample_points(sample, 6))


def test_grid_times_sample_is_a_product_with_numbered_points():
    sweep = Sweep(grid={"x": [1, 2, 3]}, sample=_sample("lhs", 4, a=(0, 1)))
    table = design_table(sweep, seed=0)
    assert table["point"].tolist() == list(range(12))
    assert table["x"].tolist() == [1] * 4 + [2] * 4 + [3] * 4
    assert table["a"].iloc[:4].tolist() == table["a"].iloc[4:8].tolist()
    meta = design_meta(sweep, 0, len(table))
    assert meta["method"] == "grid x lhs" and meta["problem"]["names"] == ["a"]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"grid": {}}, "needs a grid or a sample"),
        ({"grid": {SHARE: []}}, "at least 1"),
        ({"grid": {SHARE: {"low": 0.5, "high": 0.1, "n": 3}}}, "low must be below high"),
        ({"grid": {SHARE: {"low": 0.1, "high": 0.1, "n": 3}}}, "low must be below high"),
        (
            {"sample": {"method": "sobol", "n": 100, "vary": {SHARE: {"low": 0, "high": 1}}}},
            "try 128",
        ),
        ({"sample": {"method": "lhs", "n": 10, "vary": {}}}, "at least 1"),
    ],
)
def test_bad_sweep_blocks_are_located(write, block, message):
    import yaml

    text = yaml.safe_dump({"extends": str(SANCTIONS), "sweep": block}, sort_keys=False)
    path = write("bad.yaml", text)
    with pytest.raises(ScenarioError) as err:
        load_sweep(path)
    assert str(err.value).startswith(f"{path}:")
    assert "sweep" in str(err.value) and message in str(err.value)


def test_command_line_design_errors_point_at_the_command_line():
    with pytest.raises(ScenarioError) as err:
        load_sweep(SANCTIONS, Design(ranges=[f"{SHARE}=0.5:0.1:3"]))
    assert str(err.value).startswith("command line:")
    assert "low must be below high" in str(err.value)


def test_a_value_the_scenario_cannot_take_is_reported_at_its_sweep_line(write):
    path = write(
        "bad.yaml",
        f"extends: {SANCTIONS}\nsweep:\n  grid:\n    {SHARE}: [0.2, 1.5]\n",
    )
    located, config = load_sweep(path)
    with pytest.raises(ScenarioError) as err:
        build_plan(located, config)
    text = str(err.value)
    assert text.startswith(f"{path}:4:")
    assert "1.5" in text and "less than or equal to 1" in text


def test_an_unknown_path_is_an_error_before_anything_runs():
    with pytest.raises(ScenarioError) as err:
        load_sweep(SANCTIONS, Design(grid=["parameters.trade.diversion=0.1"]))
    assert str(err.value).startswith("command line:")
    assert "has no field 'diversion'; did you mean 'diversion_share'?" in str(err.value)


def test_command_line_entries_merge_over_the_block(write):
    path = write(
        "sweep.yaml",
        f"extends: {SANCTIONS}\nsweep:\n  runs: 3\n  grid:\n    {SHARE}: [0.2, 0.4]\n",
    )
    located, config = load_sweep(path, Design(grid=[f"{RESPONSE}=1,2,3"]))
    plan = build_plan(located, config)
    assert plan.points == 6 and plan.runs == 3
    located, config = load_sweep(path, Design(grid=[f"{SHARE}=0.1"]), settings=Settings(runs=5))
    plan = build_plan(located, config)
    assert plan.points == 1 and plan.runs == 5


def test_each_point_sets_its_own_values_and_leaves_the_base_as_it_was():
    config = load(SANCTIONS)
    base = config.model_dump(mode="json")
    before = copy.deepcopy(base)
    finance = "events.western_sanctions_2014.sectors.finance"
    a = point_config(base, {finance: 0.1, SHARE: 0.25, RESPONSE: np.float64(0.5)})
    b = point_config(base, {finance: 0.9})
    assert base == before
    assert (value_at(a, finance), value_at(a, SHARE), value_at(a, RESPONSE)) == (0.1, 0.25, 0.5)
    assert value_at(b, finance) == 0.9
    assert value_at(b, SHARE) == value_at(config, SHARE)
    assert value_at(b, RESPONSE) == value_at(config, RESPONSE)
