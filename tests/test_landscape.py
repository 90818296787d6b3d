import itertools

import numpy as np
import pytest

from sim import landscape as L

HAND_SIZES = {"USA": 10.0, "RUS": 10.0, "CHN": 50.0}
HAND_PROPS = [("USA", "RUS", -1.0), ("RUS", "CHN", 2.0)]

# Two pairs that like each other (A-B, C-D), weaker cross-likes (A-C, B-D), strong
# dislikes (A-D, B-C); all sizes 1, so E = sum of p over the split pairs.
FOUR_SIZES = {"A": 1.0, "B": 1.0, "C": 1.0, "D": 1.0}
FOUR_PROPS = [
    ("A", "B", 2.0),
    ("C", "D", 2.0),
    ("A", "C", 1.0),
    ("B", "D", 1.0),
    ("A", "D", -4.0),
    ("B", "C", -4.0),
]


def random_instance(n, seed, integer=False):
    rng = np.random.default_rng(seed)
    if integer:  # small integers: exact arithmetic and many ties (zero-gain flips)
        sizes = rng.integers(1, 4, n).astype(float)
        p = rng.integers(-2, 3, (n, n)).astype(float)
    else:
        sizes = rng.uniform(0.5, 5.0, n)
        p = rng.normal(size=(n, n))
    p = np.triu(p, 1)
    return sizes, p + p.T


def naive_energy(sizes, p, x):
    n = len(sizes)
    total = sum(sizes[i] * sizes[j] * p[i, j] * (x[i] != x[j]) for i in range(n) for j in range(n))
    return total / 2  # half of the double sum = sum over pairs i < j


def naive_minima(sizes, p):
    n = len(sizes)
    found = set()
    for rest in itertools.product((0, 1), repeat=n - 1):
        x = (0, *rest)
        e = naive_energy(sizes, p, x)
        flips = [tuple(1 - v if k == i else v for k, v in enumerate(x)) for i in range(n)]
        if all(naive_energy(sizes, p, y) >= e for y in flips):
            found.add(x)
    return found


def as_set(configs):
    return {tuple(int(v) for v in x) for x in configs}


def test_hand_solved_case_energies_of_every_partition():
    # Pairs: USA-RUS s*s*p = 10*10*(-1) = -100; RUS-CHN 10*50*2 = 1000; USA-CHN 0.
    # E sums these over the pairs split apart:
    #   USA+RUS+CHN together    -> nothing split                  =    0
    #   USA+CHN | RUS           -> USA-RUS, RUS-CHN: -100 + 1000  =  900
    #   USA+RUS | CHN           -> RUS-CHN (USA-CHN is 0)         = 1000
    #   USA | RUS+CHN           -> USA-RUS (USA-CHN is 0)         = -100
    p = np.array([[0, -1, 0], [-1, 0, 2], [0, 2, 0]], float)
    configs, energies = L.all_energies(list(HAND_SIZES.values()), p)
    got = {tuple(int(v) for v in x): e for x, e in zip(configs, energies, strict=True)}
    assert got == {(0, 0, 0): 0.0, (0, 1, 0): 900.0, (0, 0, 1): 1000.0, (0, 1, 1): -100.0}


def test_hand_solved_case_single_stable_configuration():
    # From USA | RUS+CHN (E = -100) each single switch leads to 0, 1000 or 900: stable.
    # Together (0): USA leaving gives -100. USA+RUS | CHN (1000): CHN joining gives 0.
    # USA+CHN | RUS (900): RUS joining gives 0. So one minimum, reached from every start.
    result = L.analyse(HAND_SIZES, HAND_PROPS, starts=200, seed=3)
    assert result == {
        "minima": [{"energy": -100.0, "blocs": [["USA"], ["CHN", "RUS"]], "basin": 1.0}]
    }


def test_hand_solved_frustrations():
    # USA | RUS+CHN: F_USA = 10*(-1)*1 + 50*0*1 = -10; F_RUS = 10*(-1)*1 + 50*2*0 = -10;
    # F_CHN = 10*0*1 + 10*2*0 = 0.
    p = np.array([[0, -1, 0], [-1, 0, 2], [0, 2, 0]], float)
    f = L.frustration([10, 10, 50], p, [0, 1, 1])
    np.testing.assert_array_equal(f, [-10.0, -10.0, 0.0])


