"""Comparing scenarios end to end: read or run each source, compare, write the folder.

A source is a scenario file or a run folder written earlier by ``sim SCENARIO``;
the first is the reference. Scenario files are run with the same runs and master
seed, so run r of every scenario draws the same random numbers (common random
numbers) and the runs are compared in pairs; run folders are paired only when
they share their seed and run count.

A comparison folder holds ``comparison.json`` (every number), ``comparison.md``
(the tables), ``outcomes.parquet`` (one row per scenario and run),
``power_share.parquet`` (the power-share paths the fan charts need),
``manifest.json``, each scenario file's run folder under ``scenarios/<name>/``, and
the figures a ``draw`` callback adds. It is written into a hidden sibling folder
and renamed into place at the end, so it either is complete or does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import comparison_text
from sim.analysis.comparison import check_columns, compare_outcomes
from sim.analysis.outcomes import final_outcomes, outcome_columns
from sim.analysis.summary import major_states
from sim.errors import Problem, ScenarioError, option_problem
from sim.experiments.folders import (
    atomic_folder,
    check_out,
    least_bytes,
    run_provenance,
    write_results,
)
from sim.experiments.runner import TABLES, Results, load_folder, run_scenario
from sim.experiments.settings import Execution, Output, Settings
from sim.scenario.loader import load as load_config
from sim.scenario.loader import with_values
from sim.scenario.schema import ScenarioConfig

COMPARE_ROOT = Path("results") / "compare"

# ------------------------------------------------------------------ sources


@dataclass
class Source:
    """One thing to compare: a scenario file to run, or a run folder already written."""

    path: Path
    config: ScenarioConfig
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
        if not (folder / name).exists()  # a table may be a folder of parts
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


def load_source(source: Source, execution: Execution) -> Results:
    """Run a planned scenario file, or read a run folder written by ``sim SCENARIO``.

    Returns:
        The results; a run folder's keep the seed and runs it was written with.

    Raises:
        ScenarioError: For a folder that is not a complete run folder.
    """
    if source.run_folder:
        return read_run_folder(source.path)
    return run_scenario(source.config, execution)


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


def source_names(sources: list[Source]) -> list[str]:
    """Each source's name in the comparison: its scenario's name, made unique."""
    return unique_names([source.config.name for source in sources])


def _check_options(paths: list[Path], settings: Settings) -> None:
    runs, seed, years = settings.runs, settings.seed, settings.years
    if len(paths) < 2:
        raise ScenarioError(option_problem("sources", "give at least two: a reference and another"))
    if runs is not None and runs < 2:
        raise ScenarioError(option_problem("--runs", f"must be at least 2 to compare, got {runs}"))
    if years is not None and years < 1:
        raise ScenarioError(option_problem("--years", f"must be at least 1, got {years}"))
    if seed is not None and seed < 0:
        raise ScenarioError(option_problem("--seed", f"must be at least 0, got {seed}"))


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


def _settings(
    files: dict[Path, ScenarioConfig], folders: dict[Path, dict[str, Any]], settings: Settings
) -> tuple[int, int]:
    """Runs and seed for scenario files: as given, else a run folder's, else the reference's."""
    first = next(iter(folders.values()), None)
    reference = next(iter(files.values()), None)
    runs = settings.runs or (first["runs"] if first else reference.runs)
    seed = settings.seed
    if seed is None:
        seed = first["seed"] if first else reference.seed
    return runs, seed


def plan_sources(
    paths: list[Path],
    settings: Settings = Settings(),  # noqa: B008 - frozen
    overrides: list[str] | None = None,
) -> list[Source]:
    """Check every source and option before anything runs; settle each source's runs and seed.

    Every scenario file is loaded and validated once, here; its runs and seed are
    then set as values.

    Args:
        paths: Scenario files and run folders; the first is the reference.
        settings: ``runs`` and ``seed`` of every scenario file (default: a run
            folder's, else the reference's) and ``years`` to simulate (default: each
            scenario's).
        overrides: ``path=value`` strings applied to every scenario file.

    Returns:
        One Source per path, in order.

    Raises:
        ScenarioError: Fewer than two sources, runs below 2, a path that is neither a
            scenario file nor a complete run folder, options for scenario files when
            there are none, or sources that end in different years.
    """
    paths = [Path(path) for path in paths]
    _check_options(paths, settings)
    kinds = {path: _source_kind(path) for path in paths}
    folders = {path: read_manifest(path) for path in paths if kinds[path] == "folder"}
    if len(folders) == len(paths):
        given = {f"--{name}": value for name, value in vars(settings).items()}
        given["--set"] = overrides or None
        for option, value in given.items():
            if value is not None:
                raise ScenarioError(
                    option_problem(
                        option, "applies to scenario files only; every source is a run folder"
                    )
                )
    files = {
        path: load_config(path, overrides, years=settings.years)
        for path in paths
        if path not in folders
    }
    runs, seed = _settings(files, folders, settings)
    sources = []
    for path in paths:
        if path in folders:
            config = load_config(path / "scenario.yaml")
            sources.append(Source(path, config, folders[path]["seed"], folders[path]["runs"], True))
        else:
            config = with_values(files[path], {"runs": runs, "seed": seed})
            sources.append(Source(path, config, seed, runs, False))
    if len({source.year for source in sources}) > 1:
        ends = ", ".join(f"{s.path} ends in {s.year}" for s in sources)
        message = f"runs must end in the same year to compare them: {ends}"
        if any(not s.run_folder for s in sources):
            message += " (set the scenario files' horizon with --years)"
        raise ScenarioError(option_problem("sources", message))
    for source in sources:
        if source.runs < 2:
            raise _refuse(source.path, f"needs at least 2 runs to compare, has {source.runs}")
    return sources


# ------------------------------------------------------------------ the comparison


@dataclass
class Comparison:
    """Scenarios compared with a reference: every number, the tables behind them, the folder.

    Attributes:
        result: Every number, as in comparison.json (``compare_outcomes``, plus
            ``major_states``: the reference's major states).
        outcomes: One row per scenario and run: ``scenario``, ``run`` and each outcome.
        power_shares: ``run``, ``year``, ``state``, ``power_share``, ``scenario``: the
            paths the fan charts draw.
        sources: What was compared, the reference first.
        folder: Where the comparison folder was written, if it was.
    """

    result: dict[str, Any]
    outcomes: pd.DataFrame
    power_shares: pd.DataFrame
    sources: list[Source]
    folder: Path | None = None

    @property
    def names(self) -> list[str]:
        """The scenarios' names, the reference first."""
        return self.result["scenarios"]

    @property
    def differences(self) -> pd.DataFrame:
        """One row per (other scenario, outcome): the difference, its interval and tests."""
        return pd.DataFrame(self.result["differences"])

    @property
    def headlines(self) -> list[str]:
        """One plain-language sentence per scenario compared with the reference."""
        return comparison_text.headlines(self.result)

    def table(self) -> str:
        """The comparison as plain text, as ``sim compare`` prints it."""
        return comparison_text.format_table(self.result)

    def markdown(self) -> str:
        """The comparison as Markdown, as in comparison.md."""
        return comparison_text.to_markdown(self.result)


def default_out(names: list[str], now: datetime | None = None) -> Path:
    """``results/compare/<A>-vs-<B>/<YYYYmmdd-HHMMSS>/``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return COMPARE_ROOT / "-vs-".join(names) / stamp


def power_shares(states: pd.DataFrame) -> pd.DataFrame:
    """The columns the fan charts need: run, year, state, power_share."""
    return states[["run", "year", "state", "power_share"]]


def _collect(
    sources: list[Source],
    execution: Execution,
    scenarios: Path | None,
    argv: list[str] | None,
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Run or read every source; write each run's folder; keep only what is compared."""
    outcomes, shares = {}, []
    for source, name in zip(sources, source_names(sources), strict=True):
        results = load_source(source, execution)
        if scenarios is not None and not source.run_folder:
            write_results(results, scenarios / name, argv=argv)
        outcomes[name] = final_outcomes(results.states, results.system)
        shares.append(power_shares(results.states).assign(scenario=name))
    # a run that failed in one scenario (docs/experiments.md#failed-runs) leaves every
    # scenario's run of that number out, so that runs stay compared in pairs
    common = set.intersection(*(set(frame["run"].tolist()) for frame in outcomes.values()))
    outcomes = {
        name: frame[frame["run"].isin(common)].reset_index(drop=True)
        for name, frame in outcomes.items()
    }
    shares = [frame[frame["run"].isin(common)] for frame in shares]
    return outcomes, pd.concat(shares, ignore_index=True)


def _stack(outcomes: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = [frame.assign(scenario=name) for name, frame in outcomes.items()]
    stacked = pd.concat(frames, ignore_index=True)
    return stacked[["scenario", *(c for c in stacked.columns if c != "scenario")]]


def _manifest(comparison: Comparison, argv: list[str] | None) -> dict[str, Any]:
    sources, names = comparison.sources, comparison.names
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
        "paired": comparison.result["paired"],
        "outcomes": comparison.result["columns"],
        **run_provenance(argv),
    }


def _comparison(
    sources: list[Source],
    columns: list[str],
    outcomes: dict[str, pd.DataFrame],
    shares: pd.DataFrame,
) -> Comparison:
    """Compare every source's outcomes with the reference's."""
    found = outcome_columns(next(iter(outcomes.values())))
    check_columns(columns, [c for c in found if all(c in f for f in outcomes.values())])
    paired = len({(s.seed, s.runs) for s in sources}) == 1
    result = compare_outcomes(outcomes, columns, paired, year=sources[0].year)
    result["major_states"] = major_states(sources[0].config)
    return Comparison(result, _stack(outcomes), shares, sources)


def _write(
    folder: Path,
    comparison: Comparison,
    draw: Callable[[Comparison, Path], object] | None,
    argv: list[str] | None,
) -> None:
    comparison.outcomes.to_parquet(folder / "outcomes.parquet", index=False)
    comparison.power_shares.to_parquet(folder / "power_share.parquet", index=False)
    text = json.dumps(comparison.result, indent=2, allow_nan=False) + "\n"
    (folder / "comparison.json").write_text(text, encoding="utf-8")
    (folder / "comparison.md").write_text(comparison.markdown(), encoding="utf-8")
    if draw is not None:
        draw(comparison, folder)
    manifest = json.dumps(_manifest(comparison, argv), indent=2) + "\n"
    (folder / "manifest.json").write_text(manifest)


def compare(
    sources: list[Source],
    columns: list[str],
    execution: Execution = Execution(),  # noqa: B008 - frozen
    output: Output = Output(),  # noqa: B008 - frozen
    draw: Callable[[Comparison, Path], object] | None = None,
) -> Comparison:
    """Run or read the sources, compare them with the first, and write the folder ``out``.

    Args:
        sources: The planned sources (``plan_sources``); the first is the reference.
        columns: The numeric outcome columns to compare (``choose_columns``).
        execution: ``jobs`` for scenario files (``None`` or 0 uses every core) and
            ``progress`` (a progress bar while running).
        output: ``out``, the comparison folder to write, atomically (``None`` writes
            nothing), and ``argv``, the command line recorded in the manifests
            (default ``sys.argv``).
        draw: ``draw(comparison, folder)`` adds figures to the folder before it is
            renamed into place (``sim.plots.comparison.draw_comparison``).

    Returns:
        The comparison, with ``folder`` set when written.

    Raises:
        ScenarioError: For an ``out`` that is not an empty folder, or compared outcomes
            some source's runs lack.
    """
    out, argv = output.out, output.argv
    if out is not None:  # each scenario's runs are written whole into the folder
        run = [s for s in sources if not s.run_folder]
        check_out(out, needed=sum(least_bytes(s.config, s.runs, TABLES) for s in run))
    with atomic_folder(out) if out is not None else nullcontext() as partial:
        scenarios = partial / "scenarios" if partial is not None else None
        outcomes, shares = _collect(sources, execution, scenarios, argv)
        comparison = _comparison(sources, columns, outcomes, shares)
        if partial is not None:
            _write(partial, comparison, draw, argv)
    comparison.folder = out
    return comparison
