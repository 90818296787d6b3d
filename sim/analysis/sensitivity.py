"""Global sensitivity of a sweep's outcomes to its parameters (Sobol' or Morris).

A sweep folder holds the design (one row per design point, in the order the SALib
sampler produced them) and the outcomes (one row per finished run). The analysis
averages each outcome over a point's replicates, so that the indices describe how
the parameters move the *expected* outcome rather than one noisy draw, and hands
the averages to SALib in design order. Besides the numeric outcome columns,
``p_unipolar``, ``p_bipolar`` and ``p_multipolar`` are the share of a point's runs
ending in that polarity, and ``power_transition`` the share flagging a transition.

References:
    Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical
    models and their Monte Carlo estimates. Mathematics and Computers in
    Simulation 55(1-3):271-280.
    Saltelli, A. et al. (2010). Variance based sensitivity analysis of model
    output. Computer Physics Communications 181(2):259-270.
    Morris, M. D. (1991). Factorial sampling plans for preliminary computational
    experiments. Technometrics 33(2):161-174.
    Campolongo, F., Cariboni, J. and Saltelli, A. (2007). An effective screening
    design for sensitivity analysis of large models. Environmental Modelling &
    Software 22(10):1509-1518.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import morris, sobol

from sim.analysis.outcomes import outcome_columns, outcome_names
from sim.errors import Problem, ScenarioError, option_problem
from sim.folder_checks import need_fields, read_json, read_table
from sim.metrics import POLARITIES

METHODS = ("sobol", "morris")
DEFAULT_OUTCOMES = ("leader_share", "effective_poles", "con", "p_multipolar")
POLARITY_OUTCOMES = {f"p_{kind}": kind for kind in POLARITIES}
INDICES = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu", "mu_star", "mu_star_conf", "sigma"),
}
RANK_BY = {"sobol": "ST", "morris": "mu_star"}
EXPLAIN = {
    "sobol": (
        "S1: share of the outcome's variance due to the parameter alone; ST: share "
        "including its interactions with the others (ST well above S1 means interactions "
        "matter; ST near 0 means the parameter can be fixed)."
    ),
    "morris": (
        "mu*: mean absolute elementary effect, the outcome's change over the parameter's "
        "whole range (overall influence); mu: the signed mean; sigma: the effects' spread "
        "(large sigma means non-linearity or interactions)."
    ),
}
SHOWN_MISSING = 10


def read_sweep(folder: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """The manifest, design and outcomes of a sweep folder.

    Args:
        folder: The sweep folder.

    Returns:
        The manifest, the design sorted by ``point`` and the outcomes.

    Raises:
        ScenarioError: If the folder lacks a sweep's files.
    """
    folder = Path(folder)
    names = ("manifest.json", "design.parquet", "outcomes.parquet")
    missing = [name for name in names if not (folder / name).exists()]
    if missing:
        raise ScenarioError(
            Problem(
                str(folder),
                0,
                0,
                "",
                f"not a sweep folder: {', '.join(missing)} missing (`sim sweep` writes them)",
            )
        )
    manifest = read_json(folder / "manifest.json")
    if manifest.get("kind") != "sweep":
        raise ScenarioError(
            Problem(
                str(folder / "manifest.json"),
                0,
                0,
                "kind",
                f"expected a sweep folder, got kind {manifest.get('kind')!r}",
            )
        )
    need_fields(manifest, folder / "manifest.json", {"design": dict})
    need_fields(manifest["design"], folder / "manifest.json", {"method": str}, "design.")
    design = read_table(folder / "design.parquet", required=("point",))
    outcomes = read_table(folder / "outcomes.parquet", required=("point", "run"))
    return manifest, design.sort_values("point", ignore_index=True), outcomes


def available_outcomes(outcomes: pd.DataFrame) -> list[str]:
    """Outcome names the analysis and the sweep plots accept for these outcomes."""
    names = outcome_columns(outcomes)
    if "power_transition" in outcomes.columns:
        names.append("power_transition")
    if "polarity" in outcomes.columns:
        names.extend(POLARITY_OUTCOMES)
    return names


def run_values(outcomes: pd.DataFrame, name: str, file: str = "<sweep>") -> pd.Series:
    """One float per run of the outcome ``name``; 0/1 for ``p_<polarity>`` and flags.

    Args:
        outcomes: The outcomes table (one row per run).
        name: An outcome column, ``power_transition`` or ``p_<polarity>``.
        file: Where the outcomes came from, for the error message.

    Raises:
        ScenarioError: If ``name`` is not an outcome, listing close matches.
    """
    known = available_outcomes(outcomes)
    if name not in known:
        close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else f"choose from {', '.join(known)}"
        raise ScenarioError(Problem(file, 0, 0, "outcomes", f"unknown outcome {name!r}; {hint}"))
    if name in POLARITY_OUTCOMES:
        return (outcomes["polarity"] == POLARITY_OUTCOMES[name]).astype(float)
    return outcomes[name].astype(float)


def check_outcome_names(names: list[str], rows: list[str]) -> None:
    """Refuse, at the ``--outcomes`` option, a name no run of this world reports.

    Args:
        names: The outcome names asked for.
        rows: The world's rows: its acting states and ``ROW``.

    Raises:
        ScenarioError: For no name, or an unknown one (with close matches).
    """
    known = [*outcome_names(rows), *POLARITY_OUTCOMES, "power_transition"]
    if not names:
        raise ScenarioError(option_problem("--outcomes", "name at least one outcome"))
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ScenarioError(option_problem("--outcomes", f"unknown outcome {name!r}{hint}"))


def _listed(points: list[int]) -> str:
    """Up to ``SHOWN_MISSING`` point numbers, then how many more."""
    shown = ", ".join(str(p) for p in points[:SHOWN_MISSING])
    more = len(points) - SHOWN_MISSING
    return shown + (f" and {more} more" if more > 0 else "")


def point_means(
    outcomes: pd.DataFrame, columns: list[str], points: int, file: str = "<sweep>"
) -> pd.DataFrame:
    """Each outcome averaged over the replicates of each design point.

    Args:
        outcomes: The outcomes table (one row per finished run).
        columns: Outcome names, as accepted by ``run_values``.
        points: The number of design points; the result has one row for each.
        file: The sweep folder, for error messages.

    Returns:
        A frame indexed by ``point`` (0 to ``points - 1``) with one column per outcome.

    Raises:
        ScenarioError: If a point has no finished run, or an outcome is unknown or
            undefined at some point.
    """
    finished = set(outcomes["point"].astype(int))
    missing = [p for p in range(points) if p not in finished]
    if missing:
        raise ScenarioError(
            Problem(
                file,
                0,
                0,
                "outcomes",
                f"{len(missing)} of {points} design points have no finished run "
                f"(points {_listed(missing)}); `sim sweep --resume` completes them",
            )
        )
    means = pd.DataFrame(
        {
            name: run_values(outcomes, name, file).groupby(outcomes["point"]).mean()
            for name in columns
        }
    ).reindex(range(points))
    for name in columns:
        undefined = means.index[means[name].isna()].tolist()
        if undefined:
            raise ScenarioError(
                Problem(
                    file,
                    0,
                    0,
                    "outcomes",
                    f"{name} is undefined (NaN) at points {_listed(undefined)}",
                )
            )
    return means.rename_axis("point")


def _salib_seed(seed: int) -> int:
    """A non-zero seed derived from ``seed``: SALib's Sobol' analysis ignores a seed of 0."""
    return int(np.random.SeedSequence(seed).generate_state(1)[0]) | 1


def _check_design(design_meta: dict, design: pd.DataFrame, file: str) -> tuple[str, dict]:
    """The method and SALib problem of a design, or a located error saying what is wrong."""
    method = design_meta.get("method")
    if method not in METHODS:
        raise ScenarioError(
            Problem(
                file,
                0,
                0,
                "design.method",
                f"sensitivity needs a sobol or morris design, got {method!r}; run "
                "`sim sweep` with one (a grid or lhs design gives the sweep plots only)",
            )
        )
    problem = design_meta["problem"]
    names = list(problem["names"])
    absent = [n for n in names if n not in design.columns]
    if absent:
        raise ScenarioError(Problem(file, 0, 0, "design", f"missing columns {', '.join(absent)}"))
    k = len(names)
    block = {"sobol": 2 * k + 2 if design_meta.get("calc_second_order") else k + 2, "morris": k + 1}
    if len(design) % block[method]:
        raise ScenarioError(
            Problem(
                file,
                0,
                0,
                "design",
                f"a {method} design over {k} parameters needs a multiple of {block[method]} "
                f"points, got {len(design)}",
            )
        )
    return method, {"num_vars": k, "names": names, "bounds": [list(b) for b in problem["bounds"]]}


def analyse(
    design_meta: dict,
    design: pd.DataFrame,
    outcomes: pd.DataFrame,
    columns: list[str],
    conf_level: float = 0.95,
    seed: int = 0,
    *,
    folder: Path | str = "<sweep>",
) -> pd.DataFrame:
    """Sobol' or Morris indices of each outcome with respect to each parameter.

    An outcome that is constant over the design gets zero indices: there is no
    variance to apportion and no effect to measure; ``attrs["scope"]`` says so.

    The indices cover the sampled parameters only. Declared uncertainties are drawn
    afresh in every run (``sim.experiments.sweep.runner``) and averaged over within a
    point, so they, with the model's noise, make up the variance within points, which
    the indices leave out; ``attrs["scope"][outcome]["between"]`` is the share of the
    runs' variance that lies between points, the most the parameters can explain.

    Args:
        design_meta: The manifest's ``design`` (method, SALib problem, Morris levels).
        design: One row per design point: ``point`` and one column per parameter path.
        outcomes: One row per finished run: ``point``, ``run`` and the outcomes.
        columns: Outcome names, as accepted by ``run_values``.
        conf_level: Confidence level of the bootstrap intervals.
        seed: Seed of the bootstrap resampling.
        folder: The sweep folder, named in error messages.

    Returns:
        Tidy rows: ``outcome``, ``parameter`` and ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf`` (Sobol') or ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma``
        (Morris), in the order of ``columns`` then of the parameters. The confidence
        level is kept in ``attrs["conf_level"]``, each outcome's ``_scope`` in
        ``attrs["scope"]`` and the uncertain paths in ``attrs["uncertain"]``.

    Raises:
        ScenarioError: For a design that is not Sobol' or Morris, a point without
            finished runs, or an unknown outcome.
    """
    file = str(folder)
    method, problem = _check_design(design_meta, design, file)
    design = design.sort_values("point", ignore_index=True)
    means = point_means(outcomes, columns, len(design), file)
    scope = {name: _scope(outcomes, name, file) for name in columns}
    x = design[problem["names"]].to_numpy(dtype=float)
    rows = []
    for name in columns:
        y = means[name].to_numpy(dtype=float)
        if np.ptp(y) == 0.0:
            found = dict.fromkeys(INDICES[method], np.zeros(problem["num_vars"]))
        elif method == "sobol":
            found = sobol.analyze(
                dict(problem),
                y,
                calc_second_order=bool(design_meta.get("calc_second_order", False)),
                conf_level=conf_level,
                seed=_salib_seed(seed),
            )
        else:
            found = morris.analyze(
                dict(problem),
                x,
                y,
                conf_level=conf_level,
                num_levels=int(design_meta.get("num_levels", 4)),
                seed=_salib_seed(seed),
            )
        for j, parameter in enumerate(problem["names"]):
            row = {key: float(found[key][j]) for key in INDICES[method]}
            rows.append({"outcome": name, "parameter": parameter, **row})
    result = pd.DataFrame(rows, columns=["outcome", "parameter", *INDICES[method]])
    result.attrs["conf_level"] = conf_level
    result.attrs["scope"] = scope
    result.attrs["uncertain"] = list(design_meta.get("uncertainties", {}).get("parameters", {}))
    return result


def _scope(outcomes: pd.DataFrame, name: str, file: str) -> dict[str, float | None]:
    """How much of the runs' variance of an outcome lies between design points.

    ``between`` is the between-points sum of squares over the total (eta squared): the
    share the swept parameters can explain at all. The rest is within points: the
    declared uncertainties, drawn afresh in every run, and the model's own noise.
    ``constant`` is the outcome's value when every run gives the same (else None).
    """
    values = run_values(outcomes, name, file)
    if np.ptp(values.to_numpy()) == 0.0:
        return {"between": None, "constant": float(values.iloc[0])}
    means = values.groupby(outcomes["point"]).transform("mean")
    total = float(((values - values.mean()) ** 2).sum())
    return {"between": float(((means - values.mean()) ** 2).sum()) / total, "constant": None}


def analyse_sweep(
    folder: Path, columns: list[str] | None = None, conf_level: float = 0.95, seed: int = 0
) -> tuple[pd.DataFrame, str]:
    """``analyse`` applied to a sweep folder; returns the indices and the method."""
    manifest, design, outcomes = read_sweep(folder)
    chosen = list(columns or DEFAULT_OUTCOMES)
    result = analyse(manifest["design"], design, outcomes, chosen, conf_level, seed, folder=folder)
    return result, manifest["design"]["method"]


def ranked(result: pd.DataFrame, method: str) -> list[tuple[str, pd.DataFrame]]:
    """Each outcome's rows, most influential parameter first, outcomes in given order."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    return [
        (name, rows.sort_values(RANK_BY[method], ascending=False, kind="stable"))
        for name, rows in result.groupby("outcome", sort=False)
    ]


