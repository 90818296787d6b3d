"""Statistics for comparisons, checked against known answers and hand calculations."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sim.analysis import statistics


@pytest.fixture
def rng():
    return np.random.default_rng(20240611)


def test_shifted_normals_interval_covers_the_shift_and_excludes_zero(rng):
    a = rng.normal(0.0, 1.0, 300)
    b = rng.normal(1.0, 1.0, 300)
    shift = statistics.shift_test(a, b, paired=False)
    assert 0.7 < shift.low < 1.0 < shift.high < 1.3
    assert shift.excludes(0.0) and shift.p_value < 1e-20
    differences = np.subtract.outer(b, a).ravel()
    assert shift.estimate == pytest.approx(np.median(differences))


def test_paired_interval_is_narrower_with_correlated_runs(rng):
    common = rng.normal(0.0, 1.0, 60)
    a = common + rng.normal(0.0, 0.05, 60)
    b = common + 0.3 + rng.normal(0.0, 0.05, 60)
    paired = statistics.shift_test(a, b, paired=True)
    unpaired = statistics.shift_test(a, b, paired=False)
    assert paired.high - paired.low < (unpaired.high - unpaired.low) / 3
    assert paired.low < 0.3 < paired.high and paired.excludes(0.0)
    assert not unpaired.excludes(0.0) and unpaired.p_value > 0.05


def test_the_test_is_the_exact_signed_rank_and_rank_sum_test(rng):
    # Without ties the p-values are scipy's exact ones.
    a, b = rng.normal(0, 1, 25), rng.normal(0.4, 1, 25)
    paired = statistics.shift_test(a, b, paired=True)
    assert paired.p_value == pytest.approx(stats.wilcoxon(b - a, method="exact").pvalue)
    a, b = rng.normal(0, 1, 12), rng.normal(0.8, 1, 15)
    independent = statistics.shift_test(a, b, paired=False)
    exact = stats.mannwhitneyu(b, a, method="exact").pvalue
    assert independent.p_value == pytest.approx(exact)


def test_signed_rank_interval_by_hand():
    # n = 6 differences 1..6: 21 Walsh averages; P(T+ <= 0) = 1/64 <= 0.025 < P(T+ <= 1)
    # = 2/64, so k = 0 and the 95% interval runs from the smallest Walsh average (1) to
    # the largest (6); the 90% one (P(T+ <= 2) = 3/64 <= 0.05) from the 3rd (2) to the
    # 19th (5) of 1, 1.5, 2, 2, 2.5, 2.5, 3, 3, 3, 3.5, 3.5, 3.5, 4, 4, 4, 4.5, 4.5, 5, 5, 5.5, 6.
    a = np.zeros(6)
    b = np.arange(1.0, 7.0)
    shift = statistics.shift_test(a, b, paired=True)
    assert (shift.low, shift.high, shift.estimate) == (1.0, 6.0, 3.5)
    assert shift.p_value == pytest.approx(2 / 64)
    assert statistics.shift_interval(a, b, True, 0.90) == (2.0, 5.0)


def test_identical_samples_give_no_difference(rng):
    a = rng.normal(0, 1, 30)
    test = statistics.rank_test(a, a.copy())
    assert test.p_value == pytest.approx(1.0)
    assert test.a12 == 0.5 and test.cliffs_delta == 0.0
    shift = statistics.shift_test(a, a.copy(), paired=True)
    assert (shift.estimate, shift.low, shift.high, shift.p_value) == (0.0, 0.0, 0.0, 1.0)
    assert shift.constant == "identical"


def test_constant_samples_are_handled():
    test = statistics.rank_test([2.0, 2.0, 2.0], [2.0, 2.0])
    assert test.p_value == 1.0 and test.a12 == 0.5
    shift = statistics.shift_test([1.0, 1.0], [3.0, 3.0], paired=False)
    assert (shift.estimate, shift.low, shift.high) == (2.0, -np.inf, np.inf)  # 2 runs each
    assert shift.constant == "constant" and shift.p_value == pytest.approx(2 / 6)
    many = statistics.shift_test(np.ones(10), np.full(10, 3.0), paired=True)
    assert (many.low, many.high, many.constant) == (2.0, 2.0, "constant")


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
    assert statistics.shift_test(a, a + 1.0, paired=True).p_value == pytest.approx(2 / 2**6)
    assert statistics.shift_test(a, a, paired=True).p_value == 1.0
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
        (lambda: statistics.shift_test([1, 2, 3], [1, 2], paired=True), "differ in length"),
        (lambda: statistics.rank_test([1.0], [1.0, 2.0]), "at least two"),
        (lambda: statistics.proportion_ci(3, 2), "k <= n"),
    ],
)
def test_misuse_is_an_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_benjamini_hochberg_selection_by_hand():
    # m = 4, alpha 0.05: sorted 0.01, 0.03, 0.04, 0.5 against 0.0125, 0.025, 0.0375,
    # 0.05: only the first passes, R = 1 (adjusted p 0.04 and 0.053: see above).
    selected, q = statistics.select([0.01, 0.04, 0.03, 0.5], 0.05)
    assert q == pytest.approx(0.05 / 4) and list(selected) == [True, False, False, False]
    # at alpha 0.06 the 3rd passes (0.04 <= 0.045) and takes the 2nd with it: R = 3
    selected, q = statistics.select([0.01, 0.04, 0.03, 0.5], 0.06)
    assert q == pytest.approx(0.045) and list(selected) == [True, True, True, False]
    none, q = statistics.select([0.2, 0.3], 0.05)
    assert not none.any() and q == pytest.approx(0.025)


_values = st.lists(
    st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.5, 1.0]) | st.floats(-1, 1, allow_nan=False),
    min_size=4,
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_values, st.floats(-0.5, 0.5), st.floats(0, 2)), min_size=1, max_size=8),
    st.booleans(),
)
def test_a_starred_outcome_never_has_an_interval_holding_zero(outcomes, paired):
    """The invariant of ``sim compare``: starred exactly when the adjusted interval excludes 0."""
    samples = []
    for values, shift, noise in outcomes:
        a = np.asarray(values)
        b = a + shift + noise * np.roll(a, 1)
        samples.append((a, b if paired else b[: max(2, len(b) - 1)]))
    p = [statistics.shift_test(a, b, paired).p_value for a, b in samples]
    selected, q = statistics.select(p, 0.05)
    for (a, b), chosen in zip(samples, selected, strict=True):
        low, high = statistics.shift_interval(a, b, paired, 1 - q)
        assert bool(chosen) == bool(low > 0 or high < 0), (low, high, chosen)
        # the interval lies within the range of the differences (bounds are kept)
        d = b - a if paired else np.subtract.outer(b, a)
        assert low == -np.inf or d.min() <= low <= high <= d.max()
