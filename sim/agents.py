"""A state as a Mesa agent: its run's view of its row of the world's arrays.

Quantities live in the world's declared arrays (``sim.world_state``), the runs
first; a ``State`` agent reads its row of its run's slice. What states decide, and
how the choices are carried out, lives beside the year's order (``sim.year``):
every acting state decides at once, on the world as it stood at the start of the
year — Mesa's simultaneous activation (decide, then apply), written over all states
at once so that a year is a fixed number of array operations whatever the number of
states.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

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

    # Reading the state's row keeps one copy of the truth: the world's arrays.
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

    def __repr__(self) -> str:
        return f"State({self.iso3})"


def rows(agents: mesa.AgentSet, n: int) -> np.ndarray:
    """[row] which of a world's ``n`` rows the ``agents`` are (in any order)."""
    chosen = np.zeros(n, bool)
    chosen[agents.get("index")] = True
    return chosen
