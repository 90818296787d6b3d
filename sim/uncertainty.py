"""Deep uncertainty: every run draws its own values of the scenario's uncertain fields.

A scenario's ``uncertainties:`` block maps dotted field paths to distributions
(uniform, triangular, truncated normal, discrete), the way EMA Workbench declares
uncertainties (Kwakkel 2017). Run ``r`` of a scenario is the scenario with the
``r``-th draw of each set (``sim.scenario.paths.set_path``), validated like any scenario.

Draws are a Latin hypercube over the runs (McKay, Beckman & Conover 1979): each
path's unit interval is cut into ``runs`` equal-probability bins and each bin
holds exactly one run's draw (``scipy.stats.qmc.LatinHypercube``), mapped through
the distribution's quantile function (``scipy.stats`` uniform, triang, truncnorm;
a discrete one by its cumulative weights).

Seeding: each path has its own one-dimensional hypercube, seeded by
``SeedSequence(seed, spawn_key=(STREAM, key(path)))`` with ``key`` the first 8
bytes of the SHA-256 of the path. The replicate seeds are
``SeedSequence(seed).spawn(runs)``, whose spawn keys are ``(0,)``, ``(1,)``, ...,
so the two never share a stream. Keyed by path and not by position, a path's
draws depend on (seed, runs, path) only: adding or removing another uncertainty
leaves them as they were, and two scenarios run on the same seed and runs draw
the same quantiles for the paths they share (common random numbers, as ``sim
compare`` wants).

References:
    McKay, M. D., Beckman, R. J. & Conover, W. J. (1979). A comparison of three
    methods for selecting values of input variables in the analysis of output
    from a computer code. Technometrics 21(2).
    Kwakkel, J. H. (2017). The Exploratory Modeling Workbench. Environmental
    Modelling & Software 96.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from sim.design import point_config
from sim.scenario.schema import ScenarioConfig, Uncertainty

STREAM = 0x554E43  # "UNC": keeps these seeds apart from the replicate seeds' spawn keys
METHOD = "latin hypercube"


def path_seed(seed: int, path: str) -> np.random.SeedSequence:
    """The seed of one uncertain path's hypercube, derived from the master seed."""
    key = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big")
    return np.random.SeedSequence(seed, spawn_key=(STREAM, key))


def latin_hypercube(n: int, seed: np.random.SeedSequence) -> np.ndarray:
    """``n`` points in [0, 1), exactly one in each of ``n`` equal bins, in random order."""
    from scipy.stats import qmc  # scipy.stats takes a second to import: only when drawing

    sampler = qmc.LatinHypercube(d=1, rng=np.random.default_rng(seed))
    return sampler.random(n)[:, 0]


def quantiles(uncertainty: Uncertainty, u: np.ndarray) -> list[Any]:
    """The values at probabilities ``u`` of a distribution (its inverse CDF)."""
    from scipy import stats

    kind = uncertainty.kind
    if kind == "discrete":
        values, weights = uncertainty.choices()
        index = np.searchsorted(np.cumsum(weights), u, side="right")
        return [values[i] for i in np.minimum(index, len(values) - 1)]
    if kind == "uniform":
        low, high = uncertainty.uniform
        drawn = stats.uniform(loc=low, scale=high - low).ppf(u)
    elif kind == "triangular":
        low, mode, high = uncertainty.triangular
        drawn = stats.triang((mode - low) / (high - low), loc=low, scale=high - low).ppf(u)
    else:
        n = uncertainty.normal
        a, b = (n.low - n.mean) / n.sd, (n.high - n.mean) / n.sd
        drawn = stats.truncnorm(a, b, loc=n.mean, scale=n.sd).ppf(u)
        low, high = n.low, n.high
    return [float(v) for v in np.clip(drawn, low, high)]  # no rounding past the ends


def draw(uncertainties: dict[str, Uncertainty], runs: int, seed: int) -> pd.DataFrame:
    """One row per run: ``run`` and the value each uncertain path takes in it."""
    table = pd.DataFrame({"run": np.arange(runs, dtype=np.int32)})
    for path, uncertainty in uncertainties.items():
        table[path] = quantiles(uncertainty, latin_hypercube(runs, path_seed(seed, path)))
    return table


def run_configs(config: ScenarioConfig, runs: int, seed: int) -> list[ScenarioConfig]:
    """The scenario of each run: ``config`` with that run's draws set (itself if none)."""
    uncertain = config.active_uncertainties()
    if not uncertain:
        return [config] * runs
    base = config.model_dump(mode="json")
    table = draw(uncertain, runs, seed)
    return [point_config(base, row) for row in table.drop(columns="run").to_dict("records")]


def value_at(config: ScenarioConfig, path: str) -> Any:
    """The value of the field at a dotted path of a scenario."""
    node: Any = config
    for part in path.split("."):
        node = getattr(node, part) if isinstance(node, BaseModel) else node[part]
    return node


def drawn_values(config: ScenarioConfig) -> dict[str, Any]:
    """What a run's scenario holds at each of its uncertain paths (what its model used)."""
    return {path: value_at(config, path) for path in config.active_uncertainties()}


def parameters_table(configs: list[ScenarioConfig]) -> pd.DataFrame | None:
    """One row per run: ``run`` and each uncertain path's value; None without uncertainties."""
    if not configs or not configs[0].active_uncertainties():
        return None
    rows = [{"run": run, **drawn_values(config)} for run, config in enumerate(configs)]
    table = pd.DataFrame(rows)
    table["run"] = table["run"].astype(np.int32)
    return table


def fix_swept(config: ScenarioConfig, swept: list[str]) -> ScenarioConfig:
    """``config`` without the uncertainties of swept fields (or of fields inside them).

    A design point sets those fields; as with ``--set``, a value given fixes the field.
    """
    kept = {
        path: u
        for path, u in config.uncertainties.items()
        if not any(path == s or path.startswith(s + ".") for s in swept)
    }
    if kept == config.uncertainties:
        return config
    return config.model_copy(update={"uncertainties": kept})