def test_four_actor_case_has_two_minima_of_different_energy():
    # A+B | C+D splits A-C, A-D, B-C, B-D: 1 - 4 - 4 + 1 = -6.
    # A+C | B+D splits A-B, A-D, C-B, C-D: 2 - 4 - 4 + 2 = -4.
    # A+D | B+C: 2 + 1 + 1 + 2 = 6; together: 0; any single actor alone: -1
    # (e.g. A alone: 2 + 1 - 4). Each 2-2 split's neighbours are the singletons (-1),
    # so -6 and -4 are minima; each singleton has a better neighbour, so nothing else.
    # Every singleton has exactly one neighbour in each minimum, so each basin is
    # 1/8 (itself) + 6/8 * 1/2 (via a singleton) = 1/2.
    result = L.analyse(FOUR_SIZES, FOUR_PROPS, starts=4000, seed=1)
    minima = result["minima"]
    assert [m["energy"] for m in minima] == [-6.0, -4.0]
    assert [m["blocs"] for m in minima] == [[["A", "B"], ["C", "D"]], [["A", "C"], ["B", "D"]]]
    for m in minima:
        assert m["basin"] == pytest.approx(0.5, abs=0.05)


def test_everyone_likes_each_other_stays_together():
    sizes = {"X": 3.0, "B": 1.5, "A": 7.25, "C": 0.1}
    props = [(a, b, 0.3 + i) for i, (a, b) in enumerate(itertools.combinations(sizes, 2))]
    result = L.analyse(sizes, props, starts=300)
    assert result == {
        "minima": [{"energy": 0.0, "blocs": [["A", "B", "C", "X"], []], "basin": 1.0}]
    }


def test_frustrated_triangle_has_three_equal_minima():
    # All pairs -1, sizes 1: any 1-2 split separates two pairs, E = -2; together E = 0.
    # From a 1-2 split, moves give 0 (rejoin) or another -2 split: no strict gain.
    sizes = {"A": 1.0, "B": 1.0, "C": 1.0}
    props = [("A", "B", -1.0), ("A", "C", -1.0), ("B", "C", -1.0)]
    minima = L.analyse(sizes, props, starts=3000, seed=2)["minima"]
    assert [m["energy"] for m in minima] == [-2.0, -2.0, -2.0]
    assert sorted(m["blocs"] for m in minima) == [
        [["A"], ["B", "C"]],
        [["A", "B"], ["C"]],
        [["A", "C"], ["B"]],
    ]
    assert sum(m["basin"] for m in minima) == pytest.approx(1.0)
    for m in minima:
        assert m["basin"] == pytest.approx(1 / 3, abs=0.05)


def test_first_actor_bloc_listed_first_and_blocs_sorted():
    sizes = {"Z": 1.0, "A": 1.0, "B": 1.0}
    minima = L.analyse(sizes, [("Z", "A", -1.0), ("Z", "B", -1.0), ("A", "B", 1.0)])["minima"]
    assert [m["blocs"] for m in minima] == [[["Z"], ["A", "B"]]]
    assert minima[0]["energy"] == -2.0


