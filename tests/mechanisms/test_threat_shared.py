"""The word-packed test of a shared threat equals the pairwise definition."""

import numpy as np
import pytest

from sim.mechanisms.threat import common_threat, shares_threat


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("level", [0.0, 0.05, 0.2, 0.5])
@pytest.mark.parametrize("n", [12, 130])  # one 64-bit word a row, and three
def test_shares_threat_equals_common_threat_row_by_row(seed, level, n):
    rng = np.random.default_rng(seed)
    theta = rng.random((n, n)) * (rng.random((n, n)) < 0.4)
    np.fill_diagonal(theta, 0.0)
    fast = shares_threat(theta, level)
    for i in range(n):
        slow = common_threat(theta, i) >= level
        slow[i] = False
        np.testing.assert_array_equal(fast[i], slow)
