"""The library: every command of ``sim`` as a Python function returning a result object.

The command line is a thin layer over these functions, so a folder written from
Python equals one written by the command line. Each function takes plain
arguments (paths, numbers, lists of ``path=value`` strings); with ``out`` it also
writes the results folder, atomically, figures included unless ``plots=False``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import RunFailed
from sim.scenario.loader import load
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.analysis.discovery import Discovery
    from sim.experiments.comparison import Comparison
    from sim.experiments.runner import Results
    from sim.experiments.sweep import SweepResult
    from sim.experiments.sweep_sensitivity import SensitivityResult


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT_OUT"


DEFAULT_OUT: Any = _Default()  # a new timestamped folder under results/<scenario name>/


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped the work; nothing was written to ``out``."""

    def __init__(self, out: Path):
        super().__init__(str(out))
        self.out = out


def run(
    scenario: str | Path | dict | Scenario,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    jobs: int | None = 1,
    overrides: list[str] | None = None,
    progress: bool = False,
    out: str | Path | None = None,
    plots: bool = True,
    argv: list[str] | None = None,
) -> Results:
    """Run a scenario's replicates; return their tables and summary, and write them to ``out``.

    Args:
        scenario: A YAML path, a dict with the same fields, or a loaded Scenario.
        runs: Replicates (default: the scenario's ``runs``).
        seed: Master seed (default: the scenario's ``seed``).
        years: Years to simulate (default: the scenario's ``years``).
        jobs: Worker processes; ``None`` or 0 uses every core.
        overrides: ``path=value`` strings applied to the scenario.
        progress: Show a progress bar.
        out: Results folder to write (``DEFAULT_OUT``: ``results/NAME/TIMESTAMP``);
            ``None`` writes nothing.
        plots: Draw the figures into the folder.
        argv: The command line recorded in the manifest (default ``sys.argv``).

    Returns:
        The results: ``states``, ``dyads``, ``system``, ``events`` DataFrames,
        ``summary``, and ``folder`` when written. A run whose world stopped being
        finite is left out of them and listed in ``failed`` (and in the summary's
        ``failed_runs``), its error placed at the scenario entry it blames.

    Raises:
        RunFailed: When every run failed (nothing is written); a ``ScenarioError``.

    Example:
        >>> import sim
        >>> res = sim.run("scenarios/sanctions.yaml", runs=50, seed=1)  # doctest: +SKIP
        >>> res.states.query("year == 2040 and state == 'RUS'").power_share.median()
    """
    from sim.experiments.executors import warm_up

    warm_up(jobs)  # workers import while the scenario is read and checked
    from sim.experiments import runner
    from sim.experiments.folders import check_out, default_out, write_results

    config = load(scenario, overrides, runs=runs, seed=seed, years=years)
    folder = None
    if out is not None:
        folder = default_out(config) if out is DEFAULT_OUT else Path(out)
        check_out(folder)  # a bad folder costs nothing
    try:
        try:
            results = runner.run_scenario(config, jobs=jobs, progress=progress)
        except RunFailed as failed:  # every run failed: nothing to write
            raise runner.placed(failed, scenario, overrides) from None
        runner.place_failures(results, scenario, overrides)
        if folder is not None:
            draw = None
            if plots:
                from sim.plots.runs import plot_results as draw
            write_results(results, folder, draw=draw, argv=argv)
            results.folder = folder
    except KeyboardInterrupt:
        if folder is None:
            raise
        raise Interrupted(folder) from None
    return results


