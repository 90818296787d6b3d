"""Invariants of a run and exact reproducibility."""

import weakref

import numpy as np
import pandas as pd
import pytest

import sim
from sim.model import WorldModel
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def sanctions_run():
    return sim.run(SCENARIOS / "sanctions.yaml", runs=4, seed=11, years=12)


def test_power_shares_sum_to_one_including_row(sanctions_run):
    states = sanctions_run.states
    assert "ROW" in set(states["state"])
    totals = states.groupby(["run", "year"])["power_share"].sum()
    assert np.allclose(totals, 1.0)
    assert len(totals) == 4 * 13


def test_no_stock_goes_negative_and_all_is_finite(sanctions_run):
    numeric = sanctions_run.states.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy()).all()
    for column in (
        "gdp_usd_bn",
        "milex_usd_bn",
        "capability",
        "energy_production_ej",
        "energy_consumption_ej",
        "trade_usd_bn",
    ):
        assert (sanctions_run.states[column] >= 0).all(), column
    dyads = sanctions_run.dyads
    assert dyads["affinity"].between(0, 1).all()
    assert (dyads[["trade_usd_bn", "arms_transfer_usd_bn", "gas_flow_bcm"]] >= 0).all().all()


def test_trade_and_affinity_stay_symmetric(sanctions_run):
    d = sanctions_run.dyads
    forward = d.set_index(["run", "year", "a", "b"])[["trade_usd_bn", "affinity", "allied"]]
    backward = d.set_index(["run", "year", "b", "a"])[["trade_usd_bn", "affinity", "allied"]]
    backward.index.names = forward.index.names
    pd.testing.assert_frame_equal(forward.sort_index(), backward.sort_index())


def test_system_metrics_are_consistent(sanctions_run):
    system = sanctions_run.system
    states = sanctions_run.states[sanctions_run.states["state"] != "ROW"]
    top = states.loc[states.groupby(["run", "year"])["power_share"].idxmax()]
    merged = system.merge(top, on=["run", "year"])
    assert (merged["leader"] == merged["state"]).all()
    assert np.allclose(merged["leader_share"], merged["power_share"])
    assert system["con"].between(0, 1).all()
    assert (system["effective_poles"] >= 1).all()
    assert set(system["polarity"]) <= {"unipolar", "bipolar", "multipolar"}


def test_start_year_is_the_observed_world(sanctions_run):
    first = sanctions_run.states.query("year == 2014").groupby("state")["gdp_usd_bn"]
    assert first.nunique().max() == 1  # identical across runs
    assert first.first()["RUS"] == pytest.approx(2059.24, rel=1e-5)


def test_same_seed_reproduces_exactly():
    a = sim.run(SCENARIOS / "sanctions.yaml", runs=3, seed=7, years=8)
    b = sim.run(SCENARIOS / "sanctions.yaml", runs=3, seed=7, years=8)
    for name in ("states", "dyads", "system", "events"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def test_replicates_differ_and_depend_on_seed():
    a = sim.run(SCENARIOS / "baseline.yaml", runs=2, seed=1, years=5).states
    b = sim.run(SCENARIOS / "baseline.yaml", runs=2, seed=2, years=5).states
    last = a["year"] == 2019
    run0, run1 = (a[last & (a["run"] == r)]["gdp_usd_bn"].to_numpy() for r in (0, 1))
    assert not np.allclose(run0, run1)
    assert not np.allclose(a["gdp_usd_bn"], b["gdp_usd_bn"])


def test_results_do_not_depend_on_jobs():
    one = sim.run(SCENARIOS / "sanctions.yaml", runs=4, seed=3, years=6, jobs=1)
    two = sim.run(SCENARIOS / "sanctions.yaml", runs=4, seed=3, years=6, jobs=2)
    for name in ("states", "dyads", "system", "events"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))


def test_every_acting_state_is_a_mesa_agent():
    config = sim.load(SCENARIOS / "baseline.yaml")
    model = WorldModel(config, rng=0)
    assert [a.iso3 for a in model.agents] == list(model.ids)
    assert sum(a.acts for a in model.agents) == len(config.world.states)
    usa = model.by_id["USA"]
    assert "EUU" in usa.allies and usa.gdp_usd_bn == pytest.approx(17608.1, rel=1e-4)


def test_the_dyads_table_is_every_year_and_ordered_pair_of_distinct_rows():
    config = sim.load(SCENARIOS / "sanctions.yaml", years=3)
    model = WorldModel(config, rng=np.random.default_rng(5))
    model.run()
    ids = list(model.ids)
    affinity = model.affinity.copy()  # the last year's, as the model holds it
    n = model.n
    pair = [(a, b) for a in ids for b in ids if a != b].index(("RUS", "CHN"))
    for values in model.recorder.dyads.values():  # a pair-year with nothing nonzero
        values[2, pair] = 0.0
    dyads = pd.DataFrame(model.recorder.columns(0, ("dyads",))["dyads"])
    assert len(dyads) == 4 * n * (n - 1)
    for year, rows in dyads.groupby("year"):  # (a, b) in row-major order, every year
        expected = [(a, b) for a in ids for b in ids if a != b]
        assert list(zip(rows["a"], rows["b"], strict=True)) == expected, year
    last = dyads[dyads["year"] == dyads["year"].max()]
    a, b = last["a"].cat.codes.to_numpy(), last["b"].cat.codes.to_numpy()
    assert np.array_equal(last["affinity"].to_numpy(), affinity[a, b])
    zero = dyads[(dyads["year"] == config.start_year + 2) & (dyads["a"] == "RUS")]
    zero = zero[zero["b"] == "CHN"]
    assert len(zero) == 1  # a row of zeros, not a gap
    assert (zero.drop(columns=["run", "year", "a", "b"]) == 0).all().all()


def test_a_released_run_frees_its_dyads_once_its_tables_are_gone_without_the_collector():
    config = sim.load(SCENARIOS / "sanctions.yaml", years=3)
    model = WorldModel(config, rng=np.random.default_rng(2))
    model.run()
    recorded = weakref.ref(model.ensemble.recorder.dyads["affinity"])
    dyads = model.recorder.columns(0, ("dyads",))["dyads"]
    before = {column: np.array(values, copy=True) for column, values in dyads.items()}
    model.recorder.release()
    assert recorded() is not None  # the table still uses it
    for column, values in dyads.items():
        assert np.array_equal(np.asarray(values), np.asarray(before[column])), column
    with pytest.raises(ValueError, match="not recorded in this run: dyads"):
        model.recorder.columns(0, ("dyads",))
    assert len(model.recorder.columns(0, ("states",))["states"]["run"]) == 4 * model.n
    del dyads, values
    assert recorded() is None  # freed at once, though the model still holds its recorder
