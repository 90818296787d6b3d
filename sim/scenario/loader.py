"""Load scenario files: YAML with line numbers, ``extends:`` composition, ``--set`` overrides.

Every value remembers the file, line and column it came from
(``sim.scenario.located``), so that any mistake found later, by the schema
(``sim.scenario.validation``) or by checks against the world data
(``sim.scenario.checks``), is reported where the user can fix it. Files are read
by ``sim.scenario.yaml_reader`` and overrides applied by
``sim.scenario.overrides``; this module composes them and names them all.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.errors import Problem, ScenarioError, option_problem
from sim.scenario.checks import check_against_world
from sim.scenario.located import COMMAND_LINE, KEY, SET, Located, Origin, Path_
from sim.scenario.overrides import apply_overrides, parse_override
from sim.scenario.schema import LandscapeFile, ScenarioConfig
from sim.scenario.validation import error_message, validate
from sim.scenario.words import describe
from sim.scenario.yaml_reader import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, parse_yaml, read_yaml

__all__ = [
    "COMMAND_LINE",
    "KEY",
    "MAX_DEPTH",
    "MAX_EXTENDS_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "SET",
    "Located",
    "Origin",
    "Path_",
    "apply_overrides",
    "load_landscape",
    "load_located",
    "load_scenario",
    "parse_override",
    "parse_yaml",
    "read_yaml",
    "validate",
    "with_values",
]

MAX_EXTENDS_DEPTH = 16


# Blocks whose entries a file removes from the file it extends by setting them to null.
REMOVABLE = {("events",), ("pipelines",), ("uncertainties",)}


def _nothing_to_remove(top: Located, sub: Path_, inherited: dict[str, Any]) -> None:
    """Refuse ``NAME: null`` for a name the extended file does not have (a typo removes nothing)."""
    names = sorted(k for k, v in inherited.items() if v is not None)
    close = difflib.get_close_matches(str(sub[-1]), names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    shown = ", ".join(names) if names else "none"
    raise ScenarioError(
        top.problem(
            sub,
            f"null removes an inherited entry, but the extended file has no {sub[0]} entry "
            f"{sub[-1]!r}; {hint}({sub[0]} it has: {shown})",
        )
    )


def _merge(base: Located, top: Located) -> Located:
    """Deep-merge ``top`` over ``base``: mappings merge, anything else replaces.

    An uncertain parameter's distribution replaces the inherited one whole: ``{uniform:
    …}`` over an inherited ``{triangular: …}`` is a new distribution, not a mix of two.
    """
    origins = dict(base.origins)

    def merge(into: dict[str, Any], over: dict[str, Any], path: Path_) -> dict[str, Any]:
        out = dict(into)
        for key, value in over.items():
            sub = (*path, key)
            if value is None and path in REMOVABLE and key not in out:
                _nothing_to_remove(top, sub, out)
            whole = path == ("uncertainties",)
            if isinstance(value, dict) and isinstance(out.get(key), dict) and not whole:
                out[key] = merge(out[key], value, sub)
                origins[sub] = top.origins.get(sub, origins.get(sub))
            else:
                for old in [p for p in origins if p[: len(sub)] == sub]:
                    del origins[old]
                out[key] = value
                origins.update({p: o for p, o in top.origins.items() if p[: len(sub)] == sub})
        return out

    return Located(merge(base.data, top.data, ()), origins, top.file)


def _base_path(located: Located, path: Path, parent: Any) -> Path:
    """The file ``extends:`` names, relative to the file that names it."""
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(
            located.problem(("extends",), f"expected a file name, got {describe(parent)}")
        )
    try:
        base_path = (path.parent / parent).resolve()
        found = base_path.is_file()
        folder = not found and base_path.is_dir()
    except (OSError, RuntimeError, ValueError) as err:  # ValueError: a NUL in the name
        raise ScenarioError(
            located.problem(("extends",), f"cannot read the base file {parent!r}: {err}")
        ) from None
    if folder:
        raise ScenarioError(
            located.problem(("extends",), f"base {parent!r} is a directory, expected a YAML file")
        )
    if not found:
        raise ScenarioError(located.problem(("extends",), f"base file {parent!r} not found"))
    return base_path


def _resolve(path: Path, chain: tuple[Path, ...]) -> Located:
    located = read_yaml(path)
    if "extends" not in located.data:
        return located
    parent = located.data.pop("extends")
    here = path.resolve()
    base_path = _base_path(located, path, parent)
    if base_path in chain or base_path == here:
        cycle = " -> ".join(str(p) for p in (*chain, here, base_path))
        raise ScenarioError(located.problem(("extends",), f"extends cycle: {cycle}"))
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            located.problem(("extends",), f"more than {MAX_EXTENDS_DEPTH} files extend each other")
        )
    base = _resolve(base_path, (*chain, here))
    return _merge(base, located)


def load_located(source: str | Path | dict, overrides: list[str] | None = None) -> Located:
    """Read a scenario file (following ``extends``) or take a dict; apply overrides."""
    if not isinstance(source, (str, Path, dict)):
        raise ScenarioError(
            Problem(
                "<argument>",
                0,
                0,
                "scenario",
                "expected a scenario file's path, a dict or a loaded scenario, got "
                f"{type(source).__name__}",
            )
        )
    if isinstance(source, dict):
        located = Located(copy.deepcopy(source), {}, "<dict>")
        if "extends" in located.data:
            raise ScenarioError(located.problem(("extends",), "only scenario files can extend"))
    else:
        located = _resolve(Path(source), ())
    return apply_overrides(located, list(overrides or []))


def load_scenario(source: str | Path | dict, overrides: list[str] | None = None) -> ScenarioConfig:
    """Load, compose, override and validate a scenario; check it against the world data.

    Args:
        source: A path to a YAML file, or a dict with the same structure.
        overrides: ``path=value`` strings, applied after composition.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: For any mistake, with the file, line, column and field.
    """
    located = load_located(source, overrides)
    scenario = validate(located)
    check_against_world(scenario, located)
    return scenario


def load_landscape(source: str | Path | dict, overrides: list[str] | None = None):
    """Load and validate a landscape file (``sim landscape``)."""
    return validate(load_located(source, overrides), LandscapeFile)


def with_values[M: BaseModel](model: M, values: dict[str, Any], option: str = "--{}") -> M:
    """``model`` with fields given as typed values (``--runs 50``, ``runs=50``), each validated.

    The values are set with ``model_copy(update=...)`` and each is then validated
    against its field's declaration, so nothing already checked is dumped or
    checked again. A bad value is reported as the option that gave it.
    """
    if not values:
        return model
    updated = model.model_copy(update=values)
    for name, value in values.items():
        try:
            type(model).__pydantic_validator__.validate_assignment(updated, name, value)
        except ValidationError as err:
            error = err.errors()[0]
            at = (error.get("ctx") or {}).get("at") or (name,)
            named = at[0] if at[0] in values else name  # a check of the whole names its field
            problem = option_problem(option.format(named), error_message(error))
            raise ScenarioError(problem) from None
    return updated


def load(
    scenario: str | Path | dict | ScenarioConfig,
    overrides: list[str] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    years: int | None = None,
) -> ScenarioConfig:
    """Load a scenario, apply the ``--set`` overrides, then the run settings given as values.

    An already-loaded scenario without overrides is not loaded again: only the
    settings given are validated, and the references checked if they changed.
    """
    given = {
        key: value
        for key, value in (("runs", runs), ("seed", seed), ("years", years))
        if value is not None
    }
    if isinstance(scenario, ScenarioConfig) and not overrides:
        if not given:
            return scenario
        config, located = scenario, Located({}, {}, "<dict>")
    else:
        if isinstance(scenario, ScenarioConfig):  # text typed by the user goes into the tree
            scenario = scenario.model_dump(mode="json")
        located = load_located(scenario, overrides)
        config = validate(located)
    config = with_values(config, given)
    check_against_world(config, located)
    return config