def compare(
    sources: list[str | Path],
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    jobs: int | None = 1,
    overrides: list[str] | None = None,
    outcomes: list[str] | None = None,
    out: str | Path | None = None,
    plots: bool = True,
    progress: bool = False,
    argv: list[str] | None = None,
) -> Comparison:
    """Compare scenarios with a reference, on common seeds, with statistics (``sim compare``).

    Every source and option is checked before anything runs. Scenario files run
    with the same runs and seed, so their runs are compared in pairs; run folders
    are paired when they share seed and run count.

    Args:
        sources: Scenario YAML files or run folders written by ``sim SCENARIO``; the
            first is the reference every other is compared with.
        runs: Replicates of each scenario file (default: a run folder's, else the
            reference's); at least 2.
        seed: Master seed of every scenario file (default: a run folder's, else the
            reference's).
        years: Years to simulate for scenario files (default: each scenario's).
        jobs: Worker processes; ``None`` or 0 uses every core.
        overrides: ``path=value`` strings applied to every scenario file.
        outcomes: Outcome columns to compare (default: the system measures, major
            states' shares, bloc shares and sanction targets' GDP).
        out: Comparison folder to write (``DEFAULT_OUT``:
            ``results/compare/A-vs-B/TIMESTAMP``); ``None`` writes nothing.
        plots: Draw the figures into the folder.
        progress: Show a progress bar.
        argv: The command line recorded in the manifests (default ``sys.argv``).

    Returns:
        The comparison (``sim.experiments.comparison.Comparison``): ``result`` (every
        number), ``outcomes``, ``power_shares``, ``differences``, ``headlines``,
        ``table()`` (what the command line prints), ``markdown()`` and ``folder``.

    Raises:
        ScenarioError: For fewer than two sources, runs below 2, unknown outcome
            columns, a source that is not a scenario file or a complete run folder.
        Interrupted: After Ctrl-C while writing ``out``; nothing was written.

    Example:
        >>> import sim
        >>> found = sim.compare(  # doctest: +SKIP
        ...     ["scenarios/western_cohesion.yaml", "scenarios/sino_russian_consolidation.yaml"],
        ...     runs=40)
        >>> print(found.table())
    """
    from sim.analysis.comparison import choose_columns
    from sim.experiments import comparison

    if isinstance(sources, str | Path):
        sources = [sources]
    planned = comparison.plan_sources(sources, runs, seed, years, overrides)
    columns = choose_columns(outcomes, [source.config for source in planned])
    folder = None
    if out is not None:
        names = comparison.source_names(planned)
        folder = comparison.default_out(names) if out is DEFAULT_OUT else Path(out)
    draw = None
    if plots and folder is not None:
        from sim.plots.comparison import draw_comparison as draw
    try:
        return comparison.compare(
            planned,
            columns,
            jobs=jobs,
            years=years,
            overrides=overrides,
            progress=progress,
            out=folder,
            draw=draw,
            argv=argv,
        )
    except KeyboardInterrupt:
        if folder is None:
            raise
        raise Interrupted(folder) from None


class SweepInterrupted(Interrupted):
    """Ctrl-C or SIGTERM stopped a sweep; the ``kept`` runs of ``total`` are kept in ``out``.

    Running the same call again with ``resume=True`` finishes it.
    """

    def __init__(self, out: Path, kept: int, total: int):
        super().__init__(out)
        self.kept = kept
        self.total = total


def _sweep_stopped(folder: Path, total: int) -> SweepInterrupted:
    from sim.experiments.sweep_folder import SweepFolder

    return SweepInterrupted(folder, SweepFolder(folder).kept(), total)


