"""Comparing scenarios' outcome tables: the statistics, and which outcomes to compare.

The first scenario is the reference and every other is compared with it, on where
each run ended (``sim.analysis.outcomes.final_outcomes``). When run r of every
scenario used the same random numbers (common random numbers) the runs are
compared in pairs; otherwise as independent samples. Everything here is a pure
function of tables and scenarios; ``sim.analysis.comparison_text`` words the
result, and ``sim.experiments.comparison`` runs or reads the scenarios and writes
the comparison folder.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from sim.analysis import statistics
from sim.analysis.indices import by_index
from sim.analysis.outcomes import outcome_names
from sim.analysis.summary import major_states, quantiles
from sim.errors import ScenarioError, option_problem
from sim.metrics import POLARITIES
from sim.outcomes import OUTCOMES, describe

if TYPE_CHECKING:
    from sim.scenario.schema import ScenarioConfig

ALPHA = 0.05
CONFIDENCE = 0.95
SYSTEM_DEFAULTS = ("leader_share", "con", "effective_poles", "bloc_leader_share")
BLOC_DEFAULTS = ("USA", "CHN")
POLARITY_COLUMNS = ("polarity", "bloc_polarity")  # labelled as declared in sim.outcomes
# How a difference of each kind of outcome is written (shares in percentage points).
UNITS = {"share": " pp", "gdp": " US$ bn", "number": ""}
PHRASE_UNITS = {"share": " percentage points", "gdp": " US$ bn", "number": ""}

# ------------------------------------------------------------------ statistics


def _samples(
    reference: pd.DataFrame, other: pd.DataFrame, column: str, paired: bool
) -> tuple[np.ndarray, np.ndarray]:
    a = reference[column].to_numpy(dtype=float)
    b = other[column].to_numpy(dtype=float)
    if paired:
        keep = np.isfinite(a) & np.isfinite(b)
        return a[keep], b[keep]
    return a[np.isfinite(a)], b[np.isfinite(b)]


def _difference_row(a: np.ndarray, b: np.ndarray, paired: bool) -> dict[str, Any]:
    shift = statistics.shift_test(a, b, paired)
    effect = statistics.rank_test(a, b)
    return {
        "n_reference": len(a),
        "n_other": len(b),
        "difference": shift.estimate,
        "p_value": shift.p_value,
        "constant": shift.constant,
        "u": effect.u,
        "a12": effect.a12,
        "cliffs_delta": effect.cliffs_delta,
    }


def _adjust(rows: list[dict[str, Any]], samples: list, paired: bool, alpha: float) -> float:
    """Star the rows Benjamini-Hochberg selects; give every interval the level that agrees.

    Returns the intervals' confidence level, 1 - max(R, 1) alpha / m (``statistics.select``).
    """
    p = [row["p_value"] for row in rows]
    for row, value in zip(rows, statistics.adjust_p(p), strict=True):
        row["p_adjusted"] = float(value)
    selected, q = statistics.select(p, alpha)
    for row, chosen, (a, b) in zip(rows, selected, samples, strict=True):
        low, high = statistics.shift_interval(a, b, paired, 1.0 - q)
        # too few runs to reach the level: no interval (null in JSON), and never starred
        bounded = np.isfinite(low) and np.isfinite(high)
        row["ci_low"], row["ci_high"] = (low, high) if bounded else (None, None)
        row["significant"] = bool(chosen)
    return 1.0 - q


def _share(k: int, n: int, confidence: float) -> dict[str, Any]:
    ci = statistics.proportion_ci(k, n, confidence)
    return {"runs": k, "of": n, "share": ci.estimate, "ci_low": ci.low, "ci_high": ci.high}


def _polarity(outcomes: dict[str, pd.DataFrame], column: str, confidence: float) -> dict[str, Any]:
    """Share of runs ending in each polarity, and its difference from the reference."""
    counts = {
        name: {kind: int((frame[column] == kind).sum()) for kind in POLARITIES}
        for name, frame in outcomes.items()
    }
    runs = {name: len(frame) for name, frame in outcomes.items()}
    shares = {
        name: {kind: _share(counts[name][kind], runs[name], confidence) for kind in POLARITIES}
        for name in outcomes
    }
    reference, *others = list(outcomes)
    differences = []
    for other in others:
        for kind in POLARITIES:
            k1, n1 = counts[reference][kind], runs[reference]
            k2, n2 = counts[other][kind], runs[other]
            ci = statistics.proportion_difference_ci(k1, n1, k2, n2, confidence)
            differences.append(
                {
                    "other": other,
                    "kind": kind,
                    "difference": ci.estimate,
                    "ci_low": ci.low,
                    "ci_high": ci.high,
                }
            )
    return {"label": OUTCOMES[column].label, "scenarios": shares, "differences": differences}


def compare_outcomes(
    outcomes: dict[str, pd.DataFrame],
    columns: list[str],
    paired: bool,
    confidence: float = CONFIDENCE,
    year: int | None = None,
) -> dict[str, Any]:
    """Compare every scenario's outcomes with the first scenario's.

    Args:
        outcomes: Scenario name -> one row per run (``final_outcomes``); the first is the
            reference.
        columns: The numeric outcome columns to compare.
        paired: Whether run r of every scenario used the same random numbers; the frames
            must then hold the same runs in the same order.
        confidence: Confidence level of the polarity shares' intervals (the differences'
            intervals take the level that agrees with the adjusted test, ``_adjust``).
        year: The year the outcomes describe (shown in headings).

    Returns:
        A JSON-serialisable dict: per outcome the median and 5-95% range of each
        scenario; per (other scenario, outcome) the Hodges-Lehmann difference, one
        rank test (Wilcoxon signed-rank when paired, Mann-Whitney otherwise) with its
        p-value and Benjamini-Hochberg adjusted p-value, the interval that inverts the
        test at the level ``statistics.select`` gives (so an outcome is starred exactly
        when its interval excludes 0), ``constant`` for outcomes that do not vary, A12
        and Cliff's delta; and the share of runs ending unipolar, bipolar or multipolar
        with Wilson intervals and Newcombe intervals for their differences.
    """
    names = list(outcomes)
    if len(names) < 2:
        raise ValueError(f"need at least two scenarios, got {names}")
    reference = names[0]
    if paired:
        runs = outcomes[reference]["run"].to_numpy()
        for name in names[1:]:
            if not np.array_equal(outcomes[name]["run"].to_numpy(), runs):
                raise ValueError(f"paired comparison needs the same runs in {reference} and {name}")
    summary = {}
    for column in columns:
        label, kind = describe(column)
        summary[column] = {
            "label": label,
            "kind": kind,
            "scenarios": {
                name: {**quantiles(frame[column].dropna()), "n": int(frame[column].notna().sum())}
                for name, frame in outcomes.items()
            },
        }
    rows, samples = [], []
    for other in names[1:]:
        for column in columns:
            a, b = _samples(outcomes[reference], outcomes[other], column, paired)
            samples.append((a, b))
            row = _difference_row(a, b, paired)
            rows.append({"outcome": column, "reference": reference, "other": other, **row})
    interval_level = _adjust(rows, samples, paired, ALPHA)
    leaders = {
        name: {k: float(v) for k, v in frame["leader"].value_counts(normalize=True).items()}
        for name, frame in outcomes.items()
        if "leader" in frame.columns
    }
    polarity = {
        column: _polarity(outcomes, column, confidence)
        for column in POLARITY_COLUMNS
        if all(column in frame.columns for frame in outcomes.values())
    }
    return {
        "reference": reference,
        "scenarios": names,
        "runs": {name: len(frame) for name, frame in outcomes.items()},
        "paired": paired,
        "year": year,
        "confidence": confidence,
        "alpha": ALPHA,
        "interval_confidence": interval_level,
        "estimate": "hodges-lehmann",
        "test": "wilcoxon signed-rank" if paired else "mann-whitney u",
        "adjustment": "benjamini-hochberg; intervals benjamini-yekutieli",
        "columns": list(columns),
        "outcomes": summary,
        "differences": rows,
        "polarity": polarity,
        "leaders": leaders,
        "by_index": {name: by_index(frame) for name, frame in outcomes.items()},
    }


# ------------------------------------------------------------------ which outcomes


def default_columns(configs: list[ScenarioConfig]) -> list[str]:
    """The key outcomes: system measures, the reference's major states, sanction targets."""
    reference = configs[0]
    columns = list(SYSTEM_DEFAULTS)
    columns += [f"share_{state}" for state in major_states(reference)]
    columns += [f"bloc_share_{state}" for state in BLOC_DEFAULTS]
    targets = [
        event.target
        for config in configs
        for event in config.active_events().values()
        if event.kind == "sanction"
    ]
    columns += [f"gdp_{target}" for target in targets]
    return list(dict.fromkeys(columns))


