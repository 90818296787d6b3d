"""The file ``sim landscape`` reads: actors' sizes and their pairwise propensities."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from sim.scenario.fields import Float, Int, Strict, problem


class Landscape(Strict):
    """Axelrod-Bennett landscape: actor sizes and symmetric pairwise propensities."""

    sizes: dict[str, Annotated[Float, Field(gt=0, le=1e6, allow_inf_nan=False)]] = Field(
        min_length=2,
        max_length=24,
        description="actor -> size (e.g. power), > 0 and at most 1e6: a sanity bound that keeps "
        "every energy term finite",
    )
    propensities: list[
        tuple[str, str, Annotated[Float, Field(ge=-1000, le=1000, allow_inf_nan=False)]]
    ] = Field(
        default_factory=list,
        description="[a, b, p] triples, symmetric; pairs not listed are 0; each p within "
        "±1,000: a sanity bound that keeps every energy term finite",
    )
    starts: Int = Field(1000, ge=1, le=1_000_000, description="random starts for basin sizes")
    seed: Int = Field(0, ge=0)

    @model_validator(mode="after")
    def _check(self) -> Landscape:
        seen: dict[frozenset, tuple[int, float]] = {}
        for index, (a, b, value) in enumerate(self.propensities):
            for side, actor in enumerate((a, b)):
                if actor not in self.sizes:
                    known = ", ".join(self.sizes)
                    raise problem(
                        f"{actor!r} has no size (sizes: {known})", "propensities", index, side
                    )
            if a == b:
                raise problem(
                    f"a propensity pairs two different actors, got {a} with itself",
                    "propensities",
                    index,
                )
            pair = frozenset((a, b))
            if pair in seen and seen[pair][1] != value:
                first, other = seen[pair]
                raise problem(
                    f"propensities are symmetric: {a}-{b} is {value:g} here but {other:g} in "
                    f"item {first}",
                    "propensities",
                    index,
                    2,
                )
            seen.setdefault(pair, (index, value))
        return self


class LandscapeFile(Strict):
    """A file for ``sim landscape``: a name, a description and a landscape block."""

    name: str
    description: str = ""
    landscape: Landscape
