import numpy as np
import pytest

import sim
from sim.mechanisms import pipelines
from sim.mechanisms.pipelines import EJ_PER_BCM, Contract
from sim.model import WorldModel
from tests.conftest import SCENARIOS

from .conftest import run

EUROPE = {"ru_eu": {"exporter": "RUS", "importer": "EUU", "capacity_bcm": 164.0}}


def test_contract_ramps_linearly_and_ends():
    contract = Contract(0, 1, 38.0, first_gas=2019, ramp_years=6, end=2049)
    assert contract.volume(2018) == 0
    assert contract.volume(2019) == pytest.approx(38 / 6)
    assert contract.volume(2024) == pytest.approx(38.0)
    assert contract.volume(2049) == 0


def test_new_pipeline_raises_exporter_revenue_trade_and_affinity(make_model):
    deal = {
        "pos": {
            "kind": "pipeline",
            "year": 2014,
            "exporter": "RUS",
            "importer": "CHN",
            "capacity_bcm": 38.0,
            "first_gas": 2016,
            "ramp_years": 0,
        }
    }
    base = run(make_model(pipelines=EUROPE))
    piped = run(make_model(deal, pipelines=EUROPE))
    r, c = base.index["RUS"], base.index["CHN"]
    assert piped.gas_flow[r, c] == pytest.approx(38.0)
    assert piped.energy_production[r] == pytest.approx(base.energy_production[r] + 38 * EJ_PER_BCM)
    assert piped.gdp[r] > base.gdp[r]
    assert piped.trade[r, c] > base.trade[r, c]
    assert piped.affinity[r, c] > base.affinity[r, c]


def test_energy_embargo_cuts_gas_and_exporter_seeks_new_market(make_model):
    embargo = {
        "e": {
            "kind": "sanction",
            "year": 2014,
            "senders": ["EUU"],
            "target": "RUS",
            "sectors": {"energy": 1.0},
        }
    }
    no_concession = {"sanctions": {"concession_odds": 0.0}}
    model = run(make_model(embargo, no_concession, pipelines=EUROPE, years=12))
    r, eu = model.index["RUS"], model.index["EUU"]
    assert model.gas_flow[r, eu] == 0
    deals = [e for e in model.events_log if e[1] == "pipeline" and e[5] == "decision"]
    assert deals and all(e[2] == "RUS" for e in deals)
    assert model.gas_flow[r].sum() > 0  # some of the lost market replaced
    assert model.gas_import_cost[eu] > 0  # the importer pays to replace its gas


def test_contract_price_sets_the_pairs_revenue(make_model):
    def deal(price):
        return {
            "pos": {
                "kind": "pipeline",
                "year": 2014,
                "exporter": "RUS",
                "importer": "CHN",
                "capacity_bcm": 38.0,
                "first_gas": 2015,
                "price_usd_mmbtu": price,
            }
        }

    cheap, dear = (run(make_model(deal(p), years=3)) for p in (4.0, 12.0))
    r = cheap.index["RUS"]
    assert dear.gas_price[r, cheap.index["CHN"]] == 12.0
    assert dear.energy_revenue[r] - cheap.energy_revenue[r] == pytest.approx(
        38 * 37.91e6 * 8.0 / 1e9, rel=1e-6
    )
    assert dear.gdp[r] > cheap.gdp[r]


def test_no_line_joins_states_without_a_route():
    result = sim.run(SCENARIOS / "backtest_2014.yaml", runs=12, seed=3)
    events = result.events
    decided = events[(events["kind"] == "pipeline") & (events["origin"] == "decision")]
    assert len(decided) > 0
    model = WorldModel(result.scenario, rng=np.random.default_rng(0))
    s = model.ensemble.state
    for exporter, importer in zip(decided["source"], decided["target"], strict=True):
        e, i = model.index[exporter], model.index[importer]
        assert s.land_border[e, i] or s.sea_route[e, i], (exporter, importer)
    # Russia and Saudi Arabia share no border and no water, and every land route to
    # Saudi Arabia crosses a state of ROW, which lets no line through
    rus, sau = model.index["RUS"], model.index["SAU"]
    assert not s.land_border[rus, sau] and not s.sea_route[rus, sau]
    assert not pipelines.has_route(model.ensemble, 0, rus, sau)


def test_a_line_crosses_a_transit_state_only_if_it_is_willing(make_model):
    free = make_model(parameters={"pipelines": {"min_affinity": 0.0}}, years=1)
    strict = make_model(parameters={"pipelines": {"min_affinity": 1.0}}, years=1)
    tkm, chn, kaz = (free.index[c] for c in ("TKM", "CHN", "KAZ"))
    s = free.ensemble.state
    assert not s.land_border[tkm, chn] and not s.sea_route[tkm, chn]
    assert s.land_border[tkm, kaz] and s.land_border[kaz, chn]
    assert pipelines.has_route(free.ensemble, 0, tkm, chn)  # through Kazakhstan
    assert not pipelines.has_route(strict.ensemble, 0, tkm, chn)  # Kazakhstan unwilling
