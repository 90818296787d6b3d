import numpy as np
import pytest

from sim.model import WorldModel
from sim.scenario.loader import load_scenario

STATES = ["USA", "CHN", "RUS", "EUU", "IND", "VNM", "KAZ", "TKM"]


@pytest.fixture
def make_model():
    """Build a model from a small dict scenario; quiet by default (no noise, no shocks)."""

    def _make(events=None, parameters=None, pipelines=None, years=10, seed=0, quiet=True):
        params = {}
        if quiet:
            params = {
                "economy": {"growth_shock_scale": 0.0},
                "affinity": {"noise": 0.0},
                "ideal_points": {"shock_scale": 0.0},
                # only scripted sanctions, ended only by concession or their script
                "sanctions": {"decide": False, "ending_odds": 0.0},
            }
        for block, values in (parameters or {}).items():
            params.setdefault(block, {}).update(values)
        config = load_scenario(
            {
                "name": "test",
                "world": {"states": STATES, "pipelines": pipelines or {}},
                "years": years,
                "parameters": params,
                "events": events or {},
            }
        )
        return WorldModel(config, rng=np.random.default_rng(seed))

    return _make


def run(model):
    model.run()
    return model
