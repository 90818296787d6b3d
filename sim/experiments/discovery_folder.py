"""Writing a scenario discovery's report folder: report.md, report.json and the figures.

The folder appears only when complete (``sim.experiments.folders.atomic_folder``);
by default it is ``FOLDER/discover/<outcome>/`` beside the runs analysed, and a rerun
replaces an earlier report there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.analysis.discovery.find import Discovery
from sim.analysis.discovery.report import markdown, to_json
from sim.experiments.folders import atomic_folder, check_out, run_provenance

REPORT = "report.json"
SUMMARY = "report.md"
ALGORITHMS = ("ema_workbench", "scikit-learn")  # versions recorded beside sim's own


def default_folder(result: Discovery) -> Path:
    """``FOLDER/discover/<outcome-slug>/``."""
    return result.source / "discover" / result.question.slug


def check_target(out: Path) -> bool:
    """Refuse a folder that holds something other than an earlier report; True to replace it."""
    if out.is_dir() and (out / REPORT).is_file():
        return True
    check_out(out, " (and is not an earlier discovery report)")
    return False


def provenance(argv: list[str] | None) -> dict[str, Any]:
    """The command line, date, platform and versions, EMA Workbench's and scikit-learn's too."""
    found = run_provenance(argv)
    for name in ALGORITHMS:
        try:
            found["versions"][name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found["versions"][name] = "not installed"
    return found


def write_discovery(
    result: Discovery,
    out: Path,
    draw: Callable[[Discovery, Path], object] | None = None,
    argv: list[str] | None = None,
) -> Path:
    """Write report.json and report.md into ``out`` atomically and return ``out``.

    ``draw(result, folder)``, if given, adds the figures before the folder is renamed
    into place (``sim.plots.discovery.draw_discovery``), and report.md links them.

    Raises:
        ScenarioError: If ``out`` holds something other than an earlier report.
    """
    replace = check_target(out)
    with atomic_folder(out, replace=replace) as partial:
        data = {**to_json(result), **provenance(argv)}
        (partial / REPORT).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        text = markdown(result, plots=draw is not None)
        (partial / SUMMARY).write_text(text, encoding="utf-8")
        if draw is not None:
            draw(result, partial)
    return out
