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
    r, eu = i["RUS"], i["EUU"]
    # What the pair keeps, net of the two channels that come on top of the sanction's own
    # cut: its gravity path (both GDPs, at the start of the last year) and lost affinity
    # (trade scales with 1 + affinity_elasticity x (a - a0) in both runs).
    gdp = {m: m.gdp / (1 + m.growth) for m in (base, hit)}
    gravity = np.sqrt(gdp[hit][r] * gdp[hit][eu] / (gdp[base][r] * gdp[base][eu]))
    elasticity = base.params.trade.affinity_elasticity
    politics = (1 + elasticity * (hit.affinity[r, eu] - hit.affinity0[r, eu])) / (
        1 + elasticity * (base.affinity[r, eu] - base.affinity0[r, eu])
    )
    kept = hit.trade[r, eu] / base.trade[r, eu] / (gravity * politics)
    # The sanction's own cut of the pair's non-energy trade (share 1 - e), at intensity 0.5
    # times: at least 58% (Kwon, Nagengast, Yoon & Yotov 2026, Bundesbank DP 2026-6:
    # complete trade sanctions erode about 58% of bilateral trade); at most 80%, the largest
    # stop documented (Miromanova 2018: Russia's 2014 food embargo cut imports of the banned
    # goods by more than 80%). Diversion only adds to the pair (trade other senders lose with
    # Russia), and the final affinity is a year past the one trade last saw, which understates
    # the politics factor: both err toward the 58% side. The model keeps 0.82 (0.81-0.82 on
    # seeds 0-11).
    energy = base.energy_trade_share[r, eu]
    assert 1 - 0.8 * 0.5 * (1 - energy) <= kept <= 1 - 0.58 * 0.5 * (1 - energy)
    assert politics < 1  # lost affinity adds to the cut
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