@pytest.mark.parametrize("integer", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_local_minima_match_brute_force(seed, integer):
    sizes, p = random_instance(6, seed, integer)
    assert as_set(L.local_minima(sizes, p)) == naive_minima(sizes, p)


@pytest.mark.parametrize("seed", range(4))
def test_all_energies_match_naive_double_sum(seed):
    sizes, p = random_instance(7, seed)
    configs, energies = L.all_energies(sizes, p)
    assert configs.shape == (2**6, 7)
    assert (configs[:, 0] == 0).all()
    assert len(as_set(configs)) == 2**6  # each partition once, never x and 1 - x
    for x, e in zip(configs, energies, strict=True):
        assert e == pytest.approx(naive_energy(sizes, p, x), abs=1e-9)
        assert L.energy(sizes, p, x) == pytest.approx(e, abs=1e-9)
        assert L.energy(sizes, p, 1 - x) == pytest.approx(e, abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_switch_changes_energy_by_size_times_frustration_change(seed):
    sizes, p = random_instance(8, seed)
    rng = np.random.default_rng(seed)
    for _ in range(20):
        x = rng.integers(0, 2, 8)
        for i in range(8):
            y = x.copy()
            y[i] ^= 1
            d_energy = L.energy(sizes, p, y) - L.energy(sizes, p, x)
            d_frus = L.frustration(sizes, p, y)[i] - L.frustration(sizes, p, x)[i]
            assert d_energy == pytest.approx(sizes[i] * d_frus, abs=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_descend_never_raises_energy_and_ends_stable(seed):
    sizes, p = random_instance(9, seed)
    rng = np.random.default_rng(seed)
    stable = as_set(L.local_minima(sizes, p))
    for _ in range(150):
        start = rng.integers(0, 2, 9)
        kept = start.copy()
        path: list[float] = []
        end = L.descend(sizes, p, start, rng, path=path)
        np.testing.assert_array_equal(start, kept)
        assert path[0] == pytest.approx(L.energy(sizes, p, start))
        assert path[-1] == pytest.approx(L.energy(sizes, p, end))
        assert (np.diff(path) < 0).all()
        assert L.canonical(end) in stable
        for i in range(9):  # no actor can lower its own frustration by switching
            moved = end.copy()
            moved[i] ^= 1
            assert L.frustration(sizes, p, moved)[i] >= L.frustration(sizes, p, end)[i] - 1e-12


def test_descend_from_stable_configuration_does_not_move():
    sizes, p = random_instance(8, 5)
    rng = np.random.default_rng(0)
    for x in L.local_minima(sizes, p):
        path: list[float] = []
        np.testing.assert_array_equal(L.descend(sizes, p, x, rng, path=path), x)
        assert len(path) == 1


@pytest.mark.parametrize("seed", range(3))
def test_basins_sum_to_one_and_land_on_canonical_minima(seed):
    sizes, p = random_instance(8, seed)
    shares = L.basins(sizes, p, 500, np.random.default_rng(seed))
    assert sum(shares.values()) == pytest.approx(1.0)
    assert all(key[0] == 0 for key in shares)
    assert set(shares) <= as_set(L.local_minima(sizes, p))
    assert shares == L.basins(sizes, p, 500, np.random.default_rng(seed))


def test_analyse_reports_each_partition_once_sorted_by_energy():
    sizes, p = random_instance(9, 11)
    ids = [f"S{i}" for i in range(9)]
    props = [(ids[i], ids[j], p[i, j]) for i, j in itertools.combinations(range(9), 2)]
    minima = L.analyse(dict(zip(ids, sizes, strict=True)), props, starts=200)["minima"]
    partitions = [frozenset(frozenset(b) for b in m["blocs"]) for m in minima]
    assert len(partitions) == len(set(partitions)) == len(L.local_minima(sizes, p))
    energies = [m["energy"] for m in minima]
    assert energies == sorted(energies)
    assert all("S0" in m["blocs"][0] for m in minima)
    assert sum(m["basin"] for m in minima) == pytest.approx(1.0)


def test_twenty_actors_exhaustive():
    sizes, p = random_instance(20, 7)
    ids = [f"S{i:02d}" for i in range(20)]
    props = [(ids[i], ids[j], p[i, j]) for i, j in itertools.combinations(range(20), 2)]
    minima = L.analyse(dict(zip(ids, sizes, strict=True)), props, starts=20)["minima"]
    configs, energies = L.all_energies(sizes, p)
    assert len(configs) == 2**19
    assert minima[0]["energy"] == pytest.approx(energies.min())
    assert len(minima) == len(L.local_minima(sizes, p)) >= 1


def test_format_table():
    text = L.format_table(L.analyse(HAND_SIZES, HAND_PROPS, starts=50))
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].split() == ["rank", "energy", "basin", "blocs"]
    assert lines[1].split() == ["1", "-100", "100.0%", "USA", "|", "CHN+RUS"]
    together = L.format_table(L.analyse({"A": 1.0, "B": 1.0}, [("A", "B", 1.0)], starts=10))
    assert together.splitlines()[1].split()[-3:] == ["A+B", "|", "-"]


@pytest.mark.parametrize(
    ("sizes", "props", "message"),
    [
        ({"A": 1.0, "B": 1.0}, [("A", "A", 1.0)], "itself"),
        ({"A": 1.0, "B": 1.0}, [("A", "Q", 1.0)], "no size"),
        ({"A": 1.0, "B": 1.0}, [("A", "B", 1.0), ("B", "A", 2.0)], "listed twice"),
        ({"A": 1.0, "B": 1.0}, [("A", "B", 1.0), ("A", "B", -1.0)], "listed twice"),
        ({"A": 1.0, "B": 1.0}, [("A", "B", float("nan"))], "finite"),
        ({"A": 0.0, "B": 1.0}, [], "positive"),
        ({"A": -2.0, "B": 1.0}, [], "positive"),
        ({"A": float("nan"), "B": 1.0}, [], "positive"),
        ({}, [], "actors"),
        ({f"S{i}": 1.0 for i in range(25)}, [], "24"),
    ],
)
def test_analyse_rejects_bad_input(sizes, props, message):
    with pytest.raises(ValueError, match=message):
        L.analyse(sizes, props, starts=10)


def test_repeated_pair_with_same_value_is_accepted():
    result = L.analyse({"A": 1.0, "B": 1.0}, [("A", "B", -1.0), ("B", "A", -1.0)], starts=10)
    assert result["minima"] == [{"energy": -1.0, "blocs": [["A"], ["B"]], "basin": 1.0}]


def test_pure_functions_reject_asymmetric_propensity():
    with pytest.raises(ValueError, match="symmetric"):
        L.energy([1.0, 1.0], [[0.0, 1.0], [2.0, 0.0]], [0, 1])
    with pytest.raises(ValueError, match="basins|starts"):
        L.basins([1.0], [[0.0]], 0, np.random.default_rng(0))
