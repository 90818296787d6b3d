"""Every bad input is refused with one located line, exit status 2, no traceback, nothing written.

Each file in ``tests/bad_scenarios/`` is one mistake; its first lines say what it must produce:

    # expect: {FILE}:LINE:COL: path: the start of the message
    # commands: run validate sweep    (default: run validate sweep sensitivity compare)
    # args: --set runs                 (extra options, split as a shell would)
    # within: 1.0                      (seconds the refusal may take)

The first line of stderr must start with the expected text, where ``{FILE}`` is the case's
path and ``{DIR}`` the corpus folder. Inputs a text file cannot hold (an empty file, a
directory, a missing path, a file over the size limit, an unreadable file, an ``--out``
that is a file) are made by the cases at the end of this module.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.scenario.loader import MAX_FILE_BYTES
from tests.conftest import ROOT, SCENARIOS

CORPUS = ROOT / "tests" / "bad_scenarios"
BASELINE = str(SCENARIOS / "baseline.yaml")
DEFAULT_COMMANDS = ("run", "validate", "sweep", "sensitivity", "compare")
GOOD = "name: corpus\nworld:\n  states: [USA, CHN, RUS]\nyears: 6\n"
GOOD_TO_2040 = GOOD.replace("years: 6", "years: 26")
MIN_CASES = 45


@dataclass
class Case:
    """One bad input, the commands it goes through and what each must print first."""

    name: str
    make: Callable[[Path, pytest.MonkeyPatch], Path]  # (inputs folder, monkeypatch) -> input
    expect: str | dict[str, str]  # one expectation, or one per command
    commands: tuple[str, ...] = DEFAULT_COMMANDS
    args: list[str] | dict[str, list[str]] = field(default_factory=list)  # all, or per command
    within: float | None = None
    out: Callable[[Path], Path] | None = None  # the --out to give, if not a new folder

    def expected(self, command: str) -> str:
        """The expected start of stderr for ``command``."""
        return self.expect[command] if isinstance(self.expect, dict) else self.expect

    def options(self, command: str) -> list[str]:
        """The extra options given to ``command``."""
        return self.args.get(command, []) if isinstance(self.args, dict) else self.args


def _header(path: Path) -> dict[str, str]:
    fields = {}
    for line in path.read_bytes().decode("latin-1").splitlines():
        if not line.startswith("# ") or ":" not in line:
            break
        key, _, value = line[2:].partition(":")
        if key not in ("expect", "commands", "args", "within"):
            break
        fields[key] = value.strip()
    return fields


def _corpus_case(path: Path) -> Case:
    fields = _header(path)
    assert "expect" in fields, f"{path.name} has no '# expect:' line"
    return Case(
        name=path.stem,
        make=lambda inputs, monkeypatch: path,
        expect=fields["expect"],
        commands=tuple(fields.get("commands", " ".join(DEFAULT_COMMANDS)).split()),
        args=shlex.split(fields.get("args", "")),
        within=float(fields["within"]) if "within" in fields else None,
    )


def _written(inputs: Path, name: str, text: str) -> Path:
    path = inputs / name
    path.write_text(text, encoding="utf-8")
    return path


def _folder(inputs: Path, monkeypatch) -> Path:
    folder = inputs / "scenario.yaml"
    folder.mkdir()
    return folder


def _large(inputs: Path, monkeypatch) -> Path:
    padding = "x" * (MAX_FILE_BYTES - len(GOOD))
    return _written(inputs, "large.yaml", GOOD + f"description: '{padding}'\n")


def _unreadable(inputs: Path, monkeypatch) -> Path:
    """A file the operating system refuses to open (simulated: tests may run as root)."""
    path = _written(inputs, "locked.yaml", GOOD)
    real_open = Path.open

    def guarded(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    return path


def _an_existing_file(work: Path) -> Path:
    path = work / "taken.txt"
    path.write_text("not a folder\n")
    return path


def _inside_a_file(work: Path) -> Path:
    return _an_existing_file(work) / "run"


WITH_OUT = ("run", "sweep", "sensitivity", "compare")
# a scenario that gets as far as choosing its folder: a design for sweep, the years of
# baseline.yaml for compare
REACHES_OUT = {"sweep": ["--grid", "parameters.trade.diversion_share=0.1,0.2"]}
MADE = [
    Case(
        "empty_file",
        lambda inputs, monkeypatch: CORPUS / "41_empty.yaml",
        "{FILE}:1:1: the file is empty (or only comments), expected a scenario",
    ),
    Case(
        "directory",
        _folder,
        {
            **dict.fromkeys(DEFAULT_COMMANDS, "{FILE}: is a directory, expected a YAML file"),
            "compare": "{FILE}: not a complete run folder: it has no manifest.json",
            "landscape": "{FILE}: is a directory, expected a YAML file",
            "discover": "{FILE}: not a sweep or run folder",
        },
        (*DEFAULT_COMMANDS, "landscape", "discover"),
    ),
    Case(
        "missing_path",
        lambda inputs, monkeypatch: inputs / "no_such.yaml",
        {
            **dict.fromkeys(DEFAULT_COMMANDS, "{FILE}: no such file"),
            "compare": "{FILE}: no such file or folder",
            "landscape": "{FILE}: no such file",
            "discover": "{FILE}: no such folder",
        },
        (*DEFAULT_COMMANDS, "landscape", "discover"),
    ),
    Case(
        "file_too_large",
        _large,
        f"{{FILE}}: is larger than {MAX_FILE_BYTES:,} bytes, too large for a scenario",
        (*DEFAULT_COMMANDS, "landscape"),
        within=2.0,
    ),
    Case(
        "permission_denied",
        _unreadable,
        "{FILE}: cannot be read: permission denied",
        (*DEFAULT_COMMANDS, "landscape"),
    ),
    Case(
        "out_is_a_file",
        lambda inputs, monkeypatch: _written(inputs, "good.yaml", GOOD_TO_2040),
        "command line: --out: {OUT} is a file, expected a folder for the results",
        WITH_OUT,
        REACHES_OUT,
        out=_an_existing_file,
    ),
    Case(
        "out_inside_a_file",
        lambda inputs, monkeypatch: _written(inputs, "good.yaml", GOOD_TO_2040),
        "command line: --out: {OUT_PARENT} is a file, so the folder {OUT} cannot be made inside",
        WITH_OUT,
        REACHES_OUT,
        out=_inside_a_file,
    ),
]
CASES = [_corpus_case(p) for p in sorted(CORPUS.glob("*.yaml")) if p.stat().st_size] + MADE


def _argv(command: str, source: Path, out: Path, args: list[str]) -> list[str]:
    written = ["--out", str(out), "--no-plots"]
    return {
        "run": ["run", str(source), *written],
        "validate": ["validate", str(source)],
        "sweep": ["sweep", str(source), *written, "--jobs", "1"],
        "sensitivity": [
            "sensitivity",
            str(source),
            *written,
            "--jobs",
            "1",
            "--vary",
            "parameters.trade.diversion_share=0.1:0.6",
        ],
        "compare": ["compare", str(source), BASELINE, *written],
        "landscape": ["landscape", str(source)],
        "discover": ["discover", str(source), "--outcome", "polarity=multipolar", "--no-plots"],
    }[command] + args


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module", autouse=True)
def _imported():
    """Import the command's modules once, so that timings measure the refusal alone."""
    assert main(["validate", str(SCENARIOS / "baseline.yaml")]) == 0


