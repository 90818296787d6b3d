"""Summaries of many replicates: quantiles of final outcomes, polarity frequencies, blocs."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from sim import long_run
from sim.analysis.indices import by_index, fragility, fragility_lines, index_lines
from sim.outcomes import run_outcomes
from sim.scenario.schema import ScenarioConfig
from sim.uncertainty import METHOD
from sim.world import filled_values

QUANTILES = {"p05": 0.05, "p50": 0.5, "p95": 0.95}


def _filled(config: ScenarioConfig) -> dict[str, list[str]]:
    """Each acting row's filled starting values and filled parts of its growth path."""
    states = list(config.world.states)
    economy = config.parameters.economy
    found = filled_values(states)
    growth = long_run.filled(tuple(states), economy.convergence)
    for state, notes in growth.items():
        found[state] = [*found.get(state, []), *notes]
    return {state: found[state] for state in states if state in found}


def quantiles(values: pd.Series | np.ndarray) -> dict[str, float]:
    """The 5th, 50th and 95th percentiles of ``values``."""
    array = np.asarray(values, dtype=float)
    return {name: float(np.quantile(array, q)) for name, q in QUANTILES.items()}


def major_states(config: ScenarioConfig) -> list[str]:
    """States shown in tables and plots: the scenario's ``major_states`` or all acting ones."""
    return list(config.major_states or config.world.states)


def _final_blocs(final: pd.DataFrame) -> dict[str, Any]:
    """The most frequent final partition into blocs (of two or more states) and its frequency."""
    in_blocs = final[final["bloc"] != ""]
    members: dict[Any, dict[str, list[str]]] = {}  # run -> bloc -> its states
    rows = zip(
        in_blocs["run"].tolist(), in_blocs["bloc"].tolist(), in_blocs["state"].tolist(), strict=True
    )
    for run, bloc, state in rows:
        members.setdefault(run, {}).setdefault(bloc, []).append(str(state))
    partitions = Counter(
        tuple(sorted(tuple(sorted(g)) for g in blocs.values() if len(g) > 1))
        for blocs in members.values()
    )
    runs = sum(partitions.values())
    partition, count = partitions.most_common(1)[0] if partitions else ((), 0)
    return {
        "most_common": [list(g) for g in partition],
        "share_of_runs": count / runs if runs else 0.0,
    }


def uncertainties(config: ScenarioConfig, parameters: pd.DataFrame | None) -> dict[str, Any] | None:
    """The distributions declared and p05/p50/p95 (for choices: frequencies) of the draws."""
    if parameters is None:
        return None
    described = {}
    for path, uncertainty in config.active_uncertainties().items():
        values = parameters[path]
        entry: dict[str, Any] = {"distribution": uncertainty.model_dump(exclude_none=True)}
        if pd.api.types.is_numeric_dtype(values):
            entry.update(quantiles(values))
        else:
            shares = values.value_counts(normalize=True)
            entry["frequencies"] = {str(k): float(v) for k, v in shares.items()}
        described[path] = entry
    return {"method": METHOD, "runs": len(parameters), "parameters": described}


def headline(drawn: dict[str, Any]) -> str:
    """``N uncertain parameters, Latin hypercube over R runs``."""
    n, runs = len(drawn["parameters"]), drawn["runs"]
    return f"{n} uncertain parameter{'s' if n != 1 else ''}, Latin hypercube over {runs} runs"


def polarity_reason(
    final: pd.DataFrame, kinds: pd.Series, config: ScenarioConfig, actor: str = "state"
) -> str | None:
    """Why every run ends with the same polarity (None when the runs disagree).

    Args:
        final: One row per run and actor (``run``, ``state``, ``power_share``); ``ROW``
            is left out.
        kinds: The polarity of each run.
        config: The scenario (its ``power.pole_share`` and ``power.unipolar_ratio``).
        actor: What the actors are, for the sentence ("state" or "bloc").

    The margins say how far the runs stayed from the thresholds that would change
    the class.
    """
    if kinds.nunique() != 1:
        return None
    kind = kinds.iloc[0]
    power = config.parameters.power
    ranked = (
        final[final["state"] != "ROW"]
        .sort_values(["run", "power_share"], ascending=[True, False])
        .groupby("run")
    )
    first, second, third = (ranked.nth(k).set_index("run") for k in range(3))
    ratio = first["power_share"] / second["power_share"]
    if kind == "unipolar":
        return (
            f"unipolar in every run: the leading {actor} holds at least {ratio.min():.2f}× the "
            f"runner-up's share (threshold {power.unipolar_ratio:g}×)"
        )
    if kind == "bipolar":
        worst = third.loc[third["power_share"].idxmax()] if len(third) else None
        third_text = (
            f"the largest third, {worst['state']}, holds at most {worst['power_share']:.1%}"
            if worst is not None
            else "there is no third"
        )
        return (
            f"bipolar in every run: two {actor}s reach the {power.pole_share:.0%} pole "
            f"threshold and no third does ({third_text}), while the leader stays below "
            f"{power.unipolar_ratio:g}× the runner-up (at most {ratio.max():.2f}×)"
        )
    return (
        f"multipolar in every run: three or more poles, or none, at the "
        f"{power.pole_share:.0%} threshold (the third largest {actor} holds "
        f"{third['power_share'].min():.1%}-{third['power_share'].max():.1%})"
    )


