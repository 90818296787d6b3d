"""Outcomes: one row per run of the quantities people compare across runs and scenarios.

A run's tables hold every year; comparisons, sweeps and sensitivity analyses need
only where each run ended. ``final_outcomes`` reduces the states and system tables
to one row per run (per design point in a sweep). Its columns are the outcomes
declared in ``sim.outcomes``:

- ``leader``, ``leader_share``: the strongest state and its share of world power;
- ``con``, ``effective_poles``, ``polarity``, ``poles``: concentration and polarity;
- ``power_transition``: whether a power transition was flagged in any year of the run;
- ``bloc_leader_share``, ``bloc_effective_poles``, ``bloc_polarity``: the same over blocs;
- ``share_<ID>``: each row's final share of world power (``ROW`` included);
- ``bloc_share_<ID>``: the final power share of the bloc that row belongs to;
- ``gdp_<ID>``: each row's final GDP, US$ bn at 2014 prices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.outcomes import STATE_ORDER, numeric_names, run_outcomes

KEYS = ("point", "run")


def final_outcomes(states: pd.DataFrame, system: pd.DataFrame) -> pd.DataFrame:
    """One row per run (and design point, when present) describing where it ended.

    Args:
        states: The states table of one or more runs.
        system: The system table of the same runs.

    Returns:
        The outcomes, sorted by the keys (``point`` if present, then ``run``).
    """
    keys = [k for k in KEYS if k in system.columns]
    last = system["year"].max()
    declared = run_outcomes()
    final = system[system["year"] == last].set_index(keys)
    out = pd.DataFrame(index=final.index)
    for outcome in declared:
        if outcome.over_run == "any":
            out[outcome.name] = system.groupby(keys)[outcome.name].any()
        else:
            out[outcome.name] = final[outcome.name]
    rows = states[states["year"] == last].copy()
    bloc_keys = [*keys, "bloc"]
    in_bloc = rows["bloc"] != ""
    bloc_total = rows[in_bloc].groupby(bloc_keys)["power_share"].transform("sum")
    rows["bloc_power_share"] = rows["power_share"]
    rows.loc[in_bloc, "bloc_power_share"] = bloc_total
    wide = rows.pivot(index=keys, columns="state", values=[o.column for o in STATE_ORDER])
    order = list(dict.fromkeys(rows["state"]))
    columns = {}
    for outcome in STATE_ORDER:
        for state in order:
            columns[f"{outcome.name}_{state}"] = wide[(outcome.column, state)]
    out = out.join(pd.DataFrame(columns, index=wide.index)).reset_index()
    for key in keys:
        out[key] = out[key].astype(np.int32)
    return out.sort_values(keys, ignore_index=True)


def outcome_columns(outcomes: pd.DataFrame) -> list[str]:
    """The numeric outcome columns (everything but keys, labels, flags and inputs).

    A sweep's outcomes also hold each run's draws of the scenario's uncertain
    fields, named by their dotted paths: those are inputs, not outcomes.
    """
    skip = {*KEYS, "scenario"} | {o.name for o in run_outcomes() if o.kind in ("category", "flag")}
    return [
        c
        for c in outcomes.columns
        if c not in skip and "." not in c and pd.api.types.is_numeric_dtype(outcomes[c])
    ]


def outcome_names(states: list[str]) -> list[str]:
    """Every numeric outcome column for a world whose rows are ``states`` (ROW included)."""
    return numeric_names(states)