def expected_columns(config: ScenarioConfig) -> list[str]:
    """The numeric outcome columns ``final_outcomes`` gives for a scenario's runs."""
    return outcome_names([*config.world.states, "ROW"])


def check_columns(requested: list[str], available: list[str]) -> list[str]:
    """The requested outcome columns, or a ScenarioError naming close matches."""
    problems = []
    for name in requested:
        if name not in available:
            close = difflib.get_close_matches(name, available, n=4, cutoff=0.6)
            hint = (
                f"did you mean {', '.join(close)}?"
                if close
                else "choose from " + ", ".join(available)
            )
            problems.append(option_problem("--outcomes", f"unknown outcome {name!r}; {hint}"))
    if problems:
        raise ScenarioError(problems)
    return requested


def choose_columns(requested: list[str] | str | None, configs: list[ScenarioConfig]) -> list[str]:
    """The outcomes to compare: those requested, or the defaults, present in every source.

    Args:
        requested: Outcome columns (a list, or one comma-separated string); ``None``
            for ``default_columns``. Names are stripped and repeats dropped.
        configs: Every source's scenario; the first is the reference.

    Returns:
        The columns, in the order requested.

    Raises:
        ScenarioError: At ``--outcomes``, for no columns or columns no source has.
    """
    available = [
        c for c in expected_columns(configs[0]) if all(c in expected_columns(x) for x in configs)
    ]
    if requested is None:
        return [c for c in default_columns(configs) if c in available]
    if isinstance(requested, str):
        requested = requested.split(",")
    requested = list(dict.fromkeys(c.strip() for c in requested if c.strip()))
    if not requested:
        raise ScenarioError(
            option_problem("--outcomes", "expected comma-separated outcome columns")
        )
    return check_columns(requested, available)
