"""Every figure type is drawn with no two labels overlapping, and each state keeps its colour."""

from __future__ import annotations

import colorsys
from itertools import combinations
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from sim import api
from sim.analysis.sensitivity import write_report
from sim.plots.comparison import fan_charts
from sim.plots.heatmaps import decimals, heatmap_figure
from sim.plots.network import network_figure
from sim.plots.runs import fan_figure, plot_run
from sim.plots.style import STATE_COLORS, spread, state_color
from sim.plots.sweep import plot_sweep
from sim.plots.timelines import polarity_shares_figure, poles_figure, power_lines_figure
from sim.scenario.power_parameters import Power
from tests.conftest import SCENARIOS
from tests.test_discover import X1, X2, _outcomes, lhs, write_folder
from tests.test_sweep_plots import grid_sweep, lhs_sweep

MAJORS = ("USA", "CHN", "EUU", "RUS", "IND", "JPN", "GBR")
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
YEARS = 4


class Drawn:
    """Every figure saved while it is active, with the file it was saved to."""

    def __init__(self):
        self.figures: list[tuple[str, Figure]] = []


@pytest.fixture
def drawn(monkeypatch) -> Drawn:
    record = Drawn()
    save = Figure.savefig

    def saving(fig, path, *args, **kwargs):
        record.figures.append((Path(str(path)).name, fig))
        return save(fig, path, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", saving)
    return record


def drawn_texts(fig: Figure) -> list[Text]:
    """The texts actually drawn on ``fig`` (visible, non-empty, inside the view for ticks)."""
    seen: list[Text] = []
    draw = Text.draw

    def recording(text, renderer):
        if text.get_visible() and text.get_text().strip():
            seen.append(text)
        return draw(text, renderer)

    canvas = FigureCanvasAgg(fig)
    Text.draw = recording
    try:
        canvas.draw()
    finally:
        Text.draw = draw
    return seen


def overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap by more than a pixel."""
    texts = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer).padded(-1) for t in texts]
    return [
        (texts[i].get_text(), texts[j].get_text())
        for i, j in combinations(range(len(texts)), 2)
        if boxes[i].overlaps(boxes[j])
    ]


def assert_no_overlap(figures: list[tuple[str, Figure]]) -> None:
    assert figures
    clashes = {name: overlaps(fig) for name, fig in figures}
    assert not {name: pairs for name, pairs in clashes.items() if pairs}


@pytest.fixture(scope="module")
def results():
    return api.run(SCENARIOS / "baseline.yaml", runs=3, years=YEARS)


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    names = ("western_cohesion", "sino_russian_consolidation")
    out = tmp_path_factory.mktemp("compare") / "cmp"
    # long enough for every scenario's events (the last in 2024)
    api.compare([SCENARIOS / f"{n}.yaml" for n in names], runs=3, years=11, out=out)
    return out


def test_a_run_folder_s_figures(results, drawn, tmp_path):
    plot_run(results.tables(), results.scenario, tmp_path)
    names = [name for name, _ in drawn.figures]
    assert names == [
        "power_share_fan.png",
        "polarity_final.png",
        "leader_share_final.png",
        "alignment_network.png",
    ]
    assert_no_overlap(drawn.figures)
    fan = drawn.figures[0][1]
    title = fan.axes[0].get_title()
    index = Power.model_fields["index"].default  # the run's index: the default one
    assert "baseline" in title and "3 runs" in title and f"power index: {index}" in title
    assert "rest of the world" in title  # ROW's omission is said
    network = drawn.figures[3][1]
    legend = network.axes[0].get_legend()
    assert legend is not None and any("bloc" in t.get_text() for t in legend.get_texts())


def test_a_comparison_s_figures(comparison, drawn):
    from sim.plots import plot_folder

    plot_folder(comparison)
    names = sorted(name for name, _ in drawn.figures)
    assert names == ["distributions.png", "ecdf.png", "polarity.png", "power_share_fan.png"]
    assert_no_overlap(drawn.figures)
    fan = dict(drawn.figures)["power_share_fan.png"]
    assert len(fan.axes) == 2  # overlay and difference, not one fan per scenario
    assert "difference from western_cohesion" in fan.axes[1].get_ylabel()


def test_a_sweep_s_figures(tmp_path, drawn):
    folder = lhs_sweep(tmp_path / "lhs", 2, points=60)
    write_report(
        folder,
        pd.DataFrame(
            {
                "outcome": ["con"] * 2,
                "parameter": ["parameters.a", "parameters.b.c"],
                "S1": [0.6, 0.1],
                "S1_conf": [0.05, 0.04],
                "ST": [0.7, 0.2],
                "ST_conf": [0.06, 0.05],
            }
        ),
        "sobol",
    )
    plot_sweep(folder)
    plot_sweep(grid_sweep(tmp_path / "grid"))
    assert {"heatmap_a__b.c.png", "heatmap_a__b.png", "sensitivity.png"} <= {
        name for name, _ in drawn.figures
    }
    assert_no_overlap(drawn.figures)


def test_a_discovery_s_figures(tmp_path, drawn):
    design = lhs(200)
    rule = (design[X1] > 0.6) & (design[X2] < 0.3)
    folder = write_folder(tmp_path / "sweep", design, _outcomes(design["point"], rule))
    api.discover(folder, "polarity=multipolar", out=tmp_path / "found")
    assert {"peeling_trajectory.png", "box.png"} <= {name for name, _ in drawn.figures}
    assert_no_overlap(drawn.figures)


def test_the_explorer_s_figures(results, drawn, tmp_path):
    tables = results.tables()
    states, system = tables["states"], tables["system"]
    one = states[states["run"] == 0]
    years = np.sort(one["year"].unique())
    shares = {
        s: g.sort_values("year")["power_share"].to_numpy()
        for s, g in one.groupby("state", observed=True)
        if s in (*MAJORS, "ROW")
    }
    line = system[system["run"] == 0].sort_values("year")
    figures = [
        fan_figure(states, list(MAJORS)),
        power_lines_figure(years, shares),
        poles_figure(
            years,
            line["effective_poles"].to_numpy(),
            line["bloc_effective_poles"].to_numpy(),
            list(line["polarity"]),
        ),
        polarity_shares_figure(system),
    ]
    names = list(MAJORS)
    rng = np.random.default_rng(0)
    affinity = rng.uniform(0.5, 1.0, (7, 7))
    figures.append(
        network_figure(
            names,
            np.full(7, 0.1),
            ["USA"] * 4 + ["CHN"] * 2 + [""],
            affinity,
            affinity > 0.9,
            0.8,
            "t",
        )
    )
    assert_no_overlap([(f"figure {k}", fig) for k, fig in enumerate(figures)])


def test_the_calibration_figure(drawn, tmp_path):
    from sim.estimation.report import estimate
    from sim.plots.estimation import draw_calibration

    draw_calibration(estimate(), tmp_path / "calibration.png")
    assert_no_overlap(drawn.figures)


def test_the_overlap_check_finds_overlapping_labels():
    fig = Figure()
    ax = fig.subplots()
    ax.text(0.5, 0.5, "IND")
    ax.text(0.5, 0.505, "EUU")
    assert overlaps(fig) == [("IND", "EUU")]


def test_end_labels_close_together_are_spread_apart():
    years = np.arange(2014, 2041)
    shares = {"IND": np.linspace(0.08, 0.093, 27), "EUU": np.linspace(0.12, 0.0931, 27)}
    shares |= {"GBR": np.full(27, 0.022), "JPN": np.full(27, 0.0221), "RUS": np.full(27, 0.0222)}
    assert overlaps(power_lines_figure(years, shares)) == []


def test_spread_keeps_order_and_gap_and_moves_no_more_than_needed():
    placed = spread(np.array([10.0, 10.5, 30.0, 10.2]), 4.0)
    assert np.all(np.diff(np.sort(placed)) >= 4.0 - 1e-9)
    assert list(np.argsort(placed)) == [0, 3, 1, 2]
    assert placed[2] == 30.0  # far from the others: left where it was
    assert np.mean(placed[[0, 1, 3]]) == pytest.approx(np.mean([10.0, 10.5, 10.2]))


def test_the_major_states_take_distinct_colour_blind_safe_hue_families():
    colours = [STATE_COLORS[s].upper() for s in MAJORS]
    assert len(set(colours)) == len(MAJORS)
    assert set(colours) <= OKABE_ITO  # Okabe & Ito (2008), colour-blind safe
    chromatic = []
    for colour in colours:
        hue, lightness, saturation = colorsys.rgb_to_hls(*to_rgb(colour))
        if saturation > 0.2 and 0.1 < lightness < 0.95:
            chromatic.append(hue * 360)
    assert len(chromatic) >= len(MAJORS) - 1  # at most one achromatic (black)
    for a, b in combinations(chromatic, 2):
        assert min(abs(a - b), 360 - abs(a - b)) >= 14  # the two blues of 55b3a: 3 apart
    assert state_color("ROW") not in colours
    assert state_color("KAZ") == state_color("KAZ") and state_color("KAZ") not in colours


def _line_colours(fig: Figure) -> dict[str, set[str]]:
    """The colour of each line that carries a state's label, or is labelled at its end."""
    found: dict[str, set[str]] = {}
    for ax in fig.axes:
        for text in ax.texts:
            if text.get_text() in MAJORS:
                found.setdefault(text.get_text(), set()).add(to_hex(text.get_color()).upper())
        for line in ax.get_lines():
            if line.get_label() in MAJORS:
                found.setdefault(line.get_label(), set()).add(to_hex(line.get_color()).upper())
    return found


def test_each_major_state_has_one_colour_in_every_figure(results, comparison):
    tables = results.tables()
    states = tables["states"]
    one = states[states["run"] == 0]
    years = np.sort(one["year"].unique())
    shares = {
        s: g.sort_values("year")["power_share"].to_numpy()
        for s, g in one.groupby("state", observed=True)
        if s in MAJORS
    }
    figures = [fan_figure(states, list(MAJORS)), power_lines_figure(years, shares)]
    import json

    result = json.loads((comparison / "comparison.json").read_text())
    shares_table = pd.read_parquet(comparison / "power_share.parquet")
    captured = []
    original = Figure.savefig
    Figure.savefig = lambda fig, *a, **k: captured.append(fig)
    try:
        fan_charts(shares_table, result, comparison / "again.png")
    finally:
        Figure.savefig = original
    figures += captured
    for fig in figures:
        for state, colours in _line_colours(fig).items():
            assert colours == {STATE_COLORS[state].upper()}, state
    assert all(len(_line_colours(fig)) == len(MAJORS) for fig in figures)


def test_a_heatmap_does_not_stretch_a_negligible_difference(tmp_path, drawn):
    """Cells 18.46-18.52% among runs spread over 15-22%: the colours stay close."""
    rng = np.random.default_rng(1)
    n = 200
    runs = pd.DataFrame({"p": rng.uniform(0, 1, n), "q": rng.uniform(0, 1, n)})
    runs["leader_share"] = 0.1846 + 0.0006 * runs["p"] + rng.normal(0, 0.0001, n)
    runs.loc[::4, "leader_share"] = rng.uniform(0.15, 0.22, len(runs.loc[::4]))
    runs["p_multipolar"] = 0.0
    heatmap_figure(
        runs, ("p", "q"), ["leader_share", "p_multipolar"], (False, False), 4, "t", tmp_path / "h"
    )
    fig = drawn.figures[-1][1]
    mesh = fig.axes[0].collections[0]
    low, high = mesh.norm.vmin, mesh.norm.vmax
    assert high - low > 0.03  # the runs' spread, not the cells' 0.06 points
    assert "P(multipolar)" in fig._suptitle.get_text()  # all-zero panel named, not drawn
    assert len([ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]) == 1
    cells = [t.get_text() for t in fig.axes[0].texts]
    assert all("n=" in t for t in cells)
    assert any("18.4" in t or "18.5" in t for t in cells)  # precision resolves the cells


def test_decimals_match_the_range_of_the_cells():
    assert decimals(np.array([0.1846, 0.1852]), percent=True) == 3
    assert decimals(np.array([0.1, 0.5]), percent=True) == 0
    assert decimals(np.array([2.0, 2.5]), percent=False) == 2


def test_polarity_bars_carry_wilson_intervals(results, drawn, tmp_path):
    plot_run(results.tables(), results.scenario, tmp_path)
    fig = dict(drawn.figures)["polarity_final.png"]
    ax = fig.axes[0]
    assert any(isinstance(c, matplotlib.collections.LineCollection) for c in ax.collections)
    assert "Wilson" in ax.get_ylabel()
    assert all("[" in t.get_text() for t in ax.texts)


def test_lines_are_not_drawn_in_an_unknown_colour(results):
    fig = fan_figure(results.tables()["states"], ["KAZ", "USA"])
    colours = {
        to_hex(line.get_color()) for line in fig.axes[0].get_lines() if isinstance(line, Line2D)
    }
    assert colours == {state_color("KAZ").lower(), state_color("USA").lower()}


def test_an_empty_cell_is_hatched_and_explained(tmp_path, drawn):
    runs = pd.DataFrame({"p": [0, 0, 1, 0, 0, 1], "q": [0, 1, 0, 0, 1, 0]})
    runs["leader_share"] = [0.2, 0.21, 0.22, 0.2, 0.21, 0.22]
    heatmap_figure(runs, ("p", "q"), ["leader_share"], (True, True), 4, "t", tmp_path / "h")
    fig = drawn.figures[-1][1]
    assert "hatched cells: no run" in fig._suptitle.get_text()
    assert fig.axes[0].patch.get_hatch()
    assert sorted(t.get_text().split("\n")[1] for t in fig.axes[0].texts) == ["n=2"] * 3
