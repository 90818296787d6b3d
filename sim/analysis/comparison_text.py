"""A comparison in words: the terminal table, the Markdown report and the headlines.

Each function reads the dict ``sim.analysis.comparison.compare_outcomes`` returns.
Every number is shown about as precisely as the runs pin it down: two significant
digits of its spread (a 5-95% range, an interval's width).
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

from sim.analysis.comparison import PHRASE_UNITS, UNITS
from sim.analysis.indices import comparison_lines
from sim.metrics import POLARITIES

WIDTH = 96  # terminal text is wrapped to this many characters


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
    width = 0.0 if row["ci_low"] is None else row["ci_high"] - row["ci_low"]
    return _decimals(_display(width, kind), kind)


def _distribution(q: dict[str, float], kind: str, decimals: int) -> str:
    low = _value(q["p05"], kind, decimals).rstrip("%")
    high = _value(q["p95"], kind, decimals).rstrip("%")
    return f"{_value(q['p50'], kind, decimals)} [{low}, {high}]"


def _difference(row: dict[str, Any], kind: str, decimals: int) -> str:
    if row.get("constant") == "identical":
        return "no difference: equal in every run"
    if row.get("constant") == "constant":
        shown = _signed(row["difference"], kind, decimals)
        return f"{shown}{UNITS[kind]} in every run (constant)"
    shown = f"{_signed(row['difference'], kind, decimals)}{UNITS[kind]}"
    if row["ci_low"] is None:
        return f"{shown} [too few runs for an interval]"
    low, high = _signed(row["ci_low"], kind, decimals), _signed(row["ci_high"], kind, decimals)
    return f"{shown} [{low}, {high}]"


def _level(result: dict[str, Any]) -> str:
    """The differences' interval level, e.g. ``99.6%`` (adjusted for the comparisons)."""
    level = 100.0 * result.get("interval_confidence", result["confidence"])
    text = f"{level:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


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
    level = _level(result)
    if row.get("constant") == "identical":
        return f"{what} is the same in every run"
    if row.get("constant") == "constant":
        shown = _signed(row["difference"], kind, decimals)
        return f"{what} differs by {shown}{unit} in every run"
    if low is None:
        shown = _signed(row["difference"], kind, decimals)
        return f"{what} differs by {shown}{unit}, too few runs for a {level} CI"
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
                f"(false discovery rate {result['alpha']:g})."
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
    m, alpha = len(result["differences"]), result["alpha"]
    if result["paired"]:
        what = (
            f"typical run-by-run difference, other scenario minus {reference} (Hodges-"
            "Lehmann: the median of the averages of every two paired differences)"
        )
        test = "Wilcoxon signed-rank test on the paired runs"
    else:
        what = (
            f"typical difference, other scenario minus {reference} (Hodges-Lehmann: the "
            "median of the differences between every run of one and every run of the other)"
        )
        test = "Mann-Whitney U test"
    terms = [
        (
            "difference",
            f"{what}; pp = percentage points. [low, high] is the interval that inverts the "
            f"{test}, at level {_level(result)}: 1 - R x {alpha:g} / {m}, with R the outcomes "
            f"starred (at least 1), which keeps the false coverage rate at {alpha:g} over the "
            f"{m} comparisons (Benjamini-Yekutieli). An outcome is starred exactly when its "
            "interval excludes 0.",
        ),
        (
            "P(higher)",
            f"chance that a run of the other scenario ends higher than a run of {reference} "
            "(Vargha-Delaney A12: 0.5 = no tendency, 1 = always higher, 0 = always lower; "
            "Cliff's delta = 2 A12 - 1).",
        ),
        (
            "p adj.",
            f"p-value of the {test} (exact; the one test of each outcome), adjusted for the "
            f"{m} comparisons (Benjamini-Hochberg); * = selected at false discovery rate "
            f"{alpha:g}.",
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


def _test_p(row: dict[str, Any]) -> float:
    return row["p_adjusted"]


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
    heading = f"{other} − {result['reference']}"
    cell = max([len(c) for c in cells] + [30, len(heading)]) + 2
    lines = [f"  {'':<{width}}{heading:<{cell}}P(higher)  p adj."]
    for row, text in zip(rows, cells, strict=True):
        label = result["outcomes"][row["outcome"]]["label"]
        p = _p(_test_p(row))
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
            f"[{_level(result)} confidence interval, adjusted for {len(result['differences'])} "
            "comparisons]"
        )
        for other in result["scenarios"][1:]:
            lines += _difference_lines(result, other, width)
    if result["polarity"]:
        lines += ["", *_polarity_lines(result)]
    if result.get("leaders"):
        lines += ["", *_leader_lines(result)]
    if result.get("by_index"):
        lines += ["", *comparison_lines(result)]
    lines += ["", "How to read this", *_legend_lines(result)]
    return "\n".join(line.rstrip() for line in lines)


def _markdown_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _markdown_differences(result: dict[str, Any], other: str) -> list[str]:
    test = "signed-rank" if result["paired"] else "Mann-Whitney"
    header = [
        "Outcome",
        f"Difference [{_level(result)} CI]",
        "P(higher) (A12)",
        "Cliff's delta",
        f"p ({test})",
        f"p adj. ({test})",
        "Significant",
    ]
    rows = []
    for row in _rows_of(result, other):
        cells = [result["outcomes"][row["outcome"]]["label"], _difference_cell(result, row)]
        cells += [f"{row['a12']:.2f}", f"{row['cliffs_delta']:+.2f}".replace("-", "−")]
        cells += [_p(row["p_value"]), _p(row["p_adjusted"])]
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
    if result.get("by_index"):
        lines += ["", "```", *comparison_lines(result), "```"]
    lines += ["", "## How to read this", ""]
    lines += [f"- **{term}**: {text}" for term, text in _legend(result)]
    return "\n".join(lines) + "\n"
