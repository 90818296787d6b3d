"""R ≥ 1 runs of one scenario, advanced a year at a time together.

A year of a small world is about a thousand numpy calls on arrays of a few hundred
numbers: the calls, not the arithmetic, are the cost. An ``Ensemble`` holds every
quantity of its runs with the runs as the leading axis (``sim.world_state``) and
makes each call once for all of them. It is the only way a year is computed: a
single run is an ensemble of one (``WorldModel`` builds it; ``sim.model.together``
builds one of many), so the mechanisms have one shape to think about.

Each run is still a whole Mesa model (``sim.model.WorldModel``): its agents, its
generators, its scripted events, contracts and events log are its own. Each run
draws from its own generators in the order it would alone and computes the same
operations on the same numbers, so its tables do not depend on the runs it is
advanced with (tests/test_ensemble.py). The runs must share their states, years and
choice of mechanisms (``Ensemble.shares``); any numeric parameter may differ.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from sim import year as the_year
from sim.agents import rows
from sim.errors import Problem, ScenarioError
from sim.mechanisms import arms, power
from sim.recorder import TABLES, Recorder
from sim.run_parameters import stack_parameters
from sim.scenario.schema import ScenarioConfig
from sim.world_state import release

if TYPE_CHECKING:
    from sim.model import WorldModel


def _each_run(run: np.ndarray) -> Iterator[tuple[int, np.ndarray | slice]]:
    """Each run among the entries ``run`` names, and which entries are its (in order)."""
    if len(run) == 0:
        return
    first = int(run[0])
    if (run == first).all():  # one run's entries (always so in an ensemble of one)
        yield first, slice(None)
        return
    for r in np.unique(run).tolist():
        yield r, run == r


class Ensemble:
    """The runs ``runs`` (Mesa models), their world state and their year.

    Attributes:
        runs: Each run's ``WorldModel``, in order; run ``r`` is row ``r`` of every own field.
        state: The declared arrays (``sim.year.DECLARATION``), the runs first.
        params: The runs' parameters, one (R,) array per number (``sim.run_parameters``).
        rngs: Each run's generator for its decisions; ``shock_rngs`` for its shocks.
        deciding: [row] the rows that take decisions (acting states).
        deliveries: Every run's arms deals being delivered.
        recorder: Every run's yearly records.
    """

    def __init__(self, runs: list[WorldModel], tables: tuple[str, ...] = TABLES):
        shared = {self.shares(run.config) for run in runs}
        if len(shared) > 1:
            message = (
                "runs advanced together must share their states, years and modes"
                " (alliances.mode, power.index)"
            )
            raise ScenarioError(Problem(runs[0].config.name, 0, 0, "", message))
        self.runs = runs
        first = runs[0]
        self.config = first.config
        self.ids, self.index, self.n = first.ids, first.index, first.n
        self.year = self.config.start_year
        self.params = stack_parameters([run.params for run in runs])
        self.rngs = [run.rng for run in runs]
        self.shock_rngs = [run.shock_rng for run in runs]
        self.deciding = rows(first.deciding, self.n)
        self.deliveries = arms.Deliveries()
        for r, run in enumerate(runs):
            run.join(self, r)
        self.state = the_year.start(self, [run.starting_world for run in runs])
        self.recorder = Recorder(self, tables)
        self.recorder.record()

    @staticmethod
    def shares(config: ScenarioConfig) -> tuple:
        """What runs must have in common to be advanced together: states, years, mechanisms."""
        p = config.parameters
        return (
            tuple(config.world.states),
            config.start_year,
            config.years,
            p.alliances.mode,
            p.power.index,
        )

    # ------------------------------------------------------------------ the year

    def step(self) -> None:
        """Advance every run one year."""
        the_year.advance(self)

    def run(self) -> None:
        """Run every year of the scenario, in every run."""
        for _ in range(self.config.years - (self.year - self.config.start_year)):
            self.step()

    # ---------------------------------------------------------------- helpers

    def log(self, run: int, kind: str, source: str, target: str, magnitude: float, origin: str):
        """Record something that happened this year in one run (exogenous or chosen)."""
        self.runs[run].events_log.add(self.year, kind, source, target, magnitude, origin)

    def log_many(
        self,
        kind: str,
        run: np.ndarray,
        sources: np.ndarray,
        targets: np.ndarray,
        magnitude: float | np.ndarray,
        origin: str,
    ) -> None:
        """Log events between many pairs of rows: each run's in its own events log, in order."""
        sizes = np.asarray(magnitude, dtype=float)
        for r, mine in _each_run(run):
            size = sizes[mine] if sizes.ndim else magnitude  # one for all, or one each
            self.runs[r].events_log.add_many(
                self.year, kind, sources[mine], targets[mine], size, origin
            )

    def power_indices(self) -> dict[str, np.ndarray]:
        """This year's power indices of every row of every run (``mechanisms.power``)."""
        return power.indices(self)

    def gdp_ratio(self) -> np.ndarray:
        """GDP relative to the start year (1 for an empty row: ROW when every country acts)."""
        s = self.state
        return np.divide(s.gdp, s.gdp0, out=np.ones_like(s.gdp), where=s.gdp0 > 0)

    def population_ratio(self) -> np.ndarray:
        """Population relative to the start year (1 for an empty row)."""
        s = self.state
        return np.divide(
            s.population, s.population0, out=np.ones_like(s.population), where=s.population0 > 0
        )

    def per_gdp(self, values: np.ndarray) -> np.ndarray:
        """``values / gdp`` (0 for an empty row)."""
        gdp = self.state.gdp
        return np.divide(values, gdp, out=np.zeros_like(gdp), where=gdp > 0)

    def release(self) -> None:
        """Let go of every array once the runs' tables are built.

        The runs' tables keep what they use. The runs are Mesa models whose agents refer
        back to them, so without this their arrays would wait for Python's cycle
        collector, and a worker making one ensemble after another would hold several
        at once (``Recorder.release``).
        """
        self.recorder.release()
        release(self.state)
