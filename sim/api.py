"""The library: every command of ``sim`` as a Python function returning a result object.

The command line is a thin layer over these functions, so a folder written from
Python equals one written by the command line. Each function takes plain
arguments (paths, numbers, lists of ``path=value`` strings) and the options of
running and writing, as objects (``execution=Execution(jobs=4)``,
``output=Output(out=...)``, ``sim.experiments.settings``) or as keyword arguments
that build them (``jobs=4, out=...``); with ``out`` it also writes the results
folder, atomically, figures included unless ``plots=False``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.experiments.settings import (
    DEFAULT_OUT,
    SWEEP_EXECUTION,
    Design,
    Execution,
    Output,
    Settings,
    refuse_unknown,
    split,
)
from sim.scenario.loader import load
from sim.scenario.schema import ScenarioConfig

if TYPE_CHECKING:
    from sim.analysis.discovery.find import Discovery
    from sim.estimation.report import Estimates
    from sim.experiments.comparison import Comparison
    from sim.experiments.runner import Results
    from sim.experiments.sweep.result import SweepResult
    from sim.experiments.sweep.sensitivity import SensitivityResult


def _objects(
    function: str,
    options: dict[str, Any],
    execution: Execution | None,
    output: Output | None,
    running: Execution = Execution(),  # noqa: B008 - frozen
) -> tuple[Execution, Output]:
    """The execution and output objects, given or built from keyword ``options``."""
    execution = split(options, execution, running)
    output = split(options, output, Output())
    refuse_unknown(function, options)
    return execution, output


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped the work; nothing was written to ``out``."""

    def __init__(self, out: Path):
        super().__init__(str(out))
        self.out = out


