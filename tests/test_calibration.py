"""The calibration report matches the code, and its pieces behave."""

import re

import pandas as pd
import pytest

from sim import backtest, calibration
from sim.scenario.schema import Economy, Military
from tests.conftest import ROOT

DOC = ROOT / "docs" / "calibration.md"


def test_calibrated_values_are_the_schema_defaults():
    text = DOC.read_text()
    found = dict(re.findall(r"\| `parameters\.([\w.]+)` \|.*\| \*\*([\d.]+)\*\* \|", text))
    assert float(found["economy.convergence"]) == Economy().convergence
    assert float(found["military.threat_response"]) == Military().threat_response


def test_grid_names_the_real_parameters():
    text = DOC.read_text()
    for parameter in calibration.PARAMETERS:
        assert f"`{parameter}`" in text


def test_actual_series_aggregate_members_and_use_eu_aggregate():
    truth = backtest.actual(["USA", "EUU"]).set_index(["state", "year"])
    assert truth.loc[("USA", 2024), "gdp_usd_bn"] == pytest.approx(29298, rel=0.01)
    assert truth.loc[("EUU", 2019), "gdp_usd_bn"] == pytest.approx(15809, rel=0.01)


def test_log_errors_and_rms():
    states = pd.DataFrame(
        {
            "run": [0, 1] * 2,
            "year": [2019, 2019, 2024, 2024],
            "state": ["USA"] * 4,
            "gdp_usd_bn": [1.0] * 4,
            "milex_usd_bn": [1.0] * 4,
        }
    )
    table = backtest.errors(states, ["USA"])
    gdp = table[table["variable"] == "gdp_usd_bn"]
    assert (gdp["log_error"] < -9).all()  # 1 bn against ~20,000 bn
    assert backtest.rms(gdp) == pytest.approx(float((gdp["log_error"] ** 2).mean() ** 0.5))
