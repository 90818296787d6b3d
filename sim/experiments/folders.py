"""Writing a results folder: Parquet tables, summary, manifest, resolved scenario, plots.

Everything is written into a hidden sibling folder first and renamed into place
at the end, so a results folder either is complete or does not exist.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from sim.analysis.backtest import format_report
from sim.analysis.outcomes import final_outcomes
from sim.errors import Problem, ScenarioError, option_problem
from sim.experiments.parquet import write_parquet
from sim.experiments.runner import Results, failed_runs
from sim.scenario.schema import ScenarioConfig

RESULTS_ROOT = Path("results")
PACKAGES = (
    "sim",
    "mesa",
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "pydantic",
    "pyyaml",
    "matplotlib",
    "networkx",
    "tqdm",
    "salib",
    "dask",
    "distributed",
)


def finished_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a finished results folder (a run, sweep or comparison).

    Raises:
        ScenarioError: No readable ``manifest.json``, or a sweep not finished yet.
    """
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        raise ScenarioError(
            Problem(str(folder), 0, 0, "", "not a results folder (no readable manifest.json)")
        ) from None
    if manifest.get("status", "complete") != "complete":
        raise ScenarioError(
            Problem(
                str(folder),
                0,
                0,
                "",
                f"this {manifest.get('kind', 'run')} is incomplete "
                f"({manifest.get('runs_done', 0)} of {manifest.get('tasks', '?')} runs); "
                f"finish it with `sim sweep --resume --out {folder}` first",
            )
        )
    return manifest


def default_out(config: ScenarioConfig, now: datetime | None = None) -> Path:
    """``results/<scenario-name>/<YYYYmmdd-HHMMSS>/``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return RESULTS_ROOT / config.name / stamp


def check_out(out: Path, hint: str = "") -> None:
    """Refuse an output folder that holds something, is a file, or cannot be made.

    Checked before anything runs, so that a mistake costs nothing and writes nothing.
    ``hint`` is added to the message about a folder that is not empty.
    """

    def refuse(message: str) -> ScenarioError:
        return ScenarioError(option_problem("--out", message))

    try:
        if out.is_dir():
            if any(out.iterdir()):
                raise refuse(f"{out} already exists and is not empty{hint}")
            return
        if out.exists() or out.is_symlink():
            raise refuse(f"{out} is a file, expected a folder for the results")
        parent = next(p for p in out.parents if p.exists() or p.is_symlink())
        if not parent.is_dir():
            raise refuse(f"{parent} is a file, so the folder {out} cannot be made inside it")
    except OSError as err:
        raise refuse(f"{out} cannot be used: {err.strerror or err}") from None


@contextmanager
def atomic_folder(out: Path, replace: bool = False) -> Iterator[Path]:
    """A hidden sibling of ``out`` to write into, renamed to ``out`` when the block succeeds.

    If the block raises (or is interrupted, Ctrl-C included), the hidden folder and any
    parent folders created for it are removed and ``out`` is untouched, so a reader
    never sees a half-written folder. Without ``replace`` an existing ``out`` must be an
    empty folder; with it, an existing ``out`` is swapped for the new one (moved aside,
    then deleted).
    """
    created = [p for p in [out.parent, *out.parent.parents] if not p.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        yield partial
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            if replace:
                out.rename(old)
            else:
                out.rmdir()  # an empty folder only; anything else stops here
        partial.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        for folder in created:
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        raise


def atomic_write(path: Path, text: str) -> None:
    """Write one text file so that a reader finds the old text or the new, never a part.

    The text goes to a hidden temporary name beside ``path``, then replaces it.
    """
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def resolved_yaml(config: ScenarioConfig) -> str:
    """The fully resolved scenario as YAML (extends and overrides applied)."""
    data = config.model_dump(mode="json")
    data["events"] = {k: v for k, v in data["events"].items() if v is not None}
    data["world"]["pipelines"] = {
        k: v for k, v in data["world"]["pipelines"].items() if v is not None
    }
    if data.get("sweep") is None:
        data.pop("sweep", None)
    data["uncertainties"] = {  # each distribution as written: its one kind, no nulls
        path: {kind: spec for kind, spec in given.items() if spec is not None}
        for path, given in data["uncertainties"].items()
        if given is not None
    }
    if not data["uncertainties"]:
        del data["uncertainties"]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def run_provenance(argv: list[str] | None) -> dict[str, Any]:
    """Command line, date, Python, platform and package versions."""
    return {
        "command": argv if argv is not None else sys.argv,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": _versions(),
    }


def manifest(results: Results, scenario_text: str, argv: list[str] | None) -> dict[str, Any]:
    """Provenance of a run: versions, seed, command line, scenario hash, timings."""
    return {
        "kind": "run",
        "status": "complete",
        "scenario": results.scenario.name,
        "scenario_sha256": hashlib.sha256(scenario_text.encode()).hexdigest(),
        "seed": results.seed,
        "runs": results.runs,
        **failed_runs(results.failed),
        **run_provenance(argv),
        "timings": results.timings,
    }


def write_results(
    results: Results,
    out: Path,
    draw: Callable[[Results, Path], object] | None = None,
    argv: list[str] | None = None,
) -> Path:
    """Write every output of ``results`` into ``out`` atomically and return ``out``.

    ``draw(results, folder)``, if given, adds figures to the folder before it is
    renamed into place (``sim.plots.runs.plot_results``): a folder has its plots or
    does not exist.
    """
    check_out(out)
    with atomic_folder(out) as partial:
        fill(results, partial, draw, argv)
    return out


def fill(
    results: Results,
    folder: Path,
    draw: Callable[[Results, Path], object] | None = None,
    argv: list[str] | None = None,
) -> None:
    """Write every output of ``results`` into ``folder`` (a table already there is kept)."""
    started = time.perf_counter()
    for name, table in results.in_memory().items():
        write_parquet(table, folder / f"{name}.parquet")
    write_parquet(final_outcomes(results.states, results.system), folder / "outcomes.parquet")
    if results.parameters is not None:
        write_parquet(results.parameters, folder / "parameters.parquet")
    text = resolved_yaml(results.scenario)
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(results.summary, indent=2) + "\n")
    if results.backtest is not None:
        (folder / "backtest.json").write_text(json.dumps(results.backtest, indent=2) + "\n")
        (folder / "backtest.md").write_text(
            "```\n" + format_report(results.backtest) + "\n```\n", encoding="utf-8"
        )
    if draw is not None:
        draw(results, folder)
    results.timings["write_seconds"] = time.perf_counter() - started
    (folder / "manifest.json").write_text(
        json.dumps(manifest(results, text, argv), indent=2) + "\n"
    )
