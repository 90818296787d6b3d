"""The README and docs stay true: their commands run as typed, their samples are current.

Every command line in README.md and docs/*.md is written to run from a fresh clone
(``uv run …``); the README's sample outputs are rerun with scripts/readme_samples.py
and must match what is printed now, timestamps and durations aside.
"""

import importlib.util
import re
import shlex

import pytest

from sim.cli.main import COMMANDS, parser
from tests.conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# a word a user replaces, or an elided part: such a line is a pattern, not a command to run
PLACEHOLDER = re.compile(
    r"…|\[|\b(SCENARIO|FILE|DIR|FOLDER|COLUMN|NAME|PATH)\b|\b(my|scenario)\.yaml"
)
INTERPRETED = re.compile(r"(?<![\w-])(python -m sim\b|python (?:benchmarks|scripts)/)")


def _samples_script():
    spec = importlib.util.spec_from_file_location(
        "readme_samples", ROOT / "scripts" / "readme_samples.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


samples = _samples_script()


def _fenced(text: str):
    """(info string, body) of each fenced code block."""
    yield from re.findall(r"^```(\w*)\n(.*?)^```", text, re.DOTALL | re.MULTILINE)


def _shell_lines(text: str):
    """The lines of a document's shell blocks, continuation lines joined, prompts dropped."""
    for info, body in _fenced(text):
        if info not in ("", "sh", "bash", "console"):
            continue
        for line in body.replace("\\\n", " ").splitlines():
            line = line.removeprefix("$ ").strip()
            if line:
                yield line


def _commands(text: str):
    """(line, arguments after ``uv run python -m sim`` or ``uv run sim``) of each call."""
    for line in _shell_lines(text):
        command = line.split("  #", 1)[0].split(" # ", 1)[0].strip()
        words = command.split()
        if words[:4] == ["uv", "run", "python", "-m"] and words[4:5] == ["sim"]:
            yield line, command.split(" sim", 1)[1]
        elif words[:3] == ["uv", "run", "sim"]:
            yield line, command.split(" sim", 1)[1]


def _uses(path):
    """Every place a document types a command through Python: code blocks and code spans."""
    text = path.read_text(encoding="utf-8")
    for line in _shell_lines(text):
        if INTERPRETED.search(line):
            yield line
    prose = re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)
    for row in prose.splitlines():
        if row.startswith("|"):  # a table's row names what was measured, it asks for nothing
            continue
        for span in re.findall(r"`([^`\n]+)`", row):
            if INTERPRETED.search(span) and span != "python -m sim":
                yield span


def _all_uses():
    for path in DOCS:
        for use in _uses(path):
            yield pytest.param(use, id=f"{path.name}: {use[:60]}")


@pytest.mark.parametrize("use", list(_all_uses()))
def test_every_command_runs_inside_the_environment_as_typed(use):
    """Typed as written from a fresh clone, ``python -m sim`` fails outside the environment."""
    assert use.startswith("uv run ") or re.search(r"(^|&& )uv run ", use), use
    for match in INTERPRETED.finditer(use):
        assert use[: match.start()].endswith("uv run "), use


def _runnable():
    for path in DOCS:
        for line, args in _commands(path.read_text(encoding="utf-8")):
            yield pytest.param(line, args, id=f"{path.name}: {line[:60]}")


@pytest.mark.parametrize(("line", "args"), list(_runnable()))
def test_every_sim_command_names_a_command_its_options_and_files_that_exist(line, args):
    argv = shlex.split(args)
    assert argv[0] in COMMANDS or argv[0].endswith(".yaml"), line
    if PLACEHOLDER.search(line):
        return
    if argv[0] not in COMMANDS:
        argv = ["run", *argv]
    parser().parse_args(argv)  # an unknown option or a missing value raises ScenarioError
    for word in argv:
        if word.endswith(".yaml"):
            assert (ROOT / word).is_file(), word


def test_scripts_and_benchmarks_the_docs_run_exist():
    for path in DOCS:
        for use in _uses(path):
            for script in re.findall(r"python ((?:benchmarks|scripts)/\S+\.py)", use):
                assert (ROOT / script).is_file(), script


def test_the_readme_marks_every_sample_the_script_writes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(samples.blocks(readme)) == set(samples.SAMPLES)


def test_a_changed_figure_is_stale_and_a_new_timestamp_or_duration_is_not():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    current = samples.blocks(readme)
    assert not samples.stale(readme, current)
    rerun = {
        name: re.sub(r"\b\d{8}-\d{6}\b", "20991231-235959", text) for name, text in current.items()
    }
    rerun["run"] = re.sub(r"runs in \d+\.\d s", "runs in 123.4 s", rerun["run"])
    assert not samples.stale(readme, rerun)
    figure = re.search(r"\d+\.\d%", current["run"]).group()
    changed = {"run": current["run"].replace(figure, "99.9%", 1)}
    assert samples.stale(readme, changed)
    assert samples.rewrite(readme, changed) != readme
    assert samples.blocks(samples.rewrite(readme, changed))["run"] == changed["run"]


@pytest.fixture(scope="module")
def rerun():
    """Every sample, run now as the README shows it (side by side, one per core)."""
    return samples.run_all()


@pytest.mark.parametrize("name", list(samples.SAMPLES))
def test_the_readme_sample_is_what_the_command_prints_now(rerun, name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    diff = samples.stale(readme, {name: rerun[name]})
    assert not diff, (
        "README.md's sample is stale; regenerate it with "
        "`uv run python scripts/readme_samples.py` and reread the prose around it:\n"
        + "".join(diff)
    )


def test_the_experiments_guide_quotes_the_readme_s_discovery_sample():
    # docs/experiments.md shows the discover output of the README's checked sample; it
    # must stay that output, not a copy that goes stale
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"<!-- sample: discover-sweep -->\n```\n(.*?)```", readme, re.S)
    output = sample.group(1)
    output = output[output.index("$ uv run python -m sim discover results/lhs") :]
    quoted = [line for line in output.splitlines() if line and not line.startswith("report")]
    guide = (ROOT / "docs" / "experiments.md").read_text(encoding="utf-8")
    start = guide.index("$ uv run python -m sim discover results/lhs")
    shown = [line for line in guide[start : guide.index("```", start)].splitlines() if line]
    assert shown == quoted
