"""The state-id fields are derived from the schema's types, not listed by hand."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from sim.errors import ScenarioError
from sim.scenario.checks import check_against_world
from sim.scenario.fields import STATE_ID_PATTERN, StateId, Strict
from sim.scenario.loader import load_located, load_scenario, validate
from sim.scenario.schema import (
    AllianceEvent,
    ArmsDealEvent,
    ExerciseEvent,
    ExistingPipeline,
    GrowthShockEvent,
    PipelineEvent,
    SanctionEvent,
    ScenarioConfig,
    TradeAgreementEvent,
    World,
)
from sim.scenario.schema_walk import state_id_fields, state_ids

SMALL = {"name": "walk", "world": {"states": ["USA", "CHN", "RUS"]}, "years": 6}

# The fields the checks used to list by hand, and where each is declared.
KNOWN = {
    (SanctionEvent, "senders"),
    (SanctionEvent, "target"),
    (ArmsDealEvent, "seller"),
    (ArmsDealEvent, "buyer"),
    (PipelineEvent, "exporter"),
    (PipelineEvent, "importer"),
    (ExistingPipeline, "exporter"),
    (ExistingPipeline, "importer"),
    (AllianceEvent, "members"),
    (TradeAgreementEvent, "members"),
    (ExerciseEvent, "participants"),
    (GrowthShockEvent, "states"),
    (World, "states"),
    (ScenarioConfig, "major_states"),
}


def _found(model: type[BaseModel]) -> set[tuple[str, str]]:
    return {
        (block.__name__, name) for block, names in state_id_fields(model).items() for name in names
    }


def _has_state_pattern(schema: Any) -> bool:
    """Whether a JSON schema (not following $refs) holds a string of the state id pattern."""
    if isinstance(schema, dict):
        if schema.get("pattern") == STATE_ID_PATTERN:
            return True
        return any(_has_state_pattern(v) for k, v in schema.items() if k != "$defs")
    if isinstance(schema, list):
        return any(_has_state_pattern(item) for item in schema)
    return False


def _from_json_schema(model: type[BaseModel]) -> set[tuple[str, str]]:
    """The same fields found another way: properties whose JSON schema has the pattern."""
    schema = model.model_json_schema()
    blocks = {model.__name__: schema, **schema.get("$defs", {})}
    return {
        (name, field)
        for name, block in blocks.items()
        for field, prop in block.get("properties", {}).items()
        if _has_state_pattern(prop)
    }


def test_todays_state_id_fields_are_all_found():
    assert {(block.__name__, name) for block, name in KNOWN} <= _found(ScenarioConfig)


def test_every_field_whose_type_holds_a_state_id_is_found():
    assert _found(ScenarioConfig) == _from_json_schema(ScenarioConfig)


class Seat(Strict):
    holder: StateId


class Council(Strict):
    """Every shape a state id can take inside a block."""

    chair: StateId | None = None
    blocs: dict[str, list[StateId]] = {}
    seats: list[Seat] = []
    rounds: list[list[StateId]] = []
    note: str = "ABC"  # text that looks like an id but is not typed as one


def test_state_ids_are_found_in_every_shape_in_the_order_written():
    council = Council(
        chair="USA",
        blocs={"west": ["GBR", "FRA"]},
        seats=[Seat(holder="CHN")],
        rounds=[["RUS"], ["IND", "BRA"]],
    )
    assert _found(Council) == {
        ("Council", "chair"),
        ("Council", "blocs"),
        ("Council", "rounds"),
        ("Seat", "holder"),
    }
    assert state_ids(council) == [
        (("chair",), "USA"),
        (("blocs", "west", "0"), "GBR"),
        (("blocs", "west", "1"), "FRA"),
        (("seats", "0", "holder"), "CHN"),
        (("rounds", "0", "0"), "RUS"),
        (("rounds", "1", "0"), "IND"),
        (("rounds", "1", "1"), "BRA"),
    ]


def test_removed_events_and_pipelines_name_no_states():
    config = load_scenario(
        {
            **SMALL,
            "world": {
                "states": ["USA", "CHN", "RUS"],
                "pipelines": {"gone": None, "kept": _pipeline("RUS", "CHN")},
            },
            "events": {"gone": None},
        }
    )
    named = [path for path, _ in state_ids(config)]
    assert ("world", "pipelines", "kept", "exporter") in named
    assert not [path for path in named if "gone" in path]


def _pipeline(exporter: str, importer: str) -> dict[str, Any]:
    return {"exporter": exporter, "importer": importer, "capacity_bcm": 10.0}


class Summit(ScenarioConfig):
    """A scenario with one field more, typed StateId and nothing else."""

    host: StateId = "USA"
    guests: list[StateId] = []


def test_a_new_field_typed_state_id_is_checked_with_no_other_change():
    located = load_located({**SMALL, "host": "IND", "guests": ["CHN", "JPN"]})
    config = validate(located, Summit)
    with pytest.raises(ScenarioError) as excinfo:
        check_against_world(config, located)
    assert [(p.path, p.message) for p in excinfo.value.problems] == [
        ("host", "'IND' is not an acting state of this scenario (CHN, RUS, USA)"),
        ("guests.1", "'JPN' is not an acting state of this scenario (CHN, RUS, USA)"),
    ]


def test_events_are_reported_before_pipelines_each_with_its_year_first():
    located = load_located(
        {
            **SMALL,
            "world": {"states": ["USA", "CHN", "RUS"], "pipelines": {"p": _pipeline("KAZ", "CHN")}},
            "events": {
                "a": {
                    "kind": "arms_deal",
                    "year": 2015,
                    "seller": "FRA",
                    "buyer": "USA",
                    "value_usd_bn": 1.0,
                    "delivery_years": 2,
                },
                "b": {"kind": "alliance", "year": 2050, "members": ["USA", "GBR"]},
            },
        }
    )
    with pytest.raises(ScenarioError) as excinfo:
        check_against_world(validate(located), located)
    assert [p.path for p in excinfo.value.problems] == [
        "events.a.seller",
        "events.b.year",
        "events.b.members.1",
        "world.pipelines.p.exporter",
    ]
