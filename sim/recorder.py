"""Recording a run: preallocated yearly arrays, turned into tidy tables at the end.

Mesa's DataCollector appends Python objects per agent per step; a run here
records whole numpy rows per year instead and builds each DataFrame once.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim import metrics, outcomes
from sim.outcomes import STATE_ORDER, YearView

if TYPE_CHECKING:
    from sim.model import WorldModel

STATE_COLUMNS = {  # output column -> model attribute
    "gdp_usd_bn": "gdp",
    "growth": "growth",
    "milex_usd_bn": "milex",
    "capability": "capability",
    "energy_production_ej": "energy_production",
    "energy_consumption_ej": "energy_consumption",
    "population_m": "population",
    "level_loss": "level_loss",
}
DYAD_COLUMNS = (
    "trade_usd_bn",
    "affinity",
    "allied",
    "sanction_intensity",
    "arms_transfer_usd_bn",
    "gas_flow_bcm",
)
TABLES = ("states", "dyads", "system", "events")  # every table a run records, in order


class Recorder:
    """Keeps every year's state of one model run."""

    def __init__(self, model: WorldModel, tables: tuple[str, ...] = TABLES):
        """Record what ``tables`` need: the n×n yearly dyads only when ``dyads`` is one.

        An ensemble's recorder (``sim.ensemble``) keeps every run's arrays, the runs
        first, and each run's own recorder views its slice.
        """
        self.model = model
        self.recorded = tables
        runs = model.gdp.shape[:-1]  # (R,) in an ensemble
        years, n = model.config.years + 1, model.n
        self.states = {col: np.zeros((*runs, years, n)) for col in STATE_COLUMNS}
        self.states.update(
            {
                col: np.zeros((*runs, years, n))
                for col in (
                    "trade_usd_bn",
                    "arms_imports_usd_bn",
                    "gas_exports_bcm",
                    "power_index",
                    "cinc_share",
                    "gdp_share",
                    "capability_share",
                )
            }
        )
        self.bloc: list[list[str]] = []
        keeps_dyads = "dyads" in tables  # at 193 states, 1.8 MB a year
        # each year's ordered pairs of distinct rows, (a, b) in row-major order: the
        # dyads table's rows, so that its columns are these arrays as they are
        pairs = n * (n - 1)
        self.dyads = {col: np.zeros((*runs, years, pairs)) for col in DYAD_COLUMNS if keeps_dyads}
        self.system: list[tuple] = []
        self.measures = outcomes.SYSTEM_OUTCOMES  # the system table's columns after year
        self.system_columns = ("year", *(o.name for o in self.measures))
        self.row = 0
        self.acting = np.flatnonzero(model.acts)  # acting states (the system's actors)
        self.actors = [model.ids[i] for i in self.acting]
        self.actor_pairs = np.ix_(self.acting, self.acting)

    def record(self) -> None:
        """Store the model's current year."""
        self.record_system(self.record_arrays())

    def record_arrays(self) -> np.ndarray:
        """Store this year's arrays (of every run, in an ensemble); return the power index."""
        m, t = self.model, self.row
        for col, attr in STATE_COLUMNS.items():
            self.states[col][..., t, :] = getattr(m, attr)
        self.states["trade_usd_bn"][..., t, :] = m.trade.sum(axis=-1)
        self.states["arms_imports_usd_bn"][..., t, :] = m.arms_flow.sum(axis=-2)
        self.states["gas_exports_bcm"][..., t, :] = m.gas_flow.sum(axis=-1)
        indices = m.power_indices()
        power = indices[m.params.power.index]
        self.states["power_index"][..., t, :] = power
        for name in ("cinc", "gdp", "capability"):
            self.states[f"{name}_share"][..., t, :] = indices[name]
        if d := self.dyads:
            _set_off_diagonal(d["trade_usd_bn"][..., t, :], m.trade)
            _set_off_diagonal(d["affinity"][..., t, :], m.affinity)
            _set_off_diagonal(d["allied"][..., t, :], m.allied)
            _set_off_diagonal(d["sanction_intensity"][..., t, :], m.sanctions.max(axis=0))
            _set_off_diagonal(d["arms_transfer_usd_bn"][..., t, :], m.arms_flow)
            _set_off_diagonal(d["gas_flow_bcm"][..., t, :], m.gas_flow)
        return power

    def record_system(self, power: np.ndarray) -> None:
        """Store this year's system measures and blocs (one run's), and close the year."""
        self._record_system(power)
        self.row += 1

    def _record_system(self, power: np.ndarray) -> None:
        m = self.model
        p = m.params.power
        ids, pairs = self.actors, self.actor_pairs
        shares = power[self.acting] / power.sum()
        affinity = m.affinity[pairs]
        labels = metrics.blocs(affinity, m.allied[pairs], p.bloc_affinity)
        names = metrics.bloc_names(labels, ids, shares)
        self.bloc.append([*names, ""])
        totals, found = metrics.bloc_shares(labels, shares)
        view = YearView(
            ids=ids,
            shares=shares,
            affinity=affinity,
            bloc_labels=labels,
            bloc_names=names,
            bloc_totals=totals,
            blocs_found=found,
            pole_share=p.pole_share,
            unipolar_ratio=p.unipolar_ratio,
            transition_parity=p.transition_parity,
            dissatisfied_affinity=p.dissatisfied_affinity,
        )
        self.system.append((m.year, *(o.compute(view) for o in self.measures)))

    # ------------------------------------------------------------------ tables

    def columns(
        self, run: int, tables: tuple[str, ...] = TABLES
    ) -> dict[str, dict[str, np.ndarray]]:
        """The run's tables as columns of numpy arrays: states, dyads, system, events.

        Only the ``tables`` named are built (a sweep that keeps no dyads does not
        pay for the n² rows a year of the dyads table); each must be one the
        recorder was asked to record.
        """
        m = self.model
        missing = [name for name in tables if name not in self.recorded]
        if missing:
            raise ValueError(f"tables not recorded in this run: {', '.join(missing)}")
        years = np.arange(m.config.start_year, m.config.start_year + self.row, dtype=np.int32)
        build = {
            "states": self._states,
            "dyads": self._dyads,
            "system": self._system,
            "events": self._events,
        }
        return {name: build[name](run, years) for name in tables}

    def _ids(self, codes: np.ndarray) -> pd.Categorical:
        """State ids as a categorical: a few bytes a row instead of a string each."""
        return pd.Categorical.from_codes(codes, dtype=_id_type(self.model.ids))

    def _states(self, run: int, years: np.ndarray) -> dict[str, np.ndarray]:
        rows, n = self.row, self.model.n
        power = self.states["power_index"][:rows]
        return {
            "run": np.full(rows * n, run, np.int32),
            "year": np.repeat(years, n),
            "state": self._ids(np.tile(np.arange(n), rows)),
            **{col: values[:rows].ravel() for col, values in self.states.items()},
            "power_share": (power / power.sum(axis=1, keepdims=True)).ravel(),
            "bloc": np.array(self.bloc, dtype=object).ravel(),
        }

    def _dyads(self, run: int, years: np.ndarray) -> dict[str, np.ndarray]:
        rows, pairs = self.row, self.model.n * (self.model.n - 1)
        a, b = _pair_rows(self.model.n)
        count = rows * pairs
        # Every year and ordered pair of distinct rows, a complete panel: a pair whose
        # values are all zero (affinity at its floor, nothing traded) is a row of
        # zeros, not a gap. The recorded arrays are the columns as they are: no copy,
        # no fresh memory, which at 193 states (1.9 million rows) was a fifth of a run.
        dyads = {
            "run": np.full(count, run, np.int32),
            "year": np.repeat(years, pairs),
            "a": self._ids(np.tile(a, rows)),
            "b": self._ids(np.tile(b, rows)),
            **{col: self.dyads[col][:rows].reshape(count) for col in DYAD_COLUMNS},
        }
        dyads["allied"] = dyads["allied"].astype(bool)
        return dyads

    def _system(self, run: int, years: np.ndarray) -> dict[str, np.ndarray]:  # noqa: ARG002
        system = {"run": np.full(len(self.system), run, np.int32)}
        for k, col in enumerate(self.system_columns):
            system[col] = np.array([row[k] for row in self.system])
        system["year"] = system["year"].astype(np.int32)
        return system

    def _events(self, run: int, years: np.ndarray) -> dict[str, np.ndarray]:  # noqa: ARG002
        log = self.model.events_log
        return {"run": np.full(len(log), run, np.int32), **log.columns()}

    def tables(self, run: int) -> dict[str, pd.DataFrame]:
        """The run's tidy tables: states, dyads, system, events (on the recorded arrays)."""
        return {name: pd.DataFrame(cols, copy=False) for name, cols in self.columns(run).items()}

    def release(self) -> None:
        """Let go of the yearly dyads once the run's tables are built.

        The tables keep what they use, and once they are gone the memory goes back to
        the process for its next run. A model and its recorder hold each other (as a
        Mesa model and its agents do), so without this the arrays would wait for
        Python's cycle collector, and every run of a 193-state world would write 92 MB
        into memory the system must map and zero afresh (docs/performance.md).
        """
        self.dyads = {}
        self.recorded = tuple(name for name in self.recorded if name != "dyads")

    def outcomes(self) -> dict[str, object]:
        """Where the run ended: one row of ``sim.analysis.outcomes.final_outcomes``."""
        m = self.model
        row: dict[str, object] = {}
        for outcome in outcomes.run_outcomes():
            k = self.system_columns.index(outcome.name)
            years = [r[k] for r in self.system]
            row[outcome.name] = any(years) if outcome.over_run == "any" else years[-1]
        power = self.states["power_index"][self.row - 1]
        share = power / power.sum()
        blocs = np.array(self.bloc[-1], dtype=object)
        bloc_share = share.copy()
        for name in set(blocs) - {""}:
            members = blocs == name
            bloc_share[members] = share[members].sum()
        values = {
            "power_share": share,
            "bloc_power_share": bloc_share,
            "gdp_usd_bn": self.states["gdp_usd_bn"][self.row - 1],
        }
        for outcome in STATE_ORDER:
            for k, state in enumerate(m.ids):
                row[f"{outcome.name}_{state}"] = float(values[outcome.column][k])
        return row


