"""The world's declaration, its start and the order of one year: the model's whole timeline.

One step is one year. The row recorded for year Y is the world at the end of Y: the
step that produces it applies the scenario's events dated Y, lets every acting state
decide at once on that start-of-year world (``decide``) and carries the choices out
together (``carry_out``), then advances the vectorised dynamics: gas, arms, trade,
economy, military, affinity. Events dated in the start year are applied before the
start row is recorded; their effects show from the next year on.

Everything here works on an ``Ensemble`` of R ≥ 1 runs (a single run is R = 1): each
mechanism's arrays have the runs as their leading axis (``sim.world_state``).

Adding a mechanism: declare its fields (``STATE``) and write its ``start`` and
``update`` beside its equations in ``sim/mechanisms/``; here, add the module to
``STARTS`` and ``DECLARED`` (its block joins ``DECLARATION``) and its update to
``advance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim import finite
from sim.mechanisms import (
    affinity,
    alliances,
    arms,
    economy,
    exercises,
    growth_effects,
    ideal_points,
    military,
    pipelines,
    power,
    sanction_decisions,
    sanctions,
    threat,
    trade,
)
from sim.mechanisms.affinity import Shifts
from sim.recorder import DYAD_SOURCES
from sim.world_state import (
    OWN,
    SHARED,
    STATE,
    Field,
    WorldState,
    declare,
    empty,
    freeze,
    stack,
)

if TYPE_CHECKING:
    from sim.ensemble import Ensemble
    from sim.world import StartingWorld

# in the order their starting values are set: each reads only what the ones before it set
STARTS = (
    pipelines,
    economy,
    military,
    power,
    trade,
    sanctions,
    growth_effects,
    ideal_points,
    affinity,
    alliances,
    arms,
    threat,
)
WORLD = {"acts": Field(STATE, "the row takes decisions (not ROW)", SHARED, bool)}
# the declaration's order is also the order the yearly check reports in (sim.finite):
# the economy first, where a broken world shows to the user
DECLARED = (
    economy,
    military,
    power,
    pipelines,
    arms,
    trade,
    sanctions,
    growth_effects,
    ideal_points,
    affinity,
    alliances,
)
DECLARATION = declare([WORLD, *(m.STATE for m in (*DECLARED, threat, exercises))])
State = WorldState.of(DECLARATION)
# The finite check (sim.finite): every floating-point field in the start year; then at
# the end of every year every quantity of a state the runs write, and every quantity of
# a pair the tables record (the others feed one of these within the year).
CHECKED_AT_START = tuple(name for name, field in DECLARATION.items() if field.dtype is np.float64)
CHECKED_YEARLY = tuple(
    name
    for name in CHECKED_AT_START
    if DECLARATION[name].role == OWN
    and (len(DECLARATION[name].axes) <= 1 or name in DYAD_SOURCES.values())
)
PHYSICAL = frozenset(name for name, field in DECLARATION.items() if field.physical)


def sizes(world: Ensemble) -> dict[str, int]:
    """The length of each of the world's axes (``sim.world_state``)."""
    return {"state": world.n, "sector": len(sanctions.SECTOR_INDEX), "year": world.config.years + 1}


def start(world: Ensemble, starts: list[StartingWorld]) -> WorldState:
    """The runs' world in the start year, its scripted events applied, ready to record."""
    runs = len(world.runs)
    world.state = state = empty(State, runs, sizes(world))
    acts = np.ones(world.n, bool)
    acts[-1] = False  # the remainder of the world (ROW) holds data but takes no decisions
    stack(state, "acts", [acts])
    for mechanism in STARTS:
        mechanism.start(world, starts)
    for r, run in enumerate(world.runs):  # the start row already holds start-year events
        run.schedule.apply(world, r, world.year)
    sanctions.age(world)  # the start year's sanctions have been in force one year
    state.between = sanctions.pair_intensity(state.sanctions)
    exercises.train(world)
    freeze(state)
    finite.check(world, CHECKED_AT_START, PHYSICAL)
    return state


def advance(world: Ensemble) -> None:
    """One year of every run of ``world``."""
    s = world.state
    world.year += 1
    s.exercised[...] = False
    s.growth_shock[...] = 0.0
    for r, run in enumerate(world.runs):
        run.schedule.apply(world, r, world.year)
    threat.update(world)
    s.between = sanctions.pair_intensity(s.sanctions)  # as the year starts
    s.arms_embargo = s.between[:, sanctions.SECTOR_INDEX["arms"]]
    carry_out(world, decide(world))
    s.between = sanctions.pair_intensity(s.sanctions)  # after the year's decisions
    sanctions.age(world)
    if world.params.alliances.mode == "landscape":
        shares = world.power_indices()[world.params.power.index]
        for r in range(len(world.runs)):
            alliances.align_by_landscape(world, r, shares[r])
    alliances.update(world)
    s.tech_exposure = sanctions.exposure(world, "technology")
    pipelines.update(world)
    arms.update(world)
    trade.update(world)
    economy.update(world)
    military.update(world)
    ideal_points.update(world)
    affinity.update(world)
    finite.check(world, CHECKED_YEARLY, PHYSICAL)  # a broken world stops its run here
    world.recorder.record()


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # (run, a, b), as np.nonzero gives them


@dataclass
class Choices:
    """What the deciding states chose this year, before any of it is carried out."""

    answers: sanctions.Answers | None
    impositions: sanction_decisions.Impositions | None
    arms_offers: Pairs
    pipeline_offers: tuple[np.ndarray, ...]
    pledges: alliances.Pledges | None
    exercises: Pairs


def decide(world: Ensemble) -> Choices:
    """The year's decisions of every acting state of every run, on the start-of-year world.

    States decide simultaneously, in the order a foreign ministry would face them:
    answer sanctions (concede, end or counter them), impose new ones, offer arms, seek a
    pipeline, review alliances (in ``estimated`` mode), propose exercises. Each rule
    reads the world as the year started and draws its choices for every state at once;
    nothing is changed until ``carry_out``, and nothing depends on the order of the
    agents (docs/model.md, A year).
    """
    deciding = world.deciding
    estimated = world.params.alliances.mode == "estimated"
    return Choices(
        answers=sanctions.answer_sanctions(world, deciding),
        impositions=sanction_decisions.decide_impositions(world, deciding),
        arms_offers=arms.offer_arms(world, deciding),
        pipeline_offers=pipelines.seek_pipelines(world, deciding),
        pledges=alliances.review_alliances(world, deciding) if estimated else None,
        exercises=exercises.propose_exercises(world, deciding),
    )


def carry_out(world: Ensemble, choices: Choices) -> None:
    """Carry out the year's choices together, then train those who exercised.

    Sanctions answers, new sanctions, arms deals, pipeline contracts, alliance changes and
    the proposed exercises take effect in that order; since every choice was made on the
    same start-of-year world, the order only fixes the events log's. The affinity
    shifts they bring are summed and applied once.
    """
    shifts = Shifts(world.state.affinity.shape)
    sanctions.carry_out(world, choices.answers)
    sanction_decisions.carry_out(world, choices.impositions)
    arms.carry_out(world, choices.arms_offers, shifts)
    pipelines.carry_out(world, choices.pipeline_offers, shifts)
    if choices.pledges is not None:
        alliances.carry_out(world, choices.pledges)
    exercises.conduct(world, choices.exercises, shifts)
    shifts.apply(world)
    exercises.train(world)
