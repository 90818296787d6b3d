"""Read scenario files: YAML with line numbers, ``extends:`` composition, ``--set`` overrides.

Every value remembers the file, line and column it came from, so that any
mistake found later, by the schema or by checks against the world data, is
reported where the user can fix it.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import Problem, ScenarioError
from sim.scenario.schema import Scenario

Path_ = tuple[str, ...]
SAFE_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null")
}
Origin = tuple[str, int, int]  # file, line, column

KEY = "<key>"  # origins[(*path, KEY)] is where the key of ``path`` is written
MAX_FILE_BYTES = 1_000_000
MAX_EXTENDS_DEPTH = 16
MAX_NODES = 100_000  # refuses alias bombs ("billion laughs") long before memory suffers
MAX_DEPTH = 50


class Located:
    """A plain scenario tree plus the origin of each of its paths."""

    def __init__(self, data: dict[str, Any], origins: dict[Path_, Origin], file: str):
        self.data = data
        self.origins = origins
        self.file = file

    def origin(self, path: Path_) -> Origin:
        """The origin of ``path``, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.origins:
                return self.origins[path[:cut]]
        return (self.file, 0, 0)

    def problem(self, path: Path_, message: str) -> Problem:
        """A problem located at ``path`` (at its key when ``path`` ends with ``KEY``)."""
        file, line, column = self.origin(path)
        shown = path[:-1] if path and path[-1] == KEY else path
        return Problem(file, line, column, ".".join(shown), message)


# ------------------------------------------------------------------ YAML reading


def _read_text(path: Path) -> str:
    where = str(path)
    if not path.exists():
        raise ScenarioError(Problem(where, 0, 0, "", "no such file"))
    if path.is_dir():
        raise ScenarioError(Problem(where, 0, 0, "", "is a directory, expected a YAML file"))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            Problem(where, 0, 0, "", f"file is larger than {MAX_FILE_BYTES:,} bytes")
        )
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise ScenarioError(Problem(where, 0, 0, "", "is a binary file, expected YAML text"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return _raise(Problem(where, line, 0, "", "is not UTF-8 text"))


def _raise(problem: Problem):
    raise ScenarioError(problem)


def _to_python(node: yaml.Node, file: str, path: Path_, origins: dict[Path_, Origin]) -> Any:
    """Convert a composed YAML node tree to Python, recording each path's origin."""
    where = (file, node.start_mark.line + 1, node.start_mark.column + 1)
    if len(origins) >= MAX_NODES:
        _raise(Problem(*where, ".".join(path), f"more than {MAX_NODES:,} values (alias bomb?)"))
    if len(path) > MAX_DEPTH:
        _raise(Problem(*where, ".".join(path), f"nested more than {MAX_DEPTH} levels deep"))
    origins[path] = where
    if node.tag not in SAFE_TAGS:
        _raise(
            Problem(
                *where,
                ".".join(path),
                f"unsupported YAML tag {node.tag!r}: scenario files hold data only",
            )
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, file)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                _raise(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        ".".join(path),
                        f"keys must be plain names, got {key!r}",
                    )
                )
            key = str(key)
            if key in out:
                _raise(
                    Problem(
                        file,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        ".".join((*path, key)),
                        "key appears twice in the same mapping",
                    )
                )
            out[key] = _to_python(value_node, file, (*path, key), origins)
            origins[(*path, key, KEY)] = (
                file,
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, file, (*path, str(index)), origins)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node, file)


