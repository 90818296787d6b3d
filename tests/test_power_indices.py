"""Power under every index, and polarity with its fragility (docs/model.md#power-and-polarity)."""

import itertools

import numpy as np
import pandas as pd
import pytest

from sim import api, metrics
from sim.analysis.indices import by_index, comparison_lines, fragility
from sim.analysis.summary import format_table, major_states
from sim.mechanisms.power import INDICES
from sim.scenario.power_parameters import Power


@pytest.fixture(scope="module")
def start():
    """The baseline's 2014 row and first year, central values."""
    return api.run(
        "scenarios/baseline.yaml",
        runs=1,
        years=1,
        out=None,
        jobs=1,
        overrides=["uncertainties=null"],
    )


def _shares(results, index: str) -> dict[str, float]:
    rows = results.states[results.states["year"] == 2014]
    return dict(zip(rows["state"].astype(str), rows[f"{index}_share"], strict=True))


def test_the_default_is_military_capability_and_classes_2014_unipolar(start):
    # Wohlforth 1999, Monteiro 2014, Brooks & Wohlforth 2016: the world of 2014 is unipolar
    assert Power().index == "capability"
    first = start.system[start.system["year"] == 2014].iloc[0]
    assert first["polarity"] == "unipolar"
    assert first["leader"] == "USA"
    assert not first["polarity_fragile"]  # the same at every threshold in the bands
    assert start.summary["polarity_final"]["unipolar"] == 1.0


@pytest.mark.parametrize(
    ("index", "polarity", "leader"),
    [
        ("capability", "unipolar", "USA"),
        ("net", "bipolar", "USA"),  # the EU-27 as one state is the second pole
        ("composite", "multipolar", "USA"),
        ("cinc", "bipolar", "CHN"),
        ("gdp", "multipolar", "USA"),
    ],
)
def test_each_index_classes_2014_as_the_documented_table_says(start, index, polarity, leader):
    first = start.system[start.system["year"] == 2014].iloc[0]
    assert first[f"polarity_{index}"] == polarity
    assert first[f"leader_{index}"] == leader
    assert first[f"leader_share_{index}"] == pytest.approx(_shares(start, index)[leader])


def test_every_index_sums_to_one_with_row(start):
    totals = start.states.groupby("year")[[f"{i}_share" for i in INDICES]].sum()
    assert np.allclose(totals.to_numpy(), 1.0)


@pytest.mark.parametrize(
    ("state", "nmc"),
    # Correlates of War NMC v6.0, CINC in 2014 (Singer, Bremer & Stuckey 1972; Greig &
    # Enterline 2021); the model takes military spending from SIPRI instead of NMC
    [("CHN", 0.2287), ("USA", 0.1294), ("IND", 0.0836), ("RUS", 0.0392), ("JPN", 0.0336)],
)
def test_cinc_shares_match_nmc_2014(start, state, nmc):
    assert _shares(start, "cinc")[state] == pytest.approx(nmc, rel=0.1)


def test_gdp_shares_are_world_bank_2014(start):
    # World Bank WDI, GDP in current US$, 2014: USA 17.6, EU-27 15.8, China 10.7 of 79.4 tn
    gdp = _shares(start, "gdp")
    assert 0.21 < gdp["USA"] < 0.235
    assert 0.185 < gdp["EUU"] < 0.21
    assert 0.125 < gdp["CHN"] < 0.145


def test_capability_stock_widens_the_lead_of_2014_spending(start):
    # SIPRI (2025 release), shares of 2014 military spending: USA 36.9%, China 10.4%.
    # Decades of spending more (the USA) or less (China, growing fast) than in 2014 put
    # the stock's shares on either side of the year's.
    capability = _shares(start, "capability")
    assert 0.369 < capability["USA"] < 0.47
    assert 0.04 < capability["CHN"] < 0.104
    assert capability["USA"] / capability["EUU"] > 2.0  # unipolar by the model's rule


def test_net_power_is_gdp_times_gdp_per_capita_with_row_summed(start):
    rows = start.states[start.states["year"] == 2014].set_index("state")
    net = rows["gdp_usd_bn"] ** 2 / rows["population_m"]
    shares = _shares(start, "net")
    # Beckley 2018: GDP × GDP per capita; between states the ratio is that of GDP²/population
    assert shares["USA"] / shares["EUU"] == pytest.approx(net["USA"] / net["EUU"], rel=1e-9)
    assert shares["USA"] / shares["EUU"] == pytest.approx(1.73, abs=0.02)
    # ROW, not a state, counts with its countries' summed net power (20%), not with one
    # country's holding all their output and people (5%)
    assert 0.15 < shares["ROW"] < 0.25
    assert shares["ROW"] > 3 * net["ROW"] / net.sum()


def test_composite_weighs_capability_gdp_energy_and_population(start):
    rows = start.states[start.states["year"] == 2014]
    share = {
        col: rows[col] / rows[col].sum()
        for col in ("capability", "gdp_usd_bn", "energy_consumption_ej", "population_m")
    }
    expected = (
        share["capability"] / 3
        + share["gdp_usd_bn"] / 6
        + share["energy_consumption_ej"] / 6
        + share["population_m"] / 3
    )
    assert rows["composite_share"].to_numpy() == pytest.approx(expected.to_numpy())


