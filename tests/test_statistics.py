"""Statistics for comparisons, checked against known answers and hand calculations."""

import itertools

import numpy as np
import pytest

from sim.analysis import statistics


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


def test_shifted_normals_interval_covers_the_shift_and_excludes_zero(rng):
    a = rng.normal(0.0, 1.0, 300)
    b = rng.normal(1.0, 1.0, 300)
    ci = statistics.difference_ci(a, b, paired=False, seed=1)
    assert ci.low < 1.0 < ci.high
    assert ci.excludes(0.0)
    assert ci.estimate == pytest.approx(np.median(b) - np.median(a))


def test_paired_interval_is_narrower_with_correlated_runs(rng):
    common = rng.normal(0.0, 1.0, 60)
    a = common + rng.normal(0.0, 0.05, 60)
    b = common + 0.3 + rng.normal(0.0, 0.05, 60)
    paired = statistics.difference_ci(a, b, paired=True, seed=2)
    unpaired = statistics.difference_ci(a, b, paired=False, seed=2)
    assert paired.high - paired.low < (unpaired.high - unpaired.low) / 3
    assert paired.low < 0.3 < paired.high and paired.excludes(0.0)
    assert not unpaired.excludes(0.0)


def test_same_seed_same_interval_different_seed_different_interval(rng):
    a, b = rng.normal(0, 1, 40), rng.normal(0.5, 1, 40)
    first = statistics.difference_ci(a, b, paired=False, seed=7, n_resamples=999)
    assert first == statistics.difference_ci(a, b, paired=False, seed=7, n_resamples=999)
    assert first != statistics.difference_ci(a, b, paired=False, seed=8, n_resamples=999)


def test_identical_samples_give_no_difference(rng):
    a = rng.normal(0, 1, 30)
    test = statistics.rank_test(a, a.copy())
    assert test.p_value == pytest.approx(1.0)
    assert test.a12 == 0.5 and test.cliffs_delta == 0.0
    ci = statistics.difference_ci(a, a.copy(), paired=True)
    assert (ci.estimate, ci.low, ci.high) == (0.0, 0.0, 0.0)


def test_constant_samples_are_handled():
    test = statistics.rank_test([2.0, 2.0, 2.0], [2.0, 2.0])
    assert test.p_value == 1.0 and test.a12 == 0.5
    ci = statistics.difference_ci([1.0, 1.0], [3.0, 3.0], paired=False)
    assert (ci.estimate, ci.low, ci.high) == (2.0, 2.0, 2.0)


def test_complete_separation():
    low, high = np.arange(10.0), np.arange(10.0) + 100
    up = statistics.rank_test(low, high)
    assert up.a12 == 1.0 and up.cliffs_delta == 1.0 and up.u == 100
    down = statistics.rank_test(high, low)
    assert down.a12 == 0.0 and down.cliffs_delta == -1.0
    assert up.p_value == pytest.approx(down.p_value) and up.p_value < 1e-3


def test_tiny_rank_test_by_hand():
    # b beats a in 1 + 2 + 3 + 3 = 9 of the 12 pairs.
    a, b = [1.0, 3.0, 5.0], [2.0, 4.0, 6.0, 7.0]
    test = statistics.rank_test(a, b)
    assert test.u == 9 and test.a12 == 0.75 and test.cliffs_delta == 0.5
    # Exact two-sided p: of the C(7, 3) = 35 ways to place a's ranks, count those at
    # least as extreme (U of b >= 9 or <= 3).
    extreme = 0
    for ranks in itertools.combinations(range(7), 3):
        u_a = sum(r - k for k, r in enumerate(sorted(ranks)))  # b values below each a value
        u_b = 12 - u_a
        extreme += u_b >= 9 or u_b <= 3
    assert extreme == 14
    assert test.p_value == pytest.approx(extreme / 35)


def test_signed_rank_uses_the_pairing():
    a = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0])
    assert statistics.signed_rank_p(a, a + 1.0) == pytest.approx(2 / 2**6)
    assert statistics.signed_rank_p(a, a) == 1.0
    # The same small shift is invisible to Mann-Whitney, which ignores the pairing.
    assert statistics.rank_test(a, a + 1.0).p_value > 0.5


def test_wilson_interval_matches_published_values():
    ci = statistics.proportion_ci(5, 10)
    assert ci.estimate == 0.5
    assert ci.low == pytest.approx(0.2366, abs=1e-4)
    assert ci.high == pytest.approx(0.7634, abs=1e-4)


def test_newcombe_difference_matches_published_example():
    # Newcombe (1998), Table II, example (a): 56/70 - 48/80, method 10: 0.0524 to 0.3339.
    ci = statistics.proportion_difference_ci(48, 80, 56, 70)
    assert ci.estimate == pytest.approx(0.2)
    assert ci.low == pytest.approx(0.0524, abs=1e-4)
    assert ci.high == pytest.approx(0.3339, abs=1e-4)


def test_newcombe_at_the_boundaries():
    none = statistics.proportion_difference_ci(0, 10, 0, 10)
    assert none.estimate == 0 and none.low < 0 < none.high
    assert none.low == pytest.approx(-none.high)
    everything = statistics.proportion_difference_ci(0, 10, 10, 10)
    assert everything.estimate == 1.0 and everything.high == pytest.approx(1.0)
    assert everything.excludes(0.0)


def test_benjamini_hochberg_by_hand():
    # Sorted 0.01, 0.03, 0.04, 0.5 -> 0.04, 0.06, 0.0533, 0.5 -> monotone from the top.
    adjusted = statistics.adjust_p([0.01, 0.04, 0.03, 0.5, np.nan])
    expected = [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5]
    assert adjusted[:4] == pytest.approx(expected)
    assert np.isnan(adjusted[4])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: statistics.difference_ci([1, 2, 3], [1, 2], paired=True), "differ in length"),
        (lambda: statistics.rank_test([1.0], [1.0, 2.0]), "at least two"),
        (lambda: statistics.proportion_ci(3, 2), "k <= n"),
    ],
)
def test_misuse_is_an_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
