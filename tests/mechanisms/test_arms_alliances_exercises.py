import numpy as np

from sim.mechanisms import arms
from sim.mechanisms.exercises import common_rivals
from sim.mechanisms.threat import same_main_threat, threat_from

from .conftest import run

KILO = {
    "kind": "arms_deal",
    "year": 2014,
    "seller": "RUS",
    "buyer": "VNM",
    "value_usd_bn": 2.0,
    "delivery_years": 3,
}
NO_DECISIONS = {
    "arms": {"choice_odds": 0},
    "alliances": {"formation_odds": 0, "termination_odds": 0},
    "exercises": {"rate": 0},
}


def test_threat_is_hostility_times_the_other_sides_share_of_capability():
    capability = np.array([1.0, 1.0, 3.0])
    hostility = np.array([[0, 0.2, 0.2], [0.2, 0, 0.05], [0.2, 0.05, 0]])
    theta = threat_from(capability, hostility)
    assert theta[0, 2] > theta[0, 1]  # stronger, equally hostile
    assert theta[1, 2] < theta[0, 2]  # as strong, less hostile
    assert theta[2, 0] < theta[0, 2]  # the weaker side poses less threat
    assert theta[0, 2] == 0.2 * 3 / 4
    assert np.all(np.diag(theta) == 0)


def test_states_share_a_threat_when_the_same_third_state_threatens_them_most():
    main_rival = np.array([2, 2, 0, 2])
    main_threat = np.array([0.3, 0.1, 0.2, 0.0])
    shared = same_main_threat(main_rival, main_threat)
    assert shared[0, 1] and shared[1, 0]  # both fear 2 most
    assert not shared[0, 3]  # 3 fears no one
    assert not shared[0, 2] and not shared[1, 2]  # 2 is the threat itself
    assert not shared.diagonal().any()


def test_arms_deal_delivers_capability_and_irritates_the_buyers_rival(make_model):
    base = run(make_model(parameters=NO_DECISIONS, years=4))
    sold = run(make_model({"kilo": KILO}, parameters=NO_DECISIONS, years=4))
    v, r = base.index["VNM"], base.index["RUS"]
    assert sold.capability[v] > base.capability[v] + 1.0
    assert sold.affinity[r, v] > base.affinity[r, v]
    rival = int(np.argmax(sold.threat[v]))
    assert sold.affinity[r, rival] < base.affinity[r, rival]
    delivered = [e for e in sold.events_log if e[1] == "arms_sale"]
    assert delivered[0][2:5] == ("RUS", "VNM", 2.0)


def test_sellers_offer_arms_of_their_own_accord(make_model):
    model = run(make_model(years=15, quiet=False))
    offers = [e for e in model.events_log if e[1] == "arms_sale" and e[5] == "decision"]
    assert offers
    assert {e[2] for e in offers} <= {model.ids[i] for i in np.nonzero(model.is_seller)[0]}


def test_alliance_event_forms_pledges_that_raise_affinity_and_trade(make_model):
    pact = {"pact": {"kind": "alliance", "year": 2014, "members": ["CHN", "RUS"]}}
    base = run(make_model(parameters=NO_DECISIONS))
    allied = run(make_model(pact, parameters=NO_DECISIONS))
    c, r = base.index["CHN"], base.index["RUS"]
    assert allied.allied[c, r] == 1 and base.allied[c, r] == 0
    assert allied.affinity[c, r] > base.affinity[c, r]
    assert allied.trade[c, r] > base.trade[c, r]


def test_states_form_and_end_alliances_themselves(make_model):
    certain = {"alliances": {"formation_odds": 1e3, "termination_odds": 1e3}}
    model = make_model(parameters=certain, years=1)
    model.step()
    kinds = {e[1] for e in model.events_log}
    assert {"alliance_formed", "alliance_broken"} <= kinds
    never = make_model(parameters=NO_DECISIONS, years=3)
    allied = never.allied.copy()
    run(never)
    np.testing.assert_array_equal(never.allied, allied)


def test_exercises_raise_affinity_and_readiness(make_model):
    sea = {"joint_sea": {"kind": "exercise", "year": 2014, "participants": ["CHN", "RUS"]}}
    base = run(make_model(parameters=NO_DECISIONS, years=1))
    drill = run(make_model(sea, parameters=NO_DECISIONS, years=1))
    c, r = base.index["CHN"], base.index["RUS"]
    assert drill.affinity[c, r] > base.affinity[c, r]
    assert drill.capability[r] > base.capability[r]


def test_an_exercising_pair_irritates_the_rival_that_most_threatens_both():
    threat = np.array(
        [
            [0.0, 0.0, 0.5, 0.1],
            [0.0, 0.0, 0.2, 0.3],  # 1 fears 3 most, but what 0 and 1 both fear most is 2
            [0.0, 0.0, 0.0, 0.0],  # 2 fears no one: no common rival with anyone
            [0.4, 0.0, 0.0, 0.0],
        ]
    )
    run = np.zeros(3, int)  # one run
    rival, has_rival = common_rivals(threat[None], run, np.array([0, 0, 2]), np.array([1, 3, 3]))
    assert rival[0] == 2  # 1 fears 3 more, but 0 and 1 both fear 2 more (0.2 > 0.1)
    assert has_rival.tolist() == [True, False, False]  # 0 and 3 fear no third state alike


def test_common_rivals_are_the_same_whatever_the_chunk():
    rng = np.random.default_rng(3)
    threat = np.where(rng.random((40, 40)) < 0.3, rng.random((40, 40)), 0.0)
    a, b = rng.integers(0, 40, 500), rng.integers(0, 40, 500)
    run = np.zeros(500, int)  # one run
    whole = common_rivals(threat[None], run, a, b, chunk=500)
    for chunk in (1, 7, 64):
        got_all = common_rivals(threat[None], run, a, b, chunk=chunk)
        for got, expected in zip(got_all, whole, strict=True):
            np.testing.assert_array_equal(got, expected)
    shared = np.minimum(threat[a], threat[b])
    np.testing.assert_array_equal(whole[0], shared.argmax(axis=1))


def test_no_seller_offers_arms_to_its_strategic_rival(make_model):
    model = make_model(parameters={"arms": {"choice_odds": 1000.0}}, years=1)
    offers = arms.offer_arms(model.ensemble, model.acts.copy())
    _, seller, buyer = offers
    assert len(seller) > 0
    assert not (model.rival[seller, buyer] >= 0.5).any()
    usa, chn = model.index["USA"], model.index["CHN"]
    assert model.rival[usa, chn] == 1  # the pair the rule keeps apart
