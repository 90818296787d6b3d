"""One dotted-path setter for ``--set``, sweep points and uncertain draws."""

from __future__ import annotations

import pytest

from sim import design
from sim.errors import ScenarioError
from sim.scenario import paths
from sim.scenario.loader import load_located
from sim.scenario.paths import NotAMapping, set_path

SMALL = {"name": "paths", "world": {"states": ["USA", "CHN"]}}


def test_set_path_creates_the_mappings_on_the_way_and_says_which():
    data = {"a": {"b": 1}, "n": None}
    assert set_path(data, "a.c.d", 2) == [("a", "c")]
    assert set_path(data, ("n", "x"), 3) == [("n",)]
    assert set_path(data, "a.b", 4) == []
    assert data == {"a": {"b": 4, "c": {"d": 2}}, "n": {"x": 3}}


def test_a_path_through_a_value_is_a_key_error_of_that_part():
    data = {"runs": 5, "a": {"b": [1]}}
    with pytest.raises(NotAMapping) as excinfo:
        set_path(data, "a.b.c", 1)
    assert isinstance(excinfo.value, KeyError)
    assert excinfo.value.args == ("b",)
    assert excinfo.value.at == ("a", "b") and excinfo.value.value == [1]


def test_design_and_overrides_use_the_one_setter():
    assert design.set_path is paths.set_path


def test_an_override_through_a_value_keeps_its_message():
    with pytest.raises(ScenarioError) as excinfo:
        load_located({**SMALL, "runs": 5}, ["runs.x=1"])
    assert str(excinfo.value) == (
        "command line: --set runs.x: runs is a number (5), not a mapping: "
        "a path cannot go inside it"
    )


def test_an_override_records_the_command_line_as_the_origin_of_what_it_created():
    located = load_located(SMALL, ["parameters.trade.diversion_share=0.3"])
    assert located.data["parameters"] == {"trade": {"diversion_share": 0.3}}
    for path in [
        ("parameters",),
        ("parameters", "trade"),
        ("parameters", "trade", "diversion_share"),
    ]:
        assert located.origins[path] == ("--set", 0, 0)
