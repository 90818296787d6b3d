"""Simultaneous decisions: every state chooses on the start-of-year world; conflicts by rule."""

import copy

import numpy as np
import pytest
from mesa.agentset import AgentSet

from sim.agents import rows
from sim.mechanisms import alliances, arms, draws, pipelines
from sim.mechanisms.affinity import Shifts
from sim.year import decide

from .conftest import run

WESTERN_SANCTIONS = {
    "west": {
        "kind": "sanction",
        "year": 2014,
        "senders": ["USA", "EUU"],
        "target": "RUS",
        "sectors": {"finance": 0.5, "technology": 0.5},
    }
}


def _snapshot(model):
    return {
        name: copy.deepcopy(getattr(model, name))
        for name in ("affinity", "allied", "sanctions", "countering", "gas_price", "capability")
    } | {"log": len(model.events_log), "contracts": len(model.contracts)}


def _same(a, b):
    return all(
        np.array_equal(a[k], b[k]) if isinstance(a[k], np.ndarray) else a[k] == b[k] for k in a
    )


def test_deciding_changes_nothing_until_the_choices_are_carried_out(make_model):
    model = make_model(WESTERN_SANCTIONS, years=6, quiet=False)
    for _ in range(3):
        model.step()
    before = _snapshot(model)
    decide(model.ensemble)
    assert _same(before, _snapshot(model))


def test_choices_do_not_depend_on_the_order_of_the_agents(make_model):
    model = make_model(
        WESTERN_SANCTIONS, years=6, quiet=False, parameters={"arms": {"choice_odds": 1000.0}}
    )
    for _ in range(2):
        model.step()
    state = copy.deepcopy(model.rng.bit_generator.state)
    listed = decide(model.ensemble)
    model.rng.bit_generator.state = state
    reversed_set = AgentSet(list(model.deciding)[::-1], random=model.random)
    model.ensemble.deciding = rows(reversed_set, model.n)
    backwards = decide(model.ensemble)
    for name in ("arms_offers", "exercises"):
        for mine, theirs in zip(getattr(listed, name), getattr(backwards, name), strict=True):
            assert np.array_equal(mine, theirs)
    assert np.array_equal(listed.pledges.formed[0], backwards.pledges.formed[0])


def test_a_run_is_the_same_whatever_the_order_of_the_agents(make_model):
    listed = run(make_model(WESTERN_SANCTIONS, years=8, quiet=False, seed=4))
    shuffled = make_model(WESTERN_SANCTIONS, years=8, quiet=False, seed=4)
    reversed_set = AgentSet(list(shuffled.deciding)[::-1], random=shuffled.random)
    shuffled.ensemble.deciding = rows(reversed_set, shuffled.n)
    run(shuffled)
    assert np.array_equal(listed.gdp, shuffled.gdp)
    assert np.array_equal(listed.affinity, shuffled.affinity)
    assert list(listed.events_log) == list(shuffled.events_log)


def test_two_sellers_courting_one_buyer_both_sign(make_model):
    model = make_model(years=2)
    usa, rus, ind = (model.index[s] for s in ("USA", "RUS", "IND"))
    threat_before = model.affinity.copy()
    world = model.ensemble
    world.state.arms_since[0, [usa, rus], ind] = arms.NEVER  # both begin a relation
    shifts = Shifts(world.state.affinity.shape)
    arms.carry_out(world, (np.array([0, 0]), np.array([usa, rus]), np.array([ind, ind])), shifts)
    shifts.apply(world)
    sales = [e for e in model.events_log if e[1] == "arms_sale"]
    assert [(e[2], e[3]) for e in sales] == [("USA", "IND"), ("RUS", "IND")]
    value = arms.delivery_sizes()["new"]  # two new relations: the record's mean delivery
    assert [e[4] for e in sales] == pytest.approx([value, value])
    gain = model.params.arms.affinity_gain
    for seller in (usa, rus):
        assert model.affinity[seller, ind] == pytest.approx(
            min(threat_before[seller, ind] + gain, 1.0)
        )
    assert len(model.deliveries.seller) == 2


