"""The scenario schema: every field typed, bounded, described with its unit.

The schema is the single source of defaults: docs and validation read it, nothing
copies it. Parameters that have no data behind them say so in their description
(and in docs/model.md) so that users know to sweep them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError


def problem(message: str, *at: str | int) -> PydanticCustomError:
    """A schema check's error, located ``at`` a field or item below the checked value.

    The loader reports it at that place in the file (``at`` is relative to where
    pydantic raised it) and prints ``message`` as it is.
    """
    return PydanticCustomError("scenario", "{message}", {"message": message, "at": at})


def _number(value: Any) -> Any:
    """Refuse booleans and text where a number belongs.

    Pydantic would otherwise read ``true`` as 1 and ``'5'`` as 5, hiding a mistake
    such as ``runs: yes`` or a quoted number.
    """
    if isinstance(value, (bool, str)):
        raise problem(f"expected a number, got {value!r}")
    return value


Int = Annotated[int, BeforeValidator(_number)]
Float = Annotated[float, BeforeValidator(_number)]
Flag = Annotated[bool, Field(strict=True)]  # true or false, not 1 or 'yes'
STATE_ID_PATTERN = r"^[A-Z]{3}$"
PATH_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$"
StateId = Annotated[
    str,
    Field(pattern=STATE_ID_PATTERN, description="ISO 3166 alpha-3 code (EUU for the EU-27)"),
]
Share = Annotated[Float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
NonNegative = Annotated[Float, Field(ge=0.0, allow_inf_nan=False)]
Year = Annotated[Int, Field(ge=1990, le=2200)]


def distinct(states: list[str], what: str) -> list[str]:
    """Refuse a list naming the same state twice, at the repeated item."""
    for index, state in enumerate(states):
        if state in states[:index]:
            raise problem(f"{state} is listed twice: {what} names each state once", index)
    return states


class Strict(BaseModel):
    """Base for every schema block: unknown keys are errors, numbers must be finite."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


# --------------------------------------------------------------------------- world


class ExistingPipeline(Strict):
    """A pipeline already delivering gas in the start year."""

    exporter: StateId
    importer: StateId
    capacity_bcm: NonNegative = Field(description="start-year delivered volume, bcm/year")
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
        1990, description="first year of military spending summed into the initial capability stock"
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


# ------------------------------------------------------------------- parameters


class Economy(Strict):
    """GDP dynamics (docs/model.md#economy)."""

    growth_shock_scale: NonNegative = Field(
        1.0, description="multiplier on each state's 1995-2014 s.d. of real growth (1 = historical)"
    )
    convergence: Float = Field(
        0.05,
        ge=0.001,
        le=0.5,
        allow_inf_nan=False,
        description="beta: share of the log gap between output per worker and its steady state "
        "closed a year, for rows without a calibrated value of their own (Barro & "
        "Sala-i-Martin 1992; fitted on SSP2 GDP paths: docs/calibration.md)",
    )
    convergence_by_state: dict[
        str, Annotated[Float, Field(ge=0.001, le=0.5, allow_inf_nan=False)]
    ] = Field(
        default_factory=dict,
        description="beta per row id, replacing the calibrated per-state value or "
        "`convergence` (docs/calibration.md)",
    )
    frontier_growth: Float = Field(
        0.016,
        gt=0.0,
        le=0.1,
        allow_inf_nan=False,
        description="g_F: growth of the frontier's output per worker, fraction a year (fitted "
        "on SSP2 GDP paths: docs/calibration.md)",
    )
    min_trend_growth: Float = Field(
        0.005,
        gt=0.0,
        le=0.1,
        allow_inf_nan=False,
        description="lowest trend growth of output per worker, fraction a year, of a state "
        "whose trend output per worker is below the frontier's (assumption, no data: no "
        "economy below the frontier stalls for good)",
    )
    trend_growth: dict[str, Annotated[Float, Field(ge=-0.1, le=0.2, allow_inf_nan=False)]] = Field(
        default_factory=dict,
        description="trend growth of output per working-age person over 2015-2024, fraction a "
        "year, per row id, replacing the calibrated or observed value (docs/calibration.md); "
        "it sets where each row stands relative to its steady state",
    )
    trade_gdp_elasticity: NonNegative = Field(
        0.5,
        description="GDP level change per unit change of trade/GDP away from its gravity path "
        "(Frankel & Romer 1999 range 0.5-2)",
    )
    lng_premium: NonNegative = Field(
        0.3,
        description="extra cost, as a share of the lost gas's value, of replacing pipeline gas "
        "(assumption, no data)",
    )
    energy_gdp_elasticity: NonNegative = Field(
        0.5,
        le=5.0,
        description="elasticity of primary energy consumption to GDP (assumption; it feeds the "
        "power index only; at most 5, beyond which (Y/Y2014)^elasticity overflows)",
    )
    energy_value_usd_bn_per_ej: NonNegative = Field(
        16.2,
        description="value of 1 EJ of net energy exports at the 2014 price level: Brent 2014 "
        "US$99/bbl x 163.4 million bbl/EJ (EI 2024)",
    )


