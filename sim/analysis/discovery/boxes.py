"""Boxes of the inputs: how EMA Workbench's box limits read as conditions, and CART's leaves.

EMA gives a box as a two-row frame (lower and upper limit, or the set of classes
kept, per input) next to the box that holds every run; ``box_limits`` turns that into
the restricted inputs, each with its quasi-p values. CART runs here too, because
its categorical inputs need translating both ways (``_dummies``).
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@contextmanager
def quiet_ema():
    """Silence EMA Workbench's import-time notices (ipyparallel, altair) and fitting chatter."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@dataclass
class Limit:
    """One input's restriction in a box: numeric bounds, or the classes it keeps."""

    input: str
    low: float | None = None
    high: float | None = None
    values: list[str] | None = None
    range: list = field(default_factory=list)
    qp: list[float | None] = field(default_factory=list)

    def condition(self) -> str:
        """``x ≥ 0.031``, ``0.1 ≤ x ≤ 0.3``, ``x = a`` or ``x in {a, b}``."""
        if self.values is not None:
            if len(self.values) == 1:
                return f"{self.input} = {self.values[0]}"
            return f"{self.input} in {{{', '.join(self.values)}}}"
        if self.low is not None and self.high is not None:
            return f"{self.low:.3g} ≤ {self.input} ≤ {self.high:.3g}"
        if self.low is not None:
            return f"{self.input} ≥ {self.low:.3g}"
        return f"{self.input} ≤ {self.high:.3g}"


@dataclass
class Box:
    """A box of the inputs and how well it captures the outcome."""

    coverage: float
    density: float
    mass: float
    limits: list[Limit]
    index: int | None = None

    @property
    def res_dim(self) -> int:
        """Number of restricted inputs."""
        return len(self.limits)

    def conditions(self) -> str:
        """The limits as one phrase: ``a ≥ 1, b ≤ 2 and c = x``."""
        parts = [limit.condition() for limit in self.limits]
        return (
            " and ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)
        )


def _numeric_limit(name: str, lims: pd.DataFrame, init: pd.DataFrame) -> Limit | None:
    low, high = float(lims.loc[0, name]), float(lims.loc[1, name])
    full = [float(init.loc[0, name]), float(init.loc[1, name])]
    cut_low, cut_high = low > full[0], high < full[1]
    if not (cut_low or cut_high):
        return None
    return Limit(name, low if cut_low else None, high if cut_high else None, range=full)


def box_limits(lims: pd.DataFrame, init: pd.DataFrame, qp: dict) -> list[Limit]:
    """The restricted inputs of EMA box limits, most significant (lowest quasi-p) first."""
    found = []
    for name in init.columns:
        if isinstance(init.loc[0, name], set):
            keep, full = lims.loc[0, name], init.loc[0, name]
            limit = None if keep == full else Limit(name, values=sorted(keep), range=sorted(full))
        else:
            limit = _numeric_limit(name, lims, init)
        if limit is not None:
            limit.qp = [
                float(v) if v is not None and 0 <= v <= 1 else None for v in qp.get(name, [])
            ]
            found.append(limit)
    return sorted(found, key=lambda lim: min([q for q in lim.qp if q is not None] or [1.0]))


def _dummies(x: pd.DataFrame) -> pd.DataFrame:
    """Categorical inputs as 0/1 columns ``path=class``.

    EMA's CART reads a split on a category's dummy only one way round (the leaf
    that keeps the category is not restricted), so CART gets numbers throughout
    and ``_cart_limits`` turns the dummies' bounds back into sets of classes.
    """
    columns = {}
    for name in x.columns:
        if isinstance(x[name].dtype, pd.CategoricalDtype):
            for value in x[name].cat.categories:
                columns[f"{name}={value}"] = (x[name] == value).astype(float)
        else:
            columns[name] = x[name]
    return pd.DataFrame(columns)


def _cart_limits(x: pd.DataFrame, lims: pd.DataFrame, init: pd.DataFrame) -> list[Limit]:
    found = []
    for name in x.columns:
        if isinstance(x[name].dtype, pd.CategoricalDtype):
            classes = [str(v) for v in x[name].cat.categories]
            dummy = {v: (lims.loc[0, f"{name}={v}"], lims.loc[1, f"{name}={v}"]) for v in classes}
            required = [v for v in classes if dummy[v][0] > 0]
            keep = required or [v for v in classes if dummy[v][1] >= 1]
            if keep != classes:
                found.append(Limit(name, values=keep, range=classes))
        elif (limit := _numeric_limit(name, lims, init)) is not None:
            found.append(limit)
    return found


def weak_limit(limit: Limit, significance: float) -> bool:
    """Whether every quasi-p value of the limit exceeds ``significance`` (it may be chance)."""
    known = [q for q in limit.qp if q is not None]
    return bool(known) and min(known) > significance


def cart_leaves(x: pd.DataFrame, y: np.ndarray, mass_min: float, seed: int) -> list[Box]:
    """CART's leaves (EMA's ``CART``), densest first."""
    with quiet_ema():
        from ema_workbench.analysis.cart import CART
        from sklearn.tree import DecisionTreeClassifier

        numeric = _dummies(x)
        model = CART(numeric, y, mass_min=mass_min)
        # NOTE: CART.build_tree leaves sklearn's tie-breaking unseeded and asks for
        # int(mass_min * n) = 0 runs per leaf below 20 runs; same tree, seeded, >= 1 run.
        model.clf = DecisionTreeClassifier(
            min_samples_leaf=max(1, int(mass_min * len(y))), random_state=seed
        )
        model.clf.fit(numeric.to_numpy(dtype=float), y)
        # NOTE: CART.boxes looks up a name for every node, leaves too (feature -2),
        # which fails with a single input; the padding is never read for a split.
        model.feature_names = [*model.feature_names, "(leaf)"]
        init = numeric.agg(["min", "max"]).reset_index(drop=True)
        leaves = [
            Box(
                float(s["coverage"]),
                float(s["density"]),
                float(s["mass"]),
                _cart_limits(x, lims, init),
                i,
            )
            for i, (lims, s) in enumerate(zip(model.boxes, model.stats, strict=True))
        ]
    return sorted(leaves, key=lambda b: (-b.density, -b.coverage))
