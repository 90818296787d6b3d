"""Summaries of many replicates: quantiles of final outcomes, polarity frequencies, blocs."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from sim.metrics import POLARITIES
from sim.scenario.schema import Scenario
from sim.world import filled_values

QUANTILES = {"p05": 0.05, "p50": 0.5, "p95": 0.95}


def quantiles(values: pd.Series | np.ndarray) -> dict[str, float]:
    """The 5th, 50th and 95th percentiles of ``values``."""
    array = np.asarray(values, dtype=float)
    return {name: float(np.quantile(array, q)) for name, q in QUANTILES.items()}


def major_states(config: Scenario) -> list[str]:
    """States shown in tables and plots: the scenario's ``major_states`` or all acting ones."""
    return list(config.major_states or config.world.states)


def _final_blocs(final: pd.DataFrame) -> dict[str, Any]:
    """The most frequent final partition into blocs (of two or more states) and its frequency."""
    partitions = Counter()
    for _, run in final[final["bloc"] != ""].groupby("run"):
        groups = run.groupby("bloc")["state"].apply(lambda s: tuple(sorted(s)))
        partitions[tuple(sorted(g for g in groups if len(g) > 1))] += 1
    runs = sum(partitions.values())
    partition, count = partitions.most_common(1)[0] if partitions else ((), 0)
    return {
        "most_common": [list(g) for g in partition],
        "share_of_runs": count / runs if runs else 0.0,
    }


def summarize(config: Scenario, tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """The summary written to summary.json and printed after a run."""
    states, system = tables["states"], tables["system"]
    last = int(system["year"].max())
    final_states = states[states["year"] == last]
    final_system = system[system["year"] == last]
    runs = int(system["run"].nunique())
    polarity = final_system["polarity"].value_counts(normalize=True)
    bloc_polarity = final_system["bloc_polarity"].value_counts(normalize=True)
    transition = system.groupby("run")["power_transition"].any()
    shares = {
        state: quantiles(group["power_share"])
        for state, group in final_states.groupby("state", sort=False)
    }
    gdp = {
        state: quantiles(group["gdp_usd_bn"])
        for state, group in final_states.groupby("state", sort=False)
    }
    return {
        "scenario": config.name,
        "description": config.description,
        "runs": runs,
        "seed": config.seed,
        "years": [config.start_year, last],
        "polarity_final": {kind: float(polarity.get(kind, 0.0)) for kind in POLARITIES},
        "bloc_polarity_final": {kind: float(bloc_polarity.get(kind, 0.0)) for kind in POLARITIES},
        "power_transition_runs": float(transition.mean()),
        "power_share_final": shares,
        "gdp_usd_bn_final": gdp,
        "leader_final": {
            k: float(v) for k, v in final_system["leader"].value_counts(normalize=True).items()
        },
        "leader_share_final": quantiles(final_system["leader_share"]),
        "con_final": quantiles(final_system["con"]),
        "effective_poles_final": quantiles(final_system["effective_poles"]),
        "blocs_final": _final_blocs(final_states),
        "events_by_kind": {k: int(v) for k, v in tables["events"]["kind"].value_counts().items()},
        "filled_values": filled_values(list(config.world.states)),
    }


def format_table(summary: dict[str, Any], states: list[str]) -> str:
    """A short plain-text table for the terminal."""
    first, last = summary["years"]
    shares = summary["power_share_final"]
    lines = [
        f"{summary['scenario']}: {summary['runs']} runs, {first}-{last}, seed {summary['seed']}",
        "",
        f"Power share in {last}   median   5-95% range",
    ]
    for state in [*states, "ROW"]:
        q = shares[state]
        lines.append(f"  {state:<18} {q['p50']:6.1%}   {q['p05']:6.1%} - {q['p95']:6.1%}")
    polarity = summary["polarity_final"]
    lines += [
        "",
        f"Polarity in {last}: "
        + ", ".join(f"{kind} {share:.0%}" for kind, share in polarity.items()),
    ]
    bloc_polarity = summary["bloc_polarity_final"]
    lines.append(
        f"Bloc polarity in {last}: "
        + ", ".join(f"{kind} {share:.0%}" for kind, share in bloc_polarity.items())
    )
    lines.append(
        f"Runs with a power transition (challenger ≥ parity, dissatisfied): "
        f"{summary['power_transition_runs']:.0%}"
    )
    leaders = ", ".join(f"{k} {v:.0%}" for k, v in summary["leader_final"].items())
    lines.append(f"Leader in {last}: {leaders}")
    blocs = summary["blocs_final"]
    if blocs["most_common"]:
        text = "; ".join("+".join(group) for group in blocs["most_common"])
        lines.append(f"Most common blocs ({blocs['share_of_runs']:.0%} of runs): {text}")
    return "\n".join(lines)
