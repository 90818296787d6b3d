import numpy as np
import pytest

from sim.mechanisms.sanctions import energy_trade_share, pair_intensity, trade_cut
from sim.mechanisms.trade import diversion, gravity_path

from .conftest import run

NO_DECISIONS = {
    "arms": {"choice_odds": 0},
    "alliances": {"formation_odds": 0, "termination_odds": 0},
    "exercises": {"rate": 0},
    "ideal_points": {"hold": True},
    "sanctions": {"decide": False, "ending_odds": 0.0},
}


def test_gravity_path_keeps_trade_to_gdp_constant():
    trade0 = np.array([[0.0, 10.0], [10.0, 0.0]])
    path = gravity_path(trade0, np.array([4.0, 1.0]), np.array([1.0, 1.0]))
    assert path[0, 1] == pytest.approx(20.0)  # √(4 × 1) = 2


def test_trade_cut_combines_sectors_multiplicatively():
    sanctions = np.zeros((1, 5, 2, 2))  # one run
    sanctions[0, 0, 0, 1] = 0.5  # trade
    sanctions[0, 1, 1, 0] = 1.0  # finance, the other direction
    weights = np.array([[1.0, 0.2, 0.3, 0.1, 0.0]])
    cut = trade_cut(pair_intensity(sanctions), weights, np.zeros((1, 2, 2)))[0]
    assert cut[0, 1] == pytest.approx(1 - 0.5 * 0.8) and cut[1, 0] == cut[0, 1]


def test_energy_sanctions_cut_only_the_energy_share():
    sanctions = np.zeros((1, 5, 2, 2))  # one run
    sanctions[0, 2, 0, 1] = 0.67  # energy (REPowerEU's two thirds)
    sanctions[0, 0, 0, 1] = 0.5  # trade
    weights = np.array([[0.58, 0.8, 1.0, 0.1, 0.0]])
    share = np.full((1, 2, 2), 0.4)
    cut = trade_cut(pair_intensity(sanctions), weights, share)[0]
    non_energy, energy = 1 - 0.58 * 0.5, 1 - 0.67
    assert cut[0, 1] == pytest.approx(1 - (0.6 * non_energy + 0.4 * energy))
    # the energy share of what is left falls from 0.4
    assert 0.4 * energy / (1 - cut[0, 1]) < 0.4
    # a pair without energy trade loses nothing to an energy embargo
    sanctions[0, 0] = 0
    assert trade_cut(pair_intensity(sanctions), weights, np.zeros((1, 2, 2)))[0, 0, 1] == 0


def test_energy_share_is_the_exporters_energy_share_of_exports():
    trade = np.array([[0, 100, 100], [100, 0, 100], [100, 100, 0]], float)  # exports 100 each
    share = energy_trade_share(trade, np.array([70.0, -30.0, 250.0]))
    assert share[0, 1] == pytest.approx(0.35)  # (0.7 + 0) / 2
    assert share[0, 2] == pytest.approx(0.85)  # (0.7 + 1) / 2: clipped at 1
    assert np.allclose(share, share.T)


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


def test_diversion_never_returns_through_the_pair_that_cut():
    gravity = np.array([[0, 100, 50, 50], [100, 0, 0, 0], [50, 0, 0, 0], [50, 0, 0, 0]], float)
    cut = np.zeros((4, 4))
    cut[0, 1] = cut[1, 0] = 0.6
    affinity = np.full((4, 4), 0.5)
    moved = diversion(gravity, cut, affinity, share=0.5)
    assert moved[0, 1] == 0  # the partner that cut still trades, but gets none of the loss
    assert moved[0].sum() == pytest.approx(0.5 * 60)
    assert moved[1].sum() == 0  # 1 has no third country to turn to


