"""The options declared once: the command line, the library and the experiments layer share them."""

from __future__ import annotations

import argparse
from dataclasses import fields

import pytest

import sim
from sim.cli.main import parser
from sim.cli.options import add_options, from_args
from sim.experiments.settings import SWEEP_EXECUTION, Design, Execution, Output, Settings
from tests.conftest import SCENARIOS


def _options(command: str) -> set[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {s for action in sub.choices[command]._actions for s in action.option_strings}


@pytest.mark.parametrize(
    ("command", "declared"),
    [
        ("run", (Settings, Execution, Output)),
        ("compare", (Settings, Execution, Output)),
        ("sweep", (Settings, Execution, Output, Design)),
        ("sensitivity", (Settings, Execution, Output)),
    ],
)
def test_the_commands_take_their_options_from_the_declarations(command, declared):
    flags = _options(command)
    for kind in declared:
        for spec in fields(kind):
            if not spec.metadata.get("command_line", True):
                continue
            if command in ("run", "compare") and kind is not Settings:
                if spec.name in ("backend", "address", "resume", "tables"):
                    continue
            assert spec.metadata.get("flag", f"--{spec.name}") in flags, (command, spec.name)


def test_the_parsed_arguments_build_the_objects_with_the_command_defaults():
    p = argparse.ArgumentParser()
    add_options(p, Execution, defaults=SWEEP_EXECUTION)
    add_options(p, Output)
    args = p.parse_args(["--quiet", "--no-plots", "--tables", "system,outcomes", "--resume"])
    assert from_args(Execution, args) == Execution(jobs=0, progress=False, resume=True)
    assert from_args(Output, args, argv=["sim"]) == Output(
        plots=False, tables=("system", "outcomes"), argv=["sim"]
    )
    assert from_args(Execution, p.parse_args([])).progress  # the command line shows progress


def test_the_library_takes_the_objects_or_the_keywords_that_build_them():
    kwargs = sim.run(SCENARIOS / "sanctions.yaml", runs=2, years=2, jobs=1)
    objects = sim.run(SCENARIOS / "sanctions.yaml", runs=2, years=2, execution=Execution(jobs=1))
    assert kwargs.system.equals(objects.system)
    with pytest.raises(TypeError, match="unexpected keyword argument 'job'"):
        sim.run(SCENARIOS / "sanctions.yaml", job=2)
