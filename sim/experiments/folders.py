"""Writing a results folder: Parquet tables, summary, manifest, resolved scenario, plots.

Everything is written into a hidden sibling folder first and renamed into place
at the end, so a results folder either is complete or does not exist.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from sim.analysis.backtest import format_report
from sim.analysis.outcomes import final_outcomes
from sim.errors import Problem, ScenarioError, option_problem
from sim.experiments.parquet import write_parquet
from sim.experiments.runner import Results, failed_runs
from sim.scenario.schema import ScenarioConfig

RESULTS_ROOT = Path("results")
PACKAGES = (
    "sim",
    "mesa",
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "pydantic",
    "pyyaml",
    "matplotlib",
    "networkx",
    "tqdm",
    "salib",
    "dask",
    "distributed",
)


def finished_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a finished results folder (a run, sweep or comparison).

    Raises:
        ScenarioError: No readable ``manifest.json``, or a sweep not finished yet.
    """
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        raise ScenarioError(
            Problem(str(folder), 0, 0, "", "not a results folder (no readable manifest.json)")
        ) from None
    if manifest.get("status", "complete") != "complete":
        raise ScenarioError(
            Problem(
                str(folder),
                0,
                0,
                "",
                f"this {manifest.get('kind', 'run')} is incomplete "
                f"({manifest.get('runs_done', 0)} of {manifest.get('tasks', '?')} runs); "
                f"finish it with `sim sweep --resume --out {folder}` first",
            )
        )
    return manifest


def default_out(config: ScenarioConfig, now: datetime | None = None) -> Path:
    """``results/<scenario-name>/<YYYYmmdd-HHMMSS>/``."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return RESULTS_ROOT / config.name / stamp


# Bytes a row of a table takes at least in Parquet: about half of what it takes in
# sanctions.yaml's and world_all.yaml's folders (130 B a row of states, 22 B of dyads),
# so that a refusal means the disk clearly cannot hold the results.
LEAST_BYTES_PER_ROW = {"states": 60, "dyads": 10}


def least_bytes(config: ScenarioConfig, runs: int, tables: tuple[str, ...]) -> int:
    """A lower bound of the bytes ``runs`` runs of ``config`` write in ``tables``."""
    rows, years = len(config.world.states) + 1, config.years + 1  # the states and ROW
    per_run = {"states": rows * years, "dyads": rows * (rows - 1) * years}
    return runs * sum(LEAST_BYTES_PER_ROW[t] * per_run[t] for t in tables if t in per_run)


def _size(count: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    return ""


def check_out(out: Path, hint: str = "", needed: int = 0) -> None:
    """Refuse an output folder that holds something, is a file, or cannot be made.

    Checked before anything runs, so that a mistake costs nothing and writes nothing.
    ``hint`` is added to the message about a folder that is not empty; ``needed``
    (``least_bytes``) is refused where the disk has less room.
    """

    def refuse(message: str) -> ScenarioError:
        return ScenarioError(option_problem("--out", message))

    try:
        if out.is_dir():
            if any(out.iterdir()):
                raise refuse(f"{out} already exists and is not empty{hint}")
            parent = out.parent  # where the hidden folder is written, then renamed
        elif out.exists() or out.is_symlink():
            raise refuse(f"{out} is a file, expected a folder for the results")
        else:
            parent = next(p for p in out.parents if p.exists() or p.is_symlink())
        if not parent.is_dir():
            raise refuse(f"{parent} is a file, so the folder {out} cannot be made inside it")
    except OSError as err:
        raise refuse(f"{out} cannot be used: {err.strerror or err}") from None
    _check_writable(out, parent, refuse)
    try:
        free = shutil.disk_usage(parent).free
    except OSError:
        return
    if needed > free:
        raise refuse(
            f"{out} cannot hold the results: they need at least {_size(needed)} and its disk "
            f"has {_size(free)} free; make fewer runs or years, keep fewer --tables, or "
            "choose another --out"
        )


# file systems that hold no files of their own: what is written there is lost or refused
PSEUDO_FILE_SYSTEMS = frozenset(
    "proc sysfs devtmpfs devpts cgroup cgroup2 debugfs tracefs securityfs "
    "configfs pstore bpf efivarfs fusectl mqueue hugetlbfs binfmt_misc autofs".split()
)
# the write errors reported as a user's problem (one line naming the path and cause)
WRITE_ERRORS = frozenset(
    {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENAMETOOLONG, errno.EDQUOT}
)


def _file_system(path: Path) -> str:
    """The type of the file system holding ``path`` (``""`` if it cannot be told)."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return ""
    real = os.path.realpath(path)
    best, kind = "", ""
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = real == point or real.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def _check_writable(out: Path, parent: Path, refuse: Callable[[str], ScenarioError]) -> None:
    """Refuse ``out`` when its nearest existing folder ``parent`` cannot take a new folder.

    A pseudo file system (``/proc``, ``/sys``), a read-only or full one, a folder
    without write permission and a name too long all stop here, before any run.
    """
    kind = _file_system(parent)
    if kind in PSEUDO_FILE_SYSTEMS:
        raise refuse(f"{out} is on a {kind} pseudo file system, which cannot hold results")
    names = [out.name, *(p.name for p in out.parents if p != parent and parent in p.parents)]
    try:
        longest = os.pathconf(parent, "PC_NAME_MAX")
    except (OSError, ValueError):
        longest = 255
    for name in names:
        if len(f".{name}.partial-{os.getpid()}".encode()) > longest:
            raise refuse(f"{out} cannot be written: the name {name!r} is too long")
    try:  # a real attempt: permission bits alone do not show a read-only or full disk
        probe = Path(tempfile.mkdtemp(prefix=".probe-", dir=parent))
        probe.rmdir()
    except OSError as err:
        raise refuse(f"{out} cannot be written: {_cause(err, parent)}") from None


