"""A scenario in the browser, year by year: Mesa's SolaraViz over the world model.

The model is the same ``WorldModel`` that ``sim run`` runs, built from the same
file through the same validation (``ExploredModel``); the sidebar's sliders and
switches are the scenario's own knobs (``sim.explore.controls``). A model in the
explorer with seed S is replicate 0 of ``sim run --seed S --set
uncertainties=null``: the same numbers, year by year.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from sim.errors import RunFailed, ScenarioError
from sim.event_log import COLUMNS as EVENT_COLUMNS
from sim.experiments.runner import replicate_seeds
from sim.explore.controls import EVENT, SEED, event_names, overrides, parse_seed, sliders
from sim.model import WorldModel
from sim.plots.network import layout, network_figure
from sim.plots.timelines import poles_figure, power_lines_figure
from sim.scenario.loader import load_scenario
from sim.scenario.schema import ScenarioConfig

EVENTS_SHOWN = 200  # events listed for one year; the rest are counted
_last_good: dict[str, ScenarioConfig] = {}  # per file: the last scenario that validated


class ExploredModel(WorldModel):
    """The world model, built from a scenario file and the explorer's settings.

    A file that no longer validates (edited while the explorer runs) is reported
    on the terminal and in the page (``problem``); the model then shows the last
    version that did, at its start, and does not run.

    Attributes:
        source: The scenario file.
        problem: What is wrong with the file or the settings, or None.
        positions: Where each acting state sits in the network (fixed for the run).
    """

    def __init__(
        self,
        source: str,
        seed: Any = 0,
        fixed: tuple[str, ...] = (),
        scenario: Any = None,
        **settings: Any,
    ):
        """Build the model.

        Args:
            source: The scenario file.
            seed: The seed, as typed (replicate 0 of this master seed is run).
            fixed: The command line's ``--set`` overrides, applied before the knobs.
            scenario: Mesa's own scenario object, which SolaraViz passes on reset: unused.
            **settings: ``events.NAME`` -> on/off and dotted field path -> value.
        """
        del scenario
        problem = None
        try:
            number = parse_seed(seed)
            config = load_scenario(source, [*fixed, *overrides(settings)])
        except ScenarioError as err:
            print(err, file=sys.stderr, flush=True)
            if source not in _last_good:
                raise
            problem, number, config = str(err), 0, _last_good[source]
        _last_good[source] = config
        super().__init__(config, rng=np.random.default_rng(replicate_seeds(number, 1)[0]))
        self.source = source
        self.problem = problem
        self.running = problem is None
        acting = self.recorder.acting
        self.positions = layout(
            self.recorder.actors,
            self.affinity[np.ix_(acting, acting)],
            self.allied[np.ix_(acting, acting)],
        )

    def step(self) -> None:
        """Advance one year; stop at the scenario's last year. A model with a problem stays.

        A year that leaves the world non-finite (``sim.finite``) becomes the model's
        problem, shown in the page and said once on stderr, as a scenario's mistakes are.
        """
        if self.problem is None:
            try:
                with np.errstate(all="ignore"):
                    super().step()
            except RunFailed as err:
                print(err, file=sys.stderr, flush=True)
                self.problem = str(err)
        self.running = self.problem is None and self.year < self.config.end_year


def model_params(
    source: str, config: ScenarioConfig, fixed: tuple[str, ...] = ()
) -> dict[str, Any]:
    """SolaraViz's ``model_params``: the file and ``--set`` (fixed), the seed, sliders, switches."""
    params: dict[str, Any] = {
        "source": source,
        "fixed": tuple(fixed),
        SEED: {"type": "InputText", "value": str(config.seed), "label": "seed"},
    }
    for s in sliders(config):
        params[s.path] = {
            "type": "SliderInt" if s.whole else "SliderFloat",
            "value": s.value,
            "min": s.low,
            "max": s.high,
            "step": s.step,
            "label": s.path.removeprefix("parameters."),
        }
    for name in event_names(config):
        params[EVENT + name] = {"type": "Checkbox", "value": True, "label": f"event: {name}"}
    return params


def _years(model: ExploredModel) -> np.ndarray:
    return np.arange(model.config.start_year, model.config.start_year + model.recorder.row)


def _system(model: ExploredModel, column: str) -> list:
    k = model.recorder.system_columns.index(column)
    return [row[k] for row in model.recorder.system]


