import numpy as np
import pandas as pd
import pytest

from sim.world import DATA, build_world, capability_stock, country_data, members

STATES = ["USA", "CHN", "RUS", "EUU", "VNM"]


@pytest.fixture(scope="module")
def world():
    return build_world(STATES, depreciation=0.1)


def test_rows_are_acting_states_then_remainder(world):
    assert world.ids == (*STATES, "ROW")


def test_sums_cover_every_country_exactly_once(world):
    table = country_data().states
    for column in ("gdp_usd_bn", "population_m", "milex_usd_bn", "energy_consumption_ej"):
        assert world.attributes[column].sum() == pytest.approx(table[column].sum())


def test_eu_group_matches_world_bank_aggregate(world):
    # WDI reports EU-27 GDP 2014 as US$15,763.6 bn; the group sums its 27 members.
    assert len(members("EUU")) == 27
    assert world.attributes["gdp_usd_bn"][3] == pytest.approx(15763.6, rel=0.001)


def test_known_2014_figures(world):
    gdp = dict(zip(world.ids, world.attributes["gdp_usd_bn"], strict=True))
    assert gdp["USA"] == pytest.approx(17608.1, rel=1e-4)
    # China-Russia goods trade 2014: Chinese customs US$95.4 bn, IMF DOTS 92.4 bn
    assert world.trade[1, 2] == pytest.approx(92.4, rel=0.01)


def test_dyadic_arrays_are_symmetric_with_sensible_ranges(world):
    for name in ("trade", "affinity", "allied", "distance"):
        matrix = getattr(world, name)
        assert np.allclose(matrix, matrix.T), name
    assert (world.affinity >= 0).all() and (world.affinity <= 1).all()
    assert np.diag(world.trade).sum() == 0


def test_nato_and_non_allied_pairs(world):
    allied = world.allied
    assert allied[0, 3] == 1  # USA-EUU through NATO (ATOP defence pledges)
    assert allied[0, 1] == 0 and allied[1, 2] == 0  # USA-CHN, CHN-RUS: no defence pledge
    assert allied[-1].sum() == 0  # the remainder is never allied


def test_affinity_orders_pairs_as_unga_votes_do(world):
    a = world.affinity
    assert a[1, 2] > a[0, 2]  # China-Russia agree more than USA-Russia
    assert a[0, 3] > a[0, 1]  # USA-EU more than USA-China


def test_capability_stock_is_perpetual_inventory():
    history = pd.DataFrame(
        {"iso3": ["A", "A", "B"], "year": [2013, 2014, 2014], "milex_usd_bn": [10.0, 20.0, 5.0]}
    )
    stock = capability_stock(history, ("A", "B", "C"), 2014, 1990, 0.5)
    assert stock == pytest.approx([20 + 10 * 0.5, 5.0, 0.0])


def test_packaged_files_exist_with_provenance():
    for name in ("states_2014.csv", "dyads_2014.csv", "milex_history.csv", "README.md"):
        assert (DATA / name).is_file()
