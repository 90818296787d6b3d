"""Conditional convergence of income per head toward a moving frontier (pure functions).

Trend growth of income per head (a year, as a fraction):

    g_i(t) = g_F + β x_i(t),     x_i(t) = ln(c_i y_F(t) / ŷ_i(t)),

where y_F is the frontier's income per head, growing at g_F a year; ŷ_i the state's
trend income per head; c_i its steady state relative to the frontier (conditional
β-convergence: Barro 1991; Barro & Sala-i-Martin 1992; the OECD long-term model and
the SSP GDP projections, Dellink et al. 2017). The gap to the steady state then
evolves as ``x(t+1) = x(t) + ln(1 + g_F) - ln(1 + g_i(t))``: it closes at about β a
year, and trend growth moves monotonically from its starting value toward g_F.

The steady state is not observed; it is inferred from where trend growth starts:
``initial_gap`` finds the x_i(0) whose mean trend growth over the calibration years
equals the state's observed mean growth of income per head.
"""

from __future__ import annotations

import numpy as np

NEWTON_STEPS = 4
BISECTION_STEPS = 80


def trend_growth(
    gap: np.ndarray,
    frontier_growth: float,
    beta: float,
    below_frontier: np.ndarray | None = None,
    floor: float = 0.0,
) -> np.ndarray:
    """Trend growth of income per head (fraction a year) at a gap ``x`` to the steady state.

    Where ``below_frontier`` is true, trend growth is at least ``floor``.
    """
    growth = frontier_growth + beta * np.asarray(gap, dtype=float)
    if below_frontier is None:
        return growth
    return np.where(below_frontier, np.maximum(growth, floor), growth)


def next_gap(gap: np.ndarray, frontier_growth: float, growth: np.ndarray) -> np.ndarray:
    """The gap one year later: the frontier moves by g_F, trend income by ``growth``."""
    return gap + np.log1p(frontier_growth) - np.log1p(growth)


def below_frontier(gap: np.ndarray, log_steady_state: np.ndarray) -> np.ndarray:
    """Whether trend income is below the frontier's: ln(y_F/ŷ) = x - ln c > 0."""
    return np.asarray(gap) - log_steady_state > 0


def mean_trend_growth(
    gap: np.ndarray, frontier_growth: float, beta: float, years: int
) -> np.ndarray:
    """Mean trend growth of income per head over the first ``years`` years from ``gap``."""
    gap = np.asarray(gap, dtype=float)
    total = np.zeros_like(gap)
    for _ in range(years):
        growth = trend_growth(gap, frontier_growth, beta)
        total += growth
        gap = next_gap(gap, frontier_growth, growth)
    return total / years


def initial_gap(
    target: np.ndarray,
    frontier_growth: float,
    beta: float | np.ndarray,
    years: int,
) -> np.ndarray:
    """The starting gap whose mean trend growth over ``years`` years equals ``target``.

    Args:
        target: Mean growth of income per head to reproduce (fraction a year).
        frontier_growth: g_F, the frontier's growth of income per head.
        beta: β, the speed of convergence (fraction of the log gap closed a year, > 0),
            one for all or one per state.
        years: Length of the calibration period.

    Returns:
        x(0) per state (log points).
    """
    target = np.asarray(target, dtype=float)
    beta = beta * np.ones_like(target)
    # trend growth must stay above -1 along the path: g_F + β x > -1
    low, high = (-0.9 - frontier_growth) / beta, 1.0 / beta
    # the linearised path (x closes at β a year) gives the start; Newton's method on
    # the exact mean, which is smooth and increasing in x(0), finishes the job
    weight = np.mean([(1.0 - beta) ** t for t in range(years)], axis=0)
    gap = np.clip((target - frontier_growth) / (beta * weight), low, high)
    step = 1e-6 / beta
    for _ in range(NEWTON_STEPS):
        error = mean_trend_growth(gap, frontier_growth, beta, years) - target
        slope = (
            mean_trend_growth(gap + step, frontier_growth, beta, years)
            - mean_trend_growth(gap - step, frontier_growth, beta, years)
        ) / (2 * step)
        gap = np.clip(gap - error / slope, low, high)
    missed = np.abs(mean_trend_growth(gap, frontier_growth, beta, years) - target) > 1e-10
    if missed.any():  # far from linear (very fast convergence, extreme growth): bisect
        below, above = low[missed], high[missed]
        for _ in range(BISECTION_STEPS):
            middle = 0.5 * (below + above)
            over = mean_trend_growth(middle, frontier_growth, beta[missed], years) > target[missed]
            above, below = np.where(over, middle, above), np.where(over, below, middle)
        gap[missed] = 0.5 * (below + above)
    return gap