def _confidence_note(result: pd.DataFrame) -> str:
    """What the ± columns are, with the level when known."""
    level = result.attrs.get("conf_level")
    return f"± is the {level:.0%} bootstrap confidence half-width." if level else ""


def scope_note(result: pd.DataFrame) -> str:
    """What the indices cover: the sampled parameters, not the declared uncertainties."""
    uncertain = result.attrs.get("uncertain") or []
    if not uncertain:
        return ""
    return (
        f"The indices cover the sampled parameters only, not the {len(uncertain)} declared "
        f"uncertaint{'y' if len(uncertain) == 1 else 'ies'} ({', '.join(uncertain)}): those are "
        "drawn afresh in every run and, with the model's noise, make up the variance within "
        "design points, which the indices leave out."
    )


def outcome_scope(result: pd.DataFrame, name: str) -> tuple[str, bool]:
    """How much of an outcome's variance the parameters can explain; whether it is constant."""
    scope = (result.attrs.get("scope") or {}).get(name)
    if scope is None:
        return "", False
    if scope["constant"] is not None:
        return f"the same in every run ({scope['constant']:.4g}): nothing to apportion", True
    return f"{scope['between']:.0%} of the runs' variance lies between design points", False


def format_table(result: pd.DataFrame, method: str) -> str:
    """The indices as terminal text: one block per outcome, most influential first."""
    width = max([len("parameter"), *result["parameter"].str.len()])
    if method == "sobol":
        head = f"  {'parameter':<{width}}  {'S1':>6} {'±':>6}  {'ST':>6} {'±':>6}"

        def line(r: pd.Series) -> str:
            return (
                f"  {r['parameter']:<{width}}  {r['S1']:6.3f} {r['S1_conf']:6.3f}  "
                f"{r['ST']:6.3f} {r['ST_conf']:6.3f}"
            )
    else:
        head = f"  {'parameter':<{width}}  {'mu*':>9} {'±':>9}  {'mu':>9}  {'sigma':>9}"

        def line(r: pd.Series) -> str:
            return (
                f"  {r['parameter']:<{width}}  {r['mu_star']:9.3g} {r['mu_star_conf']:9.3g}  "
                f"{r['mu']:9.3g}  {r['sigma']:9.3g}"
            )

    notes = [EXPLAIN[method], _confidence_note(result), scope_note(result)]
    blocks = [textwrap.fill(" ".join(filter(None, notes)), width=88)]
    for name, rows in ranked(result, method):
        scope, constant = outcome_scope(result, name)
        body = [] if constant else [head, *(line(r) for _, r in rows.iterrows())]
        blocks.append("\n".join([f"{name}: {scope}" if scope else name, *body]))
    return "\n\n".join(blocks)


