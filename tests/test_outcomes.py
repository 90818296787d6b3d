"""Outcomes: the per-run summary a sweep records equals the one derived from the tables."""

import numpy as np
import pandas as pd

from sim.analysis.outcomes import final_outcomes, outcome_columns, outcome_names
from sim.experiments.runner import load
from sim.model import WorldModel
from tests.conftest import SCENARIOS


def test_recorded_outcomes_equal_those_derived_from_the_tables():
    config = load(SCENARIOS / "sino_russian_consolidation.yaml", years=12)
    frames = []
    for run in range(3):
        model = WorldModel(config, rng=np.random.default_rng(run))
        model.run()
        tables = model.recorder.tables(run)
        derived = final_outcomes(tables["states"], tables["system"])
        recorded = pd.DataFrame([{"run": np.int32(run), **model.recorder.outcomes()}])
        pd.testing.assert_frame_equal(derived, recorded[derived.columns], check_dtype=False)
        frames.append(derived)
    outcomes = pd.concat(frames)
    # bloc shares are at least the member's own share, and shares sum to one
    states = [*config.world.states, "ROW"]
    shares = outcomes[[f"share_{s}" for s in states]].sum(axis=1)
    np.testing.assert_allclose(shares, 1.0)
    for state in states:
        assert (outcomes[f"bloc_share_{state}"] >= outcomes[f"share_{state}"] - 1e-12).all()
    assert set(outcome_columns(outcomes)) == set(outcome_names(states))


def test_a_declared_measure_reaches_every_table_and_the_summary(monkeypatch):
    """docs/architecture.md: declaring a measure in sim.outcomes is all it takes."""
    from sim import outcomes
    from sim.analysis.summary import summarize
    from sim.outcomes import Outcome

    herfindahl = Outcome(
        "bloc_herfindahl",
        "Herfindahl index of bloc power",
        "",
        "number",
        compute=lambda v: [float((totals**2).sum()) for totals in v.bloc_totals],
    )
    monkeypatch.setattr(outcomes, "SYSTEM_OUTCOMES", (*outcomes.SYSTEM_OUTCOMES, herfindahl))
    config = load(SCENARIOS / "sanctions.yaml", years=4)
    model = WorldModel(config, rng=np.random.default_rng(1))
    model.run()
    tables = model.recorder.tables(0)
    system = tables["system"]
    assert list(system.columns[-1:]) == ["bloc_herfindahl"]
    # the measure is what its definition says, every year: s_max^2 <= H <= s_max
    top = system["bloc_leader_share"]
    assert (system["bloc_herfindahl"] >= top**2 - 1e-12).all()
    assert (system["bloc_herfindahl"] <= top + 1e-12).all()
    final = final_outcomes(tables["states"], system)
    assert final["bloc_herfindahl"].iloc[0] == system["bloc_herfindahl"].iloc[-1]
    assert model.recorder.outcomes()["bloc_herfindahl"] == system["bloc_herfindahl"].iloc[-1]
    assert "bloc_herfindahl" in outcome_columns(final)
    assert "bloc_herfindahl" in outcome_names(["USA"])
    summary = summarize(config, tables)
    assert summary["bloc_herfindahl_final"]["p50"] == system["bloc_herfindahl"].iloc[-1]
    assert outcomes.describe("bloc_herfindahl") == ("Herfindahl index of bloc power", "number")


def test_every_outcome_column_is_described_by_its_declaration():
    from sim.outcomes import OUTCOMES, describe, run_outcomes

    assert describe("share_CHN") == ("Power share of CHN", "share")
    assert describe("bloc_share_USA") == ("Power share of USA's bloc", "share")
    assert describe("gdp_RUS") == ("GDP of RUS (US$ bn, 2014 prices)", "gdp")
    assert describe("leader_share") == ("Power share of the leading state", "share")
    assert {o.over_run for o in run_outcomes()} == {"last", "any"}
    assert all(o.kind in ("share", "number", "gdp", "category", "flag") for o in OUTCOMES.values())
