"""The explorer's knobs, read off a scenario: sliders, event switches and a seed.

A scenario already says which of its fields matter and how far they may go:
its ``uncertainties:`` (each distribution's support) and its ``sweep:`` (each
grid axis's or sampled parameter's range). Those fields become the sliders,
starting at the value the scenario itself gives; each named event becomes a
switch. Nothing here invents a range.

The knobs' settings become ``--set`` overrides (``overrides``), so a model in the
explorer is built from the same file, through the same validation, as ``sim
run`` builds it, and a mistake is reported at the same file, line and field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.errors import Problem, ScenarioError
from sim.mechanisms.economy import speeds
from sim.scenario.schema import ScenarioConfig, Uncertainty
from sim.scenario.uncertain import candidates
from sim.uncertainty import value_at

SEED = "seed"
EVENT = "events."
STEPS = 100  # a slider's positions from low to high
EXPLORER = "explorer"  # where a mistake in a knob is reported
PER_STATE_SPEED = "parameters.economy.convergence_by_state"


@dataclass(frozen=True)
class Slider:
    """A numeric scenario field the explorer lets users move.

    Attributes:
        path: The dotted field path (``parameters.arms.choice_odds``).
        value: Where it starts: the scenario's own value.
        low: The smallest value the scenario allows it (its uncertainty or sweep).
        high: The largest.
        whole: Whether the field holds whole numbers (then value, low and high are ints).
        origin: Where the range comes from: ``uncertainties`` or ``sweep``.
    """

    path: str
    value: float | int
    low: float | int
    high: float | int
    whole: bool
    origin: str

    @property
    def step(self) -> float:
        """The distance between neighbouring positions."""
        if self.whole:
            return max(1, round((self.high - self.low) / STEPS))
        return (self.high - self.low) / STEPS


def _numbers(values: list[Any]) -> list[float] | None:
    """The values as numbers, or None if any is not a number."""
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return [float(v) for v in values]
    return None


def _support(uncertainty: Uncertainty) -> tuple[float, float] | None:
    """The range a distribution draws from (its extreme values); None for words."""
    numbers = _numbers([value for _, value in candidates(uncertainty)])
    return (min(numbers), max(numbers)) if numbers else None


def _ranges(config: ScenarioConfig) -> dict[str, tuple[float, float, str]]:
    """Every numeric field the scenario declares uncertain or sweeps, with its range."""
    found: dict[str, tuple[float, float, str]] = {}
    for path, uncertainty in config.active_uncertainties().items():
        support = _support(uncertainty)
        if support is not None:
            found[path] = (*support, "uncertainties")
    sweep = config.sweep
    if sweep is not None:
        for path, axis in sweep.grid.items():
            numbers = _numbers(axis) if isinstance(axis, list) else [axis.low, axis.high]
            if numbers:
                found.setdefault(path, (min(numbers), max(numbers), "sweep"))
        for path, bounds in (sweep.sample.vary if sweep.sample else {}).items():
            found.setdefault(path, (bounds.low, bounds.high, "sweep"))
    return found


def current(config: ScenarioConfig, path: str) -> Any:
    """The value a run of the scenario uses for a field, or None if it cannot be told.

    A state's convergence speed the scenario leaves unset is the calibrated one,
    else the global speed (``economy.speeds``).
    """
    try:
        return value_at(config, path)
    except (KeyError, AttributeError, TypeError):
        pass
    block, _, state = path.rpartition(".")
    if block == PER_STATE_SPEED:
        return float(speeds(config.parameters.economy, (state,))[0])
    return None


def sliders(config: ScenarioConfig) -> list[Slider]:
    """A slider for each numeric field the scenario declares uncertain or sweeps.

    A slider starts at the value a run of the scenario uses (``current``), moved
    into the range if it lies outside; a field whose value cannot be told starts
    mid-range.
    """
    made = []
    for path, (low, high, origin) in _ranges(config).items():
        if not high > low:
            continue
        value = current(config, path)
        whole = isinstance(value, int) and not isinstance(value, bool)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            value = (low + high) / 2
        value = np.clip(value, low, high).item()
        if whole:
            value, low, high = round(value), math.ceil(low), math.floor(high)
        made.append(Slider(path, value, low, high, whole, origin))
    return made


def event_names(config: ScenarioConfig) -> list[str]:
    """The scenario's named events, in file order: each one a switch."""
    return list(config.active_events())


def parse_seed(text: Any) -> int:
    """A seed typed into the explorer: a whole number ≥ 0.

    Raises:
        ScenarioError: Located at the explorer's seed field.
    """
    try:
        seed = int(str(text).strip())
    except ValueError:
        seed = -1
    if seed < 0:
        raise ScenarioError(
            Problem(EXPLORER, 0, 0, SEED, f"expected a whole number ≥ 0, got {text!r}")
        )
    return seed


def overrides(settings: dict[str, Any]) -> list[str]:
    """The ``--set`` overrides that give a scenario the knobs' settings.

    Args:
        settings: ``events.NAME`` -> on/off, and a dotted field path -> its value.

    Returns:
        ``uncertainties=null`` (a model in the explorer is one run with the values
        shown), then ``events.NAME=null`` for every event switched off and
        ``PATH=VALUE`` for every slider.
    """
    made = ["uncertainties=null"]
    for key, value in settings.items():
        if key.startswith(EVENT):
            if not value:
                made.append(f"{key}=null")
        else:
            made.append(f"{key}={value.item() if isinstance(value, np.generic) else value!r}")
    return made