def _markdown(result: pd.DataFrame, method: str) -> str:
    """sensitivity.md: the explanation and one table per outcome."""
    title = {"sobol": "Sobol' indices", "morris": "Morris elementary effects"}[method]
    lines = [f"# Sensitivity: {title}", "", EXPLAIN[method], ""]
    for note in (_confidence_note(result), scope_note(result)):
        if note:
            lines += [note, ""]
    labels = {
        "sobol": ["S1", "± S1", "ST", "± ST"],
        "morris": ["mu*", "± mu*", "mu", "sigma"],
    }[method]
    keys = {
        "sobol": ["S1", "S1_conf", "ST", "ST_conf"],
        "morris": ["mu_star", "mu_star_conf", "mu", "sigma"],
    }[method]
    for name, rows in ranked(result, method):
        scope, constant = outcome_scope(result, name)
        lines += [f"## {name}", "", *([f"{scope[0].upper()}{scope[1:]}.", ""] if scope else [])]
        if constant:
            continue
        lines += ["| parameter | " + " | ".join(labels) + " |"]
        lines.append("|---|" + "---:|" * len(labels))
        for _, r in rows.iterrows():
            cells = " | ".join(f"{r[k]:.3g}" for k in keys)
            lines.append(f"| `{r['parameter']}` | {cells} |")
        lines.append("")
    return "\n".join(lines)


