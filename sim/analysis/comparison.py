"""Comparing scenarios: ``sim compare REFERENCE OTHER…`` and the statistics behind it.

The first source is the reference and every other source is compared with it, on
where each run ended (``sim.analysis.outcomes.final_outcomes``). Scenario files are run with
the same runs and master seed, so run r of every scenario draws the same random
numbers (common random numbers) and the runs are compared in pairs; run folders
written earlier are paired only when they share their seed and run count.

A comparison folder holds ``comparison.json`` (every number), ``comparison.md``
(the tables), ``outcomes.parquet`` (one row per scenario and run),
``power_share.parquet`` (the power-share paths the fan charts need),
``manifest.json``, each scenario file's run folder under ``scenarios/<name>/``, and
``plots/``. It is written into a hidden sibling folder and renamed into place at the
end, so it either is complete or does not exist.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import sys
import textwrap
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import statistics
from sim.analysis.outcomes import PER_STATE, SYSTEM, final_outcomes, outcome_columns
from sim.analysis.summary import major_states, quantiles
from sim.cli.options import add_overrides
from sim.errors import Problem, ScenarioError
from sim.experiments.runner import TABLES, Results, load_folder, run
from sim.experiments.runner import load as load_config
from sim.metrics import POLARITIES
from sim.scenario.schema import Scenario

COMPARE_ROOT = Path("results") / "compare"
EXIT_INTERRUPTED = 130
ALPHA = 0.05
CONFIDENCE = 0.95
WIDTH = 96  # terminal text is wrapped to this many characters
SYSTEM_DEFAULTS = ("leader_share", "con", "effective_poles", "bloc_leader_share")
BLOC_DEFAULTS = ("USA", "CHN")
POLARITY_COLUMNS = {"polarity": "Polarity among states", "bloc_polarity": "Polarity among blocs"}
LABELS = {
    "leader_share": ("Power share of the leading state", "share"),
    "con": ("Concentration of power (CON, 0 to 1)", "number"),
    "effective_poles": ("Effective number of poles", "number"),
    "poles": ("Number of poles", "number"),
    "bloc_leader_share": ("Power share of the leading bloc", "share"),
    "bloc_effective_poles": ("Effective number of blocs", "number"),
}
PREFIXES = (
    ("bloc_share_", "Power share of {}'s bloc", "share"),
    ("share_", "Power share of {}", "share"),
    ("gdp_", "GDP of {} (US$ bn, 2014 prices)", "gdp"),
)
UNITS = {"share": " pp", "gdp": " US$ bn", "number": ""}
PHRASE_UNITS = {"share": " percentage points", "gdp": " US$ bn", "number": ""}

# ------------------------------------------------------------------ statistics


def describe(column: str) -> tuple[str, str]:
    """A plain-language label for an outcome column and its kind: share, gdp or number."""
    if column in LABELS:
        return LABELS[column]
    for prefix, label, kind in PREFIXES:
        if column.startswith(prefix):
            return label.format(column.removeprefix(prefix)), kind
    return column.replace("_", " ").capitalize(), "number"


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
    return {"label": POLARITY_COLUMNS[column], "scenarios": shares, "differences": differences}


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
    }


# ------------------------------------------------------------------ formatting


def _decimals(scale: float, kind: str) -> int:
    """Decimals that show two significant digits of ``scale`` (in display units).

    ``scale`` is a spread (a 5-95% range, an interval's width), so every number is
    shown about as precisely as the runs pin it down.
    """
    if not scale or not math.isfinite(scale):
        return {"share": 1, "gdp": 0, "number": 2}[kind]
    decimals = min(max(1 - math.floor(math.log10(abs(scale))), 0), 4)
    return max(decimals, 1) if kind == "share" else decimals


def _display(value: float, kind: str) -> float:
    return 100.0 * value if kind == "share" else value


def _value(value: float, kind: str, decimals: int) -> str:
    shown = _display(value, kind)
    return f"{shown:,.{decimals}f}%" if kind == "share" else f"{shown:,.{decimals}f}"


def _signed(value: float, kind: str, decimals: int) -> str:
    text = f"{_display(value, kind):+,.{decimals}f}"
    return text.replace("-", "−")


def _range_decimals(entry: dict[str, Any]) -> int:
    spreads = [q["p95"] - q["p05"] for q in entry["scenarios"].values()]
    positive = [s for s in spreads if s > 0]
    return _decimals(_display(min(positive), entry["kind"]) if positive else 0.0, entry["kind"])


def _difference_decimals(row: dict[str, Any], kind: str) -> int:
    return _decimals(_display(row["ci_high"] - row["ci_low"], kind), kind)


def _distribution(q: dict[str, float], kind: str, decimals: int) -> str:
    low = _value(q["p05"], kind, decimals).rstrip("%")
    high = _value(q["p95"], kind, decimals).rstrip("%")
    return f"{_value(q['p50'], kind, decimals)} [{low}, {high}]"


def _difference(row: dict[str, Any], kind: str, decimals: int) -> str:
    low, high = _signed(row["ci_low"], kind, decimals), _signed(row["ci_high"], kind, decimals)
    return f"{_signed(row['difference'], kind, decimals)}{UNITS[kind]} [{low}, {high}]"


def _phrase(label: str) -> str:
    """``Power share of X (…)`` -> ``power share of X`` for use inside a sentence."""
    text = label.split(" (")[0]
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _rows_of(result: dict[str, Any], other: str) -> list[dict[str, Any]]:
    return [row for row in result["differences"] if row["other"] == other]


def _change_sentence(result: dict[str, Any], row: dict[str, Any]) -> str:
    entry = result["outcomes"][row["outcome"]]
    kind, year = entry["kind"], result["year"]
    what = f"the {_phrase(entry['label'])}" + (f" in {year}" if year else "")
    decimals = _difference_decimals(row, kind)
    unit = PHRASE_UNITS[kind]
    low, high = row["ci_low"], row["ci_high"]
    level = f"{result['confidence']:.0%}"
    if low > 0 or high < 0:
        size = sorted(abs(_display(v, kind)) for v in (low, high))
        direction = "higher" if low > 0 else "lower"
        estimate = abs(_display(row["difference"], kind))
        return (
            f"{what} is {estimate:,.{decimals}f}{unit} {direction} ({level} CI "
            f"{size[0]:,.{decimals}f} to {size[1]:,.{decimals}f})"
        )
    return (
        f"{what} differs by {_signed(row['difference'], kind, decimals)}{unit}, but the "
        f"{level} CI ({_signed(low, kind, decimals)} to {_signed(high, kind, decimals)}) "
        "includes no difference"
    )


def _polarity_sentence(result: dict[str, Any], other: str) -> str | None:
    table = result["polarity"].get("polarity")
    if table is None:
        return None
    reference = result["reference"]
    rows = [d for d in table["differences"] if d["other"] == other]
    ours, theirs = table["scenarios"][other], table["scenarios"][reference]
    # the largest change; of equal ones, the polarity that the other scenario ends in most
    biggest = max(rows, key=lambda d: (round(abs(d["difference"]), 9), ours[d["kind"]]["share"]))
    if biggest["difference"] == 0:
        common = max(POLARITIES, key=lambda kind: ours[kind]["share"])
        return f"both end {common} in {ours[common]['share']:.0%} of runs"
    kind = biggest["kind"]
    low, high = (_signed(biggest[k], "share", 0) for k in ("ci_low", "ci_high"))
    return (
        f"the world ends {kind} in {ours[kind]['share']:.0%} of runs vs "
        f"{theirs[kind]['share']:.0%} (difference {result['confidence']:.0%} CI {low} to "
        f"{high} percentage points)"
    )


def headlines(result: dict[str, Any]) -> list[str]:
    """One plain-language sentence per compared scenario."""
    lines = []
    for other in result["scenarios"][1:]:
        rows = _rows_of(result, other)
        parts = [_change_sentence(result, rows[0])] if rows else []
        polarity = _polarity_sentence(result, other)
        if polarity:
            parts.append(polarity)
        significant = sum(row["significant"] for row in rows)
        text = f"{other} vs {result['reference']}: " + "; ".join(parts) + "."
        if rows:
            text += (
                f" {significant} of {len(rows)} outcomes differ significantly "
                f"(adjusted p < {result['alpha']:g})."
            )
        lines.append(text)
    return lines


def _intro(result: dict[str, Any]) -> list[str]:
    names, reference = result["scenarios"], result["reference"]
    runs = sorted(set(result["runs"].values()))
    count = (
        f"{runs[0]} runs each"
        if len(runs) == 1
        else "runs: " + ", ".join(f"{name} {n}" for name, n in result["runs"].items())
    )
    year = f" in {result['year']}" if result["year"] else ""
    others = ", ".join(names[1:])
    if result["paired"]:
        pairing = (
            "Runs are paired: run r of every scenario uses the same random numbers, so the "
            "scenarios differ only by their settings and differences are measured run by run."
        )
    else:
        pairing = (
            "Runs are not paired (the sources differ in seed or run count), so the scenarios "
            "are compared as independent samples."
        )
    return [
        f"Comparison{year}: {others} against the reference {reference} ({count})",
        *textwrap.wrap(pairing, WIDTH),
    ]


def _legend(result: dict[str, Any]) -> list[tuple[str, str]]:
    reference, level = result["reference"], f"{result['confidence']:.0%}"
    resampled = "in pairs" if result["paired"] else "within each scenario"
    test = "Mann-Whitney U test"
    if result["paired"]:
        test = "Wilcoxon signed-rank test on the paired runs"
    terms = [
        (
            "difference",
            f"median of the other scenario minus median of {reference} (pp = percentage "
            f"points); [low, high] is a {level} bootstrap confidence interval (BCa, runs "
            f"resampled {resampled}).",
        ),
        (
            "P(higher)",
            f"chance that a run of the other scenario ends higher than a run of {reference} "
            "(Vargha-Delaney A12: 0.5 = no tendency, 1 = always higher, 0 = always lower; "
            "Cliff's delta = 2 A12 - 1).",
        ),
        (
            "p adj.",
            f"p-value of the {test}, adjusted for the {len(result['differences'])} comparisons "
            f"(Benjamini-Hochberg); * = below {result['alpha']:g}. The Mann-Whitney U test "
            "(which ignores any pairing) is in comparison.json and comparison.md too.",
        ),
        (
            "polarity",
            f"share of runs; [low, high] is a {level} Wilson interval, and for a difference "
            "Newcombe's interval built from the two Wilson intervals.",
        ),
    ]
    columns = set(result["outcomes"])
    if "con" in columns:
        terms.append(
            (
                "CON",
                "Ray-Singer concentration of power among states: 0 = power spread equally, "
                "1 = one state holds all.",
            )
        )
    if columns & {"effective_poles", "bloc_effective_poles"}:
        terms.append(
            (
                "poles",
                "effective number of poles (or blocs) = 1 / the sum of squared power shares: "
                "how many equal powers would be as concentrated.",
            )
        )
    return terms


def _legend_lines(result: dict[str, Any], indent: str = "  ") -> list[str]:
    lines = []
    for term, text in _legend(result):
        lines += textwrap.wrap(
            text,
            WIDTH,
            initial_indent=f"{indent}{term:<12} ",
            subsequent_indent=indent + " " * 13,
        )
    return lines


def _test_p(result: dict[str, Any], row: dict[str, Any]) -> float:
    return row["p_signed_rank_adjusted"] if result["paired"] else row["p_adjusted"]


def _p(value: float) -> str:
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _in_year(result: dict[str, Any]) -> str:
    return f" in {result['year']}" if result["year"] else ""


def _distribution_cells(result: dict[str, Any]) -> dict[str, list[str]]:
    """Outcome column -> "median [p05, p95]" of each scenario."""
    return {
        column: [
            _distribution(entry["scenarios"][name], entry["kind"], _range_decimals(entry))
            for name in result["scenarios"]
        ]
        for column, entry in result["outcomes"].items()
    }


def _difference_cell(result: dict[str, Any], row: dict[str, Any]) -> str:
    kind = result["outcomes"][row["outcome"]]["kind"]
    return _difference(row, kind, _difference_decimals(row, kind))


def _polarity_cells(result: dict[str, Any], table: dict[str, Any], kind: str) -> list[str]:
    """Each scenario's share of runs ending ``kind``, then each difference from the reference."""
    cells = []
    for name in result["scenarios"]:
        s = table["scenarios"][name][kind]
        cells.append(f"{s['share']:.0%} [{100 * s['ci_low']:.0f}, {100 * s['ci_high']:.0f}]")
    for d in (d for d in table["differences"] if d["kind"] == kind):
        low, high = _signed(d["ci_low"], "share", 0), _signed(d["ci_high"], "share", 0)
        cells.append(f"{_signed(d['difference'], 'share', 0)} pp [{low}, {high}]")
    return cells


def _polarity_headings(result: dict[str, Any]) -> list[str]:
    names, reference = result["scenarios"], result["reference"]
    return [*names, *(f"{other} − {reference}" for other in names[1:])]


def _outcome_lines(result: dict[str, Any], width: int) -> list[str]:
    names = result["scenarios"]
    cells = _distribution_cells(result)
    cell = max([len(n) for n in names] + [len(c) for row in cells.values() for c in row]) + 3
    lines = [
        f"Outcomes{_in_year(result)}: median of runs [5th, 95th percentile]",
        " " * (width + 2) + "".join(f"{name:<{cell}}" for name in names),
    ]
    for column, entry in result["outcomes"].items():
        label = entry["label"]
        lines.append(f"  {label:<{width}}" + "".join(f"{c:<{cell}}" for c in cells[column]))
    return lines


def _difference_lines(result: dict[str, Any], other: str, width: int) -> list[str]:
    rows = _rows_of(result, other)
    cells = [_difference_cell(result, row) + (" *" if row["significant"] else "") for row in rows]
    cell = max([len(c) for c in cells] + [30]) + 2
    heading = f"{other} − {result['reference']}"
    lines = [f"  {'':<{width}}{heading:<{cell}}P(higher)  p adj."]
    for row, text in zip(rows, cells, strict=True):
        label = result["outcomes"][row["outcome"]]["label"]
        p = _p(_test_p(result, row))
        lines.append(f"  {label:<{width}}{text:<{cell}}{row['a12']:>9.2f}  {p:>6}")
    return lines


def _polarity_lines(result: dict[str, Any]) -> list[str]:
    headings = _polarity_headings(result)
    cell = max(max(len(h) for h in headings) + 3, 24)
    level = f"{result['confidence']:.0%}"
    lines = [
        f"How the world ends{_in_year(result)}: share of runs [{level} interval]",
        " " * 16 + "".join(f"{h:<{cell}}" for h in headings),
    ]
    for table in result["polarity"].values():
        lines.append(f"  {table['label']}")
        for kind in POLARITIES:
            cells = _polarity_cells(result, table, kind)
            lines.append(f"    {kind:<12}" + "".join(f"{c:<{cell}}" for c in cells))
    return lines


def _leader_lines(result: dict[str, Any]) -> list[str]:
    """Which state leads at the end, in how many runs of each scenario."""
    lines = []
    for name, shares in result.get("leaders", {}).items():
        text = ", ".join(f"{state} {share:.0%}" for state, share in shares.items())
        lines.append(f"Leading state{_in_year(result)} in {name}: {text} of runs")
    return lines


def format_table(result: dict[str, Any]) -> str:
    """The comparison as plain text for the terminal."""
    width = max((len(entry["label"]) for entry in result["outcomes"].values()), default=18) + 2
    lines = [*_intro(result), "", "Headline"]
    for text in headlines(result):
        lines += textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="  ")
    if result["outcomes"]:
        lines += ["", *_outcome_lines(result, width), ""]
        lines.append(
            f"Differences from {result['reference']}: other minus reference "
            f"[{result['confidence']:.0%} confidence interval]"
        )
        for other in result["scenarios"][1:]:
            lines += _difference_lines(result, other, width)
    if result["polarity"]:
        lines += ["", *_polarity_lines(result)]
    if result.get("leaders"):
        lines += ["", *_leader_lines(result)]
    lines += ["", "How to read this", *_legend_lines(result)]
    return "\n".join(line.rstrip() for line in lines)


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _markdown_differences(result: dict[str, Any], other: str) -> list[str]:
    header = ["Outcome", "Difference [CI]", "P(higher) (A12)", "Cliff's delta"]
    header += ["p (Mann-Whitney)", "p adj. (Mann-Whitney)"]
    if result["paired"]:
        header += ["p (signed-rank)", "p adj. (signed-rank)"]
    header.append("Significant")
    rows = []
    for row in _rows_of(result, other):
        cells = [result["outcomes"][row["outcome"]]["label"], _difference_cell(result, row)]
        cells += [f"{row['a12']:.2f}", f"{row['cliffs_delta']:+.2f}".replace("-", "−")]
        keys = ["p_value", "p_adjusted"]
        if result["paired"]:
            keys += ["p_signed_rank", "p_signed_rank_adjusted"]
        cells += [_p(row[key]) for key in keys]
        cells.append("yes" if row["significant"] else "no")
        rows.append(cells)
    return ["", f"## {other} minus {result['reference']}", "", *_markdown_table(header, rows)]


