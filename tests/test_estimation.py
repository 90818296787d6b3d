"""The estimated behaviour: the dyad-year panel, the shipped coefficient tables, the fits."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from sim.cli.main import main
from sim.estimation import panel, report
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def dyads() -> pd.DataFrame:
    return panel.build()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """``sim estimate`` into a temporary folder: the report and the coefficient tables."""
    folder = tmp_path_factory.mktemp("estimate")
    argv = ["estimate", "--out", str(folder / "estimation.md"), "--tables", str(folder)]
    assert main([*argv, "--no-plots"]) == 0
    return folder


@pytest.fixture(scope="module")
def estimates() -> report.Estimates:
    return report.estimate()


@pytest.mark.parametrize("name", report.MODELS)
def test_the_shipped_coefficients_are_what_the_command_estimates(written, name):
    shipped = pd.read_csv(ROOT / "sim" / "data" / "estimated" / f"{name}.csv")
    again = pd.read_csv(written / f"{name}.csv")
    assert list(again.columns) == ["term", "coef", "se", "z", "p"]
    assert list(again["term"]) == list(shipped["term"])
    for column in ("coef", "se", "z", "p"):
        np.testing.assert_allclose(again[column], shipped[column], rtol=1e-4, atol=1e-8)


def test_the_report_in_docs_is_the_one_the_command_writes(estimates):
    text = report.markdown(estimates, report.FIGURE.as_posix())
    assert (ROOT / "docs" / "estimation.md").read_text() == text


def test_the_universe_is_every_pair_of_system_members_with_the_zeros(dyads):
    states = panel.read("states")
    for year in (1990, 2005, 2014):
        n = (states["year"] == year).sum()
        assert (dyads["year"] == year).sum() == n * (n - 1) // 2
    one_year = dyads[dyads["year"] == 2005]
    assert 0 < one_year["onset"].sum() < 0.01 * len(one_year)  # mostly zeros
    assert not dyads.duplicated(["ccode1", "ccode2", "year"]).any()
    assert (dyads["ccode1"] < dyads["ccode2"]).all()


def test_every_recorded_onset_and_pledge_of_system_members_is_in_the_panel(dyads):
    states = panel.read("states")[["ccode", "year"]]
    for name, flag in (("mid_dyads", "onset"), ("atop_defense", "pact")):
        events = panel.read(name)
        if name == "mid_dyads":
            events = events[events["onset"] == 1]
        members = events.merge(states, left_on=["ccode1", "year"], right_on=["ccode", "year"])
        members = members.merge(states, left_on=["ccode2", "year"], right_on=["ccode", "year"])
        members = members[["ccode1", "ccode2", "year"]]
        found = members.merge(dyads, on=["ccode1", "ccode2", "year"])
        assert len(found) == len(members) and (found[flag] == 1).all()


def test_time_varying_covariates_are_those_of_the_year_before(dyads):
    poly = panel.read("polyarchy").set_index(["ccode", "year"])["v2x_polyarchy"]
    ideal = panel.read("ideal_points").set_index(["ccode", "year"])["idealpointall"]
    row = dyads.set_index(["ccode1", "ccode2", "year"]).loc[(2, 710, 2005)]  # USA-CHN
    assert row["min_polyarchy"] == pytest.approx(min(poly[(2, 2004)], poly[(710, 2004)]))
    assert row["ideal_distance"] == pytest.approx(abs(ideal[(2, 2004)] - ideal[(710, 2004)]))
    assert np.isnan(dyads.loc[dyads["year"] == 2000, "ideal_distance"]).all()  # no 1999
    by_pair = dyads.sort_values("year").groupby(["ccode1", "ccode2"])
    before = by_pair["pact"].shift(1).reindex(dyads.index)
    both = dyads["pact_lag"].notna() & before.notna()
    assert both.sum() > 100_000
    assert (dyads.loc[both, "pact_lag"] == before[both]).all()
    assert (dyads.loc[both, "rival"].isin([0, 1])).all()


def test_no_year_after_2014_is_read_or_estimated_on(tmp_path, dyads, estimates):
    for path in (ROOT / "sim" / "data" / "behaviour").glob("*.csv"):
        table = pd.read_csv(path)
        assert "year" not in table or table["year"].max() <= 2014, path.name
    data = tmp_path / "behaviour"
    shutil.copytree(ROOT / "sim" / "data" / "behaviour", data)
    states = pd.read_csv(data / "states.csv")
    later = states[states["year"] == 2014].assign(year=2015)
    pd.concat([states, later]).to_csv(data / "states.csv", index=False)
    assert panel.build(data)["year"].max() == 2014
    assert dyads["year"].max() == 2014
    for name, fit in estimates.fits.items():
        assert fit.stats["years"] == "2001-2014", name


def test_hostility_has_the_signs_a_scholar_expects(estimates):
    table = estimates.fits["hostility"].table
    assert table.loc["contiguous", "coef"] > 0 and table.loc["contiguous", "p"] < 0.01
    assert table.loc["rival", "coef"] > 0 and table.loc["rival", "p"] < 0.05
    assert table.loc["log_distance", "coef"] < 0 and table.loc["log_distance", "p"] < 0.05
    assert table.loc["min_polyarchy", "coef"] < 0  # democratic pairs fight less
    assert table.loc["major_power", "coef"] > 0
    assert table.loc["ideal_distance", "coef"] > 0


def test_alliances_have_the_signs_a_scholar_expects(estimates):
    formation = estimates.fits["alliance_formation"].table
    assert formation.loc["log_distance", "coef"] < 0
    assert formation.loc["ideal_distance", "coef"] < 0
    assert formation.loc["polyarchy_gap", "coef"] < 0  # similar regimes ally
    termination = estimates.fits["alliance_termination"].table
    assert termination.loc["min_polyarchy", "coef"] < 0  # democratic pledges last
    assert termination.loc["ideal_distance", "coef"] > 0


# Observed hold-out AUCs (fit 2001-2009, scored 2010-2014): 0.94, 0.84, 0.92.
@pytest.mark.parametrize(
    ("name", "least"),
    [("hostility", 0.85), ("alliance_formation", 0.75), ("alliance_termination", 0.75)],
)
def test_the_holdout_ranks_the_events_well_above_chance(estimates, name, least):
    held = estimates.holdouts[name]
    assert held["test"] == "2010-2014" and held["events"] > 20
    assert held["auc"] > least


def test_the_holdout_brier_of_hostility_beats_the_base_rate(estimates):
    held = estimates.holdouts["hostility"]
    assert held["brier"] < held["brier_base_rate"]