def write_report(folder: Path, result: pd.DataFrame, method: str) -> list[Path]:
    """Write the indices to ``folder`` and return the files written.

    ``sensitivity.json`` holds ``method``, ``conf_level`` (or null) and
    ``indices``, a list of the result's rows; ``sensitivity.md`` the tables.
    The bar chart is drawn by ``sim.plots.sensitivity``.
    """
    folder = Path(folder)
    data = {
        "method": method,
        "conf_level": result.attrs.get("conf_level"),
        "scope": result.attrs.get("scope"),
        "uncertain": result.attrs.get("uncertain"),
        "indices": result.to_dict(orient="records"),
    }
    paths = [folder / "sensitivity.json", folder / "sensitivity.md"]
    paths[0].write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(_markdown(result, method), encoding="utf-8")
    return paths


def read_report(folder: Path) -> tuple[pd.DataFrame, str]:
    """The indices and method stored in ``folder/sensitivity.json`` by ``write_report``."""
    data = json.loads((Path(folder) / "sensitivity.json").read_text(encoding="utf-8"))
    result = pd.DataFrame(
        data["indices"], columns=["outcome", "parameter", *INDICES[data["method"]]]
    )
    for key in ("conf_level", "scope", "uncertain"):
        result.attrs[key] = data.get(key)
    return result, data["method"]
