"""Colours, titles and label placement shared by every figure.

Each state has one colour in every figure. The seven major states take the seven hue
families of Okabe & Ito's colour-blind-safe palette (Okabe, M. & Ito, K. (2008). *Color
Universal Design (CUD): how to make figures and presentations that are friendly to
colorblind people*, J*FLY; the palette Wong (2011), *Nature Methods* 8:441, made the
default of many journals): blue, vermillion, yellow, black, bluish green, reddish purple
and orange, so no two of them share a hue family. Other states take Paul Tol's muted
scheme (Tol, P. (2021). *Colour schemes*, SRON/EPS/TN/09-002), each by a fixed hash of
its code, so a state keeps its colour whichever others are shown; the rest of the world
is grey.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

import numpy as np

POLARITY_COLORS = {"unipolar": "#b2182b", "bipolar": "#ef8a62", "multipolar": "#2166ac"}
POLARITY_TITLES = {"polarity": "Polarity", "bloc_polarity": "Bloc polarity"}  # by system column

STATE_COLORS = {
    "USA": "#0072B2",  # blue
    "CHN": "#D55E00",  # vermillion
    "EUU": "#F0E442",  # yellow
    "RUS": "#000000",  # black
    "IND": "#009E73",  # bluish green
    "JPN": "#CC79A7",  # reddish purple
    "GBR": "#E69F00",  # orange
}
ROW_COLOR = "#999999"
NO_BLOC_COLOR = "#dddddd"
# Paul Tol's muted scheme, without its pale grey (kept for the rest of the world)
OTHER_COLORS = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
)
PALE = {"#F0E442"}  # colours too light to read as text on white: outlined in black


def state_color(state: str) -> str:
    """The colour of ``state`` in every figure."""
    state = str(state)
    if state in STATE_COLORS:
        return STATE_COLORS[state]
    if state == "ROW":
        return ROW_COLOR
    return OTHER_COLORS[zlib.crc32(state.encode()) % len(OTHER_COLORS)]


def text_style(color: str) -> dict[str, Any]:
    """Keyword arguments for text in ``color``, outlined when the colour is too pale to read."""
    if color not in PALE:
        return {"color": color}
    from matplotlib import patheffects

    return {"color": color, "path_effects": [patheffects.withStroke(linewidth=1.2, foreground="k")]}


def index_name(config: Any) -> str | None:
    """The power index of a run's configuration (``parameters.power.index``), if it has one."""
    power = getattr(getattr(config, "parameters", None), "power", None)
    index = getattr(power, "index", None)
    return None if index is None else str(index)


def scenario_index(source: Path) -> str | None:
    """The power index of the scenario file a results folder keeps; None without the file.

    Raises:
        ScenarioError: If the file is damaged (not YAML, or not a mapping).
    """
    import yaml

    from sim.scenario.parameters import Power

    if not source.is_file():
        return None
    try:
        scenario = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        power = (scenario.get("parameters") or {}).get("power") or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError) as err:
        from sim.folder_checks import damaged

        detail = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise damaged(source, f"damaged: not a readable scenario file ({detail})") from None
    return str(power.get("index", Power.model_fields["index"].default))


def run_title(what: str, name: str | None, runs: int, index: str | None) -> str:
    """A figure's title: what it shows, then scenario, run count and power index."""
    parts = [name or "", f"{runs} run{'s' if runs != 1 else ''}"]
    if index:
        parts.append(f"power index: {index}")
    return f"{what}\n" + ", ".join(p for p in parts if p)


def spread(wanted: np.ndarray, gap: float) -> np.ndarray:
    """Positions as near ``wanted`` as possible, at least ``gap`` apart, order kept.

    A one-dimensional label repulsion: labels are pushed apart symmetrically around
    each cluster's centre (the pool-adjacent-violators solution of least squares under
    the spacing constraints), so an end label moves only as far as its neighbours need.
    """
    wanted = np.asarray(wanted, dtype=float)
    order = np.argsort(wanted, kind="stable")
    shifted = wanted[order] - gap * np.arange(len(wanted))
    # isotonic (non-decreasing) fit of the shifted positions: pool adjacent violators
    blocks: list[list[float]] = []  # [mean, weight]
    for value in shifted:
        blocks.append([value, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            value2, weight2 = blocks.pop()
            value1, weight1 = blocks.pop()
            weight = weight1 + weight2
            blocks.append([(value1 * weight1 + value2 * weight2) / weight, weight])
    fitted = np.concatenate([np.full(int(w), v) for v, w in blocks])
    placed = np.empty_like(wanted)
    placed[order] = fitted + gap * np.arange(len(wanted))
    return placed


def end_labels(ax, ends: dict[str, tuple[float, float]], fontsize: float = 8) -> None:
    """Label each line at its end, pushed apart vertically so no two labels overlap.

    Call it after the figure is laid out: the spacing is worked out on the page.

    Args:
        ax: The axes, with its limits set and the figure laid out.
        ends: Each state's code and the point (x, y, in data units) its line ends at.
        fontsize: The labels' size in points.
    """
    if not ends:
        return
    names = list(ends)
    points = np.array([ax.transData.transform(ends[n]) for n in names])
    per_point = ax.figure.dpi / 72
    ys = spread(points[:, 1], fontsize * 1.3 * per_point)
    for name, y, placed in zip(names, points[:, 1], ys, strict=True):
        ax.annotate(
            name,
            ends[name],
            xytext=(4, (placed - y) / per_point),
            textcoords="offset points",
            fontsize=fontsize,
            va="center",
            ha="left",
            annotation_clip=False,
            **text_style(state_color(name)),
        )


def renderer(fig):
    """A renderer of ``fig``, to measure its text before it is saved (an Agg canvas if none)."""
    get = getattr(fig.canvas, "get_renderer", None)
    if get is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        get = FigureCanvasAgg(fig).get_renderer
    return get()
