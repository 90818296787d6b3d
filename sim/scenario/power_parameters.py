"""Parameters of the power indices and the polarity classification.

Kept apart from ``sim.scenario.parameters`` (which groups them under ``power``) so
that each module stays small.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from sim.scenario.fields import Float, NonNegative, Share, Strict, problem


class PowerWeights(Strict):
    """Weights of the power index components; normalised to sum 1."""

    military: NonNegative = Field(
        1 / 3,
        le=1000,
        description="capability stock (CINC: military third); at most 1,000: a sanity bound, the "
        "weights are normalised",
    )
    economy: NonNegative = Field(
        1 / 6,
        le=1000,
        description="GDP (industrial proxy, CINC: industry); at most 1,000: a sanity bound, the "
        "weights are normalised",
    )
    energy: NonNegative = Field(
        1 / 6,
        le=1000,
        description="primary energy consumption (CINC: pec); at most 1,000: a sanity bound, the "
        "weights are normalised",
    )
    population: NonNegative = Field(
        1 / 3,
        le=1000,
        description="population (CINC: demographic third); at most 1,000: a sanity bound, the "
        "weights are normalised",
    )

    @model_validator(mode="after")
    def _positive_total(self) -> PowerWeights:
        if self.military + self.economy + self.energy + self.population <= 0:
            raise problem("at least one weight must be positive, got all zero")
        return self


class Power(Strict):
    """Power index and polarity classification (docs/model.md#power-and-polarity)."""

    index: Literal["capability", "net", "composite", "cinc", "gdp"] = Field(
        "capability",
        description="which index gives power_share and the headline polarity: capability "
        "(accumulated military spending; the measure of Brooks & Wohlforth 2016, International "
        "Security 40(3), who rest US primacy on military capability built over decades), net "
        "(GDP × GDP per capita; Beckley 2018, International Security 43(2)), composite "
        "(weights below), cinc (CINC's six components; Singer, Bremer & Stuckey 1972) or gdp; "
        "every run records all five (docs/model.md#power-and-polarity)",
    )
    weights: PowerWeights = Field(default_factory=PowerWeights)
    pole_share: Share = Field(
        0.1,
        description="world power share a state needs to count as a pole (assumption: no "
        "agreed empirical cut-off exists)",
    )
    pole_share_band: Share = Field(
        0.02,
        description="half-width of the band of pole thresholds under which the polarity is "
        "also classed (pole_share ± band); a verdict that changes inside it is flagged "
        "fragile (assumption)",
    )
    unipolar_ratio: Float = Field(
        2.0,
        le=100,
        ge=1.0,
        allow_inf_nan=False,
        description="leader/runner-up share ratio at or above which the system is unipolar "
        "(assumption); at most 100: a sanity bound",
    )
    unipolar_ratio_band: NonNegative = Field(
        0.2,
        le=10,
        description="half-width of the band of unipolar ratios under which the polarity is "
        "also classed (unipolar_ratio ± band); a verdict that changes inside it is flagged "
        "fragile (assumption); at most 10: a sanity bound",
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
        0.8,
        description="average affinity that holds a bloc together (allied pairs count as 1; "
        "strategic rivals never share a bloc)",
    )