@pytest.mark.parametrize(
    ("case", "command"),
    [(case, command) for case in CASES for command in case.commands],
    ids=lambda value: value.name if isinstance(value, Case) else value,
)
def test_bad_input_is_refused_with_its_location(case, command, tmp_path, monkeypatch, capsys):
    inputs, work = tmp_path / "inputs", tmp_path / "work"
    inputs.mkdir()
    work.mkdir()
    monkeypatch.chdir(work)  # anything written to results/ would land here
    out = case.out(work) if case.out else work / "out"
    source = case.make(inputs, monkeypatch)
    corpus_before, work_before = _snapshot(CORPUS), _snapshot(work)
    capsys.readouterr()

    started = time.perf_counter()
    status = main(_argv(command, source, out, case.options(command)))
    elapsed = time.perf_counter() - started

    err = capsys.readouterr().err
    expected = case.expected(command).format(
        FILE=source, DIR=CORPUS, OUT=out, OUT_PARENT=out.parent
    )
    assert status == 2, err
    assert err.splitlines()[0].startswith(expected), err
    assert "Traceback" not in err
    assert _snapshot(work) == work_before, "something was written"
    assert _snapshot(CORPUS) == corpus_before
    if case.within is not None:
        assert elapsed < case.within, f"took {elapsed:.2f} s"


def test_the_corpus_is_large_and_every_file_has_its_expectation():
    files = [p for p in CORPUS.glob("*.yaml")]
    assert len(files) >= MIN_CASES
    headerless = {p.name for p in files if "expect" not in _header(p)}
    assert headerless == {"41_empty.yaml"}  # its expectation is in MADE
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
