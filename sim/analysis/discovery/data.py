"""What scenario discovery reads: a folder's runs (inputs and outcomes) and the question.

Inputs are the columns of ``design.parquet`` (a sweep) or ``parameters.parquet`` (a
run folder with uncertain parameters), joined to ``outcomes.parquet`` on ``point``
and ``run``, plus any outcomes column named by a dotted scenario path (a per-run
draw). The question is ``--outcome``: a class of a categorical outcome or a
threshold on a numeric one, turned into 1 (a case of interest) or 0 per run.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import Problem, ScenarioError, option_problem
from sim.folder_checks import read_json, read_table
from sim.metrics import POLARITIES

INPUT_ROOTS = ("parameters", "events", "world")
KEYS = ("point", "run")
SLUG_OPS = {"=": "", "!=": "ne", ">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
_SPEC = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(>=|<=|!=|==|=|>|<)\s*(\S.*?)\s*$")
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


def cli_problem(option: str, message: str) -> ScenarioError:
    """A mistake in a command-line option (the same message from the Python API)."""
    return ScenarioError(option_problem(option, message))


def _at(folder: Path, message: str) -> ScenarioError:
    return ScenarioError(Problem(str(folder), 0, 0, "", message))


# ------------------------------------------------------------------ the question


@dataclass(frozen=True)
class Question:
    """An outcome of interest: ``column op value``, e.g. polarity = multipolar."""

    column: str
    op: str
    value: Any

    def __str__(self) -> str:
        value = f"{self.value:g}" if isinstance(self.value, float) else self.value
        return f"{self.column} {self.op} {value}"

    @property
    def label(self) -> str:
        """How a sentence names it: ``multipolar`` for polarity = multipolar."""
        return str(self.value) if (self.column, self.op) == ("polarity", "=") else str(self)

    @property
    def slug(self) -> str:
        """A folder name: ``polarity-multipolar``, ``share_CHN-gt-0.2``."""
        parts = [self.column, SLUG_OPS[self.op], str(self)[len(self.column) + len(self.op) + 2 :]]
        return re.sub(r"[^A-Za-z0-9._-]", "_", "-".join(p for p in parts if p))

    def cases(self, values: pd.Series) -> np.ndarray:
        """1 for each run with the outcome, 0 otherwise."""
        compare = {
            "=": values.__eq__,
            "!=": values.__ne__,
            ">": values.__gt__,
            ">=": values.__ge__,
            "<": values.__lt__,
            "<=": values.__le__,
        }[self.op]
        return compare(self.value).to_numpy(dtype=int)


def _categorical(values: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values)


def _classes(column: str, values: pd.Series, outcomes: pd.DataFrame) -> list[str]:
    vocabulary = {
        "polarity": POLARITIES,
        "bloc_polarity": POLARITIES,
        "leader": [c.removeprefix("share_") for c in outcomes.columns if c.startswith("share_")],
    }.get(column, [])
    return list(dict.fromkeys([*vocabulary, *values.dropna().astype(str).unique()]))


def parse_question(text: str, outcomes: pd.DataFrame) -> Question:
    """Read ``--outcome``: ``COLUMN=CLASS``, ``COLUMN>VALUE`` (>=, <, <=, !=) or a flag's name.

    Raises:
        ScenarioError: For a malformed spec, an unknown column (with close matches), a
            class the column cannot take, or a threshold that is not a number.
    """
    match = _SPEC.match(text)
    column = match.group(1) if match else text.strip()
    known = [c for c in outcomes.columns if c not in (*KEYS, "scenario")]
    if column not in known:
        close = difflib.get_close_matches(column, known, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}?" if close else f"choose from {', '.join(known)}"
        if not match and not close:
            hint = "expected COLUMN=CLASS or COLUMN>VALUE (also >=, <, <=, !=)"
        raise cli_problem("--outcome", f"unknown outcome {column!r}; {hint}")
    values = outcomes[column]
    if not match:
        if pd.api.types.is_bool_dtype(values):
            return Question(column, "=", True)
        raise cli_problem("--outcome", f"expected {column}=CLASS or {column}>VALUE, got {text!r}")
    op, raw = match.group(2).replace("==", "="), match.group(3)
    if pd.api.types.is_bool_dtype(values):
        if op not in ("=", "!=") or raw.lower() not in _TRUE + _FALSE:
            raise cli_problem(
                "--outcome", f"{column} is true or false: use {column}=true or =false"
            )
        return Question(column, op, raw.lower() in _TRUE)
    if _categorical(values):
        classes = _classes(column, values, outcomes)
        if op not in ("=", "!="):
            raise cli_problem(
                "--outcome",
                f"{column} is categorical: use {column}=CLASS or {column}!=CLASS "
                f"(classes: {', '.join(classes)})",
            )
        if raw not in classes:
            close = difflib.get_close_matches(raw, classes, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}? " if close else ""
            raise cli_problem(
                "--outcome",
                f"{raw!r} is not a class of {column}; {hint}(classes: {', '.join(classes)})",
            )
        return Question(column, op, raw)
    try:
        value = float(raw)
    except ValueError:
        raise cli_problem("--outcome", f"expected a number after {op!r}, got {raw!r}") from None
    if not np.isfinite(value):
        raise cli_problem("--outcome", f"expected a finite number after {op!r}, got {raw!r}")
    return Question(column, op, value)


# ------------------------------------------------------------------ the folder


@dataclass
class Runs:
    """A folder's runs: one row of inputs and one of outcomes per run."""

    folder: Path
    kind: str
    inputs: pd.DataFrame
    outcomes: pd.DataFrame
    constant: list[str]
    year: int | None
    drawn: list[str] = field(default_factory=list)  # inputs each run draws (a sweep's per-run)
    unfinished: tuple[int, int] | None = None  # an unfinished sweep's runs done and planned