class Trade(Strict):
    """Bilateral trade (docs/model.md#trade)."""

    adjustment_rate: Share = Field(
        0.5,
        description="share of the gap to a higher target trade closed per year (assumption)",
    )
    cut_adjustment_rate: Share = Field(
        1.0,
        description="share of the gap to a lower target trade closed per year (1: within the "
        "year; Eurostat: EU imports from Russia fell from EUR 22.0 bn in March 2022 to "
        "EUR 3.8 bn in March 2023)",
    )
    diversion_share: Share = Field(
        0.5,
        description="share of trade lost to sanctions that finds other partners (assumption)",
    )
    alliance_bonus: NonNegative = Field(
        0.1, description="proportional trade gain for a newly allied pair (assumption)"
    )
    affinity_elasticity: NonNegative = Field(
        0.5,
        description="proportional trade change per unit change of affinity from 2014 (assumption)",
    )


class SectorWeights(Strict):
    """Share of a pair's trade that a full-intensity sanction in each sector stops.

    Energy sanctions act on the pair's energy trade, the other sectors on the rest
    (docs/model.md#trade).
    """

    trade: Share = Field(
        0.8,
        description="share of the banned goods' trade a full trade sanction stops (Miromanova "
        "2018: Russia's 2014 food embargo cut imports of the banned goods by more than 80%; "
        "the intensity is the share of the pair's non-energy trade under bans)",
    )
    finance: Share = Field(
        0.5,
        description="share of the pair's non-energy trade a full finance sanction stops "
        "through payments and country risk (Crozet & Hinz 2020: most Western exports lost in "
        "2014-15 were goods no sanction targeted), docs/model.md#trade",
    )
    energy: Share = Field(
        1.0,
        description="share of the pair's energy trade a full energy sanction stops (1: the "
        "intensity is the share of energy imports cut, as in REPowerEU's two thirds)",
    )
    technology: Share = Field(
        0.1,
        description="share of the pair's non-energy trade a full technology sanction stops "
        "(assumption)",
    )
    arms: Share = Field(
        0.0, description="share of the pair's non-energy trade an arms embargo stops (assumption)"
    )


class Sanctions(Strict):
    """Sanctions' effects (docs/model.md#sanctions)."""

    trade_cut: SectorWeights = Field(default_factory=SectorWeights)
    finance_loss: NonNegative = Field(
        0.15,
        description="target GDP level loss at full finance intensity from all its partners "
        "(anchored to Gurvich & Prilepskiy 2015: -2.4% for Russia by 2017)",
    )
    technology_loss: NonNegative = Field(
        0.05,
        description="target GDP level loss at full technology intensity from all partners "
        "(assumption)",
    )
    technology_energy_loss: Share = Field(
        0.1,
        description="share of energy production lost at full technology intensity (assumption)",
    )
    loss_adjustment: Share = Field(
        0.5, description="share of the gap to the sanction level loss closed per year (assumption)"
    )
    counter_ratio: Share = Field(
        0.3,
        description="intensity of a target's trade counter-sanction relative to the sanction it "
        "answers (assumption; Russia's 2014 food ban)",
    )
    counter_probability: Share = Field(
        0.8, description="yearly chance a sanctioned state answers a sender (assumption)"
    )
    affinity_loss: NonNegative = Field(
        0.05, description="yearly sender-target affinity fall per unit intensity (assumption)"
    )
    success_hazard: Share = Field(
        0.05,
        description="yearly chance a target under maximal pressure concedes (anchored to "
        "Hufbauer, Schott & Elliott: about a third of episodes succeed)",
    )
    success_half_cost: Float = Field(
        0.03,
        gt=0,
        allow_inf_nan=False,
        description="cost (share of GDP) at which the concession chance is half its maximum "
        "(assumption)",
    )
    target_drift: NonNegative = Field(
        0.01,
        description="yearly affinity gain of a target with non-senders per unit intensity "
        "(assumption)",
    )


