"""Cutting an average-linkage tree gives fcluster's partition."""

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist

from sim.metrics import cut_tree


def _partition(labels):
    return sorted(tuple(np.nonzero(labels == k)[0]) for k in np.unique(labels))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("height", [0.0, 0.2, 0.5, 0.9, 5.0])
def test_cut_tree_matches_fcluster(seed, height):
    rng = np.random.default_rng(seed)
    points = rng.random((int(rng.integers(2, 30)), 2))
    tree = linkage(pdist(points), method="average")
    ours = cut_tree(tree, len(points), height)
    assert _partition(ours) == _partition(fcluster(tree, height, criterion="distance"))
    assert ours[0] == 1 and set(ours) == set(range(1, ours.max() + 1))