@solara.component
def Network(model: ExploredModel):
    """The alignment network this year: allied and aligned pairs, size = power share."""
    update_counter.get()
    r = model.recorder
    power = r.states["power_index"][r.row - 1]
    acting = r.acting
    pairs = np.ix_(acting, acting)
    threshold = model.params.power.bloc_affinity
    figure = network_figure(
        r.actors,
        power[acting] / power.sum(),
        r.bloc[-1][: len(acting)],
        model.affinity[pairs],
        model.allied[pairs].astype(float),
        threshold,
        f"Alignment in {model.year}: solid = allied, dotted = affinity ≥ {threshold:.2f}; "
        "colour = bloc; size = power share",
        positions=model.positions,
        size=(7, 5),
    )
    with solara.Column(classes=["sim-network"]):
        solara.FigureMatplotlib(figure, format="png", dependencies=[id(model), model.year])


@solara.component
def PowerShares(model: ExploredModel):
    """Each major state's share of world power, year by year."""
    update_counter.get()
    r = model.recorder
    power = r.states["power_index"][: r.row]
    share = power / power.sum(axis=1, keepdims=True)
    shown = model.config.major_states or model.config.world.states
    figure = power_lines_figure(
        _years(model),
        {state: share[:, model.index[state]] for state in shown},
        span=(model.config.start_year, model.config.end_year),
    )
    with solara.Column(classes=["sim-power"]):
        solara.FigureMatplotlib(figure, format="png", dependencies=[id(model), model.year])


@solara.component
def Polarity(model: ExploredModel):
    """Effective poles of states and blocs, and the polarity of each year."""
    update_counter.get()
    figure = poles_figure(
        _years(model),
        np.array(_system(model, "effective_poles")),
        np.array(_system(model, "bloc_effective_poles")),
        _system(model, "polarity"),
        span=(model.config.start_year, model.config.end_year),
    )
    with solara.Column(classes=["sim-polarity"]):
        solara.FigureMatplotlib(figure, format="png", dependencies=[id(model), model.year])


def year_events(model: ExploredModel, year: int) -> pd.DataFrame:
    """What happened in ``year``: kind, source, target, magnitude and origin."""
    rows = [e for e in model.events_log if e[0] == year]
    return pd.DataFrame(rows, columns=list(EVENT_COLUMNS))


@solara.component
def Events(model: ExploredModel):
    """The events of a year (the latest by default), as a list."""
    update_counter.get()
    years = [int(y) for y in _years(model)]
    chosen, choose = solara.use_state(None)
    year = chosen if chosen in years else years[-1]
    table = year_events(model, year)
    with solara.Column(classes=["sim-events"]):
        solara.Select("year", values=years, value=year, on_value=choose)
        counts = table["kind"].value_counts()
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"
        solara.Markdown(f"**{year}**: {summary}")
        lines = [
            f"- {e.kind}: {e.source} → {e.target} ({e.magnitude:.3g}, {e.origin})"
            for e in table.head(EVENTS_SHOWN).itertuples()
        ]
        if len(table) > EVENTS_SHOWN:
            lines.append(f"- … and {len(table) - EVENTS_SHOWN} more")
        if lines:
            solara.Markdown("\n".join(lines))


COMPONENTS = [(Network, 0), (PowerShares, 0), (Polarity, 0), (Events, 0)]


@solara.component
def LivePage(source: Path, fixed: tuple[str, ...] = ()):
    """The explorer of one scenario: SolaraViz with the scenario's knobs and four panels.

    Args:
        source: The scenario file.
        fixed: The command line's ``--set`` overrides.
    """
    path = str(source)

    def first() -> tuple[ExploredModel | None, dict | None, str | None]:
        try:
            config = load_scenario(path, list(fixed))
            params = model_params(path, config, fixed)
            defaults = {k: v["value"] for k, v in params.items() if isinstance(v, dict)}
            return ExploredModel(path, fixed=tuple(fixed), **defaults), params, None
        except ScenarioError as err:
            return None, None, str(err)

    start, params, problem = solara.use_memo(first, [])
    model = solara.use_reactive(start)
    if model.value is None:
        solara.Error(problem, classes=["sim-problem"])
        return
    with solara.Column():  # always there, so that the panels below are never rebuilt
        if model.value.problem:
            solara.Error(model.value.problem, classes=["sim-problem"])
    SolaraViz(
        model,
        components=COMPONENTS,
        model_params=params,
        name=f"sim: {model.value.config.name}",
        play_interval=300,
    )