class Arms(Strict):
    """Arms sales (docs/model.md#arms-sales)."""

    capability_factor: NonNegative = Field(
        1.0, description="capability added per unit of arms imports (SIPRI TIV, 1 = like spending)"
    )
    offer_rate: Share = Field(
        0.3, description="yearly chance a seller offers arms to a fully threatened buyer"
    )
    min_affinity: Share = Field(0.6, description="seller-buyer affinity needed to offer arms")
    deal_share: NonNegative = Field(
        0.05, description="deal value as a share of the buyer's yearly military spending"
    )
    delivery_years: Int = Field(4, ge=1, le=30, description="years over which a deal is delivered")
    affinity_gain: NonNegative = Field(0.02, description="seller-buyer affinity gain per deal")
    rival_irritation: NonNegative = Field(
        0.01, description="affinity fall between seller and the buyer's main rival per deal"
    )
    dependence: NonNegative = Field(
        0.02,
        description="yearly affinity gain per unit share of the buyer's arms imports from the "
        "seller (assumption)",
    )


class Pipelines(Strict):
    """Pipeline gas (docs/model.md#pipeline-deals)."""

    gas_price_usd_mmbtu: NonNegative = Field(
        8.1, description="contract gas price at energy price index 1 (TTF 2014, EI 2024)"
    )
    seek_threshold: Share = Field(
        0.1, description="share of its 2014 pipeline exports an exporter must lose to seek a deal"
    )
    deal_share: Share = Field(
        0.5, description="share of the lost volume a new contract covers (assumption)"
    )
    min_affinity: Share = Field(0.6, description="importer affinity needed to sign (assumption)")
    build_years: Int = Field(5, ge=0, le=30, description="years from contract to first gas")
    ramp_years: Int = Field(5, ge=0, le=30, description="years from first gas to full capacity")
    duration_years: Int = Field(30, ge=1, le=100, description="contract length")
    affinity_gain: NonNegative = Field(0.05, description="affinity gain on signing")
    lockin: NonNegative = Field(
        0.02, description="yearly affinity gain per unit share of importer's gas from the pair"
    )


class Alliances(Strict):
    """Alliance formation and break-up (docs/model.md#alliances)."""

    form_affinity: Share = Field(0.75, description="affinity both sides need to ally")
    break_affinity: Share = Field(0.45, description="affinity below which an alliance may break")
    form_rate: Share = Field(0.1, description="yearly chance of allying when conditions hold")
    break_rate: Share = Field(0.2, description="yearly chance of breaking when conditions hold")
    min_common_threat: Share = Field(
        0.2, description="shared threat (0-1) needed before two states ally against it"
    )
    affinity_bonus: NonNegative = Field(
        0.1, description="rise of the affinity anchor for allied pairs"
    )
    bandwagon_below: Share = Field(
        0.05,
        description="relative capability K_i/(K_i+K_j) below which a state may ally with its "
        "main threat instead of balancing it (assumption)",
    )
    bandwagon_affinity: Share = Field(
        0.6, description="affinity a weak state needs with its threat to bandwagon"
    )
    mode: Literal["threat", "landscape"] = Field(
        "threat",
        description="alignment rule: balance of threat, or Axelrod-Bennett landscape sides",
    )
    proximity_km: NonNegative = Field(
        3000.0, description="distance at which threat is halved (loss-of-strength gradient)"
    )


class Exercises(Strict):
    """Joint military exercises as costly signals (docs/model.md#exercises)."""

    rate: Share = Field(0.2, description="yearly chance a qualifying pair exercises together")
    min_affinity: Share = Field(0.7, description="affinity needed to exercise together")
    affinity_gain: NonNegative = Field(0.02, description="affinity gain per exercise")
    cost_share: Share = Field(
        0.005, description="share of each participant's military spending an exercise costs"
    )
    readiness_gain: NonNegative = Field(
        0.01, description="capability gain per exercise, as a share of the participant's stock"
    )
    rival_irritation: NonNegative = Field(
        0.005, description="affinity fall with the common rival per exercise"
    )