def run_sweep(
    scenario: str | Path | dict | None,
    out: str | Path | None = DEFAULT_OUT,
    grid: list[str] | None = None,
    ranges: list[str] | None = None,
    sample: str | None = None,
    n: int | None = None,
    vary: list[str] | None = None,
    levels: int | None = None,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    jobs: int | None = 0,
    backend: str = "process",
    address: str | None = None,
    overrides: list[str] | None = None,
    tables: list[str] | None = None,
    resume: bool = False,
    plots: bool = True,
    progress: bool = False,
    argv: list[str] | None = None,
) -> SweepResult:
    """Run a design x replicates into a folder that survives any interruption (``sim sweep``).

    The design is the scenario's ``sweep:`` block merged with ``grid``, ``ranges``
    and ``sample``/``n``/``vary``/``levels``; every point is checked before
    anything runs.

    Args:
        scenario: A YAML path or a dict; None with ``resume`` reads ``out``'s scenario.
        out: The sweep folder (``DEFAULT_OUT`` or None: ``results/NAME/sweep-TIMESTAMP``).
        grid: ``PATH=V1,V2,...`` grid entries.
        ranges: ``PATH=LO:HI:N`` grid entries, N evenly spaced values.
        sample: ``lhs``, ``sobol`` or ``morris`` (SALib).
        n: lhs: points; sobol: base samples (a power of 2); morris: trajectories.
        vary: ``PATH=LO:HI`` sampled parameters.
        levels: Morris grid levels.
        runs: Replicates per design point.
        seed: Master seed (default: the scenario's).
        years: Years to simulate (default: the scenario's).
        jobs: Worker processes; ``None`` or 0 uses every core.
        backend: ``process`` (this machine) or ``dask``.
        address: A Dask scheduler; without it a LocalCluster is started.
        overrides: ``path=value`` strings applied to every point.
        tables: Tables to keep (default all four; the outcomes are always kept).
        resume: Finish the interrupted sweep in ``out`` (or start it if none began).
        plots: Draw the figures into ``out/plots``.
        progress: Say what runs and show a progress bar, on stderr.
        argv: The command line recorded in the manifest (default ``sys.argv``).

    Returns:
        The sweep: ``folder``, ``design``, ``outcomes`` (one row per run),
        ``summary`` (one row per point) and ``manifest``.

    Raises:
        SweepInterrupted: After Ctrl-C or SIGTERM; the finished runs are kept.

    Example:
        >>> import sim
        >>> res = sim.run_sweep(  # doctest: +SKIP
        ...     "scenarios/sanctions.yaml", "results/finance-sweep", runs=20,
        ...     grid=["events.western_sanctions_2014.sectors.finance=0.1,0.5,1.0"])
        >>> res.summary  # one row per point: runs, P(polarity), median outcomes
    """
    from sim.experiments.executors import warm_up

    warm_up(jobs, backend)  # workers import while the design is laid out and checked
    from sim.experiments import sweep
    from sim.experiments.sweep_plan import DesignOptions

    design = DesignOptions(
        list(grid or []), list(ranges or []), sample, n, list(vary or []), levels
    )
    given = None if out is DEFAULT_OUT else out
    plan = sweep.plan_sweep(scenario, design, overrides, runs, seed, years, tables, given, resume)
    folder = sweep.choose_folder(plan.config.name, given, resume)
    draw = None
    if plots:
        from sim.plots.sweep import draw_sweep as draw
    try:
        return sweep.run_sweep(plan, folder, jobs, backend, address, resume, progress, argv, draw)
    except KeyboardInterrupt:
        raise _sweep_stopped(folder, plan.tasks) from None