def run(
    scenario: str | Path | dict | ScenarioConfig,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    overrides: list[str] | None = None,
    *,
    execution: Execution | None = None,
    output: Output | None = None,
    **options: Any,
) -> Results:
    """Run a scenario's replicates; return their tables and summary, and write them to ``out``.

    Args:
        scenario: A YAML path, a dict with the same fields, or a loaded ScenarioConfig
            (not validated again).
        runs: Replicates (default: the scenario's ``runs``).
        seed: Master seed (default: the scenario's ``seed``).
        years: Years to simulate (default: the scenario's ``years``).
        overrides: ``path=value`` strings applied to the scenario.
        execution: How runs are made: ``jobs`` (worker processes; ``None`` or 0 uses
            every core), ``progress`` (show a progress bar).
        output: What is written: ``out`` (the results folder, ``DEFAULT_OUT`` for
            ``results/NAME/TIMESTAMP``; ``None`` writes nothing), ``plots`` (draw the
            figures), ``argv`` (the command line recorded in the manifest).
        **options: Any field of ``Execution`` or ``Output`` by name (``jobs=4``,
            ``out="results/x"``), over ``execution`` and ``output``.

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
    execution, output = _objects("run", options, execution, output)
    from sim.experiments.executors import warm_up

    warm_up(execution)  # workers import while the scenario is read and checked
    from sim.experiments.folders import atomic_folder, check_out, default_out, fill, least_bytes
    from sim.experiments.runner import TABLES, run_placed

    config = load(scenario, overrides, runs=runs, seed=seed, years=years)
    if output.out is None:
        return run_placed(config, execution, scenario, overrides)
    folder = default_out(config) if output.out is DEFAULT_OUT else Path(output.out)
    check_out(folder, needed=least_bytes(config, config.runs, TABLES))  # costs nothing
    try:
        # the folder is written into a hidden sibling from the start: local workers
        # write the dyads there as they finish (a Dask cluster's send them back, as a
        # sweep's do), and it is renamed into place at the end
        with atomic_folder(folder) as partial:
            local = execution.backend == "process"
            dyads_to = partial / "dyads.parquet" if local else None
            results = run_placed(config, execution, scenario, overrides, dyads_to)
            draw = None
            if output.plots:
                from sim.plots.runs import plot_results as draw
            fill(results, partial, draw=draw, argv=output.argv)
    except KeyboardInterrupt:
        raise Interrupted(folder) from None
    results.moved(folder)
    return results


def compare(
    sources: list[str | Path],
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    overrides: list[str] | None = None,
    outcomes: list[str] | None = None,
    *,
    execution: Execution | None = None,
    output: Output | None = None,
    **options: Any,
) -> Comparison:
    """Compare scenarios with a reference, on common seeds, with statistics (``sim compare``).

    Every source and option is checked before anything runs. Scenario files run
    with the same runs and seed, so their runs are compared in pairs; run folders
    are paired when they share seed and run count.

    Args:
        sources: ScenarioConfig YAML files or run folders written by ``sim SCENARIO``; the
            first is the reference every other is compared with.
        runs: Replicates of each scenario file (default: a run folder's, else the
            reference's); at least 2.
        seed: Master seed of every scenario file (default: a run folder's, else the
            reference's).
        years: Years to simulate for scenario files (default: each scenario's).
        overrides: ``path=value`` strings applied to every scenario file.
        outcomes: Outcome columns to compare (default: the system measures, major
            states' shares, bloc shares and sanction targets' GDP).
        execution: ``jobs`` (worker processes; ``None`` or 0 uses every core) and
            ``progress`` (show a progress bar).
        output: ``out`` (the comparison folder, ``DEFAULT_OUT`` for
            ``results/compare/A-vs-B/TIMESTAMP``; ``None`` writes nothing), ``plots``
            and ``argv`` (the command line recorded in the manifests).
        **options: Any field of ``Execution`` or ``Output`` by name.

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
    execution, output = _objects("compare", options, execution, output)
    from sim.analysis.comparison import choose_columns
    from sim.experiments import comparison

    if isinstance(sources, str | Path):
        sources = [sources]
    settings = Settings(runs=runs, seed=seed, years=years)
    planned = comparison.plan_sources(sources, settings, overrides)
    columns = choose_columns(outcomes, [source.config for source in planned])
    folder = None
    if output.out is not None:
        names = comparison.source_names(planned)
        folder = comparison.default_out(names) if output.out is DEFAULT_OUT else Path(output.out)
    draw = None
    if output.plots and folder is not None:
        from sim.plots.comparison import draw_comparison as draw
    try:
        return comparison.compare(planned, columns, execution, replace(output, out=folder), draw)
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
    from sim.experiments.sweep.folder import SweepFolder

    return SweepInterrupted(folder, SweepFolder(folder).kept(), total)


def run_sweep(
    scenario: str | Path | dict | None,
    out: str | Path | None = DEFAULT_OUT,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    overrides: list[str] | None = None,
    *,
    design: Design | None = None,
    execution: Execution | None = None,
    output: Output | None = None,
    **options: Any,
) -> SweepResult:
    """Run a design x replicates into a folder that survives any interruption (``sim sweep``).

    The design is the scenario's ``sweep:`` block merged with ``design``; every
    point is checked before anything runs.

    Args:
        scenario: A YAML path or a dict; None with ``resume`` reads ``out``'s scenario.
        out: The sweep folder (``DEFAULT_OUT`` or None: ``results/NAME/sweep-TIMESTAMP``).
        runs: Replicates per design point.
        seed: Master seed (default: the scenario's).
        years: Years to simulate (default: the scenario's).
        overrides: ``path=value`` strings applied to every point.
        design: ``grid`` (``PATH=V1,V2,...`` entries), ``ranges`` (``PATH=LO:HI:N``,
            N evenly spaced values), ``sample`` (``lhs``, ``sobol`` or ``morris``,
            SALib), ``n`` (lhs: points; sobol: base samples, a power of 2; morris:
            trajectories), ``vary`` (``PATH=LO:HI`` sampled parameters), ``levels``
            (Morris grid levels).
        execution: ``jobs`` (worker processes; ``None`` or 0, the default, uses every
            core), ``backend`` (``process`` or ``dask``), ``address`` (a Dask
            scheduler; without it a LocalCluster is started), ``resume`` (finish the
            interrupted sweep in ``out``, or start it if none began) and ``progress``
            (say what runs and show a progress bar, on stderr).
        output: ``tables`` (the tables to keep; default all four, the outcomes are
            always kept), ``plots`` (draw the figures into ``out/plots``) and ``argv``
            (the command line recorded in the manifest); ``out`` above wins.
        **options: Any field of ``Design``, ``Execution`` or ``Output`` by name
            (``grid=[...]``, ``jobs=2``, ``tables=["system"]``).

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
    design = split(options, design, Design())
    execution, output = _objects("run_sweep", options, execution, output, SWEEP_EXECUTION)
    from sim.experiments.executors import warm_up

    warm_up(execution)  # workers import while the design is laid out and checked
    from sim.experiments.sweep.plan import choose_folder, plan_sweep
    from sim.experiments.sweep.runner import run_sweep as run_plan

    if out is not DEFAULT_OUT or output.out is DEFAULT_OUT:
        output = replace(output, out=None if out is DEFAULT_OUT else out)
    settings = Settings(runs=runs, seed=seed, years=years)
    plan = plan_sweep(scenario, design, overrides, settings, execution, output)
    folder = choose_folder(
        plan.config.name, output.out, execution.resume, needed=plan.least_bytes()
    )
    output = replace(output, out=folder)
    draw = None
    if output.plots:
        from sim.plots.sweep import draw_sweep as draw
    try:
        return run_plan(plan, execution, output, draw)
    except KeyboardInterrupt:
        raise _sweep_stopped(output.out, plan.tasks) from None


def sensitivity(
    scenario: str | Path | dict | None,
    method: str = "sobol",
    outcomes: list[str] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
    overrides: list[str] | None = None,
    *,
    design: Design | None = None,
    execution: Execution | None = None,
    output: Output | None = None,
    **options: Any,
) -> SensitivityResult:
    """Sobol or Morris indices of outcomes, from a sweep over ``vary`` (``sim sensitivity``).

    Args:
        scenario: A YAML path or a dict; None with ``resume`` reads ``out``'s scenario.
        method: ``sobol`` (S1, ST) or ``morris`` (mu*, sigma).
        outcomes: Outcome columns to analyse, ``p_multipolar`` etc. allowed
            (default ``sim.analysis.sensitivity.DEFAULT_OUTCOMES``).
        runs: Replicates per design point (default 4); outcomes are averaged over them.
        seed: Master seed (default: the scenario's).
        years: Years to simulate (default: the scenario's).
        overrides: ``path=value`` strings applied to every point.
        design: ``vary`` (``PATH=LO:HI`` parameters, besides any in the scenario's
            sweep block), ``n`` (sobol: base samples, a power of 2, default 64;
            morris: trajectories, 16) and ``levels`` (Morris grid levels, default 4).
        execution: ``jobs``, ``backend``, ``address``, ``resume`` and ``progress``, as
            for ``run_sweep``.
        output: ``out`` (the sweep folder; ``DEFAULT_OUT`` or None:
            ``results/NAME/sensitivity-METHOD-TIMESTAMP``), ``tables``, ``plots`` (the
            sweep's figures and the indices' bar chart) and ``argv``.
        **options: Any field of ``Design``, ``Execution`` or ``Output`` by name
            (``vary=[...]``, ``n=64``, ``out=...``).

    Returns:
        The analysis: ``indices``, ``method``, ``sweep`` and ``folder``;
        ``table()`` is the text the command line prints.

    Raises:
        SweepInterrupted: After Ctrl-C or SIGTERM; the finished runs are kept.
    """
    design = split(options, design, Design())
    execution, output = _objects("sensitivity", options, execution, output, SWEEP_EXECUTION)
    from sim.experiments.executors import warm_up

    warm_up(execution)  # workers import while the design is laid out and checked
    from sim.experiments.sweep.plan import choose_folder
    from sim.experiments.sweep.sensitivity import plan_sensitivity, run_sensitivity

    if output.out is DEFAULT_OUT:
        output = replace(output, out=None)
    settings = Settings(runs=runs, seed=seed, years=years)
    plan, columns = plan_sensitivity(
        scenario, method, design, outcomes, overrides, settings, execution, output
    )
    kind, needed = f"sensitivity-{method}", plan.least_bytes()
    folder = choose_folder(plan.config.name, output.out, execution.resume, kind, needed)
    output = replace(output, out=folder)
    draw = None
    if output.plots:
        from sim.plots.sweep import draw_sweep as draw
    try:
        return run_sensitivity(plan, columns, execution, output, draw)
    except KeyboardInterrupt:
        raise _sweep_stopped(folder, plan.tasks) from None


def discover(
    folder: str | Path,
    outcome: str,
    threshold: float = 0.8,
    box: int | None = None,
    significance: float = 0.05,
    seed: int = 0,
    *,
    partial: bool = False,
    output: Output | None = None,
    **options: Any,
) -> Discovery:
    """Which inputs of a sweep or uncertain run lead to an outcome; write the report to ``out``.

    Args:
        folder: A sweep folder, or a run folder with uncertain parameters.
        outcome: ``polarity=multipolar``, ``leader=CHN``, ``share_CHN>0.2``, ...
        threshold: The least density of the chosen PRIM box.
        box: Choose this box of the peeling trajectory instead (-1: the last).
        significance: Drop the chosen box's limits whose quasi-p values exceed it.
        seed: Seed of CART and the extra trees.
        partial: Analyse an unfinished sweep's finished runs instead of refusing it.
        output: ``out`` (the report folder, ``DEFAULT_OUT`` for
            ``FOLDER/discover/OUTCOME``, where a rerun replaces the earlier report;
            ``None`` writes nothing), ``plots`` and ``argv`` (the command line
            recorded in report.json).
        **options: Any field of ``Output`` by name (``out=...``, ``plots=False``).

    Returns:
        The discovery (``sim.analysis.discovery.find.discover``), with ``folder`` when written.

    Example:
        >>> import sim
        >>> found = sim.discover("results/lhs", "polarity=multipolar")  # doctest: +SKIP
        >>> found.sentence
    """
    output = split(options, output, Output())
    refuse_unknown("discover", options)
    from sim.analysis.discovery.find import discover as find
    from sim.experiments.discovery_folder import check_target, default_folder, write_discovery

    out = output.out
    target = None if out is None or out is DEFAULT_OUT else Path(out)
    if target is not None:
        check_target(target)  # a bad folder costs nothing
    try:
        chosen = dict(threshold=threshold, box=box, significance=significance, seed=seed)
        result = find(folder, outcome, partial=partial, **chosen)
        if out is not None:
            target = target or default_folder(result)
            draw = None
            if output.plots:
                from sim.plots.discovery import draw_discovery as draw
            result.folder = write_discovery(result, target, draw=draw, argv=output.argv)
    except KeyboardInterrupt:
        if out is None:
            raise
        raise Interrupted(target or Path(folder) / "discover") from None
    return result


def estimate(
    out: str | Path | None = None,
    tables: str | Path | None = None,
    *,
    plots: bool = True,
) -> Estimates:
    """Re-estimate the behavioural models on the 2000-2014 record (docs/estimation.md).

    MID onset, defence pledges, ideal points, UN agreement; ``sim/data/behaviour/`` alone.

    Args:
        out: Write the report there (``docs/estimation.md`` from the command line),
            its calibration figure beside it unless ``plots=False``; ``None``: no report.
        tables: Write the coefficient tables (term, coef, se, z, p) into this folder
            (the package ships them in ``sim/data/estimated/``); ``None``: none.
        plots: Draw the calibration figure with the report.

    Returns:
        The estimates (``sim.estimation.report.Estimates``): ``fits`` by model name,
        each a coefficient ``table`` and fit ``stats``, and their ``holdouts``.

    Example:
        >>> import sim
        >>> est = sim.estimate()  # doctest: +SKIP
        >>> est.table("hostility")
    """
    from sim.estimation.report import estimate as fit
    from sim.estimation.report import write_report, write_tables

    result = fit()
    if tables is not None:
        write_tables(result, Path(tables))
    if out is not None:
        draw = None
        if plots:
            from sim.plots.estimation import draw_calibration as draw
        write_report(result, Path(out), draw=draw)
    return result


__all__ = [
    "DEFAULT_OUT",
    "Design",
    "Execution",
    "Interrupted",
    "Output",
    "Settings",
    "SweepInterrupted",
    "compare",
    "discover",
    "estimate",
    "load",
    "run",
    "run_sweep",
    "sensitivity",
]
