"""Read scenario files: YAML with line numbers, ``extends:`` composition, ``--set`` overrides.

Every value remembers the file, line and column it came from, so that any
mistake found later, by the schema or by checks against the world data, is
reported where the user can fix it.

Scenario files are data, never code: only YAML's plain types are read (no
``!!python`` or custom tags), and size, nesting and alias expansion are bounded
before anything is built, so a hostile file is refused quickly and cheaply.
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from sim.errors import Problem, ScenarioError
from sim.scenario.schema import PATH_PATTERN, STATE_ID_PATTERN, Scenario

Path_ = tuple[str, ...]
YAML_TAG = "tag:yaml.org,2002:"
SAFE_TAGS = {YAML_TAG + name for name in ("map", "seq", "str", "int", "float", "bool", "null")}
AS_TEXT_TAGS = {YAML_TAG + "timestamp", YAML_TAG + "value"}  # dates and '=' are read as text
MERGE_TAG = YAML_TAG + "merge"
Origin = tuple[str, int, int]  # file, line, column

KEY = "<key>"  # origins[(*path, KEY)] is where the key of ``path`` is written
COMMAND_LINE = "command line"
SET = "--set"  # the origin of values given with --set
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
        """A problem located at ``path`` (at its key when ``path`` ends with ``KEY``).

        A value that came from ``--set`` is reported as an option of the command line.
        """
        file, line, column = self.origin(path)
        shown = ".".join(path[:-1] if path and path[-1] == KEY else path)
        if file == SET:
            return Problem(COMMAND_LINE, 0, 0, f"{SET} {shown}", message)
        return Problem(file, line, column, shown, message)


# ------------------------------------------------------------------ YAML reading


def _fail(where: str, line: int, column: int, path: str, message: str):
    raise ScenarioError(Problem(where, line, column, path, message))


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``offset`` in ``raw``."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1


def _read_bytes(path: Path) -> bytes:
    """At most MAX_FILE_BYTES of ``path``; any OS failure becomes a located problem."""
    where = str(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        _fail(where, 0, 0, "", "no such file")
    except IsADirectoryError:
        _fail(where, 0, 0, "", "is a directory, expected a YAML file")
    except PermissionError:
        _fail(where, 0, 0, "", "cannot be read: permission denied")
    except OSError as err:
        _fail(where, 0, 0, "", f"cannot be read: {err.strerror or err}")
    if len(raw) > MAX_FILE_BYTES:
        _fail(where, 0, 0, "", f"is larger than {MAX_FILE_BYTES:,} bytes, too large for a scenario")
    return raw


def _read_text(path: Path) -> str:
    where = str(path)
    raw = _read_bytes(path)
    if b"\x00" in raw:
        line, column = _position(raw, raw.index(b"\x00"))
        _fail(where, line, column, "", "is a binary file (a NUL byte here), expected YAML text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _position(raw, err.start)
        byte = raw[err.start]
        return _fail(
            where, line, column, "", f"is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8"
        )


class _Composer(yaml.SafeLoader):
    """PyYAML's safe composer with a nesting limit (its recursion would overflow first)."""

    def __init__(self, text: str, file: str):
        super().__init__(text)
        self.file = file
        self.depth = 0

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML's hook
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                _fail(self.file, mark.line + 1, mark.column + 1, "", _too_deep())
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels deep, too deep for a scenario"


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Refuse alias bombs, self-referencing anchors and deep nesting before expanding aliases.

    Aliases share nodes, so a few lines can stand for billions of values; sizes are
    counted once per node (memoised), which takes time proportional to the file.
    """
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, height)
    active: set[int] = set()

    def measure(node: yaml.Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in measured:
            size, height = measured[key]
        else:
            if key in active:
                _fail(file, *_mark(node), "", "an anchor contains an alias to itself")
            if depth > MAX_DEPTH:
                _fail(file, *_mark(node), "", _too_deep())
            active.add(key)
            children: list[yaml.Node] = []
            if isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            elif isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            size, height = 1, 0
            for child in children:
                child_size, child_height = measure(child, depth + 1)
                size += child_size
                height = max(height, child_height + 1)
                if size > MAX_NODES:
                    how = (
                        "holds"
                        if len(measured) >= MAX_NODES
                        else "expands through aliases (an alias bomb?) to"
                    )
                    _fail(
                        file,
                        *_mark(node),
                        "",
                        f"{how} more than {MAX_NODES:,} values; scenario files are limited in size",
                    )
            active.discard(key)
            measured[key] = (size, height)
        if depth + height > MAX_DEPTH:
            _fail(file, *_mark(node), "", _too_deep())
        return size, height

    measure(root, 0)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag


def _key(node: yaml.Node, file: str, path: Path_) -> str:
    """A mapping key as written: keys are names, so ``NO`` stays 'NO' and ``1`` stays '1'."""
    line, column = _mark(node)
    if node.tag == MERGE_TAG:
        _fail(
            file,
            line,
            column,
            ".".join(path),
            "YAML merge keys (<<) are not supported: write the fields out, "
            "or build on another file with extends:",
        )
    if not isinstance(node, yaml.ScalarNode):
        kind = "mapping" if isinstance(node, yaml.MappingNode) else "list"
        _fail(file, line, column, ".".join(path), f"keys must be plain names, got a {kind}")
    if node.tag not in SAFE_TAGS | AS_TEXT_TAGS:
        _refuse_tag(node, file, path)
    if not node.value.isprintable():
        _fail(
            file,
            line,
            column,
            ".".join(path),
            f"keys must be plain names on one line, got {node.value!r}",
        )
    return node.value


def _refuse_tag(node: yaml.Node, file: str, path: Path_):
    _fail(
        file,
        *_mark(node),
        ".".join(path),
        f"unsupported YAML tag {_tag_name(node.tag)!r}: scenario files hold data only",
    )


class _Reader:
    """Converts a checked node tree to plain Python, recording each path's origin."""

    def __init__(self, file: str):
        self.file = file
        self.origins: dict[Path_, Origin] = {}
        self.constructor = yaml.SafeLoader("")  # resolves scalars exactly as safe_load would

    def value(self, node: yaml.Node, path: Path_) -> Any:
        self.origins[path] = (self.file, *_mark(node))
        if node.tag not in SAFE_TAGS | AS_TEXT_TAGS:
            _refuse_tag(node, self.file, path)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, (*path, str(i))) for i, item in enumerate(node.value)]
        if node.tag in AS_TEXT_TAGS:
            return node.value
        try:
            return self.constructor.construct_object(node, deep=True)
        except ValueError:  # Python refuses to convert integers of over 4300 digits
            return _fail(
                self.file,
                *_mark(node),
                ".".join(path),
                f"cannot read {node.value[:20] + '...'!r}: a number of "
                f"{len(node.value):,} characters is too long",
            )

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _key(key_node, self.file, path)
            if key in out:
                _fail(
                    self.file,
                    *_mark(key_node),
                    ".".join((*path, key)),
                    "key appears twice in the same mapping",
                )
            out[key] = self.value(value_node, (*path, key))
            self.origins[(*path, key, KEY)] = (self.file, *_mark(key_node))
        return out


