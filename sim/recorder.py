"""Recording runs: preallocated yearly arrays, turned into tidy tables at the end.

Mesa's DataCollector appends Python objects per agent per step; the runs here
record whole numpy rows per year instead, every run of an ensemble at once (the runs
first), and build each run's DataFrames once. The system measures and blocs are
computed run by run.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim import metrics, outcomes
from sim.mechanisms.power import INDICES
from sim.outcomes import STATE_ORDER, YearView

if TYPE_CHECKING:
    from sim.ensemble import Ensemble

STATE_COLUMNS = {  # output column -> world field
    "gdp_usd_bn": "gdp",
    "growth": "growth",
    "milex_usd_bn": "milex",
    "capability": "capability",
    "energy_production_ej": "energy_production",
    "energy_consumption_ej": "energy_consumption",
    "population_m": "population",
    "level_loss": "level_loss",
    "ideal_point": "ideal_point",
    "main_threat": "main_threat",
}
DYAD_SOURCES = {  # output column -> world field (the sanctions: strongest sector)
    "trade_usd_bn": "trade",
    "affinity": "affinity",
    "allied": "allied",
    "sanction_intensity": "sanctions",
    "arms_transfer_usd_bn": "arms_flow",
    "gas_flow_bcm": "gas_flow",
    "threat": "threat",
}
DYAD_COLUMNS = tuple(DYAD_SOURCES)
TABLES = ("states", "dyads", "system", "events")  # every table a run records, in order


class Recorder:
    """Keeps every year's state of the runs of an ensemble."""

    def __init__(self, world: Ensemble, tables: tuple[str, ...] = TABLES):
        """Record what ``tables`` need: the n×n yearly dyads only when ``dyads`` is one."""
        self.world = world
        self.recorded = tables
        runs = len(world.runs)
        years, n = world.config.years + 1, world.n
        self.states = {col: np.zeros((runs, years, n)) for col in STATE_COLUMNS}
        self.states.update(
            {
                col: np.zeros((runs, years, n))
                for col in (
                    "trade_usd_bn",
                    "arms_imports_usd_bn",
                    "gas_exports_bcm",
                    "power_index",
                    *(f"{name}_share" for name in INDICES),
                )
            }
        )
        self.bloc: list[list[list[str]]] = [[] for _ in range(runs)]
        keeps_dyads = "dyads" in tables  # at 193 states, 1.8 MB a year
        # each year's ordered pairs of distinct rows, (a, b) in row-major order: the
        # dyads table's rows, so that its columns are these arrays as they are
        pairs = n * (n - 1)
        self.dyads = {col: np.zeros((runs, years, pairs)) for col in DYAD_COLUMNS if keeps_dyads}
        self.system: list[list[tuple]] = [[] for _ in range(runs)]
        self.measures = outcomes.SYSTEM_OUTCOMES  # the system table's columns after year
        self.system_columns = ("year", *(o.name for o in self.measures))
        self.row = 0
        self.acting = np.flatnonzero(world.state.acts)  # acting states (the system's actors)
        self.actors = [world.ids[i] for i in self.acting]
        self.actor_pairs = np.ix_(self.acting, self.acting)

    def record(self) -> None:
        """Store the world's current year: every run's arrays and system measures."""
        self._record_systems(self.record_arrays())
        self.row += 1

    def record_arrays(self) -> dict[str, np.ndarray]:
        """Store this year's arrays of every run; return every power index, each (R, n)."""
        w, s, t = self.world, self.world.state, self.row
        for col, attr in STATE_COLUMNS.items():
            self.states[col][:, t, :] = getattr(s, attr)
        self.states["trade_usd_bn"][:, t, :] = s.trade.sum(axis=-1)
        self.states["arms_imports_usd_bn"][:, t, :] = s.arms_flow.sum(axis=-2)
        self.states["gas_exports_bcm"][:, t, :] = s.gas_flow.sum(axis=-1)
        indices = w.power_indices()
        self.states["power_index"][:, t, :] = indices[w.params.power.index]
        for name in INDICES:
            self.states[f"{name}_share"][:, t, :] = indices[name]
        for col, values in self.dyads.items():
            pairs = getattr(s, DYAD_SOURCES[col])
            if pairs.ndim == 4:  # the sanctions, by sector: the strongest
                pairs = pairs.max(axis=-3)
            _set_off_diagonal(values[:, t, :], pairs)
        return indices

    def _record_systems(self, indices: dict[str, np.ndarray]) -> None:
        """Store this year's system measures and blocs of every run.

        The blocs are found run by run (a clustering each); the measures of the
        states' shares are computed for every run at once.
        """
        w, s = self.world, self.world.state
        p = w.params.power
        ids, acting = self.actors, self.acting
        # np.take keeps the rows contiguous (power[:, acting] would not): a run's sums
        # then add in the order they do alone. ROW counts in the world's total, but it
        # is not a state: only acting states are ranked, poles and leaders.
        every = {
            name: np.take(power, acting, axis=-1) / power.sum(axis=-1, keepdims=True)
            for name, power in indices.items()
        }
        shares = every[p.index]
        affinity = s.affinity[:, acting[:, None], acting]
        allied = s.allied[:, acting[:, None], acting]
        rivals = s.rival[acting[:, None], acting] >= 0.5
        labels, names, totals, found = [], [], [], []
        for r, threshold in enumerate(p.bloc_affinity.tolist()):
            labels.append(metrics.blocs(affinity[r], allied[r], threshold, rivals))
            names.append(metrics.bloc_names(labels[r], ids, shares[r]))
            self.bloc[r].append([*names[r], ""])
            total, blocs = metrics.bloc_shares(labels[r], shares[r])
            totals.append(total)
            found.append(blocs)
        view = YearView(
            ids=ids,
            shares=shares,
            affinity=affinity,
            bloc_labels=np.stack(labels),
            bloc_names=names,
            bloc_totals=totals,
            blocs_found=found,
            pole_share=p.pole_share,
            unipolar_ratio=p.unipolar_ratio,
            transition_parity=p.transition_parity,
            dissatisfied_affinity=p.dissatisfied_affinity,
            index_shares=every,
            pole_share_band=p.pole_share_band,
            unipolar_ratio_band=p.unipolar_ratio_band,
        )
        measures = [o.compute(view) for o in self.measures]
        for r, system in enumerate(self.system):
            system.append((w.year, *(values[r] for values in measures)))

    def of_run(self, run: int) -> RunRecord:
        """One run's records (``RunRecord``)."""
        return RunRecord(self, run)

    # ------------------------------------------------------------------ tables

    def columns(
        self, run: int, number: int, tables: tuple[str, ...] = TABLES
    ) -> dict[str, dict[str, np.ndarray]]:
        """Run ``run``'s tables as columns of numpy arrays: states, dyads, system, events.

        Only the ``tables`` named are built (a sweep that keeps no dyads does not
        pay for the n² rows a year of the dyads table); each must be one the
        recorder was asked to record.

        Args:
            run: The run's place in the ensemble.
            number: The replicate's number, written in every table's ``run`` column.
            tables: The tables to build.
        """
        config = self.world.config
        missing = [name for name in tables if name not in self.recorded]
        if missing:
            raise ValueError(f"tables not recorded in this run: {', '.join(missing)}")
        years = np.arange(config.start_year, config.start_year + self.row, dtype=np.int32)
        build = {
            "states": self._states,
            "dyads": self._dyads,
            "system": self._system,
            "events": self._events,
        }
        return {name: build[name](run, number, years) for name in tables}

    def _ids(self, codes: np.ndarray) -> pd.Categorical:
        """State ids as a categorical: a few bytes a row instead of a string each."""
        return pd.Categorical.from_codes(codes, dtype=_id_type(self.world.ids))

    def _states(self, run: int, number: int, years: np.ndarray) -> dict[str, np.ndarray]:
        rows, n = self.row, self.world.n
        power = self.states["power_index"][run, :rows]
        return {
            "run": np.full(rows * n, number, np.int32),
            "year": np.repeat(years, n),
            "state": self._ids(np.tile(np.arange(n), rows)),
            **{col: values[run, :rows].ravel() for col, values in self.states.items()},
            "power_share": (power / power.sum(axis=1, keepdims=True)).ravel(),
            "bloc": np.array(self.bloc[run], dtype=object).ravel(),
        }

    def _dyads(self, run: int, number: int, years: np.ndarray) -> dict[str, np.ndarray]:
        rows, pairs = self.row, self.world.n * (self.world.n - 1)
        a, b = _pair_rows(self.world.n)
        count = rows * pairs
        # Every year and ordered pair of distinct rows, a complete panel: a pair whose
        # values are all zero (affinity at its floor, nothing traded) is a row of
        # zeros, not a gap. The recorded arrays are the columns as they are: no copy,
        # no fresh memory, which at 193 states (1.9 million rows) was a fifth of a run.
        dyads = {
            "run": np.full(count, number, np.int32),
            "year": np.repeat(years, pairs),
            "a": self._ids(np.tile(a, rows)),
            "b": self._ids(np.tile(b, rows)),
            **{col: self.dyads[col][run, :rows].reshape(count) for col in DYAD_COLUMNS},
        }
        dyads["allied"] = dyads["allied"].astype(bool)
        return dyads

    def _system(self, run: int, number: int, years: np.ndarray) -> dict[str, np.ndarray]:  # noqa: ARG002
        rows = self.system[run]
        system = {"run": np.full(len(rows), number, np.int32)}
        for k, col in enumerate(self.system_columns):
            system[col] = np.array([row[k] for row in rows])
        system["year"] = system["year"].astype(np.int32)
        return system

    def _events(self, run: int, number: int, years: np.ndarray) -> dict[str, np.ndarray]:  # noqa: ARG002
        log = self.world.runs[run].events_log
        return {"run": np.full(len(log), number, np.int32), **log.columns()}

    def outcomes(self, run: int) -> dict[str, object]:
        """Where run ``run`` ended: one row of ``sim.analysis.outcomes.final_outcomes``."""
        row: dict[str, object] = {}
        for outcome in outcomes.run_outcomes():
            k = self.system_columns.index(outcome.name)
            years = [r[k] for r in self.system[run]]
            row[outcome.name] = any(years) if outcome.over_run == "any" else years[-1]
        power = self.states["power_index"][run, self.row - 1]
        share = power / power.sum()
        blocs = np.array(self.bloc[run][-1], dtype=object)
        bloc_share = share.copy()
        for name in set(blocs) - {""}:
            members = blocs == name
            bloc_share[members] = share[members].sum()
        values = {
            "power_share": share,
            "bloc_power_share": bloc_share,
            "gdp_usd_bn": self.states["gdp_usd_bn"][run, self.row - 1],
        }
        for outcome in STATE_ORDER:
            for k, state in enumerate(self.world.ids):
                row[f"{outcome.name}_{state}"] = float(values[outcome.column][k])
        return row

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


