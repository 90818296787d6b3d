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


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end >= 0 else None]


def _uncertainties_examples():
    experiments = (ROOT / "docs" / "experiments.md").read_text()
    readme = (ROOT / "README.md").read_text()
    for name, text in (
        ("experiments", _section(experiments, "## Uncertainties")),
        ("readme", _section(readme, "### Uncertain parameters")),
    ):
        yield pytest.param(text, id=name)


@pytest.mark.parametrize("text", list(_uncertainties_examples()))
def test_the_uncertainties_docs_name_every_distribution_and_their_example_loads(text):
    import yaml

    from sim.experiments.runner import load
    from sim.scenario.schema import DISTRIBUTIONS

    for kind in DISTRIBUTIONS:
        assert f"{kind}" in text, kind
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = {"name": "docs", "world": {"states": ["USA", "CHN", "RUS"]}}
    config = load({**scenario, **yaml.safe_load(example)})
    assert config.active_uncertainties()


def test_the_odd_description_names_every_mechanism_and_only_code_that_exists():
    """docs/odd.md points into the code: each submodel's module, and nothing that is gone."""
    import re

    from sim import year

    odd = (ROOT / "docs" / "odd.md").read_text()
    for mechanism in (*year.STARTS, year.exercises):
        module = mechanism.__name__.replace(".", "/") + ".py"
        assert f"`{module}`" in odd, module
    for path in re.findall(r"`(sim/[\w/]+\.py)`", odd):
        assert (ROOT / path).is_file(), path
    for section in (
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialisation",
        "Input data",
        "Submodels",
    ):
        assert section in odd, section