def _cause(err: OSError, where: Path | None = None) -> str:
    """The cause of a write error, with the file it names when there is one."""
    cause = os.strerror(err.errno) if err.errno else (err.strerror or str(err))
    return f"{where}: {cause}" if where is not None else cause


class WriteFailed(ScenarioError):
    """A results folder could not be written (no space, read-only, permission, name).

    Attributes:
        error: The operating system's error.
        where: The file or folder it names, as it would have been in the results folder.
    """

    def __init__(self, error: OSError, out: Path, where: Path | None, after: str = ""):
        self.error = error
        self.where = where
        shown = _cause(error, where if where is not None and where != out else None)
        after = after or "; nothing was kept"
        super().__init__(option_problem("--out", f"{out} could not be written ({shown}){after}"))


def write_failure(err: OSError, out: Path, partial: Path | None = None) -> WriteFailed:
    """A write error while filling ``out`` as the user's problem: one line, path and cause.

    A file of the hidden folder ``partial`` is named as it would have been in ``out``.
    """
    where = Path(err.filename) if isinstance(err.filename, str | Path) else None
    if where is not None and partial is not None and where.is_relative_to(partial):
        where = out / where.relative_to(partial)
    return WriteFailed(err, out, where)


def remove_stale(out: Path) -> list[Path]:
    """Remove hidden partial folders of ``out`` left by processes that no longer exist.

    A run stopped hard while writing (killed, or the machine stopped) leaves its
    hidden ``.NAME.partial-PID`` (or ``.NAME.old-PID``) beside ``out``; the next
    command writing to ``out`` removes them. A folder whose process is still alive
    is another command's work in progress and is left alone. Returns the removed ones.
    """
    removed = []
    try:
        siblings = list(out.parent.glob(f".{glob.escape(out.name)}.*-*"))
    except OSError:
        return removed
    for path in siblings:
        stem, _, pid = path.name.rpartition("-")
        if stem not in (f".{out.name}.partial", f".{out.name}.old") or not pid.isdigit():
            continue
        if int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one of another user counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back for a few file operations that must not be split."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def atomic_folder(out: Path, replace: bool = False) -> Iterator[Path]:
    """A hidden sibling of ``out`` to write into, renamed to ``out`` when the block succeeds.

    If the block raises (or is interrupted, Ctrl-C or SIGTERM included), the hidden
    folder and any parent folders created for it are removed and ``out`` is
    untouched, so a reader never sees a half-written folder. Without ``replace`` an
    existing ``out`` must be an empty folder; with it, an existing ``out`` is swapped
    for the new one (moved aside, then deleted). Hidden folders that stopped
    processes left beside ``out`` are removed first (``remove_stale``).

    Raises:
        ScenarioError: A write error (no space, read-only, permission, name too
            long) while making or filling the folder, naming the path and the cause.
    """
    created = [p for p in [out.parent, *out.parent.parents] if not p.exists()]
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    try:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(out)
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            yield partial
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            with _signals_held():  # the folder appears whole, or not at all
                if out.exists():
                    if replace:
                        out.rename(old)
                    else:
                        out.rmdir()  # an empty folder only; anything else stops here
                partial.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        except OSError as err:
            if err.errno in WRITE_ERRORS or not out.parent.is_dir():
                raise write_failure(err, out, partial) from None
            raise
        except WriteFailed as inner:  # a folder written inside this one: name it from here
            where = inner.where
            if where is not None and where.is_relative_to(partial):
                where = out / where.relative_to(partial)
            raise WriteFailed(inner.error, out, where) from None
    except BaseException:
        with _signals_held():  # a second Ctrl-C must not leave the cleaning half done
            shutil.rmtree(partial, ignore_errors=True)
            for folder in created:
                if folder.exists() and not any(folder.iterdir()):
                    folder.rmdir()
        raise


