"""The field types every schema block is built from, and the base class of the blocks.

Numbers refuse booleans and text, bounded types carry their bounds, and
``StateId`` carries a mark (``STATE_ID``) that lets the checks find every field
holding state ids without a hand-written list (``sim.scenario.schema_walk``).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError


def problem(message: str, *at: str | int) -> PydanticCustomError:
    """A schema check's error, located ``at`` a field or item below the checked value.

    The loader reports it at that place in the file (``at`` is relative to where
    pydantic raised it) and prints ``message`` as it is.
    """
    return PydanticCustomError("scenario", "{message}", {"message": message, "at": at})


def _number(value: Any) -> Any:
    """Refuse booleans and text where a number belongs.

    Pydantic would otherwise read ``true`` as 1 and ``'5'`` as 5, hiding a mistake
    such as ``runs: yes`` or a quoted number.
    """
    if isinstance(value, (bool, str)):
        raise problem(f"expected a number, got {value!r}")
    return value


class StateIdMark:
    """Marks the ``StateId`` type: a field whose type holds it names states.

    Pydantic ignores the mark; the checks look for it in the fields' types, so a
    new field typed ``StateId`` (alone, in a list, in a mapping's values) is
    checked against the scenario's acting states with no other change.
    """

    def __repr__(self) -> str:
        return "STATE_ID"


STATE_ID = StateIdMark()
STATE_ID_PATTERN = r"^[A-Z]{3}$"
PATH_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$"

Int = Annotated[int, BeforeValidator(_number)]
Float = Annotated[float, BeforeValidator(_number)]
Flag = Annotated[bool, Field(strict=True)]  # true or false, not 1 or 'yes'
StateId = Annotated[
    str,
    Field(pattern=STATE_ID_PATTERN, description="ISO 3166 alpha-3 code (EUU for the EU-27)"),
    STATE_ID,
]
MAX_GAS_BCM = 500.0  # bcm/year; the reasons are in the fields that use it
MAX_GAS_PRICE = 100.0  # US$/MMBtu

Share = Annotated[Float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
NonNegative = Annotated[Float, Field(ge=0.0, allow_inf_nan=False)]
Year = Annotated[Int, Field(ge=1990, le=2200)]
Finite = Annotated[Float, Field(allow_inf_nan=False)]
ParameterPath = Annotated[
    str,
    Field(
        pattern=PATH_PATTERN,
        description="dotted path of a scenario field, e.g. parameters.trade.diversion_share",
    ),
]


def distinct(states: list[str], what: str) -> list[str]:
    """Refuse a list naming the same state twice, at the repeated item."""
    for index, state in enumerate(states):
        if state in states[:index]:
            raise problem(f"{state} is listed twice: {what} names each state once", index)
    return states


def ordered(low: float, high: float, *at: str | int) -> None:
    """Refuse an interval whose low end is not below its high end, ``at`` that place."""
    if not low < high:
        raise problem(f"low must be below high, got low={low:g}, high={high:g}", *at)


class Strict(BaseModel):
    """Base for every schema block: unknown keys are errors, numbers must be finite."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)
