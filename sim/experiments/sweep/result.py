"""A finished sweep: its per-point summary, written to ``summary.json``, and its result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import Problem, ScenarioError
from sim.experiments.folders import atomic_write
from sim.experiments.sweep.folder import read_outcomes
from sim.experiments.sweep.plan import Plan
from sim.scenario.schema import ScenarioConfig


@dataclass
class SweepResult:
    """A finished sweep.

    Attributes:
        folder: The sweep folder.
        scenario: The base scenario (swept fields' uncertainties removed).
        design: One row per design point: ``point`` and each swept path's value.
        outcomes: One row per finished run: ``point``, ``run``, where the run
            ended and the values of its uncertain fields.
        summary: One row per design point: its values, finished runs, the share
            of runs ending in each polarity and median outcomes (``summary.json``).
        manifest: The folder's manifest: design, seeds, failed runs, provenance.
    """

    folder: Path
    scenario: ScenarioConfig
    design: pd.DataFrame
    outcomes: pd.DataFrame
    summary: pd.DataFrame
    manifest: dict[str, Any]

    def table(self, rows: int = 20) -> str:
        """The per-point table, failures and timing, as the command line prints them."""
        shown = self.summary.head(rows)
        with pd.option_context("display.width", 160, "display.max_columns", 20):
            lines = [shown.to_string(index=False, float_format=lambda v: f"{v:.3g}")]
        if len(self.summary) > len(shown):
            more = len(self.summary) - len(shown)
            lines.append(f"… {more} more points in {self.folder / 'summary.json'}")
        failed = self.manifest["failed"]
        if failed:
            first = failed[0]
            lines.append(
                f"{len(failed)} runs failed (recorded in manifest.json), e.g. point "
                f"{first['point']} run {first['run']}: {first['error']}"
            )
        seconds = self.manifest.get("timings", {}).get("runs_seconds", 0.0)
        lines.append(
            f"\n{self.manifest['tasks']} runs in {seconds:.1f} s; sweep written to {self.folder}"
        )
        return "\n".join(lines)


def point_summary(design: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per design point: runs, polarity fractions and median outcomes."""
    from sim.metrics import POLARITIES

    grouped = outcomes.groupby("point")
    table = pd.DataFrame({"runs": grouped.size()})
    for kind in POLARITIES:
        table[f"p_{kind}"] = grouped["polarity"].apply(lambda s, k=kind: float((s == k).mean()))
    for column in ("leader_share", "con", "effective_poles", "bloc_leader_share"):
        table[f"{column}_median"] = grouped[column].median()
    return design.set_index("point").join(table, how="left").reset_index()


def every_run_failed(out: Path, error: str) -> ScenarioError:
    """The error of a sweep none of whose runs finished (the folder keeps the record)."""
    hint = ""
    if error.startswith("WorkerDied"):
        hint = (
            "; worker processes that die at once usually mean a Python script that starts "
            'runs on several processes without `if __name__ == "__main__":` around its code'
        )
    message = f"every run failed (recorded in manifest.json), the first with {error}{hint}"
    return ScenarioError(Problem(str(out), 0, 0, "", message))


def summarize(plan: Plan, out: Path, manifest: dict[str, Any]) -> SweepResult:
    """Write ``summary.json`` of a finished sweep and return the sweep's result."""
    if len(manifest["failed"]) >= plan.tasks:
        raise every_run_failed(out, manifest["failed"][0]["error"])
    outcomes = read_outcomes(out)
    summary = point_summary(plan.design, outcomes)
    data = {
        "scenario": plan.config.name,
        "design": manifest["design"],
        "runs_per_point": plan.runs,
        "runs_done": int(len(outcomes)),
        "runs_failed": len(manifest["failed"]),
        "failed_runs": [
            {key: failure[key] for key in ("point", "run", "error")}
            for failure in manifest["failed"]
        ],
        "points": json.loads(summary.to_json(orient="records", double_precision=6)),
    }
    atomic_write(out / "summary.json", json.dumps(data, indent=1) + "\n")
    return SweepResult(out, plan.config, plan.design, outcomes, summary, manifest)