def atomic_write(path: Path, text: str) -> None:
    """Write one text file so that a reader finds the old text or the new, never a part.

    The text goes to a hidden temporary name beside ``path``, then replaces it; if
    it cannot be written, the temporary file is removed.

    Raises:
        WriteFailed: No space, read-only, permission or name too long.
    """
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        if err.errno in WRITE_ERRORS:
            raise WriteFailed(err, path, None, after="; its earlier version is kept") from None
        raise


def resolved_yaml(config: ScenarioConfig) -> str:
    """The fully resolved scenario as YAML (extends and overrides applied)."""
    data = config.model_dump(mode="json")
    data["events"] = {k: v for k, v in data["events"].items() if v is not None}
    data["world"]["pipelines"] = {
        k: v for k, v in data["world"]["pipelines"].items() if v is not None
    }
    if data.get("sweep") is None:
        data.pop("sweep", None)
    data["uncertainties"] = {  # each distribution as written: its one kind, no nulls
        path: {kind: spec for kind, spec in given.items() if spec is not None}
        for path, given in data["uncertainties"].items()
        if given is not None
    }
    if not data["uncertainties"]:
        del data["uncertainties"]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _versions() -> dict[str, str]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def run_provenance(argv: list[str] | None) -> dict[str, Any]:
    """Command line, date, Python, platform and package versions."""
    return {
        "command": argv if argv is not None else sys.argv,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": _versions(),
    }


def manifest(results: Results, scenario_text: str, argv: list[str] | None) -> dict[str, Any]:
    """Provenance of a run: versions, seed, command line, scenario hash, timings."""
    return {
        "kind": "run",
        "status": "complete",
        "scenario": results.scenario.name,
        "scenario_sha256": hashlib.sha256(scenario_text.encode()).hexdigest(),
        "seed": results.seed,
        "runs": results.runs,
        **failed_runs(results.failed),
        **run_provenance(argv),
        "timings": results.timings,
    }


def write_results(
    results: Results,
    out: Path,
    draw: Callable[[Results, Path], object] | None = None,
    argv: list[str] | None = None,
) -> Path:
    """Write every output of ``results`` into ``out`` atomically and return ``out``.

    ``draw(results, folder)``, if given, adds figures to the folder before it is
    renamed into place (``sim.plots.runs.plot_results``): a folder has its plots or
    does not exist.
    """
    check_out(out)
    with atomic_folder(out) as partial:
        fill(results, partial, draw, argv)
    return out


def fill(
    results: Results,
    folder: Path,
    draw: Callable[[Results, Path], object] | None = None,
    argv: list[str] | None = None,
) -> None:
    """Write every output of ``results`` into ``folder`` (a table already there is kept)."""
    started = time.perf_counter()
    for name, table in results.in_memory().items():
        write_parquet(table, folder / f"{name}.parquet")
    write_parquet(final_outcomes(results.states, results.system), folder / "outcomes.parquet")
    if results.parameters is not None:
        write_parquet(results.parameters, folder / "parameters.parquet")
    text = resolved_yaml(results.scenario)
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    (folder / "summary.json").write_text(json.dumps(results.summary, indent=2) + "\n")
    if results.backtest is not None:
        (folder / "backtest.json").write_text(json.dumps(results.backtest, indent=2) + "\n")
        (folder / "backtest.md").write_text(
            "```\n" + format_report(results.backtest) + "\n```\n", encoding="utf-8"
        )
    if draw is not None:
        draw(results, folder)
    results.timings["write_seconds"] = time.perf_counter() - started
    (folder / "manifest.json").write_text(
        json.dumps(manifest(results, text, argv), indent=2) + "\n"
    )
