"""Checks beyond one field's type, run after the schema has validated a scenario.

State ids are checked against the world data, events against the acting states
and the run's years, and sweep paths against the scenario's fields
(``sim.scenario.references``); uncertainties against the fields they draw
(``sim.scenario.uncertain``).
"""

from __future__ import annotations

from sim.errors import ScenarioError
from sim.scenario.located import Located
from sim.scenario.references import major_state_problems, reference_problems
from sim.scenario.schema import ScenarioConfig
from sim.scenario.uncertain import uncertainty_problems


def check_against_world(scenario: ScenarioConfig, located: Located) -> None:
    """Raise a ScenarioError listing every reference the world data cannot satisfy."""
    references = reference_problems(scenario, located)
    majors = major_state_problems(scenario, located)
    known = frozenset(p.message for p in references + majors)
    problems = references + uncertainty_problems(scenario, located, known) + majors
    if problems:
        raise ScenarioError(problems)
