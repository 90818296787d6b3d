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
import zlib
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


def _row_seed(seed: int, other: str, column: str) -> list[int]:
    # One stream per row, so a row's interval does not depend on which other rows exist.
    return [seed, zlib.crc32(f"{other}/{column}".encode())]


def _samples(
    reference: pd.DataFrame, other: pd.DataFrame, column: str, paired: bool
) -> tuple[np.ndarray, np.ndarray]:
    a = reference[column].to_numpy(dtype=float)
    b = other[column].to_numpy(dtype=float)
    if paired:
        keep = np.isfinite(a) & np.isfinite(b)
        return a[keep], b[keep]
    return a[np.isfinite(a)], b[np.isfinite(b)]


def _difference_row(
    a: np.ndarray, b: np.ndarray, paired: bool, confidence: float, n_resamples: int, seed: list
) -> dict[str, Any]:
    interval = statistics.difference_ci(a, b, paired, confidence, n_resamples, seed)
    test = statistics.rank_test(a, b)
    row = {
        "n_reference": len(a),
        "n_other": len(b),
        "difference": interval.estimate,
        "ci_low": interval.low,
        "ci_high": interval.high,
        "u": test.u,
        "p_value": test.p_value,
        "a12": test.a12,
        "cliffs_delta": test.cliffs_delta,
    }
    if paired:
        row["p_signed_rank"] = statistics.signed_rank_p(a, b)
    return row


def _adjust(rows: list[dict[str, Any]], paired: bool, alpha: float) -> None:
    for key in ("p_value", "p_signed_rank") if paired else ("p_value",):
        adjusted = statistics.adjust_p([row[key] for row in rows])
        name = "p_adjusted" if key == "p_value" else "p_signed_rank_adjusted"
        for row, value in zip(rows, adjusted, strict=True):
            row[name] = float(value)
    test = "p_signed_rank_adjusted" if paired else "p_adjusted"
    for row in rows:
        row["significant"] = bool(row[test] < alpha)


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
    seed: int = 0,
    confidence: float = CONFIDENCE,
    n_resamples: int = statistics.RESAMPLES,
    year: int | None = None,
) -> dict[str, Any]:
    """Compare every scenario's outcomes with the first scenario's.

    Args:
        outcomes: Scenario name -> one row per run (``final_outcomes``); the first is the
            reference.
        columns: The numeric outcome columns to compare.
        paired: Whether run r of every scenario used the same random numbers; the frames
            must then hold the same runs in the same order.
        seed: Seed of the bootstrap resampling.
        confidence: Confidence level of every interval.
        n_resamples: Bootstrap resamples per interval.
        year: The year the outcomes describe (shown in headings).

    Returns:
        A JSON-serialisable dict: per outcome the median and 5-95% range of each
        scenario; per (other scenario, outcome) the difference of medians with its
        bootstrap interval, the Mann-Whitney U test (and the signed-rank test when
        paired) with Benjamini-Hochberg adjusted p-values, A12 and Cliff's delta; and
        the share of runs ending unipolar, bipolar or multipolar with Wilson intervals
        and Newcombe intervals for their differences.
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
    rows = []
    for other in names[1:]:
        for column in columns:
            a, b = _samples(outcomes[reference], outcomes[other], column, paired)
            seed_of_row = _row_seed(seed, other, column)
            row = _difference_row(a, b, paired, confidence, n_resamples, seed_of_row)
            rows.append({"outcome": column, "reference": reference, "other": other, **row})
    _adjust(rows, paired, ALPHA)
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
        "bootstrap": {"method": "BCa", "resamples": n_resamples, "seed": seed},
        "test": "wilcoxon signed-rank" if paired else "mann-whitney u",
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
