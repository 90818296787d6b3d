"""Statistics for comparing two sets of runs: pure functions of arrays, built on scipy.

Every function takes plain numbers or arrays (the reference sample ``a`` first, the
other sample ``b`` second) and returns plain numbers, so that differences and
effect sizes always read "other minus reference".

References:
    Efron & Tibshirani (1993), *An Introduction to the Bootstrap* (BCa intervals).
    Mann & Whitney (1947); Wilcoxon (1945) (rank tests).
    Vargha & Delaney (2000), "A critique and improvement of the CL common language
    effect size statistics of McGraw and Wong" (A12).
    Cliff (1993), "Dominance statistics: ordinal analyses to answer ordinal questions".
    Wilson (1927) (score interval for a proportion).
    Newcombe (1998), "Interval estimation for the difference between independent
    proportions: comparison of eleven methods", method 10 (hybrid score interval).
    Benjamini & Hochberg (1995) (false discovery rate).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

RESAMPLES = 9999


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


def _median_difference(a: np.ndarray, b: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.median(b, axis=axis) - np.median(a, axis=axis)


def difference_ci(
    a: Sequence[float] | np.ndarray,
    b: Sequence[float] | np.ndarray,
    paired: bool,
    confidence: float = 0.95,
    n_resamples: int = RESAMPLES,
    seed: int | Sequence[int] = 0,
) -> Interval:
    """Difference of medians, median(b) - median(a), with a bootstrap confidence interval.

    With ``paired`` the runs are resampled as pairs (run r of ``a`` with run r of ``b``),
    which is right for common random numbers: the shared noise cancels and the interval
    is narrower. The interval is BCa; where BCa is undefined (a degenerate bootstrap
    distribution, e.g. when most runs give the same value) the percentile interval is
    used instead.

    Args:
        a: The reference sample.
        b: The other sample (the same length as ``a`` when paired).
        paired: Whether ``a[i]`` and ``b[i]`` come from the same random numbers.
        confidence: Confidence level of the interval.
        n_resamples: Bootstrap resamples.
        seed: Seed of the resampling generator (anything ``numpy.random.default_rng`` takes).

    Returns:
        The difference of medians and its interval.
    """
    a, b = _sample(a, "a"), _sample(b, "b")
    if paired and len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} and {len(b)}")
    estimate = float(_median_difference(a, b))
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        return Interval(estimate, estimate, estimate)
    for method in ("BCa", "percentile"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", stats.DegenerateDataWarning)
            warnings.simplefilter("ignore", RuntimeWarning)
            result = stats.bootstrap(
                (a, b),
                _median_difference,
                paired=paired,
                vectorized=True,
                confidence_level=confidence,
                n_resamples=n_resamples,
                batch=1000,
                method=method,
                rng=np.random.default_rng(seed),
            )
        low, high = result.confidence_interval
        if np.isfinite(low) and np.isfinite(high):
            break
    return Interval(estimate, float(low), float(high))


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


def signed_rank_p(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p-value of the paired differences b - a.

    The test for common random numbers: it uses the pairing that the Mann-Whitney test
    ignores. All differences zero give p = 1.
    """
    a, b = _sample(a, "a"), _sample(b, "b")
    if len(a) != len(b):
        raise ValueError(f"paired samples differ in length: {len(a)} and {len(b)}")
    differences = b - a
    if not np.any(differences):
        return 1.0
    return float(stats.wilcoxon(differences, alternative="two-sided").pvalue)


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