def to_markdown(result: dict[str, Any]) -> str:
    """The comparison as Markdown: headline, outcome, difference and polarity tables."""
    names, year = result["scenarios"], _in_year(result)
    lines = [f"# Comparison{year}: {', '.join(names[1:])} vs {result['reference']}", ""]
    intro = _intro(result)
    lines += [intro[0], "", " ".join(intro[1:]), ""]
    lines += [f"- {text}" for text in headlines(result)]
    if result["outcomes"]:
        cells = _distribution_cells(result)
        rows = [[entry["label"], *cells[column]] for column, entry in result["outcomes"].items()]
        lines += ["", f"## Outcomes{year}: median of runs [5th, 95th percentile]", ""]
        lines += _markdown_table(["Outcome", *names], rows)
        for other in names[1:]:
            lines += _markdown_differences(result, other)
    for table in result["polarity"].values():
        rows = [[kind, *_polarity_cells(result, table, kind)] for kind in POLARITIES]
        lines += ["", f"## {table['label']}{year}: share of runs [interval]", ""]
        lines += _markdown_table(["", *_polarity_headings(result)], rows)
    if result.get("leaders"):
        lines += ["", *(f"- {line}" for line in _leader_lines(result))]
    lines += ["", "## How to read this", ""]
    lines += [f"- **{term}**: {text}" for term, text in _legend(result)]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ sources


