"""docs/model.md names every parameter the schema has (the two cannot drift apart)."""

import pytest
from pydantic import BaseModel

from sim.scenario.schema import Parameters
from tests.conftest import ROOT

MODEL_DOC = (ROOT / "docs" / "model.md").read_text()


def _fields(model: type[BaseModel], prefix: str = ""):
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _fields(annotation, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


@pytest.mark.parametrize("path", list(_fields(Parameters)))
def test_every_parameter_is_documented(path):
    leaf = path.split(".")[-1]
    assert f"`{path}`" in MODEL_DOC or f"`{leaf}`" in MODEL_DOC, path