def bloc_table(final_states: pd.DataFrame) -> pd.DataFrame:
    """Each run's blocs and their summed power shares (``run``, ``state``, ``power_share``)."""
    aligned = final_states[final_states["bloc"] != ""]
    table = aligned.groupby(["run", "bloc"], observed=True)["power_share"].sum().reset_index()
    return table.rename(columns={"bloc": "state"})


def declared_outcomes(system: pd.DataFrame) -> dict[str, Any]:
    """Every declared run outcome (``sim.outcomes``) across runs, keyed as in summary.json.

    Numbers and shares give quantiles (``<name>_final``), categories the share of
    runs ending in each (``<name>_final``), flags the share of runs where it held
    in any year (``<name>_runs``) or, for those taken in the final year, there
    (``<name>_final``).
    """
    final = system[system["year"] == system["year"].max()]
    out: dict[str, Any] = {}
    for outcome in run_outcomes():
        if outcome.kind == "flag" and outcome.over_run == "last":
            out[f"{outcome.name}_final"] = float(final[outcome.name].astype(bool).mean())
        elif outcome.kind == "flag":
            out[f"{outcome.name}_runs"] = float(system.groupby("run")[outcome.name].any().mean())
        elif outcome.kind == "category":
            counts = final[outcome.name].value_counts(normalize=True)
            values = outcome.categories or list(counts.index)
            out[f"{outcome.name}_final"] = {k: float(counts.get(k, 0.0)) for k in values}
        else:
            out[f"{outcome.name}_final"] = quantiles(final[outcome.name])
    return out


def summarize(
    config: ScenarioConfig, tables: dict[str, pd.DataFrame], parameters: pd.DataFrame | None = None
) -> dict[str, Any]:
    """The summary written to summary.json and printed after a run.

    With ``parameters`` (each run's draws of the scenario's uncertainties), the
    summary records the distributions declared and quantiles of the values drawn.
    """
    states, system = tables["states"], tables["system"]
    last = int(system["year"].max())
    final_states = states[states["year"] == last]
    final_system = system[system["year"] == last]
    runs = int(system["run"].nunique())
    power = config.parameters.power
    shares = {
        state: quantiles(group["power_share"])
        for state, group in final_states.groupby("state", sort=False)
    }
    gdp = {
        state: quantiles(group["gdp_usd_bn"])
        for state, group in final_states.groupby("state", sort=False)
    }
    summary = {
        "scenario": config.name,
        "description": config.description,
        "runs": runs,
        "seed": config.seed,
        "years": [config.start_year, last],
        **declared_outcomes(system),
        "power_index": power.index,
        "polarity_fragility": fragility(
            final_system,
            power.pole_share,
            power.pole_share_band,
            power.unipolar_ratio,
            power.unipolar_ratio_band,
        ),
        "polarity_by_index": by_index(final_system),
        "polarity_note": polarity_reason(final_states, final_system["polarity"], config),
        "bloc_polarity_note": polarity_reason(
            bloc_table(final_states), final_system["bloc_polarity"], config, "bloc"
        ),
        "power_share_final": shares,
        "gdp_usd_bn_final": gdp,
        "blocs_final": _final_blocs(final_states),
        "events_by_kind": {k: int(v) for k, v in tables["events"]["kind"].value_counts().items()},
        "filled_values": _filled(config),
    }
    drawn = uncertainties(config, parameters)
    if drawn is not None:
        summary["uncertainties"] = drawn
    return summary


def format_table(summary: dict[str, Any], states: list[str]) -> str:
    """A short plain-text table for the terminal."""
    first, last = summary["years"]
    shares = summary["power_share_final"]
    lines = [
        f"{summary['scenario']}: {summary['runs']} runs, {first}-{last}, seed {summary['seed']}",
        "",
        f"Power share in {last}   median   5-95% range",
    ]
    if "uncertainties" in summary:
        lines[1:1] = [headline(summary["uncertainties"])]
    for state in [*states, "ROW"]:
        q = shares[state]
        lines.append(f"  {state:<18} {q['p50']:6.1%}   {q['p05']:6.1%} - {q['p95']:6.1%}")
    polarity = summary["polarity_final"]
    classes = [
        f"Polarity in {last}: "
        + ", ".join(f"{kind} {share:.0%}" for kind, share in polarity.items())
    ]
    if summary.get("polarity_note"):
        classes.append(f"  ({summary['polarity_note']})")
    fragile = summary.get("polarity_fragility")
    if fragile:
        classes += fragility_lines(fragile, last)
    continuous = _continuous_lines(summary, last)
    if fragile and fragile["fragile"]:  # the classes hang on the threshold: measures first
        lines += ["", *continuous, *classes]
    else:
        lines += ["", *classes, *continuous]
    bloc_polarity = summary["bloc_polarity_final"]
    lines.append(
        f"Bloc polarity in {last}: "
        + ", ".join(f"{kind} {share:.0%}" for kind, share in bloc_polarity.items())
    )
    if summary.get("bloc_polarity_note"):
        lines.append(f"  ({summary['bloc_polarity_note']})")
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
    if summary.get("polarity_by_index"):
        lines += ["", *index_lines(summary["polarity_by_index"], summary["power_index"], last)]
    return "\n".join(lines)


def _continuous_lines(summary: dict[str, Any], last: int) -> list[str]:
    """Concentration and effective poles: the measures no threshold moves."""
    con, poles = summary["con_final"], summary["effective_poles_final"]
    return [
        f"Concentration (CON) in {last}: {con['p50']:.3f} ({con['p05']:.3f}-{con['p95']:.3f}); "
        f"effective poles {poles['p50']:.2f} ({poles['p05']:.2f}-{poles['p95']:.2f})"
    ]