@functools.lru_cache(maxsize=16)
def _id_type(ids: tuple[str, ...]) -> pd.CategoricalDtype:
    """The ordered categorical type of a world's ids, checked once, not at every table."""
    return pd.CategoricalDtype(list(ids), ordered=True)


def _set_off_diagonal(row: np.ndarray, square: np.ndarray) -> None:
    """Copy the entries of an n×n array off its diagonal into ``row``, in row-major order.

    The entry after each diagonal one starts a run of n: viewing all but the first entry
    as (n - 1) × (n + 1) and keeping the first n columns drops exactly the diagonal.
    In an ensemble, each run's array into its own row.
    """
    *runs, n = square.shape[:-1]
    flat = square.reshape(*runs, n * n)[..., 1:]
    row.reshape(*runs, n - 1, n)[...] = flat.reshape(*runs, n - 1, n + 1)[..., :n]


@functools.lru_cache(maxsize=16)
def _pair_rows(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) row numbers of each recorded pair of distinct rows, as state codes."""
    # the integer type pandas keeps the codes of n categories in, so it need not convert
    codes = np.int8 if n < 127 else np.int16 if n < 32767 else np.int32
    rows = np.arange(n)
    a, b = np.empty(n * (n - 1), codes), np.empty(n * (n - 1), codes)
    _set_off_diagonal(a, np.repeat(rows, n).reshape(n, n))  # in the order the values are
    _set_off_diagonal(b, np.tile(rows, n).reshape(n, n))
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b