def log_steady_state(gap: np.ndarray, income: np.ndarray, frontier_income: float) -> np.ndarray:
    """The log steady state ln c_i relative to the frontier: x + ln(ŷ / y_F)."""
    income = np.asarray(income, dtype=float)
    with np.errstate(divide="ignore"):
        return np.asarray(gap) + np.log(np.where(income > 0, income, np.nan) / frontier_income)


def log_growth_path(
    gap: np.ndarray,
    frontier_growth: float,
    beta: float | np.ndarray,
    years: int,
    income: np.ndarray | None = None,
    floor: float = 0.0,
) -> np.ndarray:
    """Cumulative log trend growth of income per head after 1, 2, …, ``years`` years.

    With ``income``, ln(ŷ/y_F) at the start, trend growth is at least ``floor`` while
    trend income is below the frontier's, as the model's is. Returns an array with one
    more (last) axis than ``gap``, of length ``years``.
    """
    gap = np.asarray(gap, dtype=float)
    total = np.zeros_like(gap)
    path = []
    for _ in range(years):
        below = None if income is None else income < 0
        growth = trend_growth(gap, frontier_growth, beta, below, floor)
        if income is not None:
            income = income + np.log1p(growth) - np.log1p(frontier_growth)
        total = total + np.log1p(growth)
        gap = next_gap(gap, frontier_growth, growth)
        path.append(total)
    return np.stack(path, axis=-1)


def gap_for(target: np.ndarray, frontier_growth: float, beta: np.ndarray, years: int) -> np.ndarray:
    """The gap whose cumulative log trend growth over ``years`` years equals ``target``.

    Bisection (the cumulative growth rises with the gap), element by element; trend
    growth is kept between -50% and +50% a year.
    """
    target, beta = np.broadcast_arrays(np.asarray(target, float), np.asarray(beta, float))
    low, high = (-0.5 - frontier_growth) / beta, (0.5 - frontier_growth) / beta
    for _ in range(BISECTION_STEPS // 2):
        middle = 0.5 * (low + high)
        reached = log_growth_path(middle, frontier_growth, beta, years)[..., -1]
        over = reached > target
        high, low = np.where(over, middle, high), np.where(over, low, middle)
    return 0.5 * (low + high)


def fit_long_run(
    targets: np.ndarray,
    horizons: np.ndarray,
    anchor: int,
    frontier_growth: float,
    betas: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The gap and the speed β whose trend path best follows a projected path.

    Args:
        targets: Cumulative log growth of income per head from the start to each
            horizon, one row per state (rows × horizons); a row of NaN gives NaN.
        horizons: Years from the start to each target (increasing).
        anchor: The horizon that is reproduced exactly.
        frontier_growth: g_F.
        betas: The speeds tried.

    Returns:
        Per row the starting gap x and β: at each β the gap that meets the anchor
        exactly, and of those the β with the least squared error over all horizons.
    """
    targets = np.asarray(targets, dtype=float)
    horizons = np.asarray(horizons)
    betas = np.asarray(betas, dtype=float)
    known = np.isfinite(targets).all(axis=1)
    gap = np.full(len(targets), np.nan)
    beta = np.full(len(targets), np.nan)
    if not known.any():
        return gap, beta
    wanted = targets[known]
    grid = np.broadcast_to(betas, (len(wanted), len(betas)))
    gaps = gap_for(wanted[:, anchor, None], frontier_growth, grid, int(horizons[anchor]))
    paths = log_growth_path(gaps, frontier_growth, grid, int(horizons.max()))
    reached = paths[..., horizons - 1]  # rows × betas × horizons
    error = ((reached - wanted[:, None, :]) ** 2).sum(axis=-1)
    best = error.argmin(axis=1)
    rows = np.arange(len(wanted))
    gap[known], beta[known] = gaps[rows, best], betas[best]
    return gap, beta
