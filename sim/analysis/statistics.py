"""Statistics for comparing two sets of runs: pure functions of arrays, built on scipy.

Every function takes plain numbers or arrays (the reference sample ``a`` first, the
other sample ``b`` second) and returns plain numbers, so that differences and
effect sizes always read "other minus reference".

A difference between two scenarios is one estimate, one interval and one test, all
read off the same ordered set of pairwise differences (``shift_test``): the
Hodges-Lehmann estimate, the confidence interval that inverts the rank test, and
that test's exact p-value. An interval at level 1 - q therefore excludes zero
exactly when p <= q, and with the level adjusted as ``select`` does, an outcome
is starred exactly when its interval excludes zero.

References:
    Mann & Whitney (1947); Wilcoxon (1945) (rank tests).
    Hodges & Lehmann (1963), "Estimates of location based on rank tests", Annals of
    Mathematical Statistics 34(2) (the estimate); Hollander, Wolfe & Chicken (2014),
    *Nonparametric Statistical Methods*, 3rd ed., chapters 3 and 4 (the
    intervals that invert the signed-rank and rank-sum tests).
    Benjamini & Yekutieli (2005), "False discovery rate-adjusted multiple confidence
    intervals for selected parameters", JASA 100(469) (intervals at level 1 - R alpha / m).
    Vargha & Delaney (2000), "A critique and improvement of the CL common language
    effect size statistics of McGraw and Wong" (A12).
    Cliff (1993), "Dominance statistics: ordinal analyses to answer ordinal questions".
    Wilson (1927) (score interval for a proportion).
    Newcombe (1998), "Interval estimation for the difference between independent
    proportions: comparison of eleven methods", method 10 (hybrid score interval).
    Benjamini & Hochberg (1995) (false discovery rate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Interval:
    """A point estimate with a confidence interval."""

    estimate: float
    low: float
    high: float

    def excludes(self, value: float = 0.0) -> bool:
        """Whether ``value`` lies outside the interval."""
        return bool(value < self.low or value > self.high)


@dataclass(frozen=True)
class RankTest:
    """A two-sided Mann-Whitney U test of ``b`` against ``a`` and its effect sizes.

    Attributes:
        u: U of ``b``: pairs (a run of b, a run of a) where b is higher, ties counting half.
        p_value: Two-sided p-value of the hypothesis that neither sample tends to be higher.
        a12: Vargha-Delaney A12 = U / (n_a n_b): the probability that a run of ``b``
            exceeds a run of ``a`` (ties counting half); 0.5 means no tendency.
        cliffs_delta: Cliff's delta = 2 A12 - 1 = P(b > a) - P(b < a), in [-1, 1].
    """

    u: float
    p_value: float
    a12: float
    cliffs_delta: float


def _sample(values: Sequence[float] | np.ndarray, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or len(array) < 2:
        raise ValueError(f"{name} needs at least two values, got {array.shape}")
    return array


def rank_test(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> RankTest:
    """Two-sided Mann-Whitney U test of ``b`` against ``a``, with A12 and Cliff's delta.

    The test treats the runs as independent samples; when all values are equal there
    is nothing to tell the samples apart and the p-value is 1.
    """
    a, b = _sample(a, "a"), _sample(b, "b")
    if np.ptp(np.concatenate([a, b])) == 0:
        u, p = len(a) * len(b) / 2.0, 1.0
    else:
        result = stats.mannwhitneyu(b, a, alternative="two-sided")
        u, p = float(result.statistic), float(result.pvalue)
    a12 = u / (len(a) * len(b))
    return RankTest(u=u, p_value=p, a12=a12, cliffs_delta=2.0 * a12 - 1.0)


@dataclass(frozen=True)
class ShiftTest:
    """A difference of ``b`` from ``a``: estimate, the rank test's interval and its p-value.

    Attributes:
        estimate: Hodges-Lehmann estimate: the median of the Walsh averages of the paired
            differences b - a (paired), or of every difference b_j - a_i (independent).
        low, high: The interval at ``confidence`` that inverts the test (infinite when
            the runs are too few to reach that level).
        p_value: Exact two-sided p-value of the Wilcoxon signed-rank test (paired) or
            the Mann-Whitney test (independent), ties and zeros counted against rejection;
            the interval at level 1 - q excludes 0 exactly when ``p_value <= q``.
        constant: ``"identical"`` when every difference is 0, ``"constant"`` when every
            difference is the same non-zero number, else None.
    """

    estimate: float
    low: float
    high: float
    p_value: float
    confidence: float
    constant: str | None = None

    def excludes(self, value: float = 0.0) -> bool:
        """Whether ``value`` lies outside the interval."""
        return bool(value < self.low or value > self.high)


EXACT_LIMIT = 2500  # pairs (paired: n(n+1)/2 Walsh averages; independent: m n) computed exactly


def _signed_rank_cdf(n: int) -> np.ndarray:
    """P(T+ <= t), t = 0 .. n(n+1)/2, of the signed-rank statistic for n differences."""
    total = n * (n + 1) // 2
    if total > EXACT_LIMIT * 20:
        return _normal_cdf(total, n * (n + 1) * (2 * n + 1) / 24.0)
    pmf = np.zeros(total + 1)
    pmf[0] = 1.0
    for rank in range(1, n + 1):
        pmf[rank:] = 0.5 * pmf[rank:] + 0.5 * pmf[:-rank].copy()
        pmf[:rank] *= 0.5
    return np.minimum(np.cumsum(pmf), 1.0)


def _rank_sum_cdf(m: int, n: int) -> np.ndarray:
    """P(U <= u), u = 0 .. m n, of the Mann-Whitney statistic for samples of m and n."""
    total = m * n
    if total > EXACT_LIMIT:
        return _normal_cdf(total, m * n * (m + n + 1) / 12.0)
    # P_{i,j}(u) = i/(i+j) P_{i-1,j}(u - j) + j/(i+j) P_{i,j-1}(u)
    row = [np.ones(1) for _ in range(n + 1)]  # i = 0: U = 0 surely
    for i in range(1, m + 1):
        new = [np.ones(1)]
        for j in range(1, n + 1):
            pmf = np.zeros(i * j + 1)
            pmf[j : j + len(row[j])] += i / (i + j) * row[j]
            pmf[: len(new[j - 1])] += j / (i + j) * new[j - 1]
            new.append(pmf)
        row = new
    return np.minimum(np.cumsum(row[n]), 1.0)


def _normal_cdf(total: int, variance: float) -> np.ndarray:
    """The normal approximation, with continuity correction, of a rank statistic's CDF."""
    t = np.arange(total + 1, dtype=float)
    return stats.norm.cdf((t + 0.5 - total / 2.0) / np.sqrt(variance))


