"""The distributions of a scenario's ``uncertainties:`` block."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, model_validator

from sim.scenario.fields import Finite, Float, Strict, ordered, problem

DISTRIBUTIONS = ("uniform", "triangular", "normal", "discrete")
Weight = Annotated[Float, Field(gt=0, allow_inf_nan=False)]


class Normal(Strict):
    """A normal distribution truncated to [low, high] (scipy.stats.truncnorm)."""

    mean: Finite
    sd: Finite = Field(description="standard deviation before truncation, > 0")
    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _check(self) -> Normal:
        if not self.sd > 0:
            raise problem(f"sd must be > 0, got {self.sd:g}", "sd")
        ordered(self.low, self.high, "high")
        return self


def _choices_kind(value: Any) -> str:
    return "weights" if isinstance(value, dict) else "values"


Choices = Annotated[
    Annotated[list[Any], Field(min_length=1), Tag("values")]
    | Annotated[dict[str | int | float, Weight], Field(min_length=1), Tag("weights")],
    Discriminator(_choices_kind),
]


def _choice(text: str | int | float) -> int | float | str:
    """A weighted choice's key (YAML keys are text) as the number it spells, if it spells one."""
    if not isinstance(text, str):
        return text
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


class Uncertainty(Strict):
    """The distribution one uncertain scenario field is drawn from: exactly one of these."""

    uniform: Annotated[list[Finite], Field(min_length=2, max_length=2)] | None = Field(
        None, description="[low, high]: every value in between equally likely"
    )
    triangular: Annotated[list[Finite], Field(min_length=3, max_length=3)] | None = Field(
        None, description="[low, mode, high]: a triangle peaking at mode"
    )
    normal: Normal | None = Field(
        None, description="{mean, sd, low, high}: a normal truncated to [low, high]"
    )
    discrete: Choices | None = Field(
        None, description="[a, b, ...] equally likely, or {a: weight, b: weight, ...}"
    )

    @model_validator(mode="after")
    def _check(self) -> Uncertainty:
        given = [name for name in DISTRIBUTIONS if getattr(self, name) is not None]
        if len(given) != 1:
            found = " and ".join(given) if given else "none"
            raise problem(f"expected one of {', '.join(DISTRIBUTIONS)}, got {found}")
        if self.uniform is not None:
            ordered(*self.uniform, "uniform")
        if self.triangular is not None:
            low, mode, high = self.triangular
            ordered(low, high, "triangular")
            if not low <= mode <= high:
                raise problem(
                    f"mode must lie within [low, high], got {mode:g} outside [{low:g}, {high:g}]",
                    "triangular",
                    1,
                )
        for index, value in enumerate(self.discrete if isinstance(self.discrete, list) else ()):
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                raise problem(f"expected a number or a word, got {value!r}", "discrete", index)
        return self

    @property
    def kind(self) -> str:
        """The distribution's name: uniform, triangular, normal or discrete."""
        return next(name for name in DISTRIBUTIONS if getattr(self, name) is not None)

    def choices(self) -> tuple[list[Any], list[float]]:
        """A discrete distribution's values and their probabilities (weights normalised)."""
        if isinstance(self.discrete, dict):
            total = sum(self.discrete.values())
            return [_choice(k) for k in self.discrete], [w / total for w in self.discrete.values()]
        values = list(self.discrete or ())
        return values, [1 / len(values)] * len(values)