def _syntax_problem(err: yaml.MarkedYAMLError, file: str) -> Problem:
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = f"YAML syntax error: {err.problem or err}"
    if err.problem and "'\\t'" in err.problem:
        message += " (indent with spaces: YAML does not allow tabs for indentation)"
    context = err.context_mark
    if err.context and context and context is not mark:
        message += f" ({err.context} at {context.line + 1}:{context.column + 1})"
    return Problem(file, line, column, "", message)


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Path_, Origin]]:
    """Parse YAML text into plain Python values and the origin of each path.

    Returns ``(None, {})`` for text with no document (empty, or only comments).
    """
    try:
        composer = _Composer(text, file)  # reading starts here: it refuses control characters
        try:
            node = composer.get_single_node()
        finally:
            composer.dispose()
    except yaml.reader.ReaderError as err:
        line_start = text.rfind("\n", 0, err.position) + 1
        line, column = text.count("\n", 0, err.position) + 1, err.position - line_start + 1
        message = f"contains a control character (U+{err.character:04X}), which YAML does not allow"
        raise ScenarioError(Problem(file, line, column, "", message)) from None
    except yaml.MarkedYAMLError as err:
        raise ScenarioError(_syntax_problem(err, file)) from None
    except yaml.YAMLError as err:
        raise ScenarioError(Problem(file, 0, 0, "", f"YAML error: {err}")) from None
    if node is None:
        return None, {}
    _check_expansion(node, file)
    reader = _Reader(file)
    return reader.value(node, ()), reader.origins


