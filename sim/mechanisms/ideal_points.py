"""Ideal points: each state's position on the UN's main dimension, and how it moves.

x_i,t+1 = c + ρ x_i,t + β_A (x̄^A_i,t - x_i,t) + β_M (x̄^M_i,t - x_i,t)
          + β_S (x̄^S_i,t - x_i,t) + σ ε_i,t

x is the Bailey, Strezhnev & Voeten (2017) ideal point from all UNGA votes (about -2
to 3; higher is closer to the US-led liberal order), starting from each row's 2014
value; x̄^A is the mean of its defence allies', x̄^M the arms-weighted mean of its arms
suppliers', x̄^S the mean of the states sanctioning it (each gap 0 without such
partners). c, ρ, the β and σ are estimated on 2001-2014
(``sim/data/estimated/ideal_points.csv``, docs/estimation.md); ``ideal_points.shock_scale``
scales σ and ``ideal_points.hold`` keeps every ideal point at 2014. Polyarchy (V-Dem) and
major-power status are held at 2014: regimes are not modelled. A group's ideal point is
its members' GDP-weighted mean, so its shock has s.d. σ √(Σ_m w_m²) (independent
members' shocks averaged).

References:
    Bailey, Strezhnev & Voeten (2017), "Estimating Dynamic State Preferences from
    United Nations Voting Data", *JCR* 61(2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms import draws, estimated
from sim.world_state import SHARED, STATE, Field, stack

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

STATE = {
    "ideal_point0": Field(STATE, "UN ideal point in the start year (Bailey et al. 2017)", SHARED),
    "ideal_point": Field(STATE, "this year's UN ideal point"),
    "polyarchy": Field(STATE, "V-Dem electoral democracy index in 2014 (0-1), held", SHARED),
    "major_power": Field(
        STATE, "COW major power in 2014 (a group: its members' GDP share)", SHARED
    ),
    "shock_weight": Field(STATE, "the row's shock s.d. relative to a country's, √(Σ w²)", SHARED),
}


def start(world: Ensemble, starts: list[StartingWorld]) -> None:
    """The 2014 ideal points, polyarchy and major-power status of every row."""
    s, record = world.state, starts[0].record
    stack(s, "ideal_point0", [record["ideal_point"]])
    s.ideal_point[...] = s.ideal_point0
    stack(s, "polyarchy", [record["polyarchy"]])
    stack(s, "major_power", [record["major_power"]])
    stack(s, "shock_weight", [record["shock_weight"]])


def partner_mean(weights: np.ndarray, ideal: np.ndarray) -> np.ndarray:
    """Each row's weighted mean of its partners' ideal points minus its own (0 without partners).

    ``weights[..., i, j]`` is how much j counts for i; ``ideal`` is (..., n).
    """
    mass = weights.sum(axis=-1)
    mean = np.einsum("...ij,...j->...i", weights, ideal)
    gap = np.divide(mean, mass, out=np.zeros_like(mean), where=mass > 0) - ideal
    return np.where(mass > 0, gap, 0.0)


def update(world: Ensemble) -> None:
    """One year's movement of every row's ideal point (the estimated AR(1) with partners)."""
    p, s = world.params.ideal_points, world.state
    x = s.ideal_point
    senders = (s.sanctions.max(axis=-3) > 0).astype(float)  # [sender, target]
    covariates = {
        "ideal_lag": x,
        "ally_gap": partner_mean(s.allied, x),
        "supplier_gap": partner_mean(np.swapaxes(s.arms_flow, -1, -2), x),
        "sender_gap": partner_mean(np.swapaxes(senders, -1, -2), x),
    }
    shock = draws.normal(world.shock_rngs, (world.n,)) * s.shock_weight
    sd = estimated.coefficients("ideal_points")["shock_sd"] * p.shock_scale[:, None]
    moved = estimated.linear("ideal_points", covariates) + sd * shock
    s.ideal_point = np.where(p.hold[:, None], s.ideal_point0, moved)
