import numpy as np
import pytest

from .conftest import run

NO_CONCESSION = {"sanctions": {"concession_odds": 0.0}}
SANCTION = {"kind": "sanction", "year": 2014, "senders": ["USA", "EUU"], "target": "RUS"}


def sanction(**sectors):
    return {"s": {**SANCTION, "sectors": sectors}}


def test_sanctions_cut_trade_with_senders_and_divert_it(make_model):
    base = run(make_model())
    hit = run(make_model(sanction(trade=0.5), NO_CONCESSION))
    i = {s: k for k, s in enumerate(base.ids)}
    # a trade sanction of intensity 0.5 stops 0.58 x 0.5 of the pair's non-energy trade
    # (Kwon et al. 2026: complete trade sanctions erode 58%); lost affinity adds to it
    energy = base.energy_trade_share[i["RUS"], i["EUU"]]
    documented = 1 - 0.58 * 0.5 * (1 - energy)
    assert hit.trade[i["RUS"], i["EUU"]] < documented * base.trade[i["RUS"], i["EUU"]]
    assert hit.trade[i["RUS"], i["CHN"]] > base.trade[i["RUS"], i["CHN"]]
    assert hit.gdp[i["RUS"]] < base.gdp[i["RUS"]]
    assert hit.gdp[i["EUU"]] < base.gdp[i["EUU"]]  # senders pay too


def test_stronger_sanctions_cost_more(make_model):
    r = make_model().index["RUS"]
    gdp = [
        run(make_model(sanction(finance=x, trade=x), NO_CONCESSION)).gdp[r] for x in (0.0, 0.3, 0.6)
    ]
    assert gdp[0] > gdp[1] > gdp[2]


def test_target_answers_with_counter_sanctions(make_model):
    model = run(
        make_model(sanction(finance=0.5), {"sanctions": {"counter_probability": 1.0}}, years=2)
    )
    r, eu = model.index["RUS"], model.index["EUU"]
    assert model.sanctions[0, r, eu] == pytest.approx(0.3 * 0.5)
    kinds = [e[1] for e in model.events_log]
    assert "counter_sanction" in kinds


def test_lifting_restores_and_counters_are_dropped(make_model):
    events = sanction(finance=0.5)
    events["s"]["end"] = 2016
    model = run(make_model(events, {"sanctions": {"counter_probability": 1.0}}, years=4))
    assert model.sanctions.sum() == 0
    assert [e[1] for e in model.events_log].count("sanction_lifted") >= 3


def test_sanctions_push_affinity_apart_and_target_toward_others(make_model):
    base = run(make_model())
    hit = run(make_model(sanction(finance=0.5), NO_CONCESSION))
    r, eu, chn = (base.index[s] for s in ("RUS", "EUU", "CHN"))
    assert hit.affinity[r, eu] < base.affinity[r, eu] - 0.05
    assert hit.affinity[r, chn] > base.affinity[r, chn]
    assert np.allclose(hit.affinity, hit.affinity.T)


def test_a_costly_sanction_can_succeed(make_model):
    certain = {"sanctions": {"concession_odds": 1e6}}
    model = make_model(sanction(finance=1.0, trade=1.0), certain, years=3)
    run(model)
    kinds = [e[1] for e in model.events_log]
    assert "sanction_success" in kinds
    r = model.index["RUS"]
    assert model.sanctions[:, :, r].sum() == 0  # every sender lifted


def test_a_strong_autocratic_target_concedes_rarely_and_less_as_years_pass(make_model):
    from sim.mechanisms.sanctions import concession_chance

    model = make_model(sanction(finance=0.3, technology=0.3), years=3)
    world, rus = model.ensemble, model.index["RUS"]
    pressing = world.state.sanctions.max(axis=-3) > 0
    first = concession_chance(world, pressing)[0, rus]
    # TIES, cases imposed 1990-2005: Russia under US sanctions in 2014 concedes with
    # about 2.3% a year at first (docs/estimation.md); the model's own CINC gives it
    # a different share of the pair's, so the band is wide on both sides
    assert 0.01 < first < 0.05
    world.state.sanction_years[...] = 10.0
    later = concession_chance(world, pressing)[0, rus]
    assert later < first / 3  # log_years: -0.78 a log-year
