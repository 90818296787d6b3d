"""Scenario discovery: which inputs lead to an outcome, as PRIM boxes, CART leaves and scores.

A sweep (or a run folder with uncertain parameters) holds, for every run, its inputs
(the design point's values and any per-run draws) and where it ended. ScenarioConfig
discovery asks which region of the inputs holds the runs with an outcome of
interest: a class of a categorical outcome (``polarity=multipolar``) or a threshold
on a numeric one (``share_CHN>0.2``). A box is judged by its *coverage* (the share
of all cases of interest that fall inside it), its *density* (the share of the
runs inside it that are cases) and its *mass* (the share of all runs inside it).

The algorithms are EMA Workbench's: PRIM peels the input space into a trajectory of
ever denser, smaller boxes; CART splits it into leaves; extra trees score each
input's importance. The choice of PRIM's box is here; ``sim.analysis.discovery.data`` reads
the folder and the question, ``sim.analysis.discovery.boxes`` reads EMA's boxes and runs
CART, ``sim.analysis.discovery.report`` words the report; ``sim.plots.discovery`` draws
it and ``sim.experiments.discovery_folder`` writes it.

References:
    Friedman, J. H. and Fisher, N. I. (1999). Bump hunting in high-dimensional data.
    Statistics and Computing 9(2):123-143.
    Bryant, B. P. and Lempert, R. J. (2010). Thinking inside the box: a participatory,
    computer-assisted approach to scenario discovery. Technological Forecasting and
    Social Change 77(1):34-49.
    Kwakkel, J. H. (2017). The Exploratory Modeling Workbench. Environmental Modelling
    & Software 96:239-250.
    Peduzzi, P., Concato, J., Kemper, E., Holford, T. R. and Feinstein, A. R. (1996). A
    simulation study of the number of events per variable in logistic regression
    analysis. Journal of Clinical Epidemiology 49(12):1373-1379 (ten events per variable).
    Jaxa-Rozen, M. and Kwakkel, J. H. (2018). Tree-based ensemble methods for
    sensitivity analysis of environmental models. Environmental Modelling & Software
    107:245-266.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.discovery.boxes import Box, Limit, box_limits, cart_leaves, quiet_ema, weak_limit
from sim.analysis.discovery.data import Question, cli_problem, parse_question, read_runs

__all__ = ["Box", "Discovery", "Limit", "Question", "discover", "parse_question", "read_runs"]

DEFAULT_THRESHOLD = 0.8
DEFAULT_SIGNIFICANCE = 0.05
# Fewest distinct input draws with the outcome, and without it, that discovery accepts; a
# box should also rest on this many per restricted input. The "ten events per variable"
# rule of thumb of Peduzzi et al. (1996), for the one input a box restricts at least.
MIN_CASES = 10
TRAJECTORY = {"id": int, "coverage": float, "density": float, "mass": float, "res_dim": int}
TRAJECTORY.update(n=int, k=int)


# ------------------------------------------------------------------ the analysis


@dataclass
class Discovery:
    """What ``discover`` found: PRIM's trajectory and chosen box, CART's leaves, scores.

    ``source`` is the sweep or run folder analysed; ``folder`` is where the report was
    written, if it was (``sim.discover(..., out=...)``).
    """

    source: Path
    question: Question
    year: int | None
    runs: int
    cases: int
    inputs: list[str]
    constant: list[str]
    threshold: float
    box: Box
    chosen_by: str
    peeled: int
    dropped: list[str]
    significance: float
    draws: int
    case_draws: int
    repeated: dict[str, int]
    trajectory: pd.DataFrame
    boxes: list[pd.DataFrame]
    cart: list[Box]
    scores: pd.Series
    prim_box: Any = field(default=None, repr=False)  # EMA's PrimBox, to explore interactively
    folder: Path | None = None
    unfinished: tuple[int, int] | None = None  # an unfinished sweep's runs done and planned

    @property
    def base_rate(self) -> float:
        """Share of all runs with the outcome (the density of the whole input space)."""
        return self.cases / self.runs

    @property
    def label(self) -> str:
        """The outcome with its year: ``multipolar in 2040``."""
        return self.question.label + (f" in {self.year}" if self.year else "")

    def established(self, limit: Limit) -> bool:
        """Whether a limit passes the significance test (some quasi-p <= significance)."""
        known = [q for q in limit.qp if q is not None]
        return bool(known) and min(known) <= self.significance

    @property
    def needed(self) -> list[Limit]:
        """The chosen box's limits that pass the significance test: what the outcome needs.

        Of a numeric limit with two ends, only the ends whose own quasi-p passes are kept.
        """
        needed = []
        for limit in self.box.limits:
            if not self.established(limit):
                continue
            if limit.values is None and len(limit.qp) == 2:
                low, high = (
                    end if q is not None and q <= self.significance else None
                    for end, q in zip((limit.low, limit.high), limit.qp, strict=True)
                )
                limit = replace(limit, low=low, high=high)
            needed.append(limit)
        return needed

    @property
    def sentence(self) -> str:
        """The chosen box in words; "needs" only for the limits that pass the test."""
        stats = f"coverage {self.box.coverage:.0%}, density {self.box.density:.0%}"
        if self.needed:
            conditions = Box(0, 0, 0, self.needed).conditions()
            return f"{self.label} needs {conditions} ({stats})"
        if self.box.limits:
            return (
                f"{self.label}: no input is shown to matter; PRIM's box ({stats}) restricts "
                f"{self.box.conditions()}, but no limit passes the significance test "
                f"(quasi-p <= {self.significance:g})"
            )
        if self.base_rate >= self.threshold:
            return (
                f"{self.label} happens in {self.base_rate:.0%} of runs whatever the inputs "
                f"(at least the threshold density, {self.threshold:.0%}, without a box)"
            )
        return (
            f"{self.label} ({self.base_rate:.0%} of runs) is no more likely in any box PRIM "
            "found than over all the inputs"
        )

    @property
    def note(self) -> str | None:
        """Caveats on the chosen box, if any."""
        notes = []
        if self.chosen_by == "densest" and self.box.limits:
            densest = float(self.trajectory["density"].max())
            notes.append(
                f"no box on the peeling trajectory reaches density {self.threshold:.0%} "
                f"(the densest reaches {densest:.0%}): this is the densest"
            )
        weak = [lim.input for lim in self.box.limits if not self.established(lim)]
        if weak and self.needed:
            notes.append(
                f"the box also restricts {', '.join(weak)}, but not significantly "
                f"(quasi-p > {self.significance:g}): it may be chance"
            )
        if self.needed and self.case_draws < MIN_CASES * len(self.needed):
            notes.append(
                f"{self.case_draws} distinct draws with the outcome for {len(self.needed)} "
                f"limits, fewer than {MIN_CASES} per limit (Peduzzi et al. 1996): exploratory"
            )
        if self.repeated:
            listed = ", ".join(f"{name} ({n})" for name, n in self.repeated.items())
            notes.append(
                f"{self.runs} runs but few distinct values of {listed}: runs that share a "
                "draw are not independent, so quasi-p values on these inputs are too small"
            )
        return "; ".join(notes) or None


def _trajectory(found) -> pd.DataFrame:
    return found.peeling_trajectory[list(TRAJECTORY)].astype(TRAJECTORY)


def _chance_limits(algorithm, found, index: int, significance: float) -> list[str]:
    """The box's limits that could be chance: every quasi-p above ``significance``.

    PRIM's greedy peeling also trims inputs that do not matter, by a sliver each,
    whenever that happens to raise the density; Bryant & Lempert (2010) drop such
    limits. If every limit is weak, none is dropped (and the note says so).
    """
    limits = box_limits(found.box_lims[index], algorithm.box_init, found.p_values[index])
    weak = [lim.input for lim in limits if weak_limit(lim, significance)]
    return [] if len(weak) == len(limits) else weak


def _without(algorithm, found, index: int, weak: list[str]) -> tuple[float, float]:
    """Coverage and density of box ``index`` without its limits on ``weak``."""
    from ema_workbench.analysis.scenario_discovery_util import _in_box

    lims = found.box_lims[index].copy()
    lims.loc[:, weak] = algorithm.box_init.loc[:, weak]  # as PrimBox.drop_restriction does
    remaining = algorithm.yi_remaining
    inside = algorithm.y[remaining][_in_box(algorithm.x.loc[remaining], lims)]
    return inside.sum() / algorithm.y.sum(), inside.mean()


def _choose(algorithm, found, threshold: float, significance: float) -> tuple[int, str, list]:
    """The highest-coverage box of the peeling trajectory whose density reaches threshold.

    Boxes are judged by the coverage and density the trajectory shows, so the box
    chosen is the one a reader would pick from it. Its chance limits (every quasi-p
    above ``significance``) are dropped when the box keeps the threshold density
    without them (Bryant & Lempert 2010); otherwise they stay, and are not called
    needed. When no box reaches the threshold, the densest box is chosen, as it is.

    Returns:
        The box on the peeling trajectory, why it was chosen and the limits to drop.
    """
    trajectory = _trajectory(found)
    restricted = trajectory[trajectory["res_dim"] > 0]
    if restricted.empty:
        return 0, "densest", []
    dense = restricted[restricted["density"] >= threshold]
    if dense.empty:
        best = restricted.sort_values(["density", "coverage"], ascending=False, kind="stable")
        return int(best.index[0]), "densest", []
    ranked = dense.assign(order=-dense.index).sort_values(
        ["coverage", "res_dim", "order"], ascending=[False, True, False], kind="stable"
    )
    index = int(ranked.index[0])
    with quiet_ema():
        weak = _chance_limits(algorithm, found, index, significance)
        if weak and _without(algorithm, found, index, weak)[1] >= threshold:
            return index, "threshold", weak
    return index, "threshold", []


def _box_index(trajectory: pd.DataFrame, box: int) -> int:
    last = len(trajectory) - 1
    index = box if box >= 0 else len(trajectory) + box
    if not 0 <= index <= last:
        raise cli_problem("--box", f"the peeling trajectory has boxes 0 to {last}, got {box}")
    return index


def _drop(found, index: int, weak: list[str]) -> int:
    """EMA's ``drop_restriction`` for each weak limit; returns the new box's index."""
    with quiet_ema():
        for name in weak:
            found.drop_restriction(name, index)
            index = len(found.peeling_trajectory) - 1
    return index


def _prim(x: pd.DataFrame, y: np.ndarray, mass_min: float, peel_alpha: float, paste_alpha: float):
    with quiet_ema():
        from ema_workbench.analysis.prim import Prim

        algorithm = Prim(x, y, peel_alpha=peel_alpha, paste_alpha=paste_alpha, mass_min=mass_min)
        return algorithm, algorithm.find_box()


def _scores(x: pd.DataFrame, y: np.ndarray, seed: int) -> pd.Series:
    with quiet_ema():
        from ema_workbench.analysis.feature_scoring import get_ex_feature_scores
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

        # EMA's default max_features, round(k / 3), is 0 for a single input
        found, _ = get_ex_feature_scores(
            x,
            y,
            mode=RuleInductionType.CLASSIFICATION,
            max_features=max(1, round(x.shape[1] / 3)),
            random_state=seed,
        )
    return found.iloc[:, 0].rename("score").rename_axis("input").astype(float)


def _count_draws(
    x: pd.DataFrame, y: np.ndarray, drawn: list[str]
) -> tuple[int, int, dict[str, int]]:
    """Distinct input rows, distinct rows with the outcome, and inputs drawn too few times.

    A run counts once per distinct combination of inputs: replicates of a design point
    that draw nothing of their own are one draw. A numeric input with fewer distinct
    values than half the runs among those each run draws (``drawn``) was drawn once for
    many runs, as in sweeps that reused one set of draws at every design point; an
    input with fewer than ``MIN_CASES`` values is taken for a choice among a few.
    """
    draws = len(x.drop_duplicates())
    case_draws = len(x[y.astype(bool)].drop_duplicates())
    repeated = {}
    for name in (c for c in drawn if c in x.columns):
        if pd.api.types.is_numeric_dtype(x[name]):
            distinct = int(x[name].nunique())
            if distinct < min(len(x) / 2, draws) and distinct >= MIN_CASES:
                repeated[name] = distinct
    return draws, case_draws, repeated


def _enough(label: str, runs: int, draws: int, cases: int, others: int) -> None:
    """Refuse a question the runs cannot answer: too few distinct draws with or without it."""
    if min(cases, others) >= MIN_CASES:
        return
    counted = f"{runs} runs hold {draws} distinct input draws" if draws < runs else f"{runs} runs"
    raise cli_problem(
        "--outcome",
        f"{label}: {counted}, {cases} with the outcome and {others} without; discovery "
        f"needs at least {MIN_CASES} of each (ten events per variable, Peduzzi et al. "
        "1996); make more runs, or ask about a more common outcome",
    )


def discover(
    folder: str | Path,
    outcome: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    box: int | None = None,
    mass_min: float = 0.05,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    significance: float = DEFAULT_SIGNIFICANCE,
    seed: int = 0,
    partial: bool = False,
) -> Discovery:
    """Which inputs of a sweep (or uncertain run folder) lead to ``outcome``.

    Args:
        folder: A sweep folder, or a run folder with ``parameters.parquet``.
        outcome: ``polarity=multipolar``, ``leader=CHN``, ``share_CHN>0.2``, ...
        threshold: The least density of the chosen PRIM box: of the boxes on the
            peeling trajectory that reach it (as the trajectory shows them), the one with
            the highest coverage; without one, the densest.
        box: Choose this box of the trajectory instead (-1: the last, densest one,
            which EMA selects by default), exactly as it is.
        significance: A limit whose quasi-p values all exceed it may be chance: it is
            never said to be needed, and it is dropped (EMA's ``drop_restriction``,
            which appends the box without it to the trajectory) when the box keeps the
            threshold density without it; 1 keeps every limit.
        mass_min: The least share of the runs in a PRIM box or a CART leaf.
        peel_alpha: The share of the runs PRIM peels off at each step.
        paste_alpha: The share of the runs PRIM pastes back at each step.
        seed: Seed of CART's tie-breaking and of the extra trees (at least 0).
        partial: Analyse an unfinished sweep's finished runs instead of refusing it.

    Raises:
        ScenarioError: For a folder without runs and inputs, an unknown outcome, an
            outcome that never or always happens, fewer than ``MIN_CASES`` distinct
            draws with or without the outcome, a box off the trajectory, or a
            threshold, significance or seed out of range.
    """
    if not 0 < threshold <= 1:
        raise cli_problem("--threshold", f"must be a density in (0, 1], got {threshold:g}")
    if not 0 < significance <= 1:
        raise cli_problem("--significance", f"must be in (0, 1], got {significance:g}")
    if seed < 0:
        raise cli_problem("--seed", f"must be at least 0, got {seed}")
    runs = read_runs(folder, partial)
    question = parse_question(outcome, runs.outcomes)
    known = runs.outcomes[question.column].notna().to_numpy()
    x = runs.inputs[known].reset_index(drop=True)
    y = question.cases(runs.outcomes[question.column][known])
    if y.sum() in (0, len(y)):
        raise cli_problem(
            "--outcome", f"{question.label} in {int(y.sum())} of {len(y)} runs: nothing to discover"
        )
    draws, case_draws, repeated = _count_draws(x, y, runs.drawn)
    _enough(question.label, len(y), draws, case_draws, len(x[~y.astype(bool)].drop_duplicates()))
    algorithm, found = _prim(x, y, mass_min, peel_alpha, paste_alpha)
    if box is None:
        peeled, chosen_by, dropped = _choose(algorithm, found, threshold, significance)
    else:
        peeled, chosen_by, dropped = _box_index(_trajectory(found), box), "--box", []
    index = _drop(found, peeled, dropped)
    row = _trajectory(found).loc[index]
    limits = box_limits(found.box_lims[index], algorithm.box_init, found.p_values[index])
    chosen = Box(float(row.coverage), float(row.density), float(row.mass), limits, index)
    return Discovery(
        source=runs.folder,
        question=question,
        year=runs.year,
        runs=len(y),
        cases=int(y.sum()),
        inputs=list(x.columns),
        constant=runs.constant,
        threshold=threshold,
        box=chosen,
        chosen_by=chosen_by,
        peeled=peeled,
        dropped=dropped,
        significance=significance,
        draws=draws,
        case_draws=case_draws,
        repeated=repeated,
        trajectory=_trajectory(found),
        boxes=list(found.box_lims),
        cart=cart_leaves(x, y, mass_min, seed),
        scores=_scores(x, y, seed),
        prim_box=found,
        unfinished=runs.unfinished,
    )
