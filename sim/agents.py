"""A state as a Mesa agent: it reads its row of the model's arrays and decides what to do.

Quantities live in numpy arrays on the model (vectorised dyadic arithmetic);
the agent holds its index into them and makes the choices: answer a sanction,
offer arms, seek a pipeline, join or leave alliances, hold exercises.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.mechanisms import alliances, arms, exercises, pipelines, sanctions

if TYPE_CHECKING:
    from sim.model import WorldModel


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

    def decide(self) -> None:
        """Take this year's decisions, in the order a foreign ministry would face them."""
        if not self.acts:
            return
        sanctions.answer_sanctions(self)
        arms.offer_arms(self)
        pipelines.seek_pipeline(self)
        if self.model.params.alliances.mode == "threat":
            alliances.review_alliances(self)
        exercises.propose_exercises(self)

    def __repr__(self) -> str:
        return f"State({self.iso3})"
