"""The estimated behaviour: the dyad-year panel, the shipped coefficient tables, the fits."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from sim.cli.main import main
from sim.estimation import alignment, alliances, arms, ideal_points, panel, report, sanctions
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
        assert "last" not in table or table["last"].max() <= 2014, path.name
    data = tmp_path / "behaviour"
    shutil.copytree(ROOT / "sim" / "data" / "behaviour", data)
    states = pd.read_csv(data / "states.csv")
    later = states[states["year"] == 2014].assign(year=2015)
    pd.concat([states, later]).to_csv(data / "states.csv", index=False)
    assert panel.build(data)["year"].max() == 2014
    assert dyads["year"].max() == 2014
    for name, fit in estimates.fits.items():
        assert fit.stats["years"] == ("2013-2014" if name == "alignment" else "2001-2014"), name


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
    assert list(termination.index) == ["const", *alliances.TERMINATION_TERMS]
    assert termination.loc["min_polyarchy", "coef"] < 0  # democratic pledges last
    assert termination.loc["min_polyarchy", "p"] < 0.01


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


def test_the_previous_termination_spec_is_scored_on_the_same_holdout(estimates):
    new, old = estimates.holdouts["alliance_termination"], estimates.holdouts[report.LEVELS]
    assert (new["dyad_years"], new["events"]) == (old["dyad_years"], old["events"])
    assert "AUC" in report.markdown(estimates) and "levels" in report.markdown(estimates)


def _tiny_record(folder):
    """Four states 2000-2004; pledges 2-20 (2000-2003) and 2-40 (from 2002)."""
    years = range(2000, 2005)
    cinc = {2: 0.2, 20: 0.1, 40: 0.05, 70: 0.05}
    states = [
        (c, "X", "", y, cinc[c] / (2 if c == 20 and y >= 2002 else 1)) for c in cinc for y in years
    ]
    poly = [(c, y, 0.8 if c == 20 and y >= 2002 else 0.5) for c in cinc for y in years]
    pacts = [(2, 20, y) for y in range(2000, 2004)] + [(2, 40, y) for y in range(2002, 2005)]
    tables = {
        "states": pd.DataFrame(states, columns=["ccode", "stateabb", "iso3", "year", "cinc"]),
        "polyarchy": pd.DataFrame(poly, columns=["ccode", "year", "v2x_polyarchy"]),
        "ideal_points": pd.DataFrame(
            [(c, y, 0.0) for c in cinc for y in years], columns=["ccode", "year", "idealpointall"]
        ),
        "atop_defense": pd.DataFrame(pacts, columns=["ccode1", "ccode2", "year"]),
        "mid_dyads": pd.DataFrame(
            [(40, 70, 2001, 1, 3)], columns=["ccode1", "ccode2", "year", "onset", "hostlev"]
        ),
        "rivalries": pd.DataFrame(
            [(1, 40, 70, 1990, 2010, 1)],
            columns=["rivalryno", "ccode1", "ccode2", "styear", "endyear", "ongoing_2010"],
        ),
        "contiguity": pd.DataFrame([(40, 70, 1)], columns=["ccode1", "ccode2", "conttype"]),
        "capital_distance": pd.DataFrame(
            [(a, b, 1000.0) for a in cinc for b in cinc if a < b],
            columns=["ccode1", "ccode2", "capdist_km"],
        ),
    }
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False)
    return folder


def test_the_termination_covariates_on_a_hand_built_record(tmp_path):
    frame = alliances.termination_frame(panel.build(_tiny_record(tmp_path)), (2001, 2004))
    rows = frame.set_index(["ccode1", "ccode2", "year"])
    # 2's new pledge with 40 in 2002 is an outside pact of the pair 2-20 in 2003 alone.
    assert rows.loc[(2, 20, 2002), "outside_pact"] == 0
    assert rows.loc[(2, 20, 2003), "outside_pact"] == 1
    assert rows.loc[(2, 20, 2004), "outside_pact"] == 0
    assert rows.loc[(2, 40, 2003), "outside_pact"] == 0  # the pair's own new pledge
    # 20's polyarchy rose 0.5 -> 0.8 and its CINC halved from 2001 to 2002.
    assert rows.loc[(2, 20, 2002), "regime_change"] == pytest.approx(0.0)
    assert rows.loc[(2, 20, 2003), "regime_change"] == pytest.approx(0.3)
    assert rows.loc[(2, 20, 2003), "capability_shift"] == pytest.approx(np.log(2))
    assert rows.loc[(2, 20, 2004), "capability_shift"] == pytest.approx(0.0)
    assert rows.loc[(2, 20, 2003), "log_pact_years"] == pytest.approx(np.log(3))
    assert rows.loc[(2, 20, 2004), "ended"] == 1 and rows.loc[(2, 20, 2003), "ended"] == 0
    assert rows.loc[(2, 20, 2003), "min_polyarchy"] == pytest.approx(0.5)
    assert (frame["pact_lag"] == 1).all()


@pytest.fixture(scope="module")
def states() -> pd.DataFrame:
    return ideal_points.frame()


def test_the_ideal_point_pulls_are_the_partners_means_of_the_year_before(states):
    ideal = panel.read("ideal_points").set_index(["ccode", "year"])["idealpointall"]
    row = states.set_index(["ccode", "year"]).loc[(2, 2005)]  # the United States
    assert row["ideal_lag"] == pytest.approx(ideal[(2, 2004)])
    pacts = panel.read("atop_defense")
    pacts = pacts[(pacts["year"] == 2004) & ((pacts["ccode1"] == 2) | (pacts["ccode2"] == 2))]
    allies = (set(pacts["ccode1"]) | set(pacts["ccode2"])) - {2}
    allies = [c for c in allies if (c, 2004) in ideal.index]
    mean = np.mean([ideal[(c, 2004)] for c in allies])
    assert row["ally_gap"] == pytest.approx(mean - ideal[(2, 2004)])
    arms = panel.read("arms_tiv")
    arms = arms[(arms["ccode2"] == 2) & (arms["year"] == 2004) & (arms["tiv_musd"] > 0)]
    arms = arms[[(c, 2004) in ideal.index for c in arms["ccode1"]]]
    x = np.array([ideal[(c, 2004)] for c in arms["ccode1"]])
    mean = np.sum(x * arms["tiv_musd"]) / arms["tiv_musd"].sum()
    assert row["supplier_gap"] == pytest.approx(mean - ideal[(2, 2004)])
    cases = panel.read("sanctions")
    on = cases[(cases["target"] == 40) & (cases["first"] <= 2004) & (cases["last"] >= 2004)]
    senders = [c for c in set(on["sender"]) if (c, 2004) in ideal.index]
    assert 2 in senders  # the US embargo on Cuba
    cuba = states.set_index(["ccode", "year"]).loc[(40, 2005)]
    mean = np.mean([ideal[(c, 2004)] for c in senders])
    assert cuba["sender_gap"] == pytest.approx(mean - ideal[(40, 2004)])


def test_ideal_points_persist_and_move_toward_allies(estimates):
    fit = estimates.fits["ideal_points"]
    table = fit.table
    assert list(table.index) == ["const", *ideal_points.TERMS, "residual_sd", "shock_sd"]
    assert 0.8 < table.loc["ideal_lag", "coef"] < 1.0
    assert table.loc["ideal_lag", "coef"] + 2 * table.loc["ideal_lag", "se"] < 1.0
    assert table.loc["ally_gap", "coef"] > 0 and table.loc["ally_gap", "p"] < 0.05
    assert table.loc["residual_sd", "coef"] == pytest.approx(fit.stats["residual_sd"])
    assert np.isnan(table.loc["residual_sd", ["se", "z", "p"]].astype(float)).all()
    assert 0.1 < fit.stats["residual_sd"] < 0.3  # the yearly shock, in ideal-point units
    assert fit.stats["r2"] > 0.9


def test_the_shock_is_the_residual_less_the_measurement_error(estimates):
    fit = estimates.fits["ideal_points"]
    table, s = fit.table, fit.stats
    shock, residual = table.loc["shock_sd", "coef"], table.loc["residual_sd", "coef"]
    assert np.isnan(table.loc["shock_sd", ["se", "z", "p"]].astype(float)).all()
    assert 0 < shock < residual
    rho = table.loc["ideal_lag", "coef"]
    expected = np.sqrt(residual**2 - (1 + rho**2) * s["measurement_sd"] ** 2)
    assert shock == pytest.approx(expected) and shock == pytest.approx(s["shock_sd"])
    states = ideal_points.frame()
    mean_var = np.mean(np.concatenate([states["me_var"], states["me_var_lag"]]))
    assert s["measurement_sd"] == pytest.approx(np.sqrt(mean_var))
    big = s["big_states"].set_index("state")
    assert list(big.index) == ["USA", "CHN", "RUS", "IND", "JPN", "GBR", "DEU", "FRA"]
    assert (big["state_years"] == 14).all()


def test_the_shipped_shock_sd_is_the_reestimate(written):
    shipped = pd.read_csv(ROOT / "sim" / "data" / "estimated" / "ideal_points.csv")
    again = pd.read_csv(written / "ideal_points.csv")
    for table in (shipped, again):
        rows = table.set_index("term")["coef"]
        assert 0 < rows["shock_sd"] < rows["residual_sd"]
    np.testing.assert_allclose(
        again.set_index("term").loc["shock_sd", "coef"],
        shipped.set_index("term").loc["shock_sd", "coef"],
        rtol=1e-4,
    )


def test_the_measurement_sd_reads_the_interval_as_normal(tmp_path):
    points = pd.DataFrame(
        {"ccode": [2, 2], "year": [2000, 2001], "q5all": [1.0, -0.329], "q95all": [4.29, 0.0]}
    )
    sd = ideal_points.measurement_sd(points)
    np.testing.assert_allclose(sd, [1.0, 0.1])  # (q95 - q5) / (2 x 1.645)
    assert ideal_points.shock_sd(0.5, 0.0, 0.09) == pytest.approx(0.4)  # sqrt(0.25 - 0.09)
    assert ideal_points.shock_sd(0.1, 1.0, 0.01) == 0.0  # all of it measurement: floored
    rows = pd.DataFrame(
        {"ccode": [2, 2, 2], "year": [2000, 2001, 2002], "idealpointall": [0.0, 1.0, 2.0]}
    )
    (tmp_path / "ideal_points.csv").write_text(
        rows.assign(q5all=[-0.329, 0.0, 0.0], q95all=[0.329, 0.658, 0.329]).to_csv(index=False)
    )
    for name, columns in (
        ("atop_defense", "ccode1,ccode2,year"),
        ("arms_tiv", "ccode1,ccode2,year,tiv_musd"),
        ("sanctions", "sender,target,first,last,caseid"),
    ):
        (tmp_path / f"{name}.csv").write_text(columns + "\n")
    frame = ideal_points.frame(tmp_path).set_index("year")
    assert list(frame.index) == [2001, 2002]
    np.testing.assert_allclose(frame["me_var"], [0.2**2, 0.1**2])
    np.testing.assert_allclose(frame["me_var_lag"], [0.2**2, 0.2**2])
    np.testing.assert_allclose(frame["ideal_lag"], [0.0, 1.0])


# Observed: RMSE 0.1970 against 0.1973 for no change: the model is as good, not better.
def test_the_ideal_point_holdout_is_no_worse_than_no_change(estimates):
    held = estimates.holdouts["ideal_points"]
    assert held["test"] == "2010-2014" and held["state_years"] > 800
    assert held["rmse"] <= 1.01 * held["rmse_no_change"]


def test_alignment_falls_with_ideal_distance_and_rises_with_a_pledge(estimates):
    table = estimates.fits["alignment"].table
    assert list(table.index) == ["const", *alignment.TERMS]
    assert table.loc["ideal_distance", "coef"] < 0 and table.loc["ideal_distance", "p"] < 0.001
    assert table.loc["pact", "coef"] > 0 and table.loc["pact", "p"] < 0.05


def test_the_alignment_holdout_tracks_2014_but_last_year_tracks_it_better(estimates):
    held = estimates.holdouts["alignment"]
    assert (held["train"], held["test"]) == ("2013", "2014")
    assert held["correlation"] > 0.7
    assert held["rmse_persistence"] < held["rmse"] < 0.15


def test_the_packaged_agreement_is_undirected_and_a_share():
    unga = panel.read("unga_agreement")
    assert (unga["ccode1"] < unga["ccode2"]).all()
    assert unga["agree"].between(0, 1).all() and set(unga["year"]) == {2013, 2014}
    assert not unga.duplicated(["ccode1", "ccode2", "year"]).any()


# Arms transfers: supplier choice, sales to rivals, suppliers by buyer.


@pytest.fixture(scope="module")
def directed(dyads) -> pd.DataFrame:
    return arms.frame(dyads)


@pytest.mark.parametrize("name", [report.ARMS, *report.ARMS_TABLES])
def test_the_shipped_arms_tables_are_what_the_command_writes(written, name):
    shipped = pd.read_csv(ROOT / "sim" / "data" / "estimated" / f"{name}.csv")
    again = pd.read_csv(written / f"{name}.csv")
    assert list(again.columns) == list(shipped.columns) and len(again) == len(shipped)
    for column in again:
        if pd.api.types.is_numeric_dtype(shipped[column]):
            np.testing.assert_allclose(again[column], shipped[column], rtol=1e-4, atol=1e-8)
        else:
            assert list(again[column].fillna("")) == list(shipped[column].fillna("")), column


def test_the_supplier_universe_is_the_active_suppliers_and_every_other_member(directed):
    record = panel.read("arms_tiv")
    members = panel.read("states")[["ccode", "year"]]
    assert directed["year"].min() == 2002 and directed["year"].max() == 2014
    assert not directed.duplicated(["ccode1", "ccode2", "year"]).any()
    assert (directed["ccode1"] != directed["ccode2"]).all()
    for side in ("ccode1", "ccode2"):
        found = directed.merge(members, left_on=[side, "year"], right_on=["ccode", "year"])
        assert len(found) == len(directed)
    year = 2010
    active = set(record.loc[record["year"].between(year - 5, year - 1), "ccode1"])
    active &= set(members.loc[members["year"] == year, "ccode"])
    n = (members["year"] == year).sum()
    one = directed[directed["year"] == year]
    assert set(one["ccode1"]) == active and len(one) == len(active) * (n - 1)
    delivered = record[record["year"] == year][["ccode1", "ccode2"]]
    hits = one.merge(delivered, on=["ccode1", "ccode2"])
    assert (hits["delivery"] == 1).all() and one["delivery"].sum() == len(hits)


def test_the_supplier_covariates_are_those_of_the_years_before(directed, dyads):
    record = panel.read("arms_tiv")
    cinc = panel.read("states").set_index(["ccode", "year"])["cinc"]
    row = directed.set_index(["ccode1", "ccode2", "year"]).loc[(365, 750, 2010)]  # RUS -> IND
    before = record[(record["ccode1"] == 365) & (record["ccode2"] == 750)]
    assert row["supplied_recent"] == float(before["year"].between(2005, 2009).any()) == 1
    assert row["log_supplier_cinc"] == pytest.approx(np.log(cinc[(365, 2009)]))
    assert row["log_recipient_cinc"] == pytest.approx(np.log(cinc[(750, 2009)]))
    pair = dyads.set_index(["ccode1", "ccode2", "year"]).loc[(365, 750, 2010)]
    for name, undirected in (("pact", "pact_lag"), ("rival", "rival"), ("log_distance", None)):
        assert row[name] == pytest.approx(pair[undirected or name])
    mids = panel.read("mid_dyads")
    india = mids[((mids["ccode1"] == 750) | (mids["ccode2"] == 750))]
    assert row["recipient_dispute_recent"] == float(india["year"].between(2005, 2009).any())
    # Pakistan is a rival of India; is it an ATOP ally of the United States the year before?
    usa_ind = directed.set_index(["ccode1", "ccode2", "year"]).loc[(2, 750, 2010)]
    pacts = panel.read("atop_defense")
    allied = ((pacts["ccode1"] == 2) & (pacts["ccode2"] == 770) & (pacts["year"] == 2009)).any()
    assert usa_ind["rival_of_ally"] == float(allied)


def test_supplier_choice_has_the_signs_the_record_shows(estimates):
    t = estimates.transfers
    table = t.fit.table
    assert list(table.index) == ["const", *arms.TERMS]
    assert table.loc["supplied_recent", "coef"] > 2 and table.loc["supplied_recent", "p"] < 1e-6
    assert table.loc["log_supplier_cinc", "coef"] > 0  # bigger producers supply more
    assert table.loc["log_recipient_cinc", "coef"] > 0
    assert table.loc["log_distance", "coef"] < 0
    # Deliveries to a rival of the year before are almost absent from the record.
    assert t.fit.stats["rival_events"] <= 2 and table.loc["rival", "coef"] < 0
    assert t.fit.stats["years"] == "2002-2014"


# Observed: hold-out AUC 0.928, Brier 0.0257 against 0.0404 for the base rate.
def test_the_supplier_choice_holdout_beats_the_base_rate(estimates):
    held = estimates.transfers.holdout
    assert (held["train"], held["test"]) == ("2002-2009", "2010-2014")
    assert held["auc"] > 0.85 and held["brier"] < held["brier_base_rate"]
    assert held["train_rival_events"] == 0  # hence the separation the report describes


def _rivals_in(year: int) -> set[tuple[int, int]]:
    rows = panel.read("rivalries")
    pairs = set()
    for a, b, start, end, ongoing in rows[
        ["ccode1", "ccode2", "styear", "endyear", "ongoing_2010"]
    ].itertuples(index=False):
        if start <= year <= (2014 if ongoing else end):
            pairs |= {(a, b), (b, a)}
    return pairs


def test_the_sales_to_rivals_are_exactly_those_of_the_record():
    record = panel.read("arms_tiv")
    pacts = panel.read("atop_defense")
    direct, through = set(), set()
    for i, j, year in record[["ccode1", "ccode2", "year"]].itertuples(index=False):
        rivals = _rivals_in(year)
        on = pacts[pacts["year"] == year]
        allies = set(on.loc[on["ccode1"] == i, "ccode2"]) | set(on.loc[on["ccode2"] == i, "ccode1"])
        if (i, j) in rivals:
            direct.add((i, j, year))
        if any((k, j) in rivals for k in allies):
            through.add((i, j, year))
    shipped = pd.read_csv(ROOT / "sim" / "data" / "estimated" / "arms_rival_sales.csv")
    for kind, expected in (("rival", direct), ("rival_of_ally", through)):
        rows = shipped[shipped["kind"] == kind]
        assert set(zip(rows["supplier"], rows["recipient"], rows["year"], strict=True)) == expected
        assert len(rows) == len(expected)
    doc = (ROOT / "docs" / "estimation.md").read_text()
    assert f"| the supplier's strategic rival | {len(direct)} |" in doc
    assert f"supplier's defence allies | {len(through)} |" in doc


def test_the_suppliers_by_buyer_add_up_to_the_record():
    record = panel.read("arms_tiv")
    shipped = pd.read_csv(ROOT / "sim" / "data" / "estimated" / "arms_suppliers_2000_2014.csv")
    assert not shipped.duplicated(["recipient", "supplier"]).any()
    assert shipped["tiv_musd"].sum() == pytest.approx(record["tiv_musd"].sum())
    assert set(shipped["recipient"]) == set(record["ccode2"])
    shares = shipped.dropna(subset=["share"]).groupby("recipient")["share"].sum()
    np.testing.assert_allclose(shares, 1.0, rtol=1e-4)
    india = shipped[shipped["recipient"] == 750].set_index("supplier_iso3")
    russia = record[(record["ccode1"] == 365) & (record["ccode2"] == 750)]["tiv_musd"].sum()
    assert india.loc["RUS", "tiv_musd"] == russia
    assert india.loc["RUS", "share"] == pytest.approx(russia / india["tiv_musd"].sum(), rel=1e-5)


# --- Economic sanctions (TIES v4.1, cases begun by 2005) ---


@pytest.mark.parametrize("name", report.SANCTION_TABLES)
def test_the_shipped_sanction_tables_are_what_the_command_estimates(written, name):
    shipped = pd.read_csv(ROOT / "sim" / "data" / "estimated" / f"{name}.csv")
    again = pd.read_csv(written / f"{name}.csv")
    assert list(again.columns) == list(shipped.columns)
    if name not in ("sanction_duration", "sanction_sectors"):
        assert list(again.columns) == ["term", "coef", "se", "z", "p"]
        assert list(again["term"]) == list(shipped["term"])
    numeric = [c for c in shipped if c != "term"]
    np.testing.assert_allclose(again[numeric], shipped[numeric], rtol=1e-4, atol=1e-8)


def test_the_packaged_cases_have_a_state_sender_and_target():
    cases = pd.read_csv(ROOT / "sim" / "data" / "behaviour" / "sanction_cases.csv")
    assert cases["caseid"].is_unique
    assert cases["primarysender"].notna().all()
    assert (cases["primarysender"] != sanctions.INSTITUTION).all()
    assert (cases["targetstate"] != sanctions.INSTITUTION).all()
    assert cases["startyear"].max() <= 2005 and cases["endyear"].max() <= 2014
    assert cases["ongoingasofyear"].max() <= 2014


def test_sanctions_are_imposed_on_rivals_and_recent_adversaries(estimates):
    table = estimates.sanctions.imposition.table
    assert estimates.sanctions.imposition.stats["years"] == "2001-2005"
    assert table.loc["rival", "coef"] > 0 and table.loc["rival", "p"] < 0.01
    assert table.loc["dispute_recent", "coef"] > 0 and table.loc["dispute_recent", "p"] < 0.05
    assert table.loc["log_distance", "coef"] < 0 and table.loc["log_distance", "p"] < 0.05
    assert table.loc["log_target_cinc", "coef"] > 0 and table.loc["log_target_cinc", "p"] < 0.01
    # A sanction in force in the five years before does not raise a new imposition here.
    assert table.loc["sanctioned_before", "p"] > 0.1


# Observed: AUC 0.88 on 24 impositions; the level runs high (57 predicted).
def test_the_imposition_holdout_ranks_well_but_overpredicts(estimates):
    held = estimates.sanctions.holdout
    assert held["test"] == "2004-2005" and held["events"] >= 20
    assert held["auc"] > 0.8
    assert held["predicted_events"] > held["events"]
    assert len(estimates.sanctions.top) == 15


def test_concession_comes_early_and_from_weak_targets(estimates):
    table = estimates.sanctions.ending.table
    assert list(table.index) == ["const", *sanctions.ENDING_TERMS]
    assert table.loc["log_years", "coef"] < 0 and table.loc["log_years", "p"] < 0.01
    share = table.loc["log_target_cinc_share"]
    assert share["coef"] < 0 and share["p"] < 0.01  # the weaker target concedes
    # Democratic targets concede less in TIES 1990-2005 (mostly trade disputes).
    assert table.loc["target_polyarchy", "coef"] < 0 and table.loc["target_polyarchy", "p"] < 0.01
    # Major-power targets: a negative coefficient, not significant on its own.
    assert table.loc["target_major", "coef"] < 0 and table.loc["target_major", "p"] > 0.05


def test_major_power_targets_concede_less_and_stay_sanctioned_longer(estimates):
    table = estimates.sanctions.duration.set_index("target_major")
    assert table.loc[1, "share_conceded_10"] < table.loc[0, "share_conceded_10"] / 3
    assert table.loc[1, "in_force_10"] > table.loc[0, "in_force_10"]
    cases = panel.read("sanction_cases")
    imposed = (cases["imposition"] == 1) & cases["sancimpositionstartyear"].between(1990, 2005)
    assert table["cases"].sum() == imposed.sum()  # every imposed case counted once
    russia = estimates.sanctions.russia.set_index("years_in_force")
    assert russia.loc[1, "yearly"] < 0.05 and russia["yearly"].is_monotonic_decreasing


def _tiny_cases(folder):
    """Two states 1999-2014 and seven TIES cases whose ending is known by hand."""
    states = [(c, "X", "", y, 0.1 if c == 2 else 0.05) for c in (2, 20) for y in range(1990, 2015)]
    poly = [(c, y, 0.5) for c in (2, 20) for y in range(1990, 2015)]
    columns = [*sanctions.SENDERS, "targetstate"]
    rows = [
        # caseid, imposition, imposed, endyear, ongoingasofyear, finaloutcome, targetcosts
        (1, 1, 2000, 2002, None, 7, 1),  # total acquiescence in its third year
        (2, 1, 2001, 2001, None, 10, 3),  # negotiated settlement: not a concession
        (3, 1, 2000, 2003, None, 8, 1),  # sender capitulates
        (4, 1, 2002, None, 2004, None, 1),  # open, last seen 2004
        (5, 1, 2003, None, None, None, 1),  # nothing recorded: open to 2005
        (6, 1, 1985, 1995, None, 6, 1),  # imposed before 1990: not modelled
        (7, 0, None, 2001, None, 2, 1),  # threat only
    ]
    cases = pd.DataFrame(
        rows,
        columns=[
            "caseid",
            "imposition",
            "sancimpositionstartyear",
            "endyear",
            "ongoingasofyear",
            "finaloutcome",
            "targetcosts",
        ],
    )
    senders = pd.DataFrame([[2, 2, 1000, None, None, None, 20]] * len(rows), columns=columns)
    pd.concat([cases, senders], axis=1).to_csv(folder / "sanction_cases.csv", index=False)
    pd.DataFrame(states, columns=["ccode", "stateabb", "iso3", "year", "cinc"]).to_csv(
        folder / "states.csv", index=False
    )
    pd.DataFrame(poly, columns=["ccode", "year", "v2x_polyarchy"]).to_csv(
        folder / "polyarchy.csv", index=False
    )
    return folder


def test_the_outcome_classification_on_hand_built_cases(tmp_path):
    codes = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, np.nan])
    assert list(sanctions.concession(codes)) == [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0]
    assert list(sanctions.concession(codes, settlement=True))[5:10] == [1, 1, 0, 0, 1]
    data = _tiny_cases(tmp_path)
    rows = sanctions.case_years(data)
    years = rows.groupby("caseid")["year"].agg(["min", "max"])
    assert years.loc[1].tolist() == [2000, 2002] and years.loc[3].tolist() == [2000, 2003]
    assert years.loc[4].tolist() == [2002, 2004] and years.loc[5].tolist() == [2003, 2005]
    assert set(rows["caseid"]) == {1, 2, 3, 4, 5}
    conceded = rows[rows["concession"] == 1]
    assert conceded[["caseid", "year"]].values.tolist() == [[1, 2002]]
    assert rows.loc[rows["caseid"] == 1, "log_years"].tolist() == pytest.approx(np.log([1, 2, 3]))
    assert (rows["sender_us"] == 1).all()  # the institution among the senders is no state
    assert rows.loc[rows["caseid"] == 2, "target_costs_severe"].tolist() == [1]
    assert rows["log_target_cinc_share"].iloc[0] == pytest.approx(np.log(0.05 / 0.15))
    settled = sanctions.case_years(data, settlement=True)
    assert settled.loc[settled["concession"] == 1, "caseid"].tolist() == [1, 2]
    assert set(sanctions.case_years(data, recorded_only=True)["caseid"]) == {1, 2, 3, 4}
    imposed = sanctions.impositions(pd.read_csv(data / "sanction_cases.csv"))
    # one row per sender, target and year: cases 1 and 3 (both 2000) are one imposition
    assert sorted(map(tuple, imposed.values.tolist())) == [
        (2, 20, y) for y in (1985, 2000, 2001, 2002, 2003)
    ]


def test_the_imposition_universe_is_every_ordered_pair_with_its_events(dyads):
    frame = sanctions.directed(dyads)
    states = panel.read("states")
    n = (states["year"] == 2003).sum()
    assert (frame["year"] == 2003).sum() == n * (n - 1)
    assert frame["year"].between(2001, 2005).all()
    events = sanctions.impositions(panel.read("sanction_cases"))
    events = events[events["year"].between(2001, 2005)]
    members = events.merge(frame, on=["sender", "target", "year"])
    assert (members["imposed"] == 1).all() and frame["imposed"].sum() == len(members)
    row = frame.set_index(["sender", "target", "year"]).loc[(2, 40, 2005)]  # USA-CUB
    assert row["sanctioned_before"] == 1 and row["rival"] == 1


def test_the_other_endings_on_hand_built_cases(tmp_path):
    rows = sanctions.case_years(_tiny_cases(tmp_path))
    other = rows[rows["other_end"] == 1]
    # the settlement (2001) and the sender's capitulation (2003) end without concession;
    # the concession, the open and the unrecorded cases do not
    assert other[["caseid", "year"]].values.tolist() == [[2, 2001], [3, 2003]]
    assert not ((rows["other_end"] == 1) & (rows["concession"] == 1)).any()


def test_sanctions_end_otherwise_early_and_against_strong_targets(estimates):
    table = estimates.sanctions.other_end.table
    assert list(table.index) == ["const", *sanctions.ENDING_TERMS]
    assert table.loc["log_years", "coef"] < 0 and table.loc["log_years", "p"] < 0.01
    share = table.loc["log_target_cinc_share"]
    assert share["coef"] < 0 and share["p"] < 0.01  # the sender gives up on a strong target
    assert (
        estimates.sanctions.other_end.stats["events"] > estimates.sanctions.ending.stats["events"]
    )
    # Russia under US sanctions: 65% in force after ten years (TIES major powers: 68%)
    x, _ = sanctions.russia_2014(estimates.sanctions.ending)
    both = sanctions.competing(estimates.sanctions.ending, estimates.sanctions.other_end, x)
    ten = both.set_index("years_in_force").loc[10]
    assert 0.55 < ten["in_force"] < 0.75 and 0.03 < ten["conceded"] < 0.1


def test_imposed_adversaries_do_not_concede_less_in_ties(estimates):
    # Drezner (1999) expects rivals to concede less and allies more; among the imposed
    # cases of 1990-2005 neither holds at 5% and the signs run the other way
    table = estimates.sanctions.ending_adversary.table
    assert table.loc["rival", "coef"] > 0 and table.loc["rival", "p"] > 0.05
    assert table.loc["pact", "coef"] < 0 and table.loc["pact", "p"] > 0.05


def test_most_imposed_sanctions_restrict_trade():
    mix = pd.read_csv(ROOT / "sim" / "data" / "estimated" / "sanction_sectors.csv")
    assert mix["share"].sum() == pytest.approx(1.0)
    assert mix["cases"].sum() == 429  # the 431 cases imposed 1990-2005, 2 with no type
    others = ["finance", "energy", "technology", "arms"]
    trade_only = mix[(mix["trade"] == 1) & (mix[others].sum(axis=1) == 0)]
    assert 0.7 < trade_only["share"].sum() < 0.85  # TIES: import restrictions dominate
    total = mix[mix[["trade", "finance", "energy", "technology", "arms"]].all(axis=1)]
    assert 0.01 < total["share"].sum() < 0.06  # total embargoes are rare