COMPREHENSIVE = {
    "kind": "sanction",
    "year": 2014,
    "senders": ["EUU"],
    "target": "RUS",
    "sectors": {"trade": 1.0, "finance": 1.0, "technology": 1.0, "energy": 1.0, "arms": 1.0},
}
NO_CONCESSION = {**NO_DECISIONS, "sanctions": {**NO_DECISIONS["sanctions"], "concession_odds": 0.0}}


@pytest.fixture(params=[0, 1, 2])
def comprehensive(request, make_model):
    """A no-sanctions run and a comprehensive EU embargo on Russia, on a common seed."""
    kwargs = {"parameters": NO_CONCESSION, "years": 2, "seed": request.param, "quiet": False}
    base = run(make_model(**kwargs))
    hit = run(make_model(events={"embargo": COMPREHENSIVE}, **kwargs))
    return base, hit


def test_comprehensive_sanctions_with_an_energy_cut_cut_trade_as_documented(comprehensive):
    base, hit = comprehensive
    r, eu = base.index["RUS"], base.index["EUU"]
    energy = base.energy_trade_share[r, eu]
    # Energy's share of EU-Russia two-way trade around 2014 (Eurostat): EU imports were 65% of
    # the pair's trade in the first half of 2014 (exports EUR 43.6 bn, deficit EUR 38.6 bn, so
    # imports EUR 82.2 bn; Eurostat estimates of 18 August 2014); energy was 77% of EU imports
    # from Russia in 2011 and more than two thirds in 2017 (the 2014 share itself is not
    # verified here); manufactures were almost 90% of EU exports to Russia in 2017, so
    # energy is at most the remaining ~15% of them. Hence 0.65 x 2/3 = 0.43 to
    # 0.65 x 0.77 + 0.35 x 0.15 = 0.55. The model gives 0.5.
    assert 0.43 < energy < 0.55
    # What the pair keeps within two years, net of its gravity path (both GDPs at the start of
    # the second year) and of lost affinity (trade scales with 1 + affinity_elasticity (a - a0)).
    gdp = {m: m.gdp / (1 + m.growth) for m in (base, hit)}
    gravity = np.sqrt(gdp[hit][r] * gdp[hit][eu] / (gdp[base][r] * gdp[base][eu]))
    elasticity = base.params.trade.affinity_elasticity
    politics = (1 + elasticity * (hit.affinity[r, eu] - hit.affinity0[r, eu])) / (
        1 + elasticity * (base.affinity[r, eu] - base.affinity0[r, eu])
    )
    kept = hit.trade[r, eu] / base.trade[r, eu] / (gravity * politics)
    # At most what the lower, country-level estimate leaves: complete trade sanctions erode
    # 58% of non-energy trade (Kwon, Nagengast, Yoon & Yotov 2026, Bundesbank DP 2026-6), a
    # full energy cut all energy trade.
    documented = (1 - energy) * (1 - 0.58)
    # At least what the largest cited stops leave: 80% of banned goods' trade (Miromanova
    # 2018, Russia's 2014 food embargo), 50% through finance (a judgement anchored on Crozet
    # & Hinz 2020, Economic Policy 35(101): most Western exports lost in 2014-15 were goods no
    # sanction targeted) and 10% through technology (assumption): 4.5% of the pair's trade.
    # The deviation from gravity is a share of the gravity path, so a shrinking economy does
    # not deepen the cut: the model keeps 0.0461-0.0464 on seeds 0-7 (diversion adds a little).
    largest = (1 - energy) * (1 - 0.8) * (1 - 0.5) * (1 - 0.1)
    assert largest <= kept <= documented


def test_comprehensive_sanctions_divert_trade_to_third_countries(comprehensive):
    base, hit = comprehensive
    r, eu = base.index["RUS"], base.index["EUU"]
    for third in ("CHN", "IND", "KAZ"):
        k = base.index[third]
        assert hit.trade[r, k] > base.trade[r, k]  # Russia turns to others
    assert hit.trade[eu, base.index["USA"]] > base.trade[eu, base.index["USA"]]
