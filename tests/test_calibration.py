"""The calibration report matches the code, and its pieces behave."""

import re

import pandas as pd
import pytest

from sim import trends
from sim.analysis import backtest
from sim.experiments.calibration import fit as calibration
from sim.scenario.schema import Economy, Military
from tests.conftest import ROOT

DOC = ROOT / "docs" / "calibration.md"


def test_calibrated_values_are_the_schema_defaults():
    text = DOC.read_text()
    found = dict(re.findall(r"\| `parameters\.([\w.]+)`[^|]*\|.*\| \*\*([\d.]+)\*\* \|", text))
    assert float(found["economy.convergence"]) == Economy().convergence
    assert float(found["economy.frontier_growth"]) == Economy().frontier_growth
    assert float(found["military.threat_response"]) == Military().threat_response


def test_packaged_trends_are_the_ones_the_report_shows():
    text = DOC.read_text()
    section = text.split("## Growth 2015-2024")[1].split("\n## ")[0]
    rows = [line.split("|")[1:-1] for line in section.splitlines() if line.startswith("| ")]
    header, body = rows[0], rows[1:]
    column = next(i for i, name in enumerate(header) if "fitted trend" in name)
    shown = {cells[0].strip(): float(cells[column]) for cells in body}
    packaged = trends.calibrated_growth()
    assert set(shown) == set(packaged) and len(shown) == 15
    for state, value in packaged.items():
        assert shown[state] == pytest.approx(value, abs=0.006), state
    beta = header.index(" β ")
    speeds = trends.calibrated_convergence()
    for cells in body:
        state = cells[0].strip()
        assert float(cells[beta]) == speeds.get(state, Economy().convergence), state


def test_report_meets_the_growth_target_for_every_state():
    text = DOC.read_text()
    section = text.split("## Growth 2015-2024")[1].split("\n## ")[0]
    assert "**no**" not in section


def test_grid_names_the_real_parameters():
    text = DOC.read_text()
    for parameter in calibration.PARAMETERS:
        assert f"`{parameter}`" in text


def test_ssp_targets_aggregate_members():
    states = pd.DataFrame(
        {
            "run": 0,
            "year": [2015, 2040, 2060] * 6,
            "state": [s for s in calibration.SSP_STATES for _ in range(3)],
            "gdp_usd_bn": [1.0, 2.0, 3.0] * 6,
        }
    )
    table = calibration.ssp_table(states).set_index(["state", "year"])
    assert table.loc[("USA", 2040), "model"] == pytest.approx(2.0)
    # SSP2 (OECD ENV-Growth 2023): USA 28,435.6 bn in 2040 against 18,294.7 bn in 2015
    assert table.loc[("USA", 2040), "ssp2"] == pytest.approx(1.554, abs=0.002)
    eu = table.loc[("EUU", 2060), "ssp2"]
    assert 1.5 < eu < 2.2  # the 27 members summed


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
