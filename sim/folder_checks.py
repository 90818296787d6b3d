"""Reading a results folder's files, with any damage named in one line.

A results folder (a run, sweep or comparison) can be damaged after it was written:
a manifest edited by hand or cut short, a Parquet table truncated by a full disk or
overwritten. Every reader goes through these functions, so that the user is told
which folder, file and field is damaged instead of seeing the reading library's
traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import Problem, ScenarioError


def damaged(path: Path, message: str, field: str = "") -> ScenarioError:
    """The error for a damaged file (or folder) ``path``, naming the field if any."""
    return ScenarioError(Problem(str(path), 0, 0, field, message))


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from ``path``; a missing, unreadable or non-object file is refused."""
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise damaged(path, "missing (the folder is incomplete or damaged)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise damaged(path, f"damaged: not valid JSON ({err})") from None
    except OSError as err:
        raise damaged(path, f"cannot be read: {err.strerror or err}") from None
    if not isinstance(value, dict):
        raise damaged(path, f"damaged: expected a JSON object, got {type(value).__name__}")
    return value


def need_fields(
    manifest: dict[str, Any], path: Path, fields: dict[str, type], within: str = ""
) -> None:
    """Refuse a manifest lacking one of ``fields`` or holding a value of the wrong type.

    ``within`` is the dotted path of a nested object (``design.``), for the message.
    """
    for key, kind in fields.items():
        name = within + key
        if key not in manifest:
            raise damaged(path, "missing from the manifest (the folder is damaged)", name)
        value = manifest[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            expected = {dict: "an object", int: "an integer", str: "a string"}.get(kind, kind)
            raise damaged(path, f"damaged: expected {expected}, got {value!r}", name)


def read_table(
    path: Path, columns: list[str] | None = None, required: Iterable[str] = ()
) -> pd.DataFrame:
    """A Parquet table (a file or a folder of parts), refused if unreadable or lacking columns.

    Args:
        path: The ``.parquet`` file or folder.
        columns: Read only these columns (each must exist).
        required: Columns the table must have.
    """
    path = Path(path)
    if not path.exists():
        raise damaged(path, "missing (the folder is incomplete or damaged)")
    try:
        table = pd.read_parquet(path, columns=columns)
    except Exception as err:  # pyarrow raises many types (ArrowInvalid, OSError, KeyError…)
        detail = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise damaged(path, f"damaged: not a readable Parquet table ({detail})") from None
    absent = [c for c in required if c not in table.columns]
    if absent:
        raise damaged(path, f"damaged: the table lacks the column(s) {', '.join(absent)}")
    return table