def read_yaml(path: Path) -> Located:
    """Parse one YAML file into a mapping with origins; no ``extends`` handling."""
    file = str(path)
    data, origins = parse_yaml(_read_text(path), file)
    if data is None and not origins:
        _fail(file, 1, 1, "", "the file is empty (or only comments), expected a scenario")
    if not isinstance(data, dict):
        kind = "null" if data is None else _kind(data)
        _fail(file, 1, 1, "", f"expected a mapping of fields such as 'name: ...', got {kind}")
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


def _base_path(located: Located, path: Path, parent: Any) -> Path:
    """The file ``extends:`` names, relative to the file that names it."""
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(
            located.problem(("extends",), f"expected a file name, got {_describe(parent)}")
        )
    try:
        base_path = (path.parent / parent).resolve()
        found = base_path.is_file()
        folder = not found and base_path.is_dir()
    except (OSError, RuntimeError) as err:
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
        node: Any = located.data
        for depth, part in enumerate(path[:-1]):
            child = node.get(part)
            if child is None:
                child = node[part] = {}
                located.origins[path[: depth + 1]] = (SET, 0, 0)
            if not isinstance(child, dict):
                raise ScenarioError(
                    Problem(
                        COMMAND_LINE,
                        0,
                        0,
                        f"{SET} {'.'.join(path)}",
                        f"{'.'.join(path[: depth + 1])} is {_kind(child)}, "
                        "not a mapping: a path cannot go inside it",
                    )
                )
            node = child
        node[path[-1]] = value
        for old in [p for p in located.origins if p[: len(path)] == path]:
            del located.origins[old]
        located.origins[path] = (SET, 0, 0)
    return located


def _kind(value: Any) -> str:
    """What a value is, in words: 'a number (3)', 'a list', ..."""
    if isinstance(value, bool) or value is None:
        return f"{value!r}"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"text ({_describe(value)})"
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


# ------------------------------------------------------------------- validation


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _members(annotation: Any) -> list[Any]:
    """The alternatives of a union (``X | None`` and ``Annotated`` unwrapped)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return [m for arg in get_args(annotation) for m in _members(arg) if m is not type(None)]
    return [annotation]


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the schema block at pydantic location ``loc`` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        options = _members(current)
        if len(options) > 1:  # a tagged union: the tag is part of the location
            chosen = [m for m in options if _tag(m) == part]
            if not chosen:
                return []
            current = chosen[0]
            continue
        current = options[0]
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        elif get_origin(current) is list:
            current = get_args(current)[0]
        else:
            return []
    options = _members(current)
    if len(options) == 1 and isinstance(options[0], type) and issubclass(options[0], BaseModel):
        return list(options[0].model_fields)
    return []


def _tag(model: Any) -> str | None:
    """The tag a union member is chosen by: its ``kind`` literal, or its lowercased name."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return "values" if get_origin(model) is list else None
    field = model.model_fields.get("kind")
    args = getattr(field.annotation, "__args__", ()) if field else ()
    return args[0] if args else model.__name__.lower()


