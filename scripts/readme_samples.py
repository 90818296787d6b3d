"""Write the sample outputs in README.md from the commands themselves, or check them.

    uv run python scripts/readme_samples.py            # rewrite README.md's sample blocks
    uv run python scripts/readme_samples.py --check    # exit 1, showing the difference, if stale

README.md marks each sample with ``<!-- sample: NAME -->`` and ``<!-- /sample -->``;
between them goes a code block of the commands ``SAMPLES[NAME]`` lists, each shown as
typed (``$ uv run python -m sim …``) and followed by what it prints. They are run with
this interpreter (the environment's, as ``uv run`` gives it) in a scratch folder that
holds the repository's scenarios, so the folders they write stay out of ``results/``.
Only timestamps and durations differ from one run to the next; ``normalise`` masks
them when checking (tests/test_readme.py reruns every sample and compares).
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PROMPT = "$ uv run python -m sim "
WIDTH = 92  # a shown command is broken before an option beyond this width

_DISCOVER_SWEEP = (
    "sweep scenarios/sanctions.yaml --sample lhs --n 200 --runs 1"
    " --vary parameters.economy.convergence_by_state.CHN=0.015:0.1"
    " --vary parameters.economy.frontier_growth=0.01:0.02"
    " --vary parameters.military.threat_response=1:8"
    " --vary parameters.military.depreciation=0.05:0.15"
    " --vary parameters.affinity.reversion=0.05:0.2"
    " --vary parameters.exercises.affinity_gain=0.01:0.04"
    " --set uncertainties=null --out results/lhs --quiet"
)

# NAME -> the arguments after `python -m sim` of each command, run in order in one folder
SAMPLES: dict[str, tuple[str, ...]] = {
    "run": ("scenarios/sanctions.yaml",),
    "compare": (
        "compare scenarios/western_cohesion.yaml scenarios/sino_russian_consolidation.yaml"
        " --runs 40",
    ),
    "landscape": ("landscape scenarios/landscapes/example.yaml",),
    "discover-sweep": (
        _DISCOVER_SWEEP,
        "discover results/lhs --outcome polarity_composite=multipolar",
    ),
    "discover-uncertain": (
        "scenarios/sanctions.yaml --runs 200 --out results/uncertain --quiet",
        "discover results/uncertain --outcome leader_gdp=CHN",
    ),
}

_MARKED = re.compile(r"(<!-- sample: (\S+) -->\n)(.*?)(<!-- /sample -->)", re.DOTALL)
_TIMESTAMP = re.compile(r"\b\d{8}-\d{6}\b")
_DURATION = re.compile(r"\bin \d+(?:\.\d+)? s\b")


def shown(args: str) -> str:
    """The command as the README shows it, broken between arguments past ``WIDTH``.

    An option stays on one line with its value; a line break never splits a quoted argument.
    """
    units: list[str] = []
    for token in re.findall(r"""(?:"[^"]*"|'[^']*'|\S)+""", args):
        if (
            units
            and units[-1].startswith("--")
            and " " not in units[-1]
            and not token.startswith("--")
        ):
            units[-1] += " " + token
        else:
            units.append(token)
    lines, line = [], PROMPT + units[0]
    for unit in units[1:]:
        if len(line) + 1 + len(unit) > WIDTH:
            lines.append(line + " \\")
            line = "    " + unit
        else:
            line += " " + unit
    return "\n".join([*lines, line])


def run_sample(name: str) -> str:
    """The text of sample ``name``: each command as shown, then what it printed."""
    out = []
    with tempfile.TemporaryDirectory(prefix=f"readme-{name}-") as scratch:
        (Path(scratch) / "scenarios").symlink_to(ROOT / "scenarios")
        for args in SAMPLES[name]:
            done = subprocess.run(
                [sys.executable, "-m", "sim", *shlex.split(args)],
                cwd=scratch,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
                check=False,
            )
            if done.returncode != 0:
                raise RuntimeError(f"`sim {args}` failed ({done.returncode}):\n{done.stderr}")
            out.append(shown(args))
            printed = "\n".join(line.rstrip() for line in done.stdout.strip("\n").splitlines())
            if printed:
                out.append(printed)
    return "\n".join(out) + "\n"


def run_all(names: list[str] | None = None) -> dict[str, str]:
    """Every sample (or those named), run side by side, one process per core."""
    names = list(SAMPLES) if names is None else names
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(zip(names, pool.map(run_sample, names), strict=True))


def blocks(text: str) -> dict[str, str]:
    """The samples a README text holds: NAME -> the text inside its code fence."""
    found = {}
    for match in _MARKED.finditer(text):
        body = match.group(3)
        if not (body.startswith("```\n") and body.endswith("```\n")):
            raise ValueError(f"sample {match.group(2)}: expected one code block between markers")
        found[match.group(2)] = body[4:-4]
    return found


def rewrite(text: str, samples: dict[str, str]) -> str:
    """README text with the blocks of ``samples`` replaced (the others left as they are)."""

    def block(match: re.Match) -> str:
        name = match.group(2)
        body = f"```\n{samples[name]}```\n" if name in samples else match.group(3)
        return match.group(1) + body + match.group(4)

    return _MARKED.sub(block, text)


def normalise(text: str) -> str:
    """Sample text with what changes from run to run masked: timestamps and durations."""
    return _DURATION.sub("in … s", _TIMESTAMP.sub("YYYYmmdd-HHMMSS", text))


def stale(text: str, samples: dict[str, str]) -> list[str]:
    """Unified differences between the README's blocks and freshly run ``samples``."""
    have = blocks(text)
    diffs = []
    for name, fresh in samples.items():
        old = normalise(have.get(name, "")).splitlines(keepends=True)
        new = normalise(fresh).splitlines(keepends=True)
        diffs.extend(difflib.unified_diff(old, new, f"README.md: {name}", f"now: {name}"))
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"of {', '.join(SAMPLES)}")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(SAMPLES)
    if unknown:
        parser.error(f"no sample named {', '.join(sorted(unknown))}")
    text = README.read_text(encoding="utf-8")
    missing = set(SAMPLES) - set(blocks(text))
    if missing:
        parser.error(f"README.md has no markers for {', '.join(sorted(missing))}")
    samples = run_all(args.names or None)
    if args.check:
        diffs = stale(text, samples)
        sys.stdout.writelines(diffs)
        if not diffs:
            print(f"{len(samples)} sample(s) in README.md match what their commands print")
        return 1 if diffs else 0
    README.write_text(rewrite(text, samples), encoding="utf-8")
    print(f"rewrote {len(samples)} sample(s) in {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