def _scalar(node: yaml.Node, file: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        _raise(
            Problem(
                file,
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "",
                "expected a plain value here",
            )
        )
    try:
        return yaml.SafeLoader(  # resolve the scalar exactly as safe_load would
            ""
        ).construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark or node.start_mark
        return _raise(
            Problem(
                file,
                mark.line + 1,
                mark.column + 1,
                "",
                f"unsupported YAML tag {node.tag!r}: scenario files hold data only",
            )
        )


def read_yaml(path: Path) -> Located:
    """Parse one YAML file into a mapping with origins; no ``extends`` handling."""
    file = str(path)
    text = _read_text(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        raise ScenarioError(
            Problem(file, line, column, "", f"YAML syntax error: {err.problem or err}")
        ) from None
    except yaml.YAMLError as err:
        raise ScenarioError(Problem(file, 0, 0, "", f"YAML error: {err}")) from None
    if node is None:
        raise ScenarioError(Problem(file, 1, 1, "", "the file is empty, expected a scenario"))
    origins: dict[Path_, Origin] = {}
    data = _to_python(node, file, (), origins)
    if not isinstance(data, dict):
        raise ScenarioError(
            Problem(file, 1, 1, "", f"expected a mapping of fields, got {type(data).__name__}")
        )
    return Located(data, origins, file)


# ------------------------------------------------------------------ composition


def _merge(base: Located, top: Located) -> Located:
    """Deep-merge ``top`` over ``base``: mappings merge, anything else replaces."""
    origins = dict(base.origins)

    def merge(into: dict[str, Any], over: dict[str, Any], path: Path_) -> dict[str, Any]:
        out = dict(into)
        for key, value in over.items():
            sub = (*path, key)
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value, sub)
                origins[sub] = top.origins.get(sub, origins.get(sub))
            else:
                for old in [p for p in origins if p[: len(sub)] == sub]:
                    del origins[old]
                out[key] = value
                origins.update({p: o for p, o in top.origins.items() if p[: len(sub)] == sub})
        return out

    return Located(merge(base.data, top.data, ()), origins, top.file)


def _resolve(path: Path, chain: tuple[Path, ...]) -> Located:
    located = read_yaml(path)
    parent = located.data.pop("extends", None)
    if parent is None:
        return located
    if not isinstance(parent, str) or not parent:
        raise ScenarioError(located.problem(("extends",), "expected a file name"))
    base_path = (path.parent / parent).resolve()
    if base_path in chain or base_path == path.resolve():
        cycle = " -> ".join(str(p) for p in (*chain, path.resolve(), base_path))
        raise ScenarioError(located.problem(("extends",), f"extends cycle: {cycle}"))
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(located.problem(("extends",), "extends chain is too deep"))
    if not base_path.is_file():
        raise ScenarioError(located.problem(("extends",), f"base file {parent!r} not found"))
    base = _resolve(base_path, (*chain, path.resolve()))
    return _merge(base, located)


def parse_override(text: str) -> tuple[Path_, Any]:
    """Parse one ``--set path=value`` override; the value is read as YAML."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise ScenarioError(
            Problem("--set", 0, 0, key, f"expected PATH=VALUE such as runs=50, got {text!r}")
        )
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError:
        raise ScenarioError(
            Problem("--set", 0, 0, key, f"could not read the value {raw!r} as YAML")
        ) from None
    return tuple(key.split(".")), value


def apply_overrides(located: Located, overrides: list[str]) -> Located:
    """Apply ``--set`` overrides in order, recording ``--set`` as their origin."""
    for text in overrides:
        path, value = parse_override(text)
        node: Any = located.data
        for depth, part in enumerate(path[:-1]):
            child = node.get(part) if isinstance(node, dict) else None
            if child is None:
                child = {}
                node[part] = child
            if not isinstance(child, dict):
                raise ScenarioError(
                    Problem(
                        "--set",
                        0,
                        0,
                        ".".join(path[: depth + 1]),
                        "is not a mapping, cannot set a field inside it",
                    )
                )
            node = child
        node[path[-1]] = value
        located.origins[path] = ("--set", 0, 0)
    return located


# ------------------------------------------------------------------- validation


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the schema block at ``loc`` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                continue
            current = field.annotation
        else:
            args = getattr(current, "__args__", ())
            models = [a for a in _flatten(args) if isinstance(a, type) and issubclass(a, BaseModel)]
            match = [m for m in models if _tag(m) == part]
            current = match[0] if match else (models[0] if len(models) == 1 else current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _flatten(args: tuple) -> list:
    out = []
    for arg in args:
        inner = getattr(arg, "__args__", None)
        out.extend(_flatten(inner) if inner else [arg])
        meta = getattr(arg, "__origin__", None)
        if meta is not None and not inner:
            out.append(meta)
    return out


def _tag(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("kind")
    args = getattr(field.annotation, "__args__", ()) if field else ()
    return args[0] if args else None


def _data_path(data: Any, loc: tuple) -> Path_:
    """The path in the user's data for a pydantic error location (drops union tags)."""
    path: list[str] = []
    node = data
    for part in loc:
        key = str(part)
        if isinstance(node, dict) and key in node:
            node = node[key]
            path.append(key)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            path.append(key)
        elif isinstance(node, dict) and key == loc[-1]:
            path.append(key)
    return tuple(path)


def validate(located: Located, schema: type[BaseModel] = Scenario):
    """Validate a composed tree against the schema, reporting every problem with its place."""
    try:
        return schema.model_validate(located.data)
    except ValidationError as err:
        problems = []
        for error in err.errors():
            loc = error["loc"]
            path = _data_path(located.data, loc)
            kind = error["type"]
            if kind == "extra_forbidden":
                path = (*path, KEY)
                known = _fields_at(schema, loc[:-1])
                hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
                message = "unknown field"
                message += f"; did you mean {hint[0]!r}?" if hint else ""
                if known:
                    message += f" (expected one of: {', '.join(known)})"
            elif kind == "missing":
                message = "required field is missing"
            elif kind == "union_tag_invalid":
                message = (
                    f"unknown event kind {error['input'].get('kind')!r} "
                    f"(expected one of: {error['ctx']['expected_tags']})"
                )
                path = (*path, "kind")
            elif kind == "union_tag_not_found":
                message = "an event needs a 'kind' field"
            else:
                message = f"{error['msg'][0].lower()}{error['msg'][1:]}"
                message = message.replace("Value error, ", "").replace("value error, ", "")
                message += f", got {_describe(error['input'])}"
            problems.append(located.problem(path, message))
        raise ScenarioError(problems) from None


def load_located(source: str | Path | dict, overrides: list[str] | None = None) -> Located:
    """Read a scenario file (following ``extends``) or take a dict; apply overrides."""
    if isinstance(source, dict):
        import copy

        located = Located(copy.deepcopy(source), {}, "<dict>")
        if "extends" in located.data:
            raise ScenarioError(located.problem(("extends",), "only scenario files can extend"))
    else:
        path = Path(source)
        located = _resolve(path, ())
    return apply_overrides(located, list(overrides or []))


def load_scenario(source: str | Path | dict, overrides: list[str] | None = None) -> Scenario:
    """Load, compose, override and validate a scenario; check it against the world data.

    Args:
        source: A path to a YAML file, or a dict with the same structure.
        overrides: ``path=value`` strings, applied after composition.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: For any mistake, with the file, line, column and field.
    """
    from sim.scenario.checks import check_against_world

    located = load_located(source, overrides)
    scenario = validate(located)
    check_against_world(scenario, located)
    return scenario


def load_landscape(source: str | Path | dict, overrides: list[str] | None = None):
    """Load and validate a landscape file (``sim landscape``)."""
    from sim.scenario.schema import LandscapeFile

    return validate(load_located(source, overrides), LandscapeFile)
