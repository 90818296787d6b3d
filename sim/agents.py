"""A state as a Mesa agent: it reads its row of the model's arrays and owns the decision rules.

Quantities live in numpy arrays on the model (vectorised dyadic arithmetic). States
decide simultaneously: every acting state chooses its year's actions on the world as
it stood at the start of the year (after the year's scripted events), and only then
are the choices carried out — Mesa's simultaneous activation (decide, then apply),
written over the whole AgentSet at once so that a year is a fixed number of array
operations whatever the number of states. Nothing depends on the order of the agents;
where two states' choices meet, an explicit rule settles it (docs/model.md, A year).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.mechanisms import alliances, arms, exercises, pipelines, sanctions
from sim.mechanisms.affinity import Shifts

if TYPE_CHECKING:
    from sim.model import WorldModel

Pairs = tuple[np.ndarray, ...]  # (a, b), after the run in an ensemble


@dataclass
class Choices:
    """What the deciding states chose this year, before any of it is carried out."""

    answers: sanctions.Answers | None
    arms_offers: Pairs
    pipeline_offers: tuple[np.ndarray, ...]
    pledges: alliances.Pledges | None
    exercises: Pairs


class State(mesa.Agent):
    """One state (or the EU acting as one), identified by its ISO 3166 alpha-3 code."""

    model: WorldModel

    def __init__(self, model: WorldModel, index: int, iso3: str, name: str, acts: bool):
        super().__init__(model)
        self.index = index
        self.iso3 = iso3
        self.name = name
        self.acts = acts  # the remainder of the world (ROW) holds data but takes no decisions

    # Reading the state's row keeps one copy of the truth: the model's arrays.
    @property
    def gdp_usd_bn(self) -> float:
        """Current GDP, US$ bn."""
        return float(self.model.gdp[self.index])

    @property
    def capability(self) -> float:
        """Accumulated military capability stock, US$ bn."""
        return float(self.model.capability[self.index])

    @property
    def allies(self) -> list[str]:
        """Ids of the states this one holds a defence pledge with."""
        row = self.model.allied[self.index]
        return [self.model.ids[j] for j in row.nonzero()[0]]

    @staticmethod
    def decide(states: mesa.AgentSet) -> Choices:
        """The year's decisions of every state in ``states``, all on the start-of-year world.

        In the order a foreign ministry would face them: answer sanctions, offer arms,
        seek a pipeline, review alliances (in ``threat`` mode), propose exercises. Each
        rule reads the world as the year started and draws its choices for every state
        at once; nothing is changed until ``carry_out``.
        """
        model = next(iter(states)).model
        deciding = np.zeros(model.n, bool)
        deciding[states.get("index")] = True
        return choose(model, deciding)

    @staticmethod
    def carry_out(model: WorldModel, choices: Choices) -> None:
        """Carry out the year's choices together, then train those who exercised.

        Sanctions answers, arms deals, pipeline contracts, alliance changes and the
        proposed exercises take effect in that order; since every choice was made on
        the same start-of-year world, the order only fixes the events log's. The
        affinity shifts they bring are summed and applied once.
        """
        shifts = Shifts(model.affinity.shape)
        sanctions.carry_out(model, choices.answers)
        arms.carry_out(model, choices.arms_offers, shifts)
        pipelines.carry_out(model, choices.pipeline_offers, shifts)
        if choices.pledges is not None:
            alliances.carry_out(model, choices.pledges)
        exercises.conduct(model, choices.exercises, shifts)
        shifts.apply(model)
        exercises.train(model)

    def __repr__(self) -> str:
        return f"State({self.iso3})"


def choose(model: WorldModel, deciding: np.ndarray) -> Choices:
    """The year's choices of the ``deciding`` rows (``State.decide``), for a run or an ensemble."""
    threat_mode = model.params.alliances.mode == "threat"
    return Choices(
        answers=sanctions.answer_sanctions(model, deciding),
        arms_offers=arms.offer_arms(model, deciding),
        pipeline_offers=pipelines.seek_pipelines(model, deciding),
        pledges=alliances.review_alliances(model, deciding) if threat_mode else None,
        exercises=exercises.propose_exercises(model, deciding),
    )
