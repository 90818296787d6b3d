"""Pipeline geography: routes over COW contiguity and the cost fit on built lines."""

import csv

import numpy as np
import pytest

from sim import routes
from sim.routes import (
    MAX_SUBSEA_KM,
    RESIDUAL_BAND_USD_BN,
    contiguity_matrices,
    cost_usd_bn,
    land_route,
    subsea_feasible,
)
from tests.conftest import ROOT


def _contiguity(a: str, b: str) -> set[int]:
    """COW contiguity types listed for a pair of countries in the packaged record."""
    codes = {}
    with (ROOT / "sim/data/behaviour/states.csv").open() as handle:
        for r in csv.DictReader(handle):
            codes[r["iso3"]] = int(r["ccode"])
    pair = {codes[a], codes[b]}
    with (ROOT / "sim/data/behaviour/contiguity.csv").open() as handle:
        return {
            int(r["conttype"])
            for r in csv.DictReader(handle)
            if {int(r["ccode1"]), int(r["ccode2"])} == pair
        }


@pytest.fixture(scope="module")
def east():
    states = ["USA", "CHN", "RUS", "JPN", "EUU"]
    land, sea = contiguity_matrices(states)
    return {s: i for i, s in enumerate([*states, "ROW"])}, land, sea


@pytest.fixture(scope="module")
def central_asia():
    states = ["CHN", "TKM", "KAZ", "UZB"]
    land, sea = contiguity_matrices(states)
    return {s: i for i, s in enumerate([*states, "ROW"])}, land, sea


def test_matrices_are_symmetric_rows_by_rows_with_row_last(east):
    row, land, sea = east
    assert land.shape == sea.shape == (len(row), len(row))
    assert (land == land.T).all() and (sea == sea.T).all()
    assert not land.diagonal().any() and np.isinf(sea.diagonal()).all()


def test_russia_and_japan_have_no_land_route(east):
    row, land, _ = east
    willing = np.ones(len(row), bool)
    willing[row["ROW"]] = False
    assert not land[row["RUS"], row["JPN"]]
    assert land_route(land, willing, row["RUS"], row["JPN"]) is None


def test_russia_and_japan_are_within_12_miles_of_water_in_cow(east):
    row, _, sea = east
    assert _contiguity("RUS", "JPN") == {2}  # La Perouse strait / Kurils: up to 12 miles
    assert sea[row["RUS"], row["JPN"]] == pytest.approx(12 * 1.609344)
    assert subsea_feasible(sea, row["RUS"], row["JPN"], MAX_SUBSEA_KM)


def test_rows_without_water_contiguity_have_no_subsea_route(east):
    row, _, sea = east
    assert _contiguity("RUS", "CHN") == {1}
    assert np.isinf(sea[row["RUS"], row["CHN"]])
    assert not subsea_feasible(sea, row["RUS"], row["CHN"])


def test_russia_to_china_is_direct(east):
    row, land, _ = east
    nobody = np.zeros(len(row), bool)
    assert land_route(land, nobody, row["RUS"], row["CHN"]) == [row["RUS"], row["CHN"]]


def test_turkmenistan_reaches_china_through_kazakhstan(central_asia):
    row, land, _ = central_asia
    willing = np.ones(len(row), bool)
    willing[row["ROW"]] = False
    route = land_route(land, willing, row["TKM"], row["CHN"])
    assert route == [row["TKM"], row["KAZ"], row["CHN"]]
    # Uzbekistan does not border China in COW: with Kazakhstan unwilling there is no route
    willing[row["KAZ"]] = False
    assert land_route(land, willing, row["TKM"], row["CHN"]) is None


def test_no_route_when_the_transit_rows_are_unwilling(central_asia):
    row, land, _ = central_asia
    assert land_route(land, np.zeros(len(row), bool), row["TKM"], row["CHN"]) is None


def test_max_subsea_is_the_tables_longest_subsea_line():
    with (ROOT / "sim/data/pipelines_built.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    longest = max(float(r["subsea_km"]) for r in rows if r["subsea_km"])
    assert MAX_SUBSEA_KM == longest == 1224.0


def test_the_fit_reproduces_the_published_costs_within_its_band():
    with (ROOT / "sim/data/pipelines_built.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["cost_usd_bn"]]
    assert len(rows) >= 5
    for r in rows:
        fitted = cost_usd_bn(float(r["length_km"]), float(r["capacity_bcm"]), float(r["subsea_km"]))
        assert abs(fitted - float(r["cost_usd_bn"])) < RESIDUAL_BAND_USD_BN, r["name"]
    _, residuals, _ = routes.fit_cost()
    assert np.abs(residuals).max() < RESIDUAL_BAND_USD_BN


def test_cost_grows_with_length_and_capacity_and_is_vectorised():
    assert cost_usd_bn(2000, 30) > cost_usd_bn(1000, 30) > cost_usd_bn(1000, 10) > 0
    np.testing.assert_allclose(
        cost_usd_bn(np.array([1000, 2000]), 10, 0), [cost_usd_bn(1000, 10), cost_usd_bn(2000, 10)]
    )