def test_an_importer_courted_by_two_exporters_splits_its_unmet_demand(make_model):
    model = make_model(
        pipelines={
            "ru_eu": {"exporter": "RUS", "importer": "EUU", "capacity_bcm": 100.0},
            "kz_eu": {"exporter": "KAZ", "importer": "EUU", "capacity_bcm": 60.0},
        },
        years=3,
    )
    rus, kaz, eu, chn = (model.index[s] for s in ("RUS", "KAZ", "EUU", "CHN"))
    model.between[2, rus, eu] = model.between[2, eu, rus] = 1.0  # an energy embargo both ways
    model.between[2, kaz, eu] = model.between[2, eu, kaz] = 1.0
    for e in (rus, kaz):
        model.affinity[e, :] = model.affinity[:, e] = 0.0
        model.affinity[e, e] = 1.0
        model.affinity[e, chn] = model.affinity[chn, e] = 0.9  # both court China
    world = model.ensemble
    lacking = world.state.gas_consumption.copy()  # shared by the runs: replaced, not written
    lacking[chn] = model.gas_production[chn] + 40.0  # China lacks 40 bcm
    world.state.gas_consumption = lacking
    deciding = model.acts.copy()
    run, exporter, importer, volume = pipelines.seek_pipelines(world, deciding)
    assert set(run.tolist()) == {0}
    assert sorted(exporter.tolist()) == sorted([rus, kaz]) and set(importer.tolist()) == {chn}
    assert volume.sum() == pytest.approx(40.0)
    share = model.params.pipelines.deal_share
    # each offers part of what it lost, at most what China lacks: 40 and 30 bcm
    offers = {rus: min(share * 100.0, 40.0), kaz: min(share * 60.0, 40.0)}
    for e, v in zip(exporter.tolist(), volume.tolist(), strict=True):
        assert v == pytest.approx(40.0 * offers[e] / sum(offers.values()))


def test_each_pair_draws_its_pledge_once_a_year(make_model):
    model = make_model(parameters={"alliances": {"formation_odds": 1000.0}}, years=1)
    pledges = alliances.review_alliances(model.ensemble, model.acts.copy())
    _, a, b = pledges.formed
    assert len(a) > 0 and np.all(a < b)  # each unordered pair once, as (lower, higher)
    assert not np.any(model.allied[a, b])  # only unallied pairs form
    alliances.carry_out(model.ensemble, pledges)
    formed = [(e[2], e[3]) for e in model.events_log if e[1] == "alliance_formed"]
    assert len(formed) == len({frozenset(pair) for pair in formed}) == len(a)
    for x, y in formed:
        assert model.allied[model.index[x], model.index[y]] == 1


def test_a_conceding_target_drops_its_counter_sanctions_and_answers_nobody(make_model):
    sure = {"counter_probability": 1.0, "concession_odds": 0.0}
    model = make_model(WESTERN_SANCTIONS, parameters={"sanctions": sure}, years=4)
    model.step()  # Russia does not concede: it answers both senders
    rus, usa, eu = (model.index[s] for s in ("RUS", "USA", "EUU"))
    assert model.countering[rus, usa] and model.countering[rus, eu]
    model.ensemble.params.sanctions.concession_odds[...] = 1e6
    model.step()  # now it concedes for certain
    assert model.sanctions[:, usa, rus].max() == 0 and model.sanctions[:, eu, rus].max() == 0
    assert not model.countering[rus].any() and model.sanctions[:, rus].max() == 0
    year = {e[1:4] for e in model.events_log if e[0] == model.year}
    assert {("sanction_success", "USA", "RUS"), ("sanction_success", "EUU", "RUS")} <= year
    assert {("sanction_lifted", "RUS", "USA"), ("sanction_lifted", "RUS", "EUU")} <= year
    assert not any(kind == "counter_sanction" for kind, _, _ in year)


def test_affinity_shifts_of_a_year_add_up_and_are_applied_once_within_bounds(make_model):
    model = make_model(years=1)
    a, b = model.index["CHN"], model.index["RUS"]
    start = model.affinity[a, b]
    world, run = model.ensemble, np.array([0])
    shifts = Shifts(world.state.affinity.shape)
    shifts.add((run, np.array([a]), np.array([b])), 0.02)
    shifts.add((run, np.array([b]), np.array([a])), 0.03)  # the same pair, the other way round
    shifts.apply(world)
    assert model.affinity[a, b] == model.affinity[b, a] == pytest.approx(start + 0.05)
    shifts.add((np.array([0, 0]), np.array([a, a]), np.array([b, b])), 1.0)
    shifts.apply(world)
    assert model.affinity[a, b] == 1.0


def test_draws_follow_row_order_and_draw_nothing_when_nothing_is_eligible():
    rng = np.random.default_rng(1)
    state = copy.deepcopy(rng.bit_generator.state)
    _, chosen, _ = draws.pairs([rng], np.zeros((1, 3, 3), bool), np.array([0.5]))
    assert len(chosen) == 0 and rng.bit_generator.state == state
    eligible = np.array([[[False, True, True], [True, False, False], [False, False, False]]])
    _, chosen, cols = draws.pairs([np.random.default_rng(2)], eligible, np.array([1.0]))
    assert list(zip(chosen.tolist(), cols.tolist(), strict=True)) == [(0, 1), (0, 2), (1, 0)]
    chance = np.where(eligible, 0.0, 1.0)
    assert len(draws.pairs([np.random.default_rng(2)], eligible, chance)[0]) == 0