def test_row_is_never_a_leader_or_pole(start):
    for index in INDICES:
        assert (start.system[f"leader_{index}"] != "ROW").all()


def test_summary_reports_every_index(start):
    table = start.summary["polarity_by_index"]
    assert list(table) == list(INDICES)
    assert table["cinc"]["leader"] == {"CHN": 1.0}
    text = format_table(start.summary, major_states(start.scenario))
    assert "military capability*" in text and "net power" in text and "CINC" in text


# ------------------------------------------------------------------ fragility


def test_a_runner_up_just_below_the_pole_line_is_fragile():
    # one pole at 10%: unipolar; at 8% the runner-up is a second pole, 1.6x behind: bipolar
    shares = np.array([0.15, 0.095, 0.05, 0.05])
    low, high, fragile = metrics.polarity_band(shares, 0.1, 0.02, 2.0, 0.2)
    assert metrics.polarity(shares, 0.1, 2.0) == "unipolar"
    assert (low, high, fragile) == ("bipolar", "unipolar", True)


def test_a_runner_up_well_above_the_pole_line_is_robust():
    shares = np.array([0.30, 0.20, 0.05, 0.05])
    low, high, fragile = metrics.polarity_band(shares, 0.1, 0.02, 2.0, 0.2)
    assert (low, high, fragile) == ("bipolar", "bipolar", False)


def test_a_lead_just_above_the_unipolar_ratio_is_fragile():
    shares = np.array([0.42, 0.20, 0.05])  # 2.1x: unipolar at 2, bipolar at 2.2
    assert metrics.polarity_band(shares, 0.1, 0.02, 2.0, 0.2)[2]
    assert not metrics.polarity_band(shares, 0.1, 0.02, 2.0, 0.0)[2]


def test_fragility_is_what_every_threshold_in_the_band_says():
    rng = np.random.default_rng(7)
    shares = rng.dirichlet(np.full(6, 0.6), size=400)
    _, _, fragile = metrics.polarity_band(shares, 0.1, 0.02, 2.0, 0.2)
    headline = metrics.polarity(shares, 0.1, 2.0)
    thresholds = np.unique(np.concatenate([np.linspace(0.08, 0.12, 81), shares.ravel()]))
    thresholds = thresholds[(thresholds >= 0.08) & (thresholds <= 0.12)]
    brute = np.zeros(len(shares), bool)
    for t, r in itertools.product(thresholds, np.linspace(1.8, 2.2, 41)):
        brute |= metrics.polarity(shares, t, r) != headline
    assert fragile.tolist() == brute.tolist()
    assert 0 < fragile.sum() < len(shares)  # the test sees both answers


def test_summary_flags_a_fragile_headline_and_leads_with_the_measures():
    final = pd.DataFrame(
        {
            "polarity_fragile": [True, False, False, False],
            "polarity_low": ["bipolar", "unipolar", "unipolar", "unipolar"],
            "polarity_high": ["unipolar"] * 4,
        }
    )
    out = fragility(final, 0.1, 0.02, 2.0, 0.2)
    assert out["fragile"] and out["runs_changing"] == 0.25
    assert out["band"] == pytest.approx([0.08, 0.12])
    assert out["polarity_low"]["bipolar"] == 0.25
    assert not fragility(final.assign(polarity_fragile=False), 0.1, 0.02, 2.0, 0.2)["fragile"]


def test_printed_summary_puts_concentration_first_when_fragile():
    # the composite classes 2014 multipolar, and bipolar at a 12% pole line
    results = api.run(
        "scenarios/baseline.yaml",
        runs=2,
        years=1,
        out=None,
        jobs=1,
        overrides=["uncertainties=null", "parameters.power.index=composite"],
    )
    assert results.summary["polarity_fragility"]["fragile"]
    text = format_table(results.summary, major_states(results.scenario))
    assert "FRAGILE" in text
    assert text.index("Concentration (CON)") < text.index("Polarity in")


def test_by_index_reads_outcome_tables_without_leader_shares():
    final = pd.DataFrame(
        {
            f"{kind}_{i}": v
            for i in INDICES
            for kind, v in (("polarity", ["bipolar"] * 2), ("leader", ["USA", "CHN"]))
        }
    )
    table = by_index(final)
    assert table["gdp"]["polarity"] == {"unipolar": 0.0, "bipolar": 1.0, "multipolar": 0.0}
    assert table["gdp"]["leader"] == {"USA": 0.5, "CHN": 0.5}
    assert "leader_share" not in table["gdp"]


def test_comparison_shows_each_index_side_by_side():
    runs = {
        "a": pd.DataFrame(
            {
                **{f"polarity_{i}": ["unipolar", "unipolar"] for i in INDICES},
                **{f"leader_{i}": ["USA", "USA"] for i in INDICES},
            }
        ),
        "b": pd.DataFrame(
            {
                **{f"polarity_{i}": ["bipolar", "unipolar"] for i in INDICES},
                **{f"leader_{i}": ["CHN", "CHN"] for i in INDICES},
            }
        ),
    }
    lines = comparison_lines({"year": 2040, "by_index": {k: by_index(v) for k, v in runs.items()}})
    assert lines[0].startswith("Polarity and leader in 2040 under each power index")
    net = next(line for line in lines if "net power" in line)
    assert "unipolar 100%, USA 100%" in net and "CHN 100%" in net
    assert len(lines) == 2 + len(INDICES)
