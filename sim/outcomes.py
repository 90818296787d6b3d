"""Declared outcomes: every measure of the system a run reports, declared once.

As in EMA Workbench, an outcome is declared with its name, a label, its unit and
kind, and how it is computed. The recorder computes each system measure every
year from a ``YearView`` (the year's power shares and blocs) and writes it as a
column of the system table; a run's *outcome* is that measure in the final year
(``over_run="last"``) or whether it held in any year (``"any"``). Per-state
outcomes (``share_<ID>``, ``bloc_share_<ID>``, ``gdp_<ID>``) read a column of the
states table in the final year.

Summaries, comparisons, sensitivity analyses, discovery and plots read labels,
units and kinds from here. To add a system measure: write its function in
``sim.metrics`` and declare it in ``SYSTEM_OUTCOMES`` below (docs/architecture.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim import metrics
from sim.mechanisms.power import INDICES

KINDS = ("share", "number", "gdp", "category", "flag")


@dataclass(frozen=True)
class YearView:
    """What a system measure sees of one year in every run: shares, affinity and blocs.

    The arrays have the runs first (R of them); a measure returns one value a run.

    Attributes:
        ids: The acting states' ids.
        shares: Their shares of world power, (R, m), each run's summing to 1.
        affinity: Their pairwise affinity, (R, m, m).
        bloc_labels: Each run's bloc label of each state, (R, m).
        bloc_names: Each run's bloc name of each state (its strongest member).
        bloc_totals: Each run's share of world power of each of its blocs.
        blocs_found: Each run's bloc labels, in the order of its ``bloc_totals``.
        index_shares: The acting states' shares under every power index
            (``sim.mechanisms.power.INDICES``), each (R, m).
        pole_share: Share of power that makes a state (or bloc) a pole, (R,).
        pole_share_band: Half-width of the band of pole thresholds classed too, (R,).
        unipolar_ratio_band: Half-width of the band of unipolar ratios classed too, (R,).
        unipolar_ratio: How far the first pole must lead the second for unipolarity, (R,).
        transition_parity: The challenger's share of the leader's power at parity, (R,).
        dissatisfied_affinity: Affinity below which a challenger is dissatisfied, (R,).
    """

    ids: list[str]
    shares: np.ndarray
    affinity: np.ndarray
    bloc_labels: np.ndarray
    bloc_names: list[list[str]]
    bloc_totals: list[np.ndarray]
    blocs_found: list[np.ndarray]
    pole_share: np.ndarray
    unipolar_ratio: np.ndarray
    transition_parity: np.ndarray
    dissatisfied_affinity: np.ndarray
    index_shares: dict[str, np.ndarray]
    pole_share_band: np.ndarray
    unipolar_ratio_band: np.ndarray

    def runs(self) -> range:
        """The runs' positions."""
        return range(len(self.shares))

    @functools.cached_property
    def band(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The classes at both ends of the pole threshold band, and the fragility flag."""
        return metrics.polarity_band(
            self.shares,
            self.pole_share,
            self.pole_share_band,
            self.unipolar_ratio,
            self.unipolar_ratio_band,
        )

    def top_bloc(self, run: int) -> int:
        """Index (into ``bloc_totals[run]``) of a run's strongest bloc."""
        return int(np.argmax(self.bloc_totals[run]))


@dataclass(frozen=True)
class Outcome:
    """One declared measure.

    Attributes:
        name: Its column name (per-state outcomes: the prefix, ``share`` → ``share_CHN``).
        label: Plain words for tables and axes (``{}`` is the state, per state).
        unit: Its unit in words ("" when it has none).
        kind: ``share`` (0-1), ``number``, ``gdp`` (US$ bn), ``category`` or ``flag``.
        over_run: How a run's outcome is taken from its years: ``"last"`` (the final
            year), ``"any"`` (true in any year), or ``None`` (recorded, not an outcome).
        compute: For system measures, the year's value in every run from a ``YearView``
            (a sequence with one value a run).
        column: For per-state outcomes, the states-table column read.
        categories: For categories with a fixed set of values, the values (all are
            reported, those no run reached with share 0).
    """

    name: str
    label: str
    unit: str
    kind: str
    over_run: str | None = "last"
    compute: Callable[[YearView], Sequence[Any]] | None = None
    column: str | None = None
    categories: tuple[str, ...] | None = None

    def describe(self, state: str | None = None) -> str:
        """The label, with the state filled in for per-state outcomes."""
        return self.label.format(state) if state is not None else self.label


def _bloc_leader(v: YearView) -> list[str]:
    leaders = []
    for r in v.runs():
        top = v.blocs_found[r][v.top_bloc(r)]
        first = int(np.nonzero(v.bloc_labels[r] == top)[0][0])
        leaders.append(v.bloc_names[r][first])
    return leaders


def _per_bloc_system(measure: Callable[[YearView, int], Any]) -> Callable[[YearView], list]:
    """A measure of each run's blocs, computed run by run."""
    return lambda v: [measure(v, r) for r in v.runs()]


INDEX_NAMES = {  # each power index in words
    "capability": "military capability",
    "net": "net power",
    "composite": "composite",
    "cinc": "CINC",
    "gdp": "GDP",
}


def _under(index: str) -> tuple[Outcome, ...]:
    """Leader, its share and polarity when power is measured by ``index``."""

    def shares(v: YearView) -> np.ndarray:
        return v.index_shares[index]

    name = INDEX_NAMES[index]
    return (
        Outcome(
            f"leader_{index}",
            f"Leading state ({name})",
            "",
            "category",
            compute=lambda v: [v.ids[i] for i in shares(v).argmax(axis=-1).tolist()],
        ),
        Outcome(
            f"leader_share_{index}",
            f"Power share of the leading state ({name})",
            "share of world power",
            "share",
            over_run=None,
            compute=lambda v: shares(v).max(axis=-1).tolist(),
        ),
        Outcome(
            f"polarity_{index}",
            f"Polarity among states ({name})",
            "",
            "category",
            compute=lambda v: metrics.polarity(shares(v), v.pole_share, v.unipolar_ratio).tolist(),
            categories=metrics.POLARITIES,
        ),
    )


# The system table's columns after ``year``, in order.
SYSTEM_OUTCOMES = (
    Outcome(
        "leader",
        "Leading state",
        "",
        "category",
        compute=lambda v: [v.ids[i] for i in v.shares.argmax(axis=-1).tolist()],
    ),
    Outcome(
        "leader_share",
        "Power share of the leading state",
        "share of world power",
        "share",
        compute=lambda v: v.shares.max(axis=-1).tolist(),
    ),
    Outcome(
        "con",
        "Concentration of power (CON, 0 to 1)",
        "",
        "number",
        compute=lambda v: metrics.concentration(v.shares).tolist(),
    ),
    Outcome(
        "effective_poles",
        "Effective number of poles",
        "poles",
        "number",
        compute=lambda v: metrics.effective_poles(v.shares).tolist(),
    ),
    Outcome(
        "polarity",
        "Polarity among states",
        "",
        "category",
        compute=lambda v: metrics.polarity(v.shares, v.pole_share, v.unipolar_ratio).tolist(),
        categories=metrics.POLARITIES,
    ),
    Outcome(
        "poles",
        "Number of poles",
        "poles",
        "number",
        compute=lambda v: (v.shares >= v.pole_share[:, None]).sum(axis=-1).tolist(),
    ),
    Outcome(
        "power_transition",
        "Power transition under way",
        "",
        "flag",
        over_run="any",
        compute=lambda v: metrics.power_transition(
            v.shares, v.affinity, v.transition_parity, v.dissatisfied_affinity
        ).tolist(),
    ),
    Outcome(
        "blocs",
        "Number of blocs",
        "blocs",
        "number",
        over_run=None,
        compute=lambda v: [len(found) for found in v.blocs_found],
    ),
    Outcome("bloc_leader", "Leading bloc", "", "category", over_run=None, compute=_bloc_leader),
    Outcome(
        "bloc_leader_share",
        "Power share of the leading bloc",
        "share of world power",
        "share",
        compute=_per_bloc_system(lambda v, r: float(v.bloc_totals[r][v.top_bloc(r)])),
    ),
    Outcome(
        "bloc_effective_poles",
        "Effective number of blocs",
        "blocs",
        "number",
        compute=_per_bloc_system(lambda v, r: float(metrics.effective_poles(v.bloc_totals[r]))),
    ),
    Outcome(
        "bloc_polarity",
        "Polarity among blocs",
        "",
        "category",
        compute=_per_bloc_system(
            lambda v, r: str(
                metrics.polarity(v.bloc_totals[r], v.pole_share[r], v.unipolar_ratio[r])
            )
        ),
        categories=metrics.POLARITIES,
    ),
    *(
        Outcome(
            f"polarity_{end}",
            f"Polarity among states, {end}er pole threshold",
            "",
            "category",
            compute=lambda v, k=k: v.band[k].tolist(),
            categories=metrics.POLARITIES,
        )
        for k, end in enumerate(("low", "high"))
    ),
    Outcome(
        "polarity_fragile",
        "Polarity changes within the bands of pole threshold and unipolar ratio",
        "",
        "flag",
        compute=lambda v: v.band[2].tolist(),
    ),
    *(outcome for index in INDICES for outcome in _under(index)),
)

# Per-state outcomes, by prefix; checked in this order (``bloc_share`` before ``share``).
STATE_OUTCOMES = (
    Outcome(
        "bloc_share",
        "Power share of {}'s bloc",
        "share of world power",
        "share",
        column="bloc_power_share",
    ),
    Outcome("share", "Power share of {}", "share of world power", "share", column="power_share"),
    Outcome("gdp", "GDP of {} (US$ bn, 2014 prices)", "US$ bn", "gdp", column="gdp_usd_bn"),
)

OUTCOMES = {o.name: o for o in (*SYSTEM_OUTCOMES, *STATE_OUTCOMES)}
# The order of per-state columns in an outcomes table.
STATE_ORDER = (OUTCOMES["share"], OUTCOMES["bloc_share"], OUTCOMES["gdp"])


def run_outcomes() -> list[Outcome]:
    """The system measures that are also a run's outcomes, in column order."""
    return [o for o in SYSTEM_OUTCOMES if o.over_run is not None]


def find(column: str) -> tuple[Outcome, str | None] | None:
    """The declared outcome behind an outcome column, and its state for per-state ones."""
    for outcome in SYSTEM_OUTCOMES:
        if outcome.name == column:
            return outcome, None
    for outcome in STATE_OUTCOMES:
        if column.startswith(outcome.name + "_"):
            return outcome, column.removeprefix(outcome.name + "_")
    return None


def describe(column: str) -> tuple[str, str]:
    """A plain-language label for an outcome column and its kind (``share``, ``gdp``, …)."""
    found = find(column)
    if found is None:
        return column.replace("_", " ").capitalize(), "number"
    outcome, state = found
    return outcome.describe(state), outcome.kind


def numeric_names(states: list[str]) -> list[str]:
    """Every numeric outcome column of a world whose rows are ``states`` (ROW included)."""
    system = [o.name for o in run_outcomes() if o.kind in ("share", "number", "gdp")]
    per_state = [f"{o.name}_{state}" for o in STATE_ORDER for state in states]
    return [*system, *per_state]