def _data_path(data: Any, loc: tuple, missing: bool = False) -> Path_:
    """The path in the user's data for a pydantic error location (drops union tags).

    With ``missing``, the last part names a field that is absent from the data.
    """
    path: list[str] = []
    node = data
    for i, part in enumerate(loc):
        key = str(part)
        if isinstance(node, dict) and key in node:
            node = node[key]
            path.append(key)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(key)
        elif missing and i == len(loc) - 1:
            path.append(key)
    return tuple(path)


PATTERNS = {
    STATE_ID_PATTERN: "a state id of three capital letters (ISO 3166 alpha-3, such as USA)",
    PATH_PATTERN: "a dotted field path such as parameters.trade.diversion_share",
}
WORDS = {  # pydantic's words -> the words of a scenario file
    "a valid dictionary or object to extract fields from": "a mapping of fields",
    "a valid dictionary or instance of": "a mapping of fields for",
    "a valid dictionary": "a mapping",
}


def _message(error: dict[str, Any]) -> str:
    """One pydantic error in the words of a scenario file: what was expected, what was found."""
    context = error.get("ctx") or {}
    if "message" in context:  # the schema's own checks say it all
        return context["message"]
    kind = error["type"]
    found = error["input"]
    if kind in ("too_short", "too_long"):
        bound = context["min_length" if kind == "too_short" else "max_length"]
        items = f"{bound} item{'s' if bound != 1 else ''}"
        limit = "at least" if kind == "too_short" else "at most"
        return f"expected {limit} {items}, got {len(found)}: {_describe(found)}"
    if kind == "string_pattern_mismatch":
        expected = PATTERNS.get(context.get("pattern"), f"text matching {context.get('pattern')}")
        return f"expected {expected}, got {_describe(found)}"
    message = error["msg"].replace("Value error, ", "")
    for pydantic_words, ours in WORDS.items():
        message = message.replace(pydantic_words, ours)
    message = f"{message[0].lower()}{message[1:]}"
    if kind == "value_error" and isinstance(found, dict):
        return message
    if kind == "string_type" and isinstance(found, (bool, int, float)):
        return f"{message}, got {found!r} (put it in quotes to make it text)"
    if ", got " in message:  # pydantic already says what it found
        return f"{message}: {_describe(found)}"
    return f"{message}, got {_describe(found)}"


def validate(located: Located, schema: type[BaseModel] = Scenario):
    """Validate a composed tree against the schema, reporting every problem with its place."""
    try:
        return schema.model_validate(located.data)
    except ValidationError as err:
        problems = []
        for error in err.errors():
            loc = (*error["loc"], *((error.get("ctx") or {}).get("at") or ()))
            kind = error["type"]
            path = _data_path(located.data, loc, missing=kind in ("missing", "extra_forbidden"))
            if kind == "extra_forbidden":
                path = (*path, KEY)
                known = _fields_at(schema, loc[:-1])
                hint = difflib.get_close_matches(str(loc[-1]), known, n=1)
                message = "unknown field"
                message += f"; did you mean {hint[0]!r}?" if hint else ""
                if known:
                    message += f" (expected one of: {', '.join(known)})"
            elif kind == "missing":
                message = f"required {'item' if isinstance(loc[-1], int) else 'field'} is missing"
            elif kind == "union_tag_invalid":
                message = (
                    f"unknown event kind {error['input'].get('kind')!r} "
                    f"(expected one of: {error['ctx']['expected_tags']})"
                )
                path = (*path, "kind")
            elif kind == "union_tag_not_found":
                message = "an event needs a 'kind' field"
            else:
                message = _message(error)
            problem = located.problem(path, message)
            if problem not in problems:
                problems.append(problem)
        raise ScenarioError(problems) from None


def load_located(source: str | Path | dict, overrides: list[str] | None = None) -> Located:
    """Read a scenario file (following ``extends``) or take a dict; apply overrides."""
    if isinstance(source, dict):
        located = Located(copy.deepcopy(source), {}, "<dict>")
        if "extends" in located.data:
            raise ScenarioError(located.problem(("extends",), "only scenario files can extend"))
    else:
        located = _resolve(Path(source), ())
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
