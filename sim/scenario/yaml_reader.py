"""Read YAML text into plain Python values, remembering where each value was written.

Scenario files are data, never code: only YAML's plain types are read (no
``!!python`` or custom tags), and size, nesting and alias expansion are bounded
before anything is built, so a hostile file is refused quickly and cheaply.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from sim.errors import Problem, ScenarioError
from sim.scenario.located import KEY, Located, Origin, Path_
from sim.scenario.words import kind_of

YAML_TAG = "tag:yaml.org,2002:"
SAFE_TAGS = {YAML_TAG + name for name in ("map", "seq", "str", "int", "float", "bool", "null")}
AS_TEXT_TAGS = {YAML_TAG + "timestamp", YAML_TAG + "value"}  # dates and '=' are read as text
MERGE_TAG = YAML_TAG + "merge"
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000  # refuses alias bombs ("billion laughs") long before memory suffers
MAX_DEPTH = 50


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


# YAML 1.1 reads 1e-6 (no dot) as text; YAML 1.2 and every user read it as a number.
# Checked after PyYAML's own resolvers, so integers and dotted floats are unchanged.
_Composer.add_implicit_resolver(
    YAML_TAG + "float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+.0123456789"),
)


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
        kind = "null" if data is None else kind_of(data)
        _fail(file, 1, 1, "", f"expected a mapping of fields such as 'name: ...', got {kind}")
    return Located(data, origins, file)
