"""The design a scenario's ``sweep:`` block declares: a grid, a sample, or both."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from sim.scenario.fields import Finite, Int, ParameterPath, Strict, ordered, problem


class Bounds(Strict):
    """A closed interval a sampled parameter is drawn from."""

    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _check(self) -> Bounds:
        ordered(self.low, self.high)
        return self


class Steps(Bounds):
    """Evenly spaced values from low to high inclusive (numpy.linspace)."""

    n: Int = Field(ge=2, le=10_000, description="number of values, ends included")


MAX_POINTS = 1_000_000  # a design's points, laid out in memory before anything runs


class Sample(Strict):
    """A sampled design: Latin hypercube, Sobol (Saltelli) or Morris trajectories (SALib)."""

    method: Literal["lhs", "sobol", "morris"]
    n: Int = Field(
        ge=1,
        le=1_000_000,
        description="lhs: points; sobol: base samples (a power of 2), N*(D+2) points; "
        "morris: trajectories, N*(D+1) points",
    )
    vary: dict[ParameterPath, Bounds] = Field(min_length=1)
    levels: Int = Field(4, ge=2, le=100, description="morris: grid levels per parameter")

    @property
    def points(self) -> int:
        """The number of design points the sample has."""
        if self.method == "sobol":
            return self.n * (len(self.vary) + 2)
        if self.method == "morris":
            return self.n * (len(self.vary) + 1)
        return self.n

    @model_validator(mode="after")
    def _check(self) -> Sample:
        if self.method == "sobol" and self.n & (self.n - 1):
            power = 1 << max(self.n - 1, 1).bit_length()
            raise problem(f"sobol needs n a power of 2 (got {self.n}; try {power})", "n")
        if self.method == "morris" and self.levels % 2:
            raise problem(f"morris needs an even number of levels, got {self.levels}", "levels")
        return self


def _axis_kind(value: Any) -> str:
    """Read a mapping as {low, high, n}, anything else as a list of values (one error, not two)."""
    return "steps" if isinstance(value, (dict, Steps)) else "values"


GridAxis = Annotated[
    Annotated[list[Any], Field(min_length=1), Tag("values")] | Annotated[Steps, Tag("steps")],
    Discriminator(_axis_kind),
]


class Sweep(Strict):
    """A parameter sweep: a full factorial grid, a sampled design, or the grid x the sample."""

    runs: Int | None = Field(
        None, ge=1, le=1_000_000, description="replicates per design point (default: runs)"
    )
    grid: dict[ParameterPath, GridAxis] = Field(
        default_factory=dict, description="path -> list of values, or {low, high, n}"
    )
    sample: Sample | None = None

    def _sizes(self) -> list[int]:
        sizes = [len(a) if isinstance(a, list) else a.n for a in self.grid.values()]
        return sizes + ([self.sample.points] if self.sample else [])

    @property
    def points(self) -> int:
        """The number of design points: the grid's combinations times the sample's points."""
        return math.prod(self._sizes())

    @model_validator(mode="after")
    def _check(self) -> Sweep:
        if not self.grid and self.sample is None:
            raise problem("a sweep needs a grid or a sample (or both)")
        varied = [*(("grid", p) for p in self.grid)]
        varied += [("sample", "vary", p) for p in (self.sample.vary if self.sample else ())]
        for *block, path in varied:
            if path.split(".")[0] in ("name", "runs", "seed", "sweep", "extends"):
                raise problem(
                    f"{path} cannot be swept: it sets how the sweep itself runs", *block, path
                )
        points = self.points
        if points > MAX_POINTS:
            shown = " x ".join(f"{n:,}" for n in self._sizes())
            raise problem(
                f"the design has {points:,} points ({shown}), more than the {MAX_POINTS:,} a "
                "sweep lays out; use fewer values, or sample the space (lhs) instead of a grid"
            )
        both = set(self.grid) & set(self.sample.vary if self.sample else ())
        if both:
            path = sorted(both)[0]
            raise problem(f"{path} is both on the grid and sampled", "sample", "vary", path)
        return self