def is_input(name: str) -> bool:
    """Whether an outcomes column is an input (a per-run draw named by its dotted path)."""
    return "." in name and name.split(".", 1)[0] in INPUT_ROOTS


def _read(path: Path) -> pd.DataFrame:
    return read_table(path)


def _run_outcomes(folder: Path) -> pd.DataFrame:
    if (folder / "outcomes.parquet").exists():
        return _read(folder / "outcomes.parquet")
    if (folder / "states.parquet").exists() and (folder / "system.parquet").exists():
        from sim.analysis.outcomes import final_outcomes

        return final_outcomes(_read(folder / "states.parquet"), _read(folder / "system.parquet"))
    raise _at(folder, "a run folder without outcomes.parquet (or states and system tables)")


def _table(folder: Path) -> tuple[str, pd.DataFrame, list[str], list[str]]:
    """The folder's kind, its runs with inputs joined, the input columns and the drawn ones."""
    if not folder.exists():
        raise _at(folder, "no such folder")
    if not folder.is_dir():
        raise _at(folder, "is a file, expected a sweep folder or a run folder")
    if (folder / "design.parquet").exists():
        if not (folder / "outcomes.parquet").exists():
            raise _at(folder, "a sweep without outcomes.parquet: no run has finished yet")
        kind, outcomes, given = "sweep", _read(folder / "outcomes.parquet"), "design.parquet"
    elif (folder / "parameters.parquet").exists():
        kind, outcomes, given = "run", _run_outcomes(folder), "parameters.parquet"
    elif (folder / "states.parquet").exists():
        raise _at(
            folder,
            "a run folder without uncertain parameters (no parameters.parquet): its runs "
            "differ only by their seeds; sweep inputs with `sim sweep … --sample lhs --vary …`",
        )
    else:
        raise _at(folder, "not a sweep or run folder (no design.parquet or parameters.parquet)")
    table = _read(folder / given)
    drawn = [c for c in outcomes.columns if is_input(c)]
    table = table.drop(columns=[c for c in drawn if c in table.columns])
    keys = [k for k in KEYS if k in table.columns and k in outcomes.columns]
    if not keys:
        raise _at(folder / given, f"has no {' or '.join(KEYS)} column to join the outcomes on")
    joined = outcomes.merge(table, on=keys, how="inner")
    given_inputs = [c for c in table.columns if c not in (*KEYS, "scenario")]
    if kind == "run":
        drawn = given_inputs
    return kind, joined, list(dict.fromkeys([*given_inputs, *drawn])), drawn


def _final_year(folder: Path, inputs: list[str]) -> int | None:
    if any(c in ("years", "start_year") for c in inputs):
        return None  # the final year differs between runs
    import yaml

    try:
        data = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
        return int(data["start_year"]) + int(data["years"])
    except (OSError, ValueError, TypeError, KeyError, yaml.YAMLError):
        return None


def _as_input(values: pd.Series) -> pd.Series:
    """Numbers stay numbers; labels and flags become categories (PRIM peels them as sets)."""
    if _categorical(values):
        return values.astype(str).astype("category")
    if pd.api.types.is_integer_dtype(values):
        return values.astype(np.int64)
    return values.astype(float)


def _unfinished(folder: Path, partial: bool) -> tuple[int, int] | None:
    """An unfinished sweep's (runs done, runs planned); refused unless ``partial``."""
    path = folder / "manifest.json"
    manifest = read_json(path) if path.exists() else {}
    if manifest.get("status", "complete") == "complete":
        return None
    done, tasks = manifest.get("runs_done", 0), manifest.get("tasks", 0)
    if not partial:
        raise _at(
            folder,
            f"this sweep is unfinished ({done} of {tasks} runs); finish it with "
            f"`sim sweep --resume --out {folder}`, or give --partial to analyse the runs it has",
        )
    return int(done), int(tasks)


def read_runs(folder: str | Path, partial: bool = False) -> Runs:
    """One row per finished run of a sweep or uncertain run folder: inputs and outcomes.

    Args:
        folder: A sweep folder, or a run folder with uncertain parameters.
        partial: Read an unfinished (interrupted) sweep's finished runs, rather than refuse it.

    Raises:
        ScenarioError: If the folder is not a sweep or run folder, a sweep is unfinished
            (unless ``partial``), or nothing varies.
    """
    folder = Path(folder)
    kind, table, candidates, drawn = _table(folder)
    unfinished = _unfinished(folder, partial) if kind == "sweep" else None
    table = table.dropna(subset=candidates).reset_index(drop=True)
    varying = [c for c in candidates if table[c].nunique() > 1]
    constant = [c for c in candidates if c not in varying]
    if not varying:
        shown = f" (constant: {', '.join(constant)})" if constant else ""
        raise _at(folder, f"no input varies across its {len(table)} runs{shown}: nothing to learn")
    inputs = pd.DataFrame({c: _as_input(table[c]) for c in varying})
    outcomes = table.drop(columns=candidates)
    year = _final_year(folder, candidates)
    drawn = [c for c in drawn if c in varying]
    return Runs(folder, kind, inputs, outcomes, constant, year, drawn, unfinished)