def _pairwise(a: np.ndarray, b: np.ndarray, paired: bool) -> tuple[np.ndarray, np.ndarray]:
    """The sorted differences the estimate, interval and test all read, and the null CDF."""
    if paired:
        d = b - a
        i, j = np.triu_indices(len(d))
        return np.sort((d[i] + d[j]) / 2.0), _signed_rank_cdf(len(d))
    return np.sort(np.subtract.outer(b, a).ravel()), _rank_sum_cdf(len(a), len(b))


def shift_test(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    paired: bool,
    confidence: float = 0.95,
) -> ShiftTest:
    """The difference of ``b`` from ``a``: Hodges-Lehmann estimate, interval and rank test.

    Paired (common random numbers): the Walsh averages (d_i + d_j) / 2, i <= j, of the
    differences d = b - a; independent: every b_j - a_i. Sorted, they are W_(1) ..
    W_(N). With k the largest count such that P(T <= k) <= q / 2 under the null
    hypothesis (T the signed-rank or Mann-Whitney statistic; exact below
    ``EXACT_LIMIT`` pairs, normal with continuity correction above), the interval at
    level 1 - q is [W_(k+1), W_(N-k)]; the p-value is 2 P(T <= s) with s the smaller of
    #{W <= 0} and #{W >= 0}. Zero lies outside the interval exactly when s <= k, that
    is when p <= q: the test and the interval cannot disagree. The interval lies
    within the range of the differences, so a bounded measure keeps its bounds.
    """
    a, b = _sample(a, "a"), _sample(b, "b")
    if paired and len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} and {len(b)}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    walsh, cdf = _pairwise(a, b, paired)
    estimate = float(np.median(walsh))
    s = int(min(np.count_nonzero(walsh <= 0), np.count_nonzero(walsh >= 0)))
    p = float(min(1.0, 2.0 * cdf[s])) if s < len(cdf) else 1.0
    low, high = interval_at(walsh, cdf, confidence)
    constant = None
    if walsh[0] == walsh[-1]:
        constant = "identical" if walsh[0] == 0 else "constant"
    return ShiftTest(estimate, low, high, p, confidence, constant)


