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
