"""The behavioural parameters of each mechanism, with their defaults, bounds and units.

Parameters that have no data behind them say so in their description (and in
docs/model.md) so that users know to sweep them.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim.scenario.fields import MAX_GAS_PRICE, Float, Int, NonNegative, Share, Strict
from sim.scenario.growth_parameters import SanctionGrowth
from sim.scenario.power_parameters import Power
from sim.scenario.power_parameters import PowerWeights as PowerWeights


class Economy(Strict):
    """GDP dynamics (docs/model.md#economy)."""

    growth_shock_scale: NonNegative = Field(
        1.0,
        le=10,
        description="multiplier on each state's 1995-2014 s.d. of real growth (1 = historical); "
        "at most 10: a sanity bound",
    )
    convergence: Float = Field(
        0.01,
        ge=0.001,
        le=0.5,
        allow_inf_nan=False,
        description="beta: share of the log gap between output per worker and its steady state "
        "closed a year, for rows SSP2 does not cover (Barro & Sala-i-Martin 1992; the "
        "median of the speeds fitted on SSP2 GDP paths: docs/calibration.md)",
    )
    convergence_by_state: dict[
        str, Annotated[Float, Field(ge=0.001, le=0.5, allow_inf_nan=False)]
    ] = Field(
        default_factory=dict,
        description="beta per row id, replacing the one fitted on its SSP2 path or "
        "`convergence`: the row's trend growth in 2025 stays, and returns to the "
        "frontier's at this speed (docs/calibration.md)",
    )
    frontier_growth: Float = Field(
        0.015,
        gt=0.0,
        le=0.1,
        allow_inf_nan=False,
        description="g_F: growth of the frontier's output per worker, fraction a year (fitted "
        "on SSP2 GDP paths: docs/calibration.md); every economy's trend growth from 2025 "
        "moves with it",
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
    trend_growth: dict[str, Annotated[Float, Field(ge=-0.5, le=0.5, allow_inf_nan=False)]] = Field(
        default_factory=dict,
        description="growth of output per working-age person in the record years 2015-2024, "
        "fraction a year, per row id, replacing the calibrated or observed value "
        "(docs/calibration.md); it moves the row's level for good, not its long-run path "
        "(between -0.5 and 0.5: Yemen's record is -13% a year)",
    )
    trade_gdp_elasticity: NonNegative = Field(
        0.5,
        le=10,
        description="GDP level change per unit change of trade/GDP away from its gravity path "
        "(Frankel & Romer 1999 range 0.5-2); at most 10: a sanity bound, five times the top of "
        "that range",
    )
    spillover_elasticity: NonNegative = Field(
        1.0,
        le=10,
        description="pp of a state's growth per pp of a partner's growth away from its trend, "
        "times the state's exports to the partner as a share of its GDP (assumption: 1, the "
        "partner's imports move one for one with its output; Arora & Vamvakidis 2005 find "
        "trading partners' growth raises domestic growth strongly, on a different weighting: "
        "docs/model.md#economy); at most 10: a sanity bound",
    )
    lng_premium: NonNegative = Field(
        0.3,
        le=5,
        description="extra cost, as a share of the lost gas's value, of replacing pipeline gas "
        "(assumption, no data); at most 5: a sanity bound",
    )
    energy_gdp_elasticity: NonNegative = Field(
        0.5,
        le=5.0,
        description="elasticity of primary energy consumption to GDP (assumption; it feeds the "
        "power index only; at most 5, beyond which (Y/Y2014)^elasticity overflows)",
    )
    energy_value_usd_bn_per_ej: NonNegative = Field(
        16.2,
        le=200,
        description="value of 1 EJ of net energy exports at the 2014 price level: Brent 2014 "
        "US$99/bbl x 163.4 million bbl/EJ (EI 2024); at most 200: a sanity bound above the value "
        "at the highest energy price index an event may set (10)",
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
        0.1,
        le=5,
        description="proportional trade gain for a newly allied pair (assumption); at most 5 "
        "(+500%): a sanity bound, as for a trade agreement's bonus",
    )
    affinity_elasticity: NonNegative = Field(
        0.5,
        le=10,
        description="proportional trade change per unit change of affinity from 2014 "
        "(assumption); at most 10: a sanity bound",
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
    technology_energy_loss: Share = Field(
        0.1,
        description="share of energy production lost at full technology intensity (assumption)",
    )
    growth_penalty: SanctionGrowth = Field(default_factory=SanctionGrowth)
    penalty_years: Int = Field(
        7,
        ge=1,
        le=50,
        description="years each rise in the sanctions a target suffers lowers its growth "
        "(Neuenkirch & Neumeier 2015: US sanctions lower growth for 7 years, UN sanctions for "
        "10); at least 1, at most 50: a sanity bound",
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
        0.05,
        le=1,
        description="yearly sender-target affinity fall per unit intensity (assumption); at most "
        "1: affinity spans 0 to 1",
    )
    concession_odds: NonNegative = Field(
        1.0,
        le=1e6,
        description="multiplier on the odds of the estimated yearly chance that a target "
        "concedes (TIES, docs/estimation.md; 1 = as estimated, 0 = never); at most 10^6: "
        "a sanity bound",
    )
    target_drift: NonNegative = Field(
        0.01,
        le=1,
        description="yearly affinity gain of a target with non-senders per unit intensity "
        "(assumption); at most 1: affinity spans 0 to 1",
    )
    decide: bool = Field(
        True,
        description="states impose sanctions of their own at the estimated yearly chance (TIES "
        "imposition logit, docs/estimation.md); false: only scripted sanctions are imposed",
    )
    imposition_odds: NonNegative = Field(
        1.0,
        le=1e6,
        description="multiplier on the odds of the estimated yearly chance that a state imposes "
        "a sanction on another (TIES, docs/estimation.md; 1 = as estimated, 0 = never); at most "
        "10^6: a sanity bound",
    )
    decided_intensity: Share = Field(
        0.1,
        description="intensity, in each sector it touches, of a sanction a state decides "
        "(assumption: TIES codes which sectors, not how much of them)",
    )
    ending_odds: NonNegative = Field(
        1.0,
        le=1e6,
        description="multiplier on the odds of the estimated yearly chance that a sanction ends "
        "without the target's concession (sender backs down, stalemate, settlement; TIES, "
        "docs/estimation.md; 1 = as estimated, 0 = never); at most 10^6: a sanity bound",
    )


class Arms(Strict):
    """Arms sales (docs/model.md#arms-sales)."""

    capability_factor: NonNegative = Field(
        1.0,
        le=10,
        description="capability added per unit of arms imports (SIPRI TIV, 1 = like spending); at "
        "most 10: a sanity bound",
    )
    choice_odds: NonNegative = Field(
        1.0,
        le=1000,
        description="multiplier on the odds of the estimated supplier-choice logit "
        "(sim/data/estimated/arms_transfer.csv, SIPRI 2002-14; 1 = as estimated, 0 = no "
        "relations begin); at most 1,000: a sanity bound",
    )
    industry_sanctions_cut: NonNegative = Field(
        1.0,
        le=10,
        description="share of a supplier's arms deliveries lost per unit of the mean "
        "exposure-weighted technology and finance sanctions it suffers (assumption: no "
        "published elasticity, docs/estimation.md; 1 = a proportional cut); at most 10: a "
        "sanity bound, the cut is kept within [0, 1]",
    )
    affinity_gain: NonNegative = Field(
        0.02,
        le=1,
        description="seller-buyer affinity gain per deal or new supply relation; at most 1: "
        "affinity spans 0 to 1",
    )
    rival_irritation: NonNegative = Field(
        0.01,
        le=1,
        description="affinity fall between seller and the buyer's main rival per deal; at most 1: "
        "affinity spans 0 to 1",
    )
    dependence: NonNegative = Field(
        0.02,
        le=10,
        description="yearly affinity gain per unit share of the buyer's arms imports from the "
        "seller (assumption); at most 10: a sanity bound",
    )


class Pipelines(Strict):
    """Pipeline gas (docs/model.md#pipeline-deals)."""

    gas_price_usd_mmbtu: NonNegative = Field(
        8.1,
        le=MAX_GAS_PRICE,
        description="contract gas price at energy price index 1 (TTF 2014, EI 2024); at most 100: "
        "a sanity bound, the highest yearly price in sim/data/prices.csv is TTF 2022 at 37.1",
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
    affinity_gain: NonNegative = Field(
        0.05, le=1, description="affinity gain on signing; at most 1: affinity spans 0 to 1"
    )
    lockin: NonNegative = Field(
        0.02,
        le=1,
        description="yearly affinity gain per unit share of importer's gas from the pair; at most "
        "1: affinity spans 0 to 1",
    )


class Alliances(Strict):
    """Alliance formation and termination (docs/model.md#alliances)."""

    mode: Literal["estimated", "landscape"] = Field(
        "estimated",
        description="alignment rule: the estimated hazards of forming and ending pledges "
        "(docs/estimation.md), or Axelrod-Bennett landscape sides",
    )
    formation_odds: NonNegative = Field(
        1.0,
        le=1000,
        description="multiplier on the odds of the estimated formation hazard (1 = as "
        "estimated; no data: sweep it to explore an alliance-prone or -averse world); at most "
        "1,000: a sanity bound",
    )
    termination_odds: NonNegative = Field(
        1.0,
        le=1000,
        description="multiplier on the odds of the estimated termination hazard (1 = as "
        "estimated; no data: sweep it); at most 1,000: a sanity bound",
    )
    form_affinity: Share = Field(
        0.75,
        description="landscape mode only: affinity two same-side states need to pledge "
        "(assumption)",
    )


class Exercises(Strict):
    """Joint military exercises as costly signals (docs/model.md#exercises)."""

    rate: Share = Field(0.2, description="yearly chance a qualifying pair exercises together")
    min_affinity: Share = Field(0.7, description="affinity needed to exercise together")
    affinity_gain: NonNegative = Field(
        0.02, le=1, description="affinity gain per exercise; at most 1: affinity spans 0 to 1"
    )
    cost_share: Share = Field(
        0.005, description="share of each participant's military spending an exercise costs"
    )
    readiness_gain: NonNegative = Field(
        0.01,
        le=1,
        description="capability gain per exercise, as a share of the participant's stock; at most "
        "1: a share of the stock",
    )
    rival_irritation: NonNegative = Field(
        0.005,
        le=1,
        description="affinity fall with the common rival per exercise; at most 1: affinity spans "
        "0 to 1",
    )


class Affinity(Strict):
    """Affinity dynamics (docs/model.md#affinity)."""

    reversion: Share = Field(0.1, description="yearly pull back toward the anchor (assumption)")
    noise: NonNegative = Field(
        0.01,
        le=1,
        description="s.d. of yearly random affinity shocks; at most 1: affinity spans 0 to 1",
    )


class IdealPoints(Strict):
    """UN ideal points and their estimated movement (docs/model.md#ideal-points)."""

    shock_scale: NonNegative = Field(
        1.0,
        le=10,
        description="multiplier on the estimated s.d. of yearly ideal-point shocks net of "
        "measurement error (1 = as estimated, 0.029; about 6.8 gives the raw residual's 0.20: "
        "docs/estimation.md; 0 = none); at most 10: a sanity bound",
    )
    hold: bool = Field(
        False, description="hold every ideal point at its 2014 value (a counterfactual)"
    )


class Military(Strict):
    """Military spending and capability (docs/model.md#military)."""

    threat_response: NonNegative = Field(
        0.0,
        le=40,
        description="rise of the military share of GDP, as a share of its 2014 level, per unit "
        "rise of the largest threat a state faces (calibrated: docs/calibration.md, where no "
        "response fits 2019 and 2024 best); at most 40: a sanity bound",
    )

    depreciation: Share = Field(
        0.1, description="yearly depreciation of the capability stock (assumption)"
    )
    burden_growth_cost: NonNegative = Field(
        0.1,
        le=5,
        description="pp of growth lost a year per pp rise of the military share of GDP above "
        "its 2014 level (assumption: the literature disagrees on the sign and size, "
        "docs/model.md#military); at most 5: a sanity bound",
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
    ideal_points: IdealPoints = Field(default_factory=IdealPoints)
    military: Military = Field(default_factory=Military)
    power: Power = Field(default_factory=Power)
