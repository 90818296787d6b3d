"""The scenario schema: every field typed, bounded, described with its unit.

The schema is the single source of defaults: docs and validation read it, nothing
copies it. Its blocks live by topic: field types in ``sim.scenario.fields``, the
mechanisms' parameters in ``sim.scenario.parameters``, events in
``sim.scenario.events``, the sweep design in ``sim.scenario.sweeps``, the
uncertainties' distributions in ``sim.scenario.distributions`` and the landscape
file in ``sim.scenario.landscape``. This module holds the starting world and the
whole scenario, and names every block so that ``sim.scenario.schema`` is the one
place to import them from.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.distributions import DISTRIBUTIONS, Normal, Uncertainty
from sim.scenario.events import (
    SECTORS,
    AllianceEvent,
    AnyEvent,
    ArmsDealEvent,
    Event,
    ExerciseEvent,
    GrowthShockEvent,
    PipelineEvent,
    PriceEvent,
    SanctionEvent,
    Sectors,
    TradeAgreementEvent,
)
from sim.scenario.fields import (
    MAX_GAS_BCM,
    PATH_PATTERN,
    STATE_ID_PATTERN,
    Flag,
    Int,
    NonNegative,
    ParameterPath,
    StateId,
    Strict,
    Year,
    distinct,
    problem,
)
from sim.scenario.landscape import Landscape, LandscapeFile
from sim.scenario.parameters import (
    Affinity,
    Alliances,
    Arms,
    Economy,
    Exercises,
    Military,
    Parameters,
    Pipelines,
    Power,
    PowerWeights,
    Sanctions,
    SectorWeights,
    Trade,
)
from sim.scenario.sweeps import Bounds, GridAxis, Sample, Steps, Sweep

__all__ = [
    "DISTRIBUTIONS",
    "PATH_PATTERN",
    "SECTORS",
    "STATE_ID_PATTERN",
    "Affinity",
    "AllianceEvent",
    "Alliances",
    "AnyEvent",
    "Arms",
    "ArmsDealEvent",
    "Bounds",
    "Economy",
    "Event",
    "ExerciseEvent",
    "Exercises",
    "ExistingPipeline",
    "GridAxis",
    "GrowthShockEvent",
    "Landscape",
    "LandscapeFile",
    "Military",
    "Normal",
    "Parameters",
    "PipelineEvent",
    "Pipelines",
    "Power",
    "PowerWeights",
    "PriceEvent",
    "Sample",
    "SanctionEvent",
    "Sanctions",
    "ScenarioConfig",
    "SectorWeights",
    "Sectors",
    "StateId",
    "Steps",
    "Sweep",
    "Trade",
    "TradeAgreementEvent",
    "Uncertainty",
    "World",
]

# --------------------------------------------------------------------------- world


class ExistingPipeline(Strict):
    """A pipeline already delivering gas in the start year."""

    exporter: StateId
    importer: StateId
    capacity_bcm: NonNegative = Field(
        le=MAX_GAS_BCM,
        description=f"start-year delivered volume, bcm/year; at most {MAX_GAS_BCM:g}: a sanity "
        "bound below Russia's whole 2014 gas production, 591 bcm in sim/data/states_2014.csv "
        "(all Russian pipeline gas to Europe was 164 bcm)",
    )
    source: str = Field("", description="citation for the volume")

    @model_validator(mode="after")
    def _check(self) -> ExistingPipeline:
        if self.exporter == self.importer:
            raise problem(
                f"exporter and importer must differ, got {self.importer} twice", "importer"
            )
        return self


class World(Strict):
    """Which packaged starting world to use, which states act in it, what already flows."""

    data: Literal["world_2014"] = Field(
        "world_2014", description="packaged baseline data set (sim/data/README.md)"
    )
    states: list[StateId] = Field(
        description="acting states; every other country is merged into the remainder ROW",
        min_length=2,
    )
    pipelines: dict[str, ExistingPipeline | None] = Field(
        default_factory=dict,
        description="pipelines delivering gas in the start year; null removes an inherited one",
    )
    capability_history_start: Year = Field(
        1990,
        description="first year of military spending summed into the initial capability "
        "stock; at most the start year, or the stock is empty and every capability share 0/0",
    )

    @field_validator("states")
    @classmethod
    def _unique(cls, states: list[str]) -> list[str]:
        if "ROW" in states:
            raise problem(
                "ROW is the remainder of the world and is added automatically",
                states.index("ROW"),
            )
        return distinct(states, "world.states")


# ---------------------------------------------------------------------- scenario

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
BACKTEST_SPAN = (2015, 2024)  # the years the backtest compares with the record


class ScenarioConfig(Strict):
    """A whole scenario: the starting world, parameters, events and run settings."""

    name: str = Field(description="short name; results go under results/<name>/")
    description: str = Field("", description="what the scenario asks, in a sentence or two")
    world: World
    start_year: Year = Field(2014, description="the data year of the starting world")
    years: Int = Field(26, ge=1, le=200, description="number of yearly steps to simulate")
    runs: Int = Field(20, ge=1, le=1_000_000, description="replicates per invocation")
    seed: Int = Field(0, ge=0, description="master seed; replicate seeds are spawned from it")
    major_states: list[StateId] = Field(
        default_factory=list,
        description="states shown in tables and plots (default: all acting states)",
    )
    backtest: Flag = Field(
        False,
        description="compare simulated GDP and military spending with the actual 2019 and "
        "2024 figures (sim/data/actual_2015_2024.csv) in the run report",
    )
    parameters: Parameters = Field(default_factory=Parameters)
    events: dict[str, AnyEvent | None] = Field(
        default_factory=dict, description="named dated events; null removes an inherited one"
    )
    sweep: Sweep | None = Field(None, description="the design `sim sweep` runs by default")
    uncertainties: dict[ParameterPath, Uncertainty | None] = Field(
        default_factory=dict,
        description="dotted field path -> the distribution each run draws its value from "
        "(a Latin hypercube over the runs); null removes an inherited one",
    )

    @model_validator(mode="after")
    def _history(self) -> ScenarioConfig:
        first = self.world.capability_history_start
        if first > self.start_year:
            raise problem(
                f"must be at most the start year {self.start_year}, got {first}: the capability "
                "stock sums military spending up to the start year",
                "world",
                "capability_history_start",
            )
        return self

    @model_validator(mode="after")
    def _backtest_years(self) -> ScenarioConfig:
        first, last = BACKTEST_SPAN
        if self.backtest and (self.start_year >= first or self.end_year < last):
            raise problem(
                f"backtest: true compares {first}-{last} with the actual figures, so the run "
                f"must cover them: with start_year {self.start_year}, years must be at least "
                f"{last - self.start_year}, got {self.years}",
                "years",
            )
        return self

    @field_validator("uncertainties", mode="before")
    @classmethod
    def _no_uncertainties(cls, value: Any) -> Any:
        return {} if value is None else value  # `--set uncertainties=null` removes them all

    @field_validator("major_states")
    @classmethod
    def _majors(cls, states: list[str]) -> list[str]:
        return distinct(states, "major_states")

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if not _NAME.match(name):
            raise problem(
                "expected a name of letters, digits, '_', '-' or '.' (not starting with '.'), "
                f"at most 64 characters: it names the results folder; got {name!r}"
            )
        return name

    @property
    def end_year(self) -> int:
        """The last simulated year."""
        return self.start_year + self.years

    def active_events(self) -> dict[str, AnyEvent]:
        """The events that were not removed by a null override."""
        return {key: event for key, event in self.events.items() if event is not None}

    def active_uncertainties(self) -> dict[str, Uncertainty]:
        """The uncertain fields that were not removed by a null (or fixed by ``--set``)."""
        return {path: u for path, u in self.uncertainties.items() if u is not None}
