"""A sweep's folder on disk: manifest, lock, staged runs and the tables' part files.

A sweep folder looks like a run folder (``states.parquet``, ``dyads.parquet``,
``system.parquet``, ``events.parquet``) with a ``point`` column beside ``run``;
each table is a folder of Parquet parts, which ``pandas.read_parquet`` reads as
one table. Beside them: ``design.parquet`` (one row per point), ``outcomes.parquet``
(one row per run), ``scenario.yaml``, ``manifest.json`` and, once finished,
``summary.json``. While it runs, ``.lock`` holds the writing process's id and
``.staging/`` the finished runs whose chunk is not written yet.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from sim.errors import Problem, ScenarioError
from sim.experiments.engine import OUTCOMES
from sim.experiments.folders import atomic_write, write_parquet

STAGING = ".staging"
STAGED_TABLE = b"sim.table"  # in a staged stream's schema metadata: the table it holds
LOCK = ".lock"
MANIFEST = "manifest.json"
STARTING = ("design.parquet", "scenario.yaml", LOCK)  # written before the first manifest


class SweepFolder:
    """A sweep's folder on disk: manifest, staging area, part files, lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.staging = self.path / STAGING

    @property
    def manifest_path(self) -> Path:
        """``manifest.json``."""
        return self.path / MANIFEST

    def unstarted(self) -> bool:
        """Whether no sweep has begun here: no folder, or only what precedes a first manifest.

        A sweep stopped before it wrote its manifest has run nothing, so
        ``--resume`` starts it afresh.
        """
        if not self.path.exists():
            return True
        if not self.path.is_dir() or self.manifest_path.exists() or self.staging.exists():
            return False
        return all(e.name in STARTING or ".tmp-" in e.name for e in self.path.iterdir())

    def read_manifest(self) -> dict[str, Any]:
        """The manifest, or a ScenarioError if the folder is not a sweep."""
        try:
            manifest = json.loads(self.manifest_path.read_text())
        except (OSError, ValueError):
            raise ScenarioError(
                Problem(str(self.path), 0, 0, "", "not a sweep folder (no readable manifest.json)")
            ) from None
        if manifest.get("kind") != "sweep":
            raise ScenarioError(Problem(str(self.path), 0, 0, "", "not a sweep folder"))
        return manifest

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Rewrite the manifest atomically."""
        manifest["updated"] = datetime.now().astimezone().isoformat(timespec="seconds")
        atomic_write(self.manifest_path, json.dumps(manifest, indent=1) + "\n")

    def write_design(self, design: pd.DataFrame) -> None:
        """``design.parquet``; columns of mixed kinds (numbers and labels) as text."""
        path = self.path / "design.parquet"
        try:
            design.to_parquet(path, index=False)
        except (pa.ArrowException, ValueError):
            as_text = design.astype({c: str for c in design.columns if design[c].dtype == object})
            as_text.to_parquet(path, index=False)

    def kept(self) -> int:
        """Runs kept so far: written in chunks or staged."""
        try:
            done = self.read_manifest()["runs_done"]
        except ScenarioError:
            return 0
        staged = sum(1 for e in self.staging.glob("*") if not e.name.startswith("."))
        return done + staged

    # ---------------------------------------------------------------- lock

    def lock(self) -> None:
        """Refuse to share the folder with a live sweep; take over a dead one's lock."""
        lock = self.path / LOCK
        try:
            other = int(lock.read_text().strip() or 0)
        except (OSError, ValueError):
            other = 0
        if other and other != os.getpid() and _alive(other):
            raise ScenarioError(
                Problem(
                    str(self.path), 0, 0, "", f"another sweep (process {other}) is writing here"
                )
            )
        atomic_write(lock, str(os.getpid()))

    def unlock(self) -> None:
        """Release the lock."""
        (self.path / LOCK).unlink(missing_ok=True)

    # ---------------------------------------------------------------- staging

    def staged(self) -> set[int]:
        """Every run staged (by this or an earlier, interrupted invocation).

        Anything else in the staging area (a stage cut short, under its hidden name) is
        removed, and its run is made again.
        """
        if not self.staging.is_dir():
            return set()
        found = set()
        for entry in self.staging.iterdir():
            task = _staged_task(entry)
            if task is None:
                _remove(entry)
            else:
                found.add(task)
        return found

    def read_staged(self, task: int) -> dict[str, Any]:
        """One staged run's tables (or its error)."""
        error = self.staging / f"{task:09d}.json"
        if error.exists():
            return json.loads(error.read_text())
        with pa.OSFile(str(self.staging / f"{task:09d}.arrow")) as source:
            return {"tables": _read_streams(pa.BufferReader(source.read_buffer()))}

    def unstage(self, tasks: range) -> None:
        """Drop the staged copies of runs whose chunk is written."""
        for task in tasks:
            for suffix in (".arrow", ".json"):
                (self.staging / f"{task:09d}{suffix}").unlink(missing_ok=True)

    # ---------------------------------------------------------------- parts

    def write_chunk(self, chunk: int, results: list[dict[str, Any]], names: list[str]) -> None:
        """Write one chunk's part of every table (runs in task order)."""
        for name in names:
            parts = [r["tables"][name] for r in results if "tables" in r]
            if not parts:
                continue
            folder = self.path / f"{name}.parquet"
            folder.mkdir(exist_ok=True)
            temporary = folder / f".part-{chunk:06d}.tmp"
            write_parquet(pa.concat_tables(parts), temporary)
            temporary.rename(folder / f"part-{chunk:06d}.parquet")


def stage(staging: Path, task: int, result: dict[str, Any]) -> None:
    """Keep one finished run on disk until its chunk is written (hidden name, then rename).

    A run is one file: ``<task>.arrow``, its tables as Arrow IPC streams one after
    another, each naming its table in its schema's metadata; or ``<task>.json``,
    its error. One file, not one per table, keeps the file system's work per run
    (creating, renaming, reading back, deleting) to a few calls.
    """
    staging.mkdir(parents=True, exist_ok=True)
    temporary = staging / f".{task:09d}-{os.getpid()}"
    if "error" in result:
        temporary.write_text(json.dumps(result))
        suffix = ".json"
    else:
        with pa.OSFile(str(temporary), "wb") as sink:
            for name, table in result["tables"].items():
                metadata = {**(table.schema.metadata or {}), STAGED_TABLE: name.encode()}
                tagged = table.replace_schema_metadata(metadata)
                with ipc.new_stream(sink, tagged.schema) as writer:
                    writer.write_table(tagged)
        suffix = ".arrow"
    temporary.rename(staging / f"{task:09d}{suffix}")


def _read_streams(source: pa.BufferReader) -> dict[str, pa.Table]:
    """The tables of a staged run, by name, as they were before staging."""
    tables = {}
    while source.tell() < source.size():
        table = ipc.open_stream(source).read_all()
        metadata = dict(table.schema.metadata)
        name = metadata.pop(STAGED_TABLE).decode()
        tables[name] = table.replace_schema_metadata(metadata or None)
    return tables


def _staged_task(entry: Path) -> int | None:
    """The run a staging entry holds, or None if it is not a finished stage."""
    stem, dot, suffix = entry.name.partition(".")
    if stem.isdigit() and dot and suffix in ("arrow", "json") and entry.is_file():
        return int(stem)
    return None


def _remove(entry: Path) -> None:
    if entry.is_dir():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)


def read_outcomes(path: Path) -> pd.DataFrame:
    """The outcomes table of a sweep folder (one row per finished run)."""
    return pd.read_parquet(Path(path) / f"{OUTCOMES}.parquet")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