def interval_at(walsh: np.ndarray, cdf: np.ndarray, confidence: float) -> tuple[float, float]:
    """[W_(k+1), W_(N-k)] with k the largest count with P(T <= k) <= (1 - confidence) / 2."""
    k = int(np.searchsorted(cdf, (1.0 - confidence) / 2.0, side="right")) - 1
    if k < 0:
        return -np.inf, np.inf
    return float(walsh[k]), float(walsh[len(walsh) - 1 - k])


def shift_interval(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    paired: bool,
    confidence: float,
) -> tuple[float, float]:
    """The interval of ``shift_test`` at another level, from the same differences."""
    walsh, cdf = _pairwise(_sample(a, "a"), _sample(b, "b"), paired)
    return interval_at(walsh, cdf, confidence)


def select(p_values: Sequence[float] | np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """Benjamini-Hochberg selection and the level of intervals that agree with it.

    With m p-values, R = max{k : p_(k) <= k alpha / m} are selected: those with
    p <= R alpha / m. Benjamini & Yekutieli (2005) give the selected intervals at
    level 1 - R alpha / m (false coverage-statement rate alpha). Every interval is
    shown at that level, 1 - max(R, 1) alpha / m: each unselected p exceeds
    (R + 1) alpha / m, so its interval holds 0, and each selected one excludes it.

    Returns:
        Whether each p-value is selected, and q, the interval's 1 - confidence.
    """
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    if m == 0:
        return np.zeros(0, dtype=bool), alpha
    ordered = np.sort(p)
    passing = np.nonzero(ordered <= np.arange(1, m + 1) * alpha / m)[0]
    selected = int(passing[-1]) + 1 if len(passing) else 0
    q = max(selected, 1) * alpha / m
    return p <= q if selected else np.zeros(m, dtype=bool), q


def adjust_p(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values; missing (NaN) values stay missing."""
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full_like(p, np.nan)
    known = np.isfinite(p)
    if known.any():
        adjusted[known] = stats.false_discovery_control(p[known], method="bh")
    return adjusted


def proportion_ci(k: int, n: int, confidence: float = 0.95) -> Interval:
    """The share k / n with its Wilson score interval."""
    if n < 1 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n >= 1, got k={k}, n={n}")
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method="wilson")
    return Interval(k / n, float(ci.low), float(ci.high))


def proportion_difference_ci(
    k1: int, n1: int, k2: int, n2: int, confidence: float = 0.95
) -> Interval:
    """Difference of shares k2/n2 - k1/n1 with Newcombe's hybrid score interval.

    Newcombe's method 10 combines the two Wilson intervals; it keeps its coverage for
    small samples and shares near 0 or 1, where the Wald interval fails. It treats the
    samples as independent, so for paired runs it is conservative (wider than needed).
    """
    p1, p2 = proportion_ci(k1, n1, confidence), proportion_ci(k2, n2, confidence)
    difference = p2.estimate - p1.estimate
    low = difference - np.hypot(p2.estimate - p2.low, p1.high - p1.estimate)
    high = difference + np.hypot(p2.high - p2.estimate, p1.estimate - p1.low)
    return Interval(difference, float(low), float(high))
