"""Pipeline geography: which rows a gas pipeline can join, by land or by sea, and at what cost.

Rows are the simulated world's rows (acting states, groups such as ``EUU``, then
``ROW``). Two rows are land-contiguous when any pair of their member countries is
(COW direct contiguity type 1); the sea gap between two rows is the smallest COW
water separation between any pair of their members (types 2-5: up to 12, 24, 150
and 400 miles, read as statute miles). A land route is the shortest chain of
land-contiguous rows through willing transit rows; a subsea route needs a sea gap
no longer than the longest subsea line ever built (``MAX_SUBSEA_KM``, from
``sim/data/pipelines_built.csv``). The cost of a line is fitted by least squares
on the built lines with a published cost.

References:
    Stinnett, Tir, Schafer, Diehl & Gochman (2002), "The Correlates of War Project
    Direct Contiguity Data, Version 3", *Conflict Management and Peace Science* 19(2).
    sim/data/pipelines_built.csv (each line's figures and sources).
"""

from __future__ import annotations

import csv
from collections import deque
from functools import cache
from pathlib import Path

import numpy as np

from sim.world import country_data, membership

DATA = Path(__file__).parent / "data"
BUILT = DATA / "pipelines_built.csv"
KM_PER_MILE = 1.609344  # statute mile; COW's codebook says "miles"
WATER_MILES = {2: 12.0, 3: 24.0, 4: 150.0, 5: 400.0}  # COW conttype -> upper bound of the gap


def built_pipelines() -> list[dict[str, str]]:
    """The rows of sim/data/pipelines_built.csv, as read (empty cells are '')."""
    with BUILT.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _column(rows: list[dict[str, str]], name: str) -> np.ndarray:
    return np.array([float(r[name]) if r[name] else np.nan for r in rows])


def max_subsea_km() -> float:
    """The longest subsea section among the built lines (km)."""
    return float(np.nanmax(_column(built_pipelines(), "subsea_km")))


def _design(length_km, capacity_bcm, subsea_km) -> np.ndarray:
    """Regressors of the cost fit: onshore and subsea km, each times capacity (km·bcm/yr)."""
    length, capacity, subsea = np.broadcast_arrays(
        *(np.asarray(x, dtype=float) for x in (length_km, capacity_bcm, subsea_km))
    )
    return np.stack([(length - subsea) * capacity, subsea * capacity], axis=-1)


