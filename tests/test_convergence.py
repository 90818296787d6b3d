"""Conditional convergence: the pure dynamics, their calibration, and the model's trend."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim import convergence, trends
from sim.model import WorldModel
from sim.world import build_world


def test_initial_gap_reproduces_the_target_mean_growth():
    target = np.array([0.06, 0.02, 0.013, 0.0, -0.01])
    gap = convergence.initial_gap(target, 0.013, 0.04, 10)
    mean = convergence.mean_trend_growth(gap, 0.013, 0.04, 10)
    assert mean == pytest.approx(target, abs=1e-9)
    assert gap[2] == pytest.approx(0.0, abs=1e-9)  # growing at g_F: at the steady state
    assert np.all(np.diff(gap) < 0)  # faster growth means further from the steady state


def test_fast_growers_slow_toward_the_frontier_and_never_overshoot():
    gap = convergence.initial_gap(np.array([0.07, -0.005]), 0.012, 0.05, 10)
    path = []
    for _ in range(200):
        growth = convergence.trend_growth(gap, 0.012, 0.05)
        path.append(growth)
        gap = convergence.next_gap(gap, 0.012, growth)
    path = np.array(path)
    assert np.all(np.diff(path[:, 0]) < 0) and np.all(path[:, 0] > 0.012)
    assert np.all(np.diff(path[:, 1]) > 0) and np.all(path[:, 1] < 0.012)
    assert path[-1] == pytest.approx([0.012, 0.012], abs=1e-4)


def test_gap_closes_at_about_beta_a_year():
    gap = np.array([1.0])
    growth = convergence.trend_growth(gap, 0.01, 0.03)
    closed = 1 - convergence.next_gap(gap, 0.01, growth)[0] / gap[0]
    assert closed == pytest.approx(0.03, rel=0.05)


@settings(max_examples=200, deadline=None)
@given(
    gap=st.floats(-3, 3),
    log_c=st.floats(-4, 1),
    beta=st.floats(0.005, 0.3),
    frontier=st.floats(0.001, 0.05),
    floor=st.floats(0.001, 0.03),
)
def test_trend_growth_stays_positive_while_below_the_frontier(gap, log_c, beta, frontier, floor):
    gap = np.array([gap])
    for _ in range(150):
        below = convergence.below_frontier(gap, log_c)
        growth = convergence.trend_growth(gap, frontier, beta, below, floor)
        if below[0]:
            assert growth[0] > 0
        gap = convergence.next_gap(gap, frontier, growth)


def test_the_path_floors_trend_growth_only_below_the_frontier():
    gap = np.array([-1.0, -1.0])  # far above the steady state: the bare trend shrinks
    bare = convergence.log_growth_path(gap, 0.015, 0.05, 10)
    income = np.array([-0.5, 1.0])  # the first below the frontier, the second above
    floored = convergence.log_growth_path(gap, 0.015, 0.05, 10, income, 0.005)
    assert bare[0, 0] == pytest.approx(np.log1p(0.015 - 0.05))
    assert floored[0] == pytest.approx(np.log1p(0.005) * np.arange(1, 11))
    assert floored[1] == pytest.approx(bare[1])


def test_no_trend_falls_in_the_whole_world_while_its_workers_grow():
    """Shocks off: after the record years, no row's trend growth of GDP is negative where
    its working-age population grows, and every row poorer than the frontier keeps a
    positive trend of output per worker."""
    config = sim.load(
        "scenarios/world_all.yaml", ["years=46", "parameters.economy.growth_shock_scale=0"]
    )
    model = WorldModel(config, rng=3)
    e = config.parameters.economy
    checked = 0
    for _ in range(config.years):
        year = model.year + 1  # the year the next step computes
        if year > trends.RECORD_END:
            below = convergence.below_frontier(model.trend_gap, model.log_steady_state)
            growth = convergence.trend_growth(
                model.trend_gap, e.frontier_growth, model.convergence, below, e.min_trend_growth
            )
            assert np.all(growth[below] > 0)
            t = year - config.start_year
            with np.errstate(invalid="ignore", divide="ignore"):  # an empty ROW
                workers = model.working_age_path[..., t] / model.working_age_path[..., t - 1]
            grows = workers > 1
            assert np.all((1 + growth[grows]) * workers[grows] > 1)
            checked += int(grows.sum())
        model.step()
    assert checked > 100 * (config.years - 10)  # most of the world's workforce grows


def test_baseline_reproduces_the_calibrated_trend_and_keeps_growing():
    result = sim.run("scenarios/baseline.yaml", runs=4, seed=5, overrides=["years=46"])
    growth = result.states.groupby(["state", "year"])["growth"].median().unstack("state")
    late = growth.loc[2035:2060]
    # every major economy still grows in 2035-60 (the old law stalled them)
    for state in ("USA", "EUU", "IND", "CHN"):
        assert late[state].mean() > 0.003, state
    # China slows as it converges: 2015-19 faster than 2035-39, by a wide margin
    assert growth.loc[2015:2019, "CHN"].mean() > growth.loc[2035:2039, "CHN"].mean() + 0.015
    # population follows WPP: India overtakes China and China shrinks by 2060
    pop = result.states.groupby(["state", "year"])["population_m"].median().unstack("state")
    assert pop.loc[2060, "IND"] > pop.loc[2060, "CHN"]
    assert pop.loc[2060, "CHN"] < 0.92 * pop.loc[2014, "CHN"]


def test_trend_growth_override_moves_one_state():
    base = sim.run("scenarios/baseline.yaml", runs=2, seed=1, overrides=["years=10"])
    slow = sim.run(
        "scenarios/baseline.yaml",
        runs=2,
        seed=1,
        overrides=["years=10", "parameters.economy.trend_growth.CHN=0.03"],
    )

    def mean_growth(result, state):
        rows = result.states[(result.states.state == state) & (result.states.year > 2014)]
        return rows.growth.mean()

    drop = mean_growth(base, "CHN") - mean_growth(slow, "CHN")
    assert drop > 0.015
    assert abs(mean_growth(base, "USA") - mean_growth(slow, "USA")) < 0.003


def test_population_paths_start_at_wdi_and_sum_over_members():
    states = ("USA", "EUU", "CHN")
    population, workers = trends.population_paths(states, 2014, 50)
    assert population.shape == workers.shape == (4, 51)
    start = build_world(list(states), 0.05).attributes["population_m"]
    assert population[:, 0] == pytest.approx(start)
    assert np.all(workers < population)
    world = trends.population_paths(("USA",), 2014, 50)[0].sum(axis=0)
    assert world == pytest.approx(population.sum(axis=0))  # every country in exactly one row
    # WPP 2022 medium variant: world population about 9.7 bn in 2050 (UN DESA 2022)
    assert 9.0e3 < world[36] < 10.2e3
    # ageing: China's working-age population falls faster than its population
    china = population[2], workers[2]
    assert china[1][46] / china[1][0] < china[0][46] / china[0][0] < 1.0