def sensitivity(
    scenario: str | Path | dict | None,
    method: str = "sobol",
    vary: list[str] | None = None,
    n: int | None = None,
    levels: int | None = None,
    outcomes: list[str] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    jobs: int | None = 0,
    backend: str = "process",
    address: str | None = None,
    overrides: list[str] | None = None,
    tables: list[str] | None = None,
    resume: bool = False,
    out: str | Path | None = DEFAULT_OUT,
    plots: bool = True,
    progress: bool = False,
    argv: list[str] | None = None,
) -> SensitivityResult:
    """Sobol or Morris indices of outcomes, from a sweep over ``vary`` (``sim sensitivity``).

    Args:
        scenario: A YAML path or a dict; None with ``resume`` reads ``out``'s scenario.
        method: ``sobol`` (S1, ST) or ``morris`` (mu*, sigma).
        vary: ``PATH=LO:HI`` parameters (besides any in the scenario's sweep block).
        n: sobol: base samples, a power of 2 (default 64); morris: trajectories (16).
        levels: Morris grid levels (default 4).
        outcomes: Outcome columns to analyse, ``p_multipolar`` etc. allowed
            (default ``sim.analysis.sensitivity.DEFAULT_OUTCOMES``).
        runs: Replicates per design point (default 4); outcomes are averaged over them.
        out: The sweep folder (``DEFAULT_OUT`` or None:
            ``results/NAME/sensitivity-METHOD-TIMESTAMP``).
        seed: Master seed (default: the scenario's).
        years: Years to simulate (default: the scenario's).
        jobs: Worker processes; ``None`` or 0 uses every core.
        backend: ``process`` (this machine) or ``dask``.
        address: A Dask scheduler; without it a LocalCluster is started.
        overrides: ``path=value`` strings applied to every point.
        tables: Tables to keep (default all four; the outcomes are always kept).
        resume: Finish the interrupted analysis in ``out`` (or start it if none began).
        plots: Draw the sweep's figures and the indices' bar chart.
        progress: Say what runs and show a progress bar, on stderr.
        argv: The command line recorded in the manifest (default ``sys.argv``).

    Returns:
        The analysis: ``indices``, ``method``, ``sweep`` and ``folder``;
        ``table()`` is the text the command line prints.

    Raises:
        SweepInterrupted: After Ctrl-C or SIGTERM; the finished runs are kept.
    """
    from sim.experiments.executors import warm_up

    warm_up(jobs, backend)  # workers import while the design is laid out and checked
    from sim.experiments import sweep
    from sim.experiments.sweep_sensitivity import plan_sensitivity, run_sensitivity

    given = None if out is DEFAULT_OUT else out
    plan, columns = plan_sensitivity(
        scenario,
        method,
        vary,
        n,
        levels,
        outcomes,
        runs,
        seed,
        years,
        overrides,
        tables,
        given,
        resume,
    )
    folder = sweep.choose_folder(plan.config.name, given, resume, f"sensitivity-{method}")
    draw = None
    if plots:
        from sim.plots.sweep import draw_sweep as draw
    try:
        return run_sensitivity(
            plan, columns, folder, jobs, backend, address, resume, progress, argv, draw
        )
    except KeyboardInterrupt:
        raise _sweep_stopped(folder, plan.tasks) from None


def discover(
    folder: str | Path,
    outcome: str,
    threshold: float = 0.8,
    box: int | None = None,
    significance: float = 0.05,
    seed: int = 0,
    out: str | Path | None = None,
    plots: bool = True,
    argv: list[str] | None = None,
) -> Discovery:
    """Which inputs of a sweep or uncertain run lead to an outcome; write the report to ``out``.

    Args:
        folder: A sweep folder, or a run folder with uncertain parameters.
        outcome: ``polarity=multipolar``, ``leader=CHN``, ``share_CHN>0.2``, ...
        threshold: The least density of the chosen PRIM box.
        box: Choose this box of the peeling trajectory instead (-1: the last).
        significance: Drop the chosen box's limits whose quasi-p values exceed it.
        seed: Seed of CART and the extra trees.
        out: Report folder to write (``DEFAULT_OUT``: ``FOLDER/discover/OUTCOME``, where
            a rerun replaces the earlier report); ``None`` writes nothing.
        plots: Draw the figures into the folder.
        argv: The command line recorded in report.json (default ``sys.argv``).

    Returns:
        The discovery (``sim.analysis.discovery.discover``), with ``folder`` when written.

    Example:
        >>> import sim
        >>> found = sim.discover("results/lhs", "polarity=multipolar")  # doctest: +SKIP
        >>> found.sentence
    """
    from sim.analysis.discovery import discover as find
    from sim.experiments.discovery_folder import check_target, default_folder, write_discovery

    target = None if out is None or out is DEFAULT_OUT else Path(out)
    if target is not None:
        check_target(target)  # a bad folder costs nothing
    try:
        result = find(
            folder, outcome, threshold=threshold, box=box, significance=significance, seed=seed
        )
        if out is not None:
            target = target or default_folder(result)
            draw = None
            if plots:
                from sim.plots.discovery import draw_discovery as draw
            result.folder = write_discovery(result, target, draw=draw, argv=argv)
    except KeyboardInterrupt:
        if out is None:
            raise
        raise Interrupted(target or Path(folder) / "discover") from None
    return result


__all__ = [
    "DEFAULT_OUT",
    "Interrupted",
    "SweepInterrupted",
    "compare",
    "discover",
    "load",
    "run",
    "run_sweep",
    "sensitivity",
]