class Affinity(Strict):
    """Affinity dynamics (docs/model.md#affinity)."""

    reversion: Share = Field(0.1, description="yearly pull back toward the anchor (assumption)")
    noise: NonNegative = Field(0.01, description="s.d. of yearly random affinity shocks")


class Military(Strict):
    """Military spending and capability (docs/model.md#military)."""

    threat_response: NonNegative = Field(
        4.0,
        description="rise of the military share of GDP, as a share of its 2014 level, per unit "
        "rise of the largest threat a state faces (calibrated: docs/calibration.md)",
    )

    depreciation: Share = Field(
        0.1, description="yearly depreciation of the capability stock (assumption)"
    )


class PowerWeights(Strict):
    """Weights of the power index components; normalised to sum 1."""

    military: NonNegative = Field(1 / 3, description="capability stock (CINC: military third)")
    economy: NonNegative = Field(1 / 6, description="GDP (industrial proxy, CINC: industry)")
    energy: NonNegative = Field(1 / 6, description="primary energy consumption (CINC: pec)")
    population: NonNegative = Field(1 / 3, description="population (CINC: demographic third)")

    @model_validator(mode="after")
    def _positive_total(self) -> PowerWeights:
        if self.military + self.economy + self.energy + self.population <= 0:
            raise problem("at least one weight must be positive, got all zero")
        return self


class Power(Strict):
    """Power index and polarity classification (docs/model.md#power-and-polarity)."""

    index: Literal["composite", "cinc", "gdp", "capability"] = Field(
        "composite",
        description="which index gives power_share: composite (weights below), cinc (CINC's "
        "six components), gdp, or capability (military stock)",
    )
    weights: PowerWeights = Field(default_factory=PowerWeights)
    pole_share: Share = Field(0.1, description="world power share a state needs to count as a pole")
    unipolar_ratio: Float = Field(
        2.0,
        ge=1.0,
        allow_inf_nan=False,
        description="leader/runner-up share ratio at or above which the system is unipolar",
    )
    transition_parity: Share = Field(
        0.8,
        description="runner-up/leader share ratio at which a power transition is possible "
        "(Organski & Kugler 1980: 80%)",
    )
    dissatisfied_affinity: Share = Field(
        0.5, description="runner-up's affinity with the leader below which it is dissatisfied"
    )
    bloc_affinity: Share = Field(
        0.8, description="average affinity that holds a bloc together (allied pairs count as 1)"
    )


class Parameters(Strict):
    """All behavioural parameters, grouped by mechanism."""

    economy: Economy = Field(default_factory=Economy)
    trade: Trade = Field(default_factory=Trade)
    sanctions: Sanctions = Field(default_factory=Sanctions)
    arms: Arms = Field(default_factory=Arms)
    pipelines: Pipelines = Field(default_factory=Pipelines)
    alliances: Alliances = Field(default_factory=Alliances)
    exercises: Exercises = Field(default_factory=Exercises)
    affinity: Affinity = Field(default_factory=Affinity)
    military: Military = Field(default_factory=Military)
    power: Power = Field(default_factory=Power)


