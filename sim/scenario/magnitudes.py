"""Checks of magnitudes against the starting world: what one field's bounds cannot see.

An arms deal is bounded by the schema (``ArmsDealEvent.value_usd_bn``), and here
also by its buyer's economy: a contract worth more than the buyer's whole 2014 GDP
is a typing mistake, and one that the model would carry through capability and
GDP until they overflow.
"""

from __future__ import annotations

from sim.errors import Problem
from sim.scenario.located import Located
from sim.scenario.schema import ArmsDealEvent, ScenarioConfig
from sim.world import country_data, known_ids, members


def start_gdp(state: str) -> float:
    """A state's (or a group's) 2014 GDP, US$ bn, from the packaged world data."""
    table = country_data().states
    rows = table["iso3"].isin(members(state))
    return float(table.loc[rows, "gdp_usd_bn"].fillna(0.0).sum())


def deal_problems(scenario: ScenarioConfig, located: Located) -> list[Problem]:
    """Every arms deal worth more than its buyer's 2014 GDP, at its value."""
    known = known_ids()
    problems = []
    for key, event in scenario.active_events().items():
        if not isinstance(event, ArmsDealEvent) or event.buyer not in known:
            continue
        gdp = start_gdp(event.buyer)
        if event.value_usd_bn > gdp:
            problems.append(
                located.problem(
                    ("events", key, "value_usd_bn"),
                    f"must be at most the buyer's 2014 GDP ({event.buyer}: {gdp:,.0f} US$ bn, "
                    f"sim/data/states_2014.csv), got {event.value_usd_bn:g}",
                )
            )
    return problems
