import numpy as np
import pytest

from sim import metrics


def test_power_index_is_weighted_mean_of_component_shares():
    components = {"military": np.array([3.0, 1.0]), "economy": np.array([1.0, 1.0])}
    index = metrics.power_index(components, {"military": 1.0, "economy": 1.0})
    assert index == pytest.approx([(0.75 + 0.5) / 2, (0.25 + 0.5) / 2])
    assert index.sum() == pytest.approx(1.0)


def test_power_index_ignores_zero_weight_components():
    components = {"military": np.array([3.0, 1.0]), "economy": np.array([0.0, 9.0])}
    index = metrics.power_index(components, {"military": 2.0, "economy": 0.0})
    assert index == pytest.approx([0.75, 0.25])


@pytest.mark.parametrize(
    ("shares", "expected"),
    [([0.25, 0.25, 0.25, 0.25], 0.0), ([1.0, 0.0, 0.0, 0.0], 1.0), ([0.5, 0.5, 0.0], 0.5)],
)
def test_ray_singer_concentration_known_values(shares, expected):
    # [0.5, 0.5, 0]: sum s^2 = 0.5, N = 3 -> sqrt((0.5 - 1/3) / (2/3)) = 0.5
    assert metrics.concentration(np.array(shares)) == pytest.approx(expected)


def test_concentration_renormalises_shares():
    assert metrics.concentration(np.array([0.2, 0.2])) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("shares", "expected"), [([0.5, 0.5], 2.0), ([1, 1, 1, 1], 4.0), ([0.9, 0.1], 1 / 0.82)]
)
def test_effective_poles(shares, expected):
    assert metrics.effective_poles(np.array(shares, float)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([0.40, 0.15, 0.05], "unipolar"),  # leader ≥ 2 × runner-up
        ([0.30, 0.05, 0.05], "unipolar"),  # the only pole
        ([0.25, 0.20, 0.05], "bipolar"),
        ([0.20, 0.15, 0.12], "multipolar"),
        ([0.05, 0.04, 0.03], "multipolar"),  # no pole: diffuse
    ],
)
def test_polarity_classification(shares, expected):
    assert metrics.polarity(np.array(shares), pole_share=0.1, unipolar_ratio=2.0) == expected


def test_polarity_thresholds_are_parameters():
    shares = np.array([0.25, 0.20, 0.05])
    assert metrics.polarity(shares, pole_share=0.1, unipolar_ratio=1.2) == "unipolar"
    assert metrics.polarity(shares, pole_share=0.01, unipolar_ratio=2.0) == "multipolar"


def test_blocs_split_two_cliques_and_allies_count_as_aligned():
    affinity = np.array(
        [
            [1.0, 0.9, 0.2, 0.2],
            [0.9, 1.0, 0.2, 0.2],
            [0.2, 0.2, 1.0, 0.3],
            [0.2, 0.2, 0.3, 1.0],
        ]
    )
    allied = np.zeros((4, 4))
    labels = metrics.blocs(affinity, allied, threshold=0.8)
    assert labels[0] == labels[1] and len({labels[0], labels[2], labels[3]}) == 3
    allied[2, 3] = allied[3, 2] = 1
    labels = metrics.blocs(affinity, allied, threshold=0.8)
    assert labels[2] == labels[3] and labels[0] != labels[2]


def test_bloc_names_follow_most_powerful_member():
    names = metrics.bloc_names(np.array([1, 1, 2]), ["A", "B", "C"], np.array([0.1, 0.3, 0.2]))
    assert names == ["B", "B", "C"]


def test_average_linkage_is_scipys_on_worlds_of_every_size():
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    rng = np.random.default_rng(7)
    for n in (2, 3, 15, 60, 193):
        distance = rng.random((n, n))
        distance = (distance + distance.T) / 2.0
        distance[rng.random((n, n)) < 0.2] = 0.0  # allied pairs: many exact ties at zero
        distance = np.minimum(distance, distance.T)
        np.fill_diagonal(distance, 0.0)
        condensed = squareform(distance, checks=False)
        assert np.array_equal(
            metrics.average_linkage(condensed, n), linkage(condensed, method="average")
        )
