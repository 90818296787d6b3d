"""``--set path=value`` overrides: read each one and write it into a located tree.

An override's value is YAML and obeys the rules of scenario files; its origin is
recorded as the command line, so a mistake in it is reported as the option.
"""

from __future__ import annotations

from typing import Any

from sim.errors import Problem, ScenarioError
from sim.scenario.located import COMMAND_LINE, SET, Located, Path_
from sim.scenario.paths import NotAMapping, set_path
from sim.scenario.words import kind_of
from sim.scenario.yaml_reader import parse_yaml


def parse_override(text: str) -> tuple[Path_, Any]:
    """Parse one ``--set path=value`` override; the value is read as YAML.

    The value obeys the rules of scenario files: plain YAML types only, bounded size.
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part.strip() for part in key.split(".")):
        raise ScenarioError(
            Problem(COMMAND_LINE, 0, 0, SET, f"expected PATH=VALUE such as runs=50, got {text!r}")
        )
    where = f"{SET} {key}"
    try:
        value, _ = parse_yaml(raw, COMMAND_LINE)
    except ScenarioError as err:
        reason = err.problems[0].message
        raise ScenarioError(
            Problem(COMMAND_LINE, 0, 0, where, f"cannot read the value {raw!r}: {reason}")
        ) from None
    return tuple(part.strip() for part in key.split(".")), value


def _fix_uncertain(located: Located, path: Path_) -> Path_:
    """Read ``uncertainties.a.b.c`` as the one key ``a.b.c``; a plain path fixes its field.

    Uncertain fields are keyed by their whole dotted path, so after ``uncertainties``
    the rest of an override's path is one key. Setting a field (or a block holding
    one) with ``--set`` fixes it: its uncertainty is removed.
    """
    if path[0] == "uncertainties" and len(path) > 1:
        return ("uncertainties", ".".join(path[1:]))
    block = located.data.get("uncertainties")
    if isinstance(block, dict):
        dotted = ".".join(path)
        for key in [k for k in block if k == dotted or k.startswith(dotted + ".")]:
            del block[key]
            for old in [p for p in located.origins if p[:2] == ("uncertainties", key)]:
                del located.origins[old]
    return path


def apply_overrides(located: Located, overrides: list[str]) -> Located:
    """Apply ``--set`` overrides in order, recording ``--set`` as their origin."""
    for text in overrides:
        path, value = parse_override(text)
        path = _fix_uncertain(located, path)
        try:
            created = set_path(located.data, path, value)
        except NotAMapping as err:
            raise ScenarioError(
                Problem(
                    COMMAND_LINE,
                    0,
                    0,
                    f"{SET} {'.'.join(path)}",
                    f"{'.'.join(err.at)} is {kind_of(err.value)}, "
                    "not a mapping: a path cannot go inside it",
                )
            ) from None
        for old in [p for p in located.origins if p[: len(path)] == path]:
            del located.origins[old]
        located.origins.update({mapping: (SET, 0, 0) for mapping in created})
        located.origins[path] = (SET, 0, 0)
    return located