class RunRecord:
    """One run's records, as its Mesa model shows them (views of the ensemble's recorder).

    Args:
        recorder: The ensemble's recorder.
        run: The run's place in the ensemble.
    """

    def __init__(self, recorder: Recorder, run: int):
        self.recorder = recorder
        self.run = run
        self.acting, self.actors = recorder.acting, recorder.actors
        self.system_columns = recorder.system_columns

    @property
    def row(self) -> int:
        """Years recorded so far."""
        return self.recorder.row

    @property
    def states(self) -> dict[str, np.ndarray]:
        """Each state column, (years, n): this run's slice."""
        return {col: values[self.run] for col, values in self.recorder.states.items()}

    @property
    def dyads(self) -> dict[str, np.ndarray]:
        """Each dyad column, (years, pairs): this run's slice (empty when none are kept)."""
        return {col: values[self.run] for col, values in self.recorder.dyads.items()}

    @property
    def system(self) -> list[tuple]:
        """This run's system measures, one tuple a year."""
        return self.recorder.system[self.run]

    @property
    def bloc(self) -> list[list[str]]:
        """This run's bloc of each row, one list a year."""
        return self.recorder.bloc[self.run]

    def columns(self, number: int, tables: tuple[str, ...] = TABLES) -> dict[str, dict]:
        """This run's tables as columns, with ``number`` in their ``run`` column."""
        return self.recorder.columns(self.run, number, tables)

    def tables(self, number: int) -> dict[str, pd.DataFrame]:
        """This run's tidy tables: states, dyads, system, events (on the recorded arrays)."""
        columns = self.columns(number, self.recorder.recorded)
        return {name: pd.DataFrame(cols, copy=False) for name, cols in columns.items()}

    def outcomes(self) -> dict[str, object]:
        """Where this run ended (``Recorder.outcomes``)."""
        return self.recorder.outcomes(self.run)

    def release(self) -> None:
        """Let go of the yearly dyads (``Recorder.release``)."""
        self.recorder.release()


@functools.lru_cache(maxsize=16)
def _id_type(ids: tuple[str, ...]) -> pd.CategoricalDtype:
    """The ordered categorical type of a world's ids, checked once, not at every table."""
    return pd.CategoricalDtype(list(ids), ordered=True)


def _set_off_diagonal(row: np.ndarray, square: np.ndarray) -> None:
    """Copy the entries of an n×n array off its diagonal into ``row``, in row-major order.

    The entry after each diagonal one starts a run of n: viewing all but the first entry
    as (n - 1) × (n + 1) and keeping the first n columns drops exactly the diagonal.
    Each run's array (the runs first) into its own row.
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
