"""The dated events a scenario schedules: sanctions, deals, alliances, shocks, ..."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from sim.scenario.fields import (
    MAX_GAS_BCM,
    MAX_GAS_PRICE,
    Float,
    Int,
    NonNegative,
    Share,
    StateId,
    Strict,
    Year,
    distinct,
    problem,
)

SECTORS = ("trade", "finance", "energy", "technology", "arms")


class Sectors(Strict):
    """Sanction intensity per sector, 0 (none) to 1 (total)."""

    trade: Share = 0.0
    finance: Share = 0.0
    energy: Share = 0.0
    technology: Share = 0.0
    arms: Share = 0.0


class Event(Strict):
    """Fields every dated event has."""

    year: Year = Field(description="year the event takes effect")
    source: str = Field("", description="citation for the event's facts")


class SanctionEvent(Event):
    """Senders impose sanctions on a target (or change them: later events replace earlier)."""

    kind: Literal["sanction"]
    senders: list[StateId] = Field(min_length=1)
    target: StateId
    sectors: Sectors
    end: Year | None = Field(None, description="first year without the sanction (none: open)")

    @field_validator("senders")
    @classmethod
    def _senders(cls, states: list[str]) -> list[str]:
        return distinct(states, "a sanction")

    @model_validator(mode="after")
    def _check(self) -> SanctionEvent:
        if self.target in self.senders:
            raise problem(
                f"{self.target} is among the senders: a state cannot sanction itself", "target"
            )
        if self.end is not None and self.end <= self.year:
            raise problem(f"expected an end after year {self.year}, got {self.end}", "end")
        return self


class ArmsDealEvent(Event):
    """A signed arms contract delivered evenly over its delivery years."""

    kind: Literal["arms_deal"]
    seller: StateId
    buyer: StateId
    value_usd_bn: NonNegative = Field(
        le=2000,
        description="contract value, US$ bn; at most the buyer's 2014 GDP (checked against the "
        "world data) and at most 2,000: a sanity bound above the whole world's 2014 military "
        "spending, US$1,745 bn in sim/data/states_2014.csv",
    )
    delivery_years: Int = Field(ge=1, le=30, description="years over which the value is delivered")

    @model_validator(mode="after")
    def _check(self) -> ArmsDealEvent:
        if self.seller == self.buyer:
            raise problem(f"seller and buyer must differ, got {self.buyer} twice", "buyer")
        return self


class PipelineEvent(Event):
    """A gas pipeline contract (year = signing; flows start at first_gas)."""

    kind: Literal["pipeline"]
    exporter: StateId
    importer: StateId
    capacity_bcm: NonNegative = Field(
        le=MAX_GAS_BCM,
        description=f"contracted volume at full ramp, bcm/year; at most {MAX_GAS_BCM:g}: a "
        "sanity bound, nine times Nord Stream's design capacity of 55 bcm/year and below "
        "Russia's whole 2014 gas production, 591 bcm in sim/data/states_2014.csv",
    )
    first_gas: Year
    ramp_years: Int = Field(0, ge=0, le=30, description="years from first gas to full capacity")
    duration_years: Int = Field(
        30, ge=1, le=100, description="contract length, years (a sanity bound of a century)"
    )
    price_usd_mmbtu: Annotated[NonNegative, Field(le=MAX_GAS_PRICE)] | None = Field(
        None,
        description="contract price at energy price index 1, US$/MMBtu (default: "
        f"parameters.pipelines.gas_price_usd_mmbtu); at most {MAX_GAS_PRICE:g}: a sanity "
        "bound, the highest yearly price in sim/data/prices.csv is TTF 2022 at 37.1",
    )

    @model_validator(mode="after")
    def _check(self) -> PipelineEvent:
        if self.exporter == self.importer:
            raise problem(
                f"exporter and importer must differ, got {self.importer} twice", "importer"
            )
        if self.first_gas < self.year:
            raise problem(
                f"expected first gas in or after the signing year {self.year}, "
                f"got {self.first_gas}",
                "first_gas",
            )
        return self


class AllianceEvent(Event):
    """Members form (or break) mutual defence pledges with each other."""

    kind: Literal["alliance"]
    members: list[StateId] = Field(min_length=2)
    action: Literal["form", "break"] = "form"

    @field_validator("members")
    @classmethod
    def _members(cls, states: list[str]) -> list[str]:
        return distinct(states, "an alliance")


class ExerciseEvent(Event):
    """A joint military exercise among participants."""

    kind: Literal["exercise"]
    participants: list[StateId] = Field(min_length=2)

    @field_validator("participants")
    @classmethod
    def _participants(cls, states: list[str]) -> list[str]:
        return distinct(states, "an exercise")


class PriceEvent(Event):
    """The energy price index (1 = 2014 level) from this year on."""

    kind: Literal["energy_price"]
    index: NonNegative = Field(
        le=10,
        description="energy price index, 1 = 2014; at most 10: a sanity bound, Brent's highest "
        "yearly mean in sim/data/prices.csv (US$111.7/bbl, 2012) is 1.13",
    )


class TradeAgreementEvent(Event):
    """Members lower barriers among themselves: their mutual trade target rises."""

    kind: Literal["trade_agreement"]
    members: list[StateId] = Field(min_length=2)
    trade_bonus: NonNegative = Field(
        le=5,
        description="proportional rise of each member pair's trade target (0.1 = +10%); at "
        "most 5 (+500%): a sanity bound, Baier & Bergstrand (2007) find the average free trade "
        "agreement about doubles its members' trade after ten years",
    )

    @field_validator("members")
    @classmethod
    def _members(cls, states: list[str]) -> list[str]:
        return distinct(states, "a trade agreement")


class GrowthShockEvent(Event):
    """A one-year change in real growth (a recession, a pandemic) for some or all rows."""

    kind: Literal["growth_shock"]
    states: list[StateId] = Field(
        default_factory=list, description="rows hit (empty: every row, the remainder included)"
    )
    change_pct: Float = Field(
        ge=-50,
        le=50,
        allow_inf_nan=False,
        description="percentage points added to the year's real growth; within ±50: a sanity "
        "bound, a year that halves an economy",
    )

    @field_validator("states")
    @classmethod
    def _states(cls, states: list[str]) -> list[str]:
        return distinct(states, "a growth shock")


AnyEvent = Annotated[
    SanctionEvent
    | ArmsDealEvent
    | PipelineEvent
    | AllianceEvent
    | ExerciseEvent
    | PriceEvent
    | TradeAgreementEvent
    | GrowthShockEvent,
    Field(discriminator="kind"),
]
