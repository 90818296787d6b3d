import numpy as np
import pytest

from sim.mechanisms.sanctions import trade_cut
from sim.mechanisms.trade import diversion, gravity_path

from .conftest import run

NO_DECISIONS = {
    "arms": {"offer_rate": 0},
    "alliances": {"form_rate": 0, "break_rate": 0},
    "exercises": {"rate": 0},
}


def test_gravity_path_keeps_trade_to_gdp_constant():
    trade0 = np.array([[0.0, 10.0], [10.0, 0.0]])
    path = gravity_path(trade0, np.array([4.0, 1.0]), np.array([1.0, 1.0]))
    assert path[0, 1] == pytest.approx(20.0)  # √(4 × 1) = 2


def test_trade_cut_combines_sectors_multiplicatively():
    sanctions = np.zeros((5, 2, 2))
    sanctions[0, 0, 1] = 0.5  # trade
    sanctions[1, 1, 0] = 1.0  # finance, the other direction
    weights = np.array([1.0, 0.2, 0.3, 0.1, 0.0])
    cut = trade_cut(sanctions, weights)
    assert cut[0, 1] == pytest.approx(1 - 0.5 * 0.8) and cut[1, 0] == cut[0, 1]


def test_diversion_reroutes_a_share_of_lost_trade_by_affinity():
    gravity = np.array([[0, 100, 50, 50], [100, 0, 0, 0], [50, 0, 0, 0], [50, 0, 0, 0]], float)
    cut = np.zeros((4, 4))
    cut[0, 1] = cut[1, 0] = 0.4
    affinity = np.array([[1, 0, 0.9, 0.3]] * 4, float)
    moved = diversion(gravity, cut, affinity, share=0.5)
    assert moved[0].sum() == pytest.approx(0.5 * 40)
    assert moved[0, 2] == pytest.approx(3 * moved[0, 3])  # 0.9 vs 0.3 affinity, same size
    assert moved[0, 1] == 0


def test_no_policy_means_trade_follows_gravity(make_model):
    model = run(make_model(parameters=NO_DECISIONS, years=5))
    # trade responds to the GDP at the start of the year (a one-year lag)
    expected = gravity_path(model.trade0, model.gdp / (1 + model.growth), model.gdp0)
    np.fill_diagonal(expected, 0)
    assert np.allclose(model.trade, expected)
    assert np.allclose(model.trade_gap, 0)
