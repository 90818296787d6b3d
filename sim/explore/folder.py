"""A finished run or sweep in the browser, read-only: fan charts and polarity, by state and point.

What is shown is read from the folder's tables (``states`` and ``system``); a
sweep's points can be taken one at a time (``design.parquet``) or all together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import solara

from sim.errors import Problem, ScenarioError
from sim.experiments.folders import finished_manifest
from sim.folder_checks import read_table
from sim.plots.runs import fan_figure, leader_figure, polarity_figure
from sim.plots.timelines import polarity_shares_figure

NEEDED = ("states", "system")
SHOWN = 8  # states picked at first: the largest final median power shares
ALL_POINTS = "all points"
STATES, BLOCS = "polarity of states", "polarity of blocs"


@dataclass(frozen=True)
class Folder:
    """What the explorer reads of a results folder.

    Attributes:
        path: The folder.
        kind: ``run`` or ``sweep``.
        states: Power shares: run (and point), year, state, power_share.
        system: The system table: run (and point), year, polarity, leader, ...
        design: A sweep's points (one row each, with the values set); None for a run.
    """

    path: Path
    kind: str
    states: pd.DataFrame
    system: pd.DataFrame
    design: pd.DataFrame | None

    def ranked_states(self) -> list[str]:
        """Every state but ROW, largest final median power share first."""
        last = self.states[self.states["year"] == self.states["year"].max()]
        median = last.groupby("state", observed=True)["power_share"].median()
        return [str(s) for s in median.sort_values(ascending=False).index if s != "ROW"]

    def point_labels(self) -> list[str]:
        """A sweep's points as ``k: path=value, ...``; empty for a run."""
        if self.design is None:
            return []
        labels = []
        for row in self.design.to_dict("records"):
            point = row.pop("point")
            values = ", ".join(
                f"{k.removeprefix('parameters.')}={v:g}"
                if isinstance(v, float)
                else f"{k.removeprefix('parameters.')}={v}"
                for k, v in row.items()
            )
            labels.append(f"{point}: {values}")
        return labels

    def at(self, label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The states and system tables of one point (by its label), or of all."""
        if self.design is None or label == ALL_POINTS:
            return self.states, self.system
        point = int(label.split(":")[0])
        return (
            self.states[self.states["point"] == point],
            self.system[self.system["point"] == point],
        )


def _problem(path: Path, message: str) -> ScenarioError:
    return ScenarioError(Problem(str(path), 0, 0, "", message))


def check_folder(path: Path) -> str:
    """The kind of a finished results folder the explorer can show (``run`` or ``sweep``).

    Raises:
        ScenarioError: Not a results folder, unfinished, of another kind, or
            without the states and system tables.
    """
    kind = finished_manifest(path).get("kind", "run")
    if kind not in ("run", "sweep"):
        raise _problem(path, f"expected the folder of a run or a sweep, got a {kind} folder")
    missing = [t for t in NEEDED if not (path / f"{t}.parquet").exists()]
    if missing:
        raise _problem(
            path,
            f"the explorer needs the {' and '.join(NEEDED)} tables; this {kind} kept no "
            f"{' or '.join(missing)} table (see --tables)",
        )
    return kind


def read_folder(path: Path) -> Folder:
    """Read the columns the explorer shows from a finished run or sweep folder."""
    kind = check_folder(path)
    keys = ["point", "run"] if kind == "sweep" else ["run"]
    states = read_table(path / "states.parquet", columns=[*keys, "year", "state", "power_share"])
    system = read_table(path / "system.parquet", required=[*keys, "year"])
    design = read_table(path / "design.parquet", required=["point"]) if kind == "sweep" else None
    return Folder(path, kind, states, system, design)


@solara.component
def FolderPage(path: Path):
    """Fan charts of the states picked, and polarity (of states or of blocs), by point or all."""
    folder = solara.use_memo(lambda: read_folder(path), [])
    ranked = folder.ranked_states()
    picked, pick = solara.use_state(ranked[:SHOWN])
    labels = [ALL_POINTS, *folder.point_labels()]
    point, choose = solara.use_state(ALL_POINTS)
    among, choose_among = solara.use_state(STATES)
    states, system = folder.at(point)
    runs = system[["point", "run"] if "point" in system else ["run"]].drop_duplicates()
    with solara.AppBar():
        solara.AppBarTitle(f"sim: {path.name} ({folder.kind}, {len(runs)} runs)")
    with solara.Sidebar(), solara.Card("Show"):
        solara.SelectMultiple("states", values=picked, all_values=ranked, on_value=pick)
        if folder.design is not None:
            solara.Select("design point", values=labels, value=point, on_value=choose)
        solara.ToggleButtonsSingle(value=among, values=[STATES, BLOCS], on_value=choose_among)
    with solara.Column(classes=["sim-fan"]):
        shown = [s for s in ranked if s in picked]
        title = "Power shares" if point == ALL_POINTS else f"Power shares at point {point}"
        if shown:
            figure = fan_figure(states, shown, title)
            solara.FigureMatplotlib(figure, format="png", dependencies=[tuple(shown), point])
        else:
            solara.Info("Pick the states to show in the sidebar.")
    column = "polarity" if among == STATES else "bloc_polarity"
    with solara.Row(classes=["sim-polarity"]):
        for figure in (
            polarity_shares_figure(system, column),
            polarity_figure(system, column),
            leader_figure(system),
        ):
            solara.FigureMatplotlib(figure, format="png", dependencies=[point, column])