@dataclass
class Source:
    """One thing to compare: a scenario file to run, or a run folder already written."""

    path: Path
    config: Scenario
    seed: int
    runs: int
    run_folder: bool

    @property
    def year(self) -> int:
        """The year the runs end in."""
        return self.config.start_year + self.config.years


def _refuse(path: Path, message: str) -> ScenarioError:
    return ScenarioError(Problem(str(path), 0, 0, "", message))


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a complete run folder; anything else is refused."""
    path = folder / "manifest.json"
    if not path.is_file():
        raise _refuse(folder, "not a complete run folder: it has no manifest.json")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise _refuse(path, f"not valid JSON ({err})") from None
    except OSError as err:
        raise _refuse(path, f"cannot be read: {err.strerror or err}") from None
    if not isinstance(manifest, dict):
        raise _refuse(path, "not a run manifest")
    kind = manifest.get("kind", "run")
    if kind != "run":
        raise _refuse(folder, f"a {kind} folder, not a run folder written by `sim SCENARIO`")
    if manifest.get("status", "complete") != "complete":
        raise _refuse(folder, f"the run is not complete (status {manifest['status']!r})")
    for key in ("seed", "runs"):
        if not isinstance(manifest.get(key), int):
            raise _refuse(path, f"{key}: expected an integer, got {manifest.get(key)!r}")
    missing = [
        name
        for name in [*(f"{t}.parquet" for t in TABLES), "scenario.yaml"]
        if not (folder / name).is_file()
    ]
    if missing:
        raise _refuse(folder, f"not a complete run folder: missing {', '.join(missing)}")
    return manifest


def read_run_folder(folder: Path) -> Results:
    """The results stored in a complete run folder."""
    manifest = read_manifest(folder)
    results = load_folder(folder)
    found = int(results.system["run"].nunique())
    if found != manifest["runs"]:
        raise _refuse(
            folder, f"manifest.json records {manifest['runs']} runs but the tables hold {found}"
        )
    return results


def load_source(
    path: Path,
    runs: int | None = None,
    seed: int | None = None,
    jobs: int | None = 1,
    overrides: list[str] | None = None,
    progress: bool = False,
    years: int | None = None,
) -> Results:
    """Run a scenario file, or read a run folder written by ``sim SCENARIO``.

    Args:
        path: A scenario YAML file or a run folder.
        runs: Replicates of a scenario file (default: the scenario's).
        seed: Master seed of a scenario file (default: the scenario's).
        jobs: Worker processes; ``None`` or 0 uses every core.
        overrides: ``path=value`` strings applied to a scenario file.
        progress: Show a progress bar while running.
        years: Years to simulate for a scenario file (default: the scenario's).

    Returns:
        The results; a run folder's keep the seed and runs it was written with.

    Raises:
        ScenarioError: For a bad scenario, or a folder that is not a complete run folder.
    """
    path = Path(path)
    if path.is_dir():
        return read_run_folder(path)
    if not path.exists():
        raise _refuse(path, "no such file or folder")
    return run(
        path, runs=runs, seed=seed, years=years, jobs=jobs, overrides=overrides, progress=progress
    )


def unique_names(names: list[str]) -> list[str]:
    """Names made unique by suffixing repeats: ``a, a, b`` -> ``a, a-2, b``."""
    unique: list[str] = []
    for name in names:
        candidate, k = name, 1
        while candidate in unique or (k > 1 and candidate in names):
            k += 1
            candidate = f"{name}-{k}"
        unique.append(candidate)
    return unique


def _problem(option: str, message: str) -> Problem:
    return Problem("command line", 0, 0, option, message)


def _settings(args: argparse.Namespace, folders: dict[Path, dict[str, Any]]) -> tuple[int, int]:
    """Runs and seed for scenario files: as given, else a run folder's, else the reference's."""
    first = next(iter(folders.values()), None)
    files = [path for path in args.sources if path not in folders]
    reference = load_config(files[0], args.overrides, years=args.years) if files else None
    runs = args.runs or (first["runs"] if first else reference.runs)
    seed = args.seed if args.seed is not None else (first["seed"] if first else reference.seed)
    return runs, seed


def _source_kind(path: Path) -> str:
    """'folder' or 'file'; a path that cannot be looked at is refused with the reason."""
    try:
        if path.is_dir():
            return "folder"
        if path.exists():
            return "file"
    except OSError as err:
        raise _refuse(path, f"cannot be read: {err.strerror or err}") from None
    raise _refuse(path, "no such file or folder")


def plan_sources(args: argparse.Namespace) -> list[Source]:
    """Check every source before anything runs and settle the runs and seed of each."""
    kinds = {path: _source_kind(path) for path in args.sources}
    folders = {path: read_manifest(path) for path in args.sources if kinds[path] == "folder"}
    if len(folders) == len(args.sources):
        given = {"--runs": args.runs, "--seed": args.seed, "--years": args.years}
        given["--set"] = args.overrides or None
        for option, value in given.items():
            if value is not None:
                raise ScenarioError(
                    _problem(option, "applies to scenario files only; every source is a run folder")
                )
    runs, seed = _settings(args, folders)
    sources = []
    for path in args.sources:
        if path in folders:
            config = load_config(path / "scenario.yaml")
            sources.append(Source(path, config, folders[path]["seed"], folders[path]["runs"], True))
        else:
            config = load_config(path, args.overrides, runs=runs, seed=seed, years=args.years)
            sources.append(Source(path, config, seed, runs, False))
    years = {source.year for source in sources}
    if len(years) > 1:
        ends = ", ".join(f"{s.path} ends in {s.year}" for s in sources)
        message = f"runs must end in the same year to compare them: {ends}"
        if any(not s.run_folder for s in sources):
            message += " (set the scenario files' horizon with --years)"
        raise ScenarioError(_problem("sources", message))
    for source in sources:
        if source.runs < 2:
            raise _refuse(source.path, f"needs at least 2 runs to compare, has {source.runs}")
    return sources


def default_columns(configs: list[Scenario]) -> list[str]:
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


def expected_columns(config: Scenario) -> list[str]:
    """The numeric outcome columns ``final_outcomes`` gives for a scenario's runs."""
    labels = {"leader", "polarity", "bloc_polarity"}
    states = [*config.world.states, "ROW"]
    per_state = [f"{prefix}_{state}" for prefix in PER_STATE for state in states]
    return [c for c in SYSTEM if c not in labels] + per_state


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
            problems.append(_problem("--outcomes", f"unknown outcome {name!r}; {hint}"))
    if problems:
        raise ScenarioError(problems)
    return requested


def choose_columns(option: str | None, configs: list[Scenario]) -> list[str]:
    """The outcomes to compare: ``--outcomes`` or the defaults, present in every source."""
    available = [
        c for c in expected_columns(configs[0]) if all(c in expected_columns(x) for x in configs)
    ]
    if option is None:
        return [c for c in default_columns(configs) if c in available]
    requested = list(dict.fromkeys(c.strip() for c in option.split(",") if c.strip()))
    if not requested:
        raise ScenarioError(_problem("--outcomes", "expected comma-separated outcome columns"))
    return check_columns(requested, available)


# ------------------------------------------------------------------ the command


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``compare`` command's arguments to ``parser``."""
    parser.add_argument(
        "sources",
        type=Path,
        nargs="+",
        metavar="SOURCE",
        help="scenario YAML files or run folders written by `sim SCENARIO`; the first is the "
        "reference every other is compared with",
    )
    parser.add_argument(
        "--runs",
        type=int,
        help="replicates of each scenario file (default: a run folder's, else the reference's)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        help="master seed of every scenario file (default: a run folder's, else the reference's)",
    )
    parser.add_argument("--years", type=int, help="years to simulate (default: each scenario's)")
    parser.add_argument(
        "--jobs", type=int, default=1, help="worker processes; 0 = every core (default 1)"
    )
    parser.add_argument(
        "--out", type=Path, help="comparison folder (default results/compare/A-vs-B/TIMESTAMP)"
    )
    add_overrides(parser, "override a field of every scenario file, e.g. years=10")
    parser.add_argument(
        "--outcomes",
        metavar="COL,COL",
        help="outcome columns to compare, e.g. leader_share,share_CHN,gdp_RUS (default: the "
        "system measures, major states' shares, bloc shares and sanction targets' GDP)",
    )
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or table")


def _check_arguments(args: argparse.Namespace) -> None:
    if len(args.sources) < 2:
        raise ScenarioError(_problem("sources", "give at least two: a reference and another"))
    if args.runs is not None and args.runs < 2:
        raise ScenarioError(_problem("--runs", f"must be at least 2 to compare, got {args.runs}"))
    if args.years is not None and args.years < 1:
        raise ScenarioError(_problem("--years", f"must be at least 1, got {args.years}"))
    if args.seed is not None and args.seed < 0:
        raise ScenarioError(_problem("--seed", f"must be at least 0, got {args.seed}"))


def default_out(names: list[str], now: datetime | None = None) -> Path:
    """``results/compare/<A>-vs-<B>/<YYYYmmdd-HHMMSS>/``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return COMPARE_ROOT / "-vs-".join(names) / stamp


def power_shares(states: pd.DataFrame) -> pd.DataFrame:
    """The columns the fan charts need: run, year, state, power_share."""
    return states[["run", "year", "state", "power_share"]]


def _collect(
    sources: list[Source], names: list[str], args: argparse.Namespace, partial: Path, argv: list
) -> tuple[dict[str, pd.DataFrame], list[pd.DataFrame]]:
    """Run or read every source; write each run's folder; keep only what is compared."""
    from sim.experiments.folders import write_results

    outcomes, shares = {}, []
    for source, name in zip(sources, names, strict=True):
        settings = {"years": args.years, "progress": not args.quiet}
        results = load_source(
            source.path, source.runs, source.seed, args.jobs, args.overrides, **settings
        )
        if not source.run_folder:
            folder = partial / "scenarios" / name
            write_results(results, folder, argv=["sim", *argv])
        outcomes[name] = final_outcomes(results.states, results.system)
        shares.append(power_shares(results.states).assign(scenario=name))
    return outcomes, shares


def _stack(outcomes: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = [frame.assign(scenario=name) for name, frame in outcomes.items()]
    stacked = pd.concat(frames, ignore_index=True)
    return stacked[["scenario", *(c for c in stacked.columns if c != "scenario")]]


def _manifest(
    sources: list[Source], names: list[str], result: dict[str, Any], argv: list[str]
) -> dict[str, Any]:
    from sim.experiments.folders import run_provenance

    seeds = {s.seed for s in sources}
    runs = {s.runs for s in sources}
    return {
        "kind": "comparison",
        "status": "complete",
        "reference": names[0],
        "sources": [
            {
                "name": name,
                "path": str(source.path),
                "type": "run folder" if source.run_folder else "scenario file",
                "scenario": source.config.name,
                "seed": source.seed,
                "runs": source.runs,
                "folder": str(source.path) if source.run_folder else f"scenarios/{name}",
            }
            for source, name in zip(sources, names, strict=True)
        ],
        "seed": seeds.pop() if len(seeds) == 1 else None,
        "runs": runs.pop() if len(runs) == 1 else None,
        "years": [sources[0].config.start_year, sources[0].year],
        "paired": result["paired"],
        "outcomes": result["columns"],
        **run_provenance(["sim", *argv]),
    }


def _write(folder: Path, result: dict, outcomes: pd.DataFrame, shares: pd.DataFrame) -> None:
    outcomes.to_parquet(folder / "outcomes.parquet", index=False)
    shares.to_parquet(folder / "power_share.parquet", index=False)
    text = json.dumps(result, indent=2, allow_nan=False) + "\n"
    (folder / "comparison.json").write_text(text, encoding="utf-8")
    (folder / "comparison.md").write_text(to_markdown(result), encoding="utf-8")


def compare(
    args: argparse.Namespace, argv: list[str], sources: list[Source], columns: list[str], out: Path
) -> dict[str, Any]:
    """Run or read the sources and write the comparison folder; return the comparison."""
    names = unique_names([source.config.name for source in sources])
    paired = len({(source.seed, source.runs) for source in sources}) == 1
    from sim.experiments.folders import atomic_folder

    with atomic_folder(out) as partial:
        outcomes, shares = _collect(sources, names, args, partial, argv)
        found = outcome_columns(outcomes[names[0]])
        check_columns(columns, [c for c in found if all(c in f for f in outcomes.values())])
        result = compare_outcomes(
            outcomes, columns, paired, seed=sources[0].seed, year=sources[0].year
        )
        result["major_states"] = major_states(sources[0].config)
        _write(partial, result, _stack(outcomes), pd.concat(shares, ignore_index=True))
        (partial / "manifest.json").write_text(
            json.dumps(_manifest(sources, names, result, argv), indent=2) + "\n"
        )
        if not args.no_plots:
            from sim.plots.comparison import plot_comparison

            plot_comparison(partial)
    return result


def execute(args: argparse.Namespace, argv: list[str]) -> int:
    """Run ``sim compare`` with parsed ``args``.

    Args:
        args: The parsed arguments (see ``add_arguments``).
        argv: The command line after the program name, recorded in the manifests.

    Returns:
        The exit status: 0, or 130 when interrupted (nothing is written then).

    Raises:
        ScenarioError: For any mistake in the sources or options, before anything runs.
    """
    from sim.experiments.folders import check_out

    _check_arguments(args)
    sources = plan_sources(args)
    columns = choose_columns(args.outcomes, [source.config for source in sources])
    out = args.out or default_out(unique_names([source.config.name for source in sources]))
    check_out(out)
    try:
        result = compare(args, argv, sources, columns, out)
    except KeyboardInterrupt:
        print(
            f"\ninterrupted: nothing was written to {out}; run the command again to redo it",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    if not args.quiet:
        print(format_table(result))
        print(f"\nresults written to {out}")
    return 0