def fit_cost() -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Least-squares cost per km per bcm/yr, onshore and subsea, on the lines with a cost.

    cost (US$ bn) = capacity · (a · onshore km + b · subsea km), no intercept.

    Returns:
        The coefficients (a, b) in US$ bn per km per bcm/yr, each fitted line's
        residual (published − fitted, US$ bn) and the lines' names.
    """
    rows = [r for r in built_pipelines() if r["cost_usd_bn"]]
    design = _design(*(_column(rows, c) for c in ("length_km", "capacity_bcm", "subsea_km")))
    cost = _column(rows, "cost_usd_bn")
    coefficients, *_ = np.linalg.lstsq(design, cost, rcond=None)
    return coefficients, cost - design @ coefficients, [r["name"] for r in rows]


MAX_SUBSEA_KM = max_subsea_km()
(ONSHORE_USD_BN_PER_KM_BCM, SUBSEA_USD_BN_PER_KM_BCM), _RESIDUALS, _ = fit_cost()
RESIDUAL_BAND_USD_BN = 1.0  # every fitted line's |residual| is below this (docs/model.md)


def cost_usd_bn(length_km, capacity_bcm, subsea_km=0.0):
    """Fitted cost (US$ bn, nominal as published) of a line: length and subsea part in km.

    Vectorised over numpy arrays; the subsea part is included in the length.
    """
    return _design(length_km, capacity_bcm, subsea_km) @ np.array(
        [ONSHORE_USD_BN_PER_KM_BCM, SUBSEA_USD_BN_PER_KM_BCM]
    )


def land_route(
    contiguity_land: np.ndarray, willing: np.ndarray, exporter: int, importer: int
) -> list[int] | None:
    """The shortest chain of land-contiguous rows from exporter to importer, or None.

    Breadth-first over rows; transit rows (all but the two ends) must be ``willing``.
    Ties go to the lower row index, so the answer is deterministic.

    Args:
        contiguity_land: [row, row] True where two rows share a land border.
        willing: [row] True where a row lets a pipeline cross it.
        exporter: Row the line starts from.
        importer: Row the line ends in.

    Returns:
        The rows from exporter to importer inclusive, or None if no route exists.
    """
    previous = {exporter: exporter}
    queue = deque([exporter])
    while queue:
        row = queue.popleft()
        if row == importer:
            path = [row]
            while path[-1] != exporter:
                path.append(previous[path[-1]])
            return path[::-1]
        if row != exporter and not willing[row]:
            continue
        for nxt in np.flatnonzero(contiguity_land[row]).tolist():
            if nxt not in previous:
                previous[nxt] = row
                queue.append(nxt)
    return None


def subsea_feasible(
    sea_km: np.ndarray, exporter: int, importer: int, max_subsea_km: float = MAX_SUBSEA_KM
) -> bool:
    """Whether the two rows are contiguous by water within ``max_subsea_km``.

    ``sea_km`` is the COW upper bound of the gap (inf where there is no water
    contiguity), so any water contiguity up to 400 miles (644 km) is feasible
    against Nord Stream's 1,224 km.
    """
    return bool(sea_km[exporter, importer] <= max_subsea_km)


@cache
def _country_contiguity(iso3: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Country × country land contiguity (bool) and sea gap (km, inf if none)."""
    ccode_to_iso3: dict[int, str] = {}
    with (DATA / "behaviour" / "states.csv").open(newline="") as handle:
        for r in csv.DictReader(handle):
            if r["iso3"]:
                ccode_to_iso3[int(r["ccode"])] = r["iso3"]
    index = {code: i for i, code in enumerate(iso3)}
    land = np.zeros((len(iso3), len(iso3)), dtype=bool)
    sea = np.full((len(iso3), len(iso3)), np.inf)
    with (DATA / "behaviour" / "contiguity.csv").open(newline="") as handle:
        for r in csv.DictReader(handle):
            a = index.get(ccode_to_iso3.get(int(r["ccode1"]), ""))
            b = index.get(ccode_to_iso3.get(int(r["ccode2"]), ""))
            if a is None or b is None or a == b:
                continue
            kind = int(r["conttype"])
            if kind not in (1, *WATER_MILES):  # 0: listed but not contiguous in 2014
                continue
            if kind == 1:
                land[a, b] = land[b, a] = True
            else:
                gap = min(sea[a, b], WATER_MILES[kind] * KM_PER_MILE)
                sea[a, b] = sea[b, a] = gap
    return land, sea


def contiguity_matrices(states: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Land contiguity and sea gap between the world's rows (acting states, then ROW).

    A row is land-contiguous with another if any pair of their members is; their
    sea gap is the smallest over member pairs. The diagonal is False and inf: a row
    is not a neighbour of itself. Computed once per set of states (read-only arrays).

    Returns:
        (land: bool [row, row], sea_km: float [row, row], inf where no water contiguity).
    """
    return _row_contiguity(tuple(states))


@cache
def _row_contiguity(states: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    members = membership(list(states)) > 0.5
    land, sea = _country_contiguity(country_data().iso3)
    land_rows = (members.astype(int) @ land.astype(int) @ members.T.astype(int)) > 0
    # the smallest gap from each row's members to each country, then to each row's members
    to_country = np.stack([sea[m].min(axis=0, initial=np.inf) for m in members])
    sea_rows = np.stack([to_country[:, m].min(axis=1, initial=np.inf) for m in members], axis=1)
    np.fill_diagonal(land_rows, False)
    np.fill_diagonal(sea_rows, np.inf)
    for array in (land_rows, sea_rows):
        array.setflags(write=False)
    return land_rows, sea_rows