# ----------------------------------------------------------------------- events

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
    value_usd_bn: NonNegative
    delivery_years: Int = Field(ge=1, le=30)

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
    capacity_bcm: NonNegative = Field(description="contracted volume at full ramp, bcm/year")
    first_gas: Year
    ramp_years: Int = Field(0, ge=0, le=30)
    duration_years: Int = Field(30, ge=1, le=100)
    price_usd_mmbtu: NonNegative | None = Field(
        None,
        description="contract price at energy price index 1 (default: "
        "parameters.pipelines.gas_price_usd_mmbtu)",
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
    index: NonNegative


class TradeAgreementEvent(Event):
    """Members lower barriers among themselves: their mutual trade target rises."""

    kind: Literal["trade_agreement"]
    members: list[StateId] = Field(min_length=2)
    trade_bonus: NonNegative = Field(
        description="proportional rise of each member pair's trade target (0.1 = +10%)"
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
    change_pct: Float = Field(ge=-50, le=50, allow_inf_nan=False, description="percentage points")

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

# ------------------------------------------------------------------------ sweep

ParameterPath = Annotated[
    str,
    Field(
        pattern=PATH_PATTERN,
        description="dotted path of a scenario field, e.g. parameters.trade.diversion_share",
    ),
]
Finite = Annotated[Float, Field(allow_inf_nan=False)]


class Bounds(Strict):
    """A closed interval a sampled parameter is drawn from."""

    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _check(self) -> Bounds:
        if not self.low < self.high:
            raise problem(f"low must be below high, got low={self.low:g}, high={self.high:g}")
        return self


class Steps(Bounds):
    """Evenly spaced values from low to high inclusive (numpy.linspace)."""

    n: Int = Field(ge=2, le=10_000, description="number of values, ends included")


class Sample(Strict):
    """A sampled design: Latin hypercube, Sobol (Saltelli) or Morris trajectories (SALib)."""

    method: Literal["lhs", "sobol", "morris"]
    n: Int = Field(
        ge=1,
        le=1_000_000,
        description="lhs: points; sobol: base samples (a power of 2), N*(D+2) points; "
        "morris: trajectories, N*(D+1) points",
    )
    vary: dict[ParameterPath, Bounds] = Field(min_length=1)
    levels: Int = Field(4, ge=2, le=100, description="morris: grid levels per parameter")

    @model_validator(mode="after")
    def _check(self) -> Sample:
        if self.method == "sobol" and self.n & (self.n - 1):
            power = 1 << max(self.n - 1, 1).bit_length()
            raise problem(f"sobol needs n a power of 2 (got {self.n}; try {power})", "n")
        if self.method == "morris" and self.levels % 2:
            raise problem(f"morris needs an even number of levels, got {self.levels}", "levels")
        return self


def _axis_kind(value: Any) -> str:
    """Read a mapping as {low, high, n}, anything else as a list of values (one error, not two)."""
    return "steps" if isinstance(value, (dict, Steps)) else "values"


GridAxis = Annotated[
    Annotated[list[Any], Field(min_length=1), Tag("values")] | Annotated[Steps, Tag("steps")],
    Discriminator(_axis_kind),
]


class Sweep(Strict):
    """A parameter sweep: a full factorial grid, a sampled design, or the grid x the sample."""

    runs: Int | None = Field(
        None, ge=1, le=1_000_000, description="replicates per design point (default: runs)"
    )
    grid: dict[ParameterPath, GridAxis] = Field(
        default_factory=dict, description="path -> list of values, or {low, high, n}"
    )
    sample: Sample | None = None

    @model_validator(mode="after")
    def _check(self) -> Sweep:
        if not self.grid and self.sample is None:
            raise problem("a sweep needs a grid or a sample (or both)")
        varied = [*(("grid", p) for p in self.grid)]
        varied += [("sample", "vary", p) for p in (self.sample.vary if self.sample else ())]
        for *block, path in varied:
            if path.split(".")[0] in ("name", "runs", "seed", "sweep", "extends"):
                raise problem(
                    f"{path} cannot be swept: it sets how the sweep itself runs", *block, path
                )
        both = set(self.grid) & set(self.sample.vary if self.sample else ())
        if both:
            path = sorted(both)[0]
            raise problem(f"{path} is both on the grid and sampled", "sample", "vary", path)
        return self


# ----------------------------------------------------------------- uncertainties

DISTRIBUTIONS = ("uniform", "triangular", "normal", "discrete")
Weight = Annotated[Float, Field(gt=0, allow_inf_nan=False)]


def _ordered(low: float, high: float, *at: str | int) -> None:
    if not low < high:
        raise problem(f"low must be below high, got low={low:g}, high={high:g}", *at)


class Normal(Strict):
    """A normal distribution truncated to [low, high] (scipy.stats.truncnorm)."""

    mean: Finite
    sd: Finite = Field(description="standard deviation before truncation, > 0")
    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _check(self) -> Normal:
        if not self.sd > 0:
            raise problem(f"sd must be > 0, got {self.sd:g}", "sd")
        _ordered(self.low, self.high, "high")
        return self


def _choices_kind(value: Any) -> str:
    return "weights" if isinstance(value, dict) else "values"


Choices = Annotated[
    Annotated[list[Any], Field(min_length=1), Tag("values")]
    | Annotated[dict[str | int | float, Weight], Field(min_length=1), Tag("weights")],
    Discriminator(_choices_kind),
]


def _choice(text: str | int | float) -> int | float | str:
    """A weighted choice's key (YAML keys are text) as the number it spells, if it spells one."""
    if not isinstance(text, str):
        return text
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


class Uncertainty(Strict):
    """The distribution one uncertain scenario field is drawn from: exactly one of these."""

    uniform: Annotated[list[Finite], Field(min_length=2, max_length=2)] | None = Field(
        None, description="[low, high]: every value in between equally likely"
    )
    triangular: Annotated[list[Finite], Field(min_length=3, max_length=3)] | None = Field(
        None, description="[low, mode, high]: a triangle peaking at mode"
    )
    normal: Normal | None = Field(
        None, description="{mean, sd, low, high}: a normal truncated to [low, high]"
    )
    discrete: Choices | None = Field(
        None, description="[a, b, ...] equally likely, or {a: weight, b: weight, ...}"
    )

    @model_validator(mode="after")
    def _check(self) -> Uncertainty:
        given = [name for name in DISTRIBUTIONS if getattr(self, name) is not None]
        if len(given) != 1:
            found = " and ".join(given) if given else "none"
            raise problem(f"expected one of {', '.join(DISTRIBUTIONS)}, got {found}")
        if self.uniform is not None:
            _ordered(*self.uniform, "uniform")
        if self.triangular is not None:
            low, mode, high = self.triangular
            _ordered(low, high, "triangular")
            if not low <= mode <= high:
                raise problem(
                    f"mode must lie within [low, high], got {mode:g} outside [{low:g}, {high:g}]",
                    "triangular",
                    1,
                )
        for index, value in enumerate(self.discrete if isinstance(self.discrete, list) else ()):
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise problem(f"expected a number or a word, got {value!r}", "discrete", index)
        return self

    @property
    def kind(self) -> str:
        """The distribution's name: uniform, triangular, normal or discrete."""
        return next(name for name in DISTRIBUTIONS if getattr(self, name) is not None)

    def choices(self) -> tuple[list[Any], list[float]]:
        """A discrete distribution's values and their probabilities (weights normalised)."""
        if isinstance(self.discrete, dict):
            total = sum(self.discrete.values())
            return [_choice(k) for k in self.discrete], [w / total for w in self.discrete.values()]
        values = list(self.discrete or ())
        return values, [1 / len(values)] * len(values)


# ---------------------------------------------------------------------- scenario

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class Scenario(Strict):
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


# --------------------------------------------------------------------- landscape


class Landscape(Strict):
    """Axelrod-Bennett landscape: actor sizes and symmetric pairwise propensities."""

    sizes: dict[str, Annotated[Float, Field(gt=0, allow_inf_nan=False)]] = Field(
        min_length=2, max_length=24, description="actor -> size (e.g. power), > 0"
    )
    propensities: list[tuple[str, str, Float]] = Field(
        default_factory=list,
        description="[a, b, p] triples, symmetric; pairs not listed are 0",
    )
    starts: Int = Field(1000, ge=1, le=1_000_000, description="random starts for basin sizes")
    seed: Int = Field(0, ge=0)

    @model_validator(mode="after")
    def _check(self) -> Landscape:
        seen: dict[frozenset, tuple[int, float]] = {}
        for index, (a, b, value) in enumerate(self.propensities):
            for side, actor in enumerate((a, b)):
                if actor not in self.sizes:
                    known = ", ".join(self.sizes)
                    raise problem(
                        f"{actor!r} has no size (sizes: {known})", "propensities", index, side
                    )
            if a == b:
                raise problem(
                    f"a propensity pairs two different actors, got {a} with itself",
                    "propensities",
                    index,
                )
            pair = frozenset((a, b))
            if pair in seen and seen[pair][1] != value:
                first, other = seen[pair]
                raise problem(
                    f"propensities are symmetric: {a}-{b} is {value:g} here but {other:g} in "
                    f"item {first}",
                    "propensities",
                    index,
                    2,
                )
            seen.setdefault(pair, (index, value))
        return self


class LandscapeFile(Strict):
    """A file for ``sim landscape``: a name, a description and a landscape block."""

    name: str
    description: str = ""
    landscape: Landscape
