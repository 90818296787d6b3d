"""The printed summary explains a polarity that every run shares."""

import pandas as pd
import pytest

from sim.analysis.summary import bloc_table, polarity_reason
from sim.experiments.runner import load
from tests.conftest import ROOT

CONFIG = load(ROOT / "scenarios" / "baseline.yaml")


def _final(shares_by_run):
    rows = [
        {"run": run, "state": state, "power_share": share}
        for run, shares in enumerate(shares_by_run)
        for state, share in shares.items()
    ]
    return pd.DataFrame(rows)


def test_no_note_when_runs_disagree():
    final = _final([{"USA": 0.3, "CHN": 0.2}, {"USA": 0.3, "CHN": 0.1}])
    assert polarity_reason(final, pd.Series(["bipolar", "unipolar"]), CONFIG) is None


def test_bipolar_note_names_the_largest_third_state_and_the_margins():
    final = _final(
        [
            {"USA": 0.20, "CHN": 0.18, "IND": 0.07, "ROW": 0.4},
            {"USA": 0.19, "CHN": 0.16, "IND": 0.09, "EUU": 0.05, "ROW": 0.4},
        ]
    )
    note = polarity_reason(final, pd.Series(["bipolar", "bipolar"]), CONFIG)
    assert "IND, holds at most 9.0%" in note
    assert "10% pole threshold" in note
    assert "at most 1.19×" in note


def test_unipolar_note_gives_the_smallest_lead():
    final = _final([{"USA": 0.4, "CHN": 0.1}, {"USA": 0.3, "CHN": 0.12}])
    note = polarity_reason(final, pd.Series(["unipolar", "unipolar"]), CONFIG)
    assert "at least 2.50× the runner-up" in note


def test_bloc_table_sums_members_and_the_note_names_blocs():
    final = pd.DataFrame(
        {
            "run": [0, 0, 0, 0, 1, 1, 1, 1],
            "state": ["USA", "EUU", "CHN", "RUS", "USA", "EUU", "CHN", "RUS"],
            "bloc": ["USA", "USA", "CHN", "CHN", "USA", "USA", "CHN", "RUS"],
            "power_share": [0.2, 0.1, 0.18, 0.04, 0.2, 0.1, 0.18, 0.04],
        }
    )
    blocs = bloc_table(final)
    shares = blocs.set_index(["run", "state"])["power_share"]
    assert shares[(0, "USA")] == pytest.approx(0.3) and shares[(0, "CHN")] == pytest.approx(0.22)
    assert shares[(1, "RUS")] == pytest.approx(0.04)
    note = polarity_reason(blocs, pd.Series(["bipolar", "bipolar"]), CONFIG, "bloc")
    assert note.startswith("bipolar in every run: two blocs reach")
    assert "RUS, holds at most 4.0%" in note
