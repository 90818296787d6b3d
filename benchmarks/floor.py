"""The model's yearly arithmetic as bare numpy: the floor `sim` is measured against.

No Mesa, no agents, no events, no logging, no recording: one function per year
doing the same n×n arithmetic as the model's mechanisms — the estimated hostility,
threat and shared threat, the estimated alliance hazards, the exercise decisions
drawn for every pair at once,
sanctions (intensity, trade cut, growth penalty), gravity trade with its adjustment,
growth with convergence, military spending and the capability stock, affinity
with its estimated anchor, reversion, dependence and noise, ideal points, and the
power index. It starts from the
same packaged world as the model (`sim.world.build_world`).
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from sim.mechanisms.estimated import coefficients
from sim.scenario.schema import Parameters
from sim.world import build_world


def start(states: list[str], params: Parameters) -> dict[str, np.ndarray]:
    """The arrays of the starting world (acting states, then ROW)."""
    world = build_world(states, params.military.depreciation)
    a = world.attributes
    n = len(world.ids)
    gdp0 = a["gdp_usd_bn"].copy()
    acts = np.ones(n, bool)
    acts[-1] = False
    return {
        "gdp0": gdp0,
        "gdp": gdp0.copy(),
        "trend": a["growth_trend_pct"] / 100.0,
        "sd": a["growth_sd_pct"] / 100.0,
        "milex_share0": np.divide(a["milex_usd_bn"], gdp0, out=np.zeros(n), where=gdp0 > 0),
        "capability": world.capability.copy(),
        "energy0": a["energy_consumption_ej"].copy(),
        "population": a["population_m"].copy(),
        "trade0": world.trade.copy(),
        "deviation": np.zeros((n, n)),
        "affinity0": world.affinity.copy(),
        "affinity": world.affinity.copy(),
        "allied0": world.allied.copy(),
        "allied": world.allied.copy(),
        "distance": world.distance.copy(),
        "sanctions": np.zeros((5, n, n)),
        "arms_flow": world.arms.copy() / 1000.0,
        "acts": acts,
        "threat0": np.zeros(n),
        **{name: np.asarray(value).copy() for name, value in world.record.items()},
        "ideal0": world.record["ideal_point"].copy(),
    }


def logit(model: str, x: dict[str, np.ndarray]) -> np.ndarray:
    """The estimated model's probability, its linear predictor written out term by term."""
    eta = 0.0
    for term, coef in coefficients(model).items():
        if term == "const":
            eta = eta + coef
        elif term not in ("residual_sd", "shock_sd"):
            eta = eta + coef * x[term]
    return expit(eta)


def cubic(years: np.ndarray, name: str) -> dict[str, np.ndarray]:
    t = np.minimum(years, 25.0) / 10.0
    return {name: t, name + "_sq": t**2, name + "_cu": t**3}


def step(w: dict[str, np.ndarray], p: Parameters, rng: np.random.Generator) -> None:
    """One year of the model's arithmetic, vectorised over every state and pair."""
    n = len(w["gdp"])
    acts = w["acts"]
    # estimated hostility, threat, and who shares a main threat
    x = w["ideal_point"]
    ideal_distance = np.abs(x[:, None] - x[None, :])
    cinc = np.log(w["capability"] / w["capability"].sum() + 1e-12)  # stands in for CINC
    ratio_gap = np.abs(cinc[:, None] - cinc[None, :])
    polyarchy = w["polyarchy"]
    h = logit(
        "hostility",
        {
            "contiguous": w["contiguous"],
            "log_distance": w["log_distance"],
            "rival": w["rival"],
            "min_polyarchy": np.minimum(polyarchy[:, None], polyarchy[None, :]),
            "pact_lag": w["allied"],
            "log_cinc_ratio": ratio_gap,
            "major_power": np.maximum(w["major_power"][:, None], w["major_power"][None, :]),
            "ideal_distance": ideal_distance,
            **cubic(w["peace_years"] + 1.0, "peace_years"),
        },
    )
    h *= acts[:, None] & acts[None, :]
    np.fill_diagonal(h, 0.0)
    k = w["capability"]
    total = k[:, None] + k[None, :]
    theta = h * np.divide(k[None, :], total, out=np.zeros((n, n)), where=total > 0)
    rival = theta.argmax(axis=1)
    shared = (rival[:, None] == rival[None, :]) & (theta.max(axis=1) > 0)[:, None]
    # estimated alliance hazards, every pair at once
    upper = np.triu(np.ones((n, n), bool), 1) & acts[:, None] & acts[None, :]
    draws = rng.random((3, n, n))
    allied = w["allied"] > 0
    form_p = logit(
        "alliance_formation",
        {
            "common_rival": w["common_rival"],
            "ideal_distance": ideal_distance,
            "polyarchy_gap": np.abs(polyarchy[:, None] - polyarchy[None, :]),
            "log_cinc_ratio": ratio_gap,
            "contiguous": w["contiguous"],
            "log_distance": w["log_distance"],
            "ever_allied": w["ever_allied"],
            **cubic(w["pact_gap_years"] + 1.0, "pact_gap_years"),
        },
    )
    end_p = logit(
        "alliance_termination",
        {
            "min_polyarchy": np.minimum(polyarchy[:, None], polyarchy[None, :]),
            "capability_shift": np.zeros((n, n)),
            "regime_change": 0.0,
            "outside_pact": np.zeros((n, n)),
            "log_pact_years": np.log(np.maximum(w["pact_years"], 1.0)),
        },
    )
    form = upper & ~allied & (draws[0] < form_p)
    brk = upper & allied & (draws[1] < end_p)
    w["allied"] = np.where(form | form.T, 1.0, np.where(brk | brk.T, 0.0, w["allied"]))
    now = w["allied"] > 0
    w["pact_years"] = np.where(now, w["pact_years"] + 1.0, 0.0)
    w["pact_gap_years"] = np.where(now, 0.0, w["pact_gap_years"] + 1.0)
    w["ever_allied"] = np.maximum(w["ever_allied"], w["allied"])
    exercise = (
        upper
        & (w["affinity"] >= p.exercises.min_affinity)
        & (allied | shared)
        & (draws[2] < p.exercises.rate)
    )
    exercise = exercise | exercise.T
    w["affinity"] = np.clip(w["affinity"] + p.exercises.affinity_gain * exercise, 0.0, 1.0)
    trained = exercise.any(axis=1)
    w["capability"][trained] *= 1.0 + p.exercises.readiness_gain
    # sanctions: intensity between pairs, trade cut, growth penalty
    between = w["sanctions"].max(axis=0)
    between = np.maximum(between, between.T)
    cut = np.clip(w["sanctions"][0] + w["sanctions"][0].T, 0.0, 1.0)
    loss = p.sanctions.growth_penalty.finance * w["sanctions"][1].max(axis=0)
    # trade: gravity path, policy target, partial adjustment
    ratio = np.divide(w["gdp"], w["gdp0"], out=np.ones(n), where=w["gdp0"] > 0)
    gravity = w["trade0"] * np.sqrt(np.outer(ratio, ratio))
    policy = np.clip(
        1.0 + p.trade.affinity_elasticity * (w["affinity"] - w["affinity0"]), 0.0, None
    ) * (1.0 + p.trade.alliance_bonus * (w["allied"] - w["allied0"]))
    target = gravity * (1.0 - cut) * policy
    w["deviation"] += p.trade.adjustment_rate * (target - gravity - w["deviation"])
    trade = np.clip(gravity + w["deviation"], 0.0, None)
    gap = np.divide(
        trade.sum(axis=1) - gravity.sum(axis=1), w["gdp"], out=np.zeros(n), where=w["gdp"] > 0
    )
    # economy
    shock = rng.normal(size=n) * w["sd"] * p.economy.growth_shock_scale
    growth = (
        w["trend"]
        - p.economy.convergence * np.log(ratio)
        + shock
        + p.economy.trade_gdp_elasticity * gap
        - loss
    )
    w["gdp"] = w["gdp"] * (1.0 + np.maximum(growth, -0.5))
    # military
    rise = theta.max(axis=1) - w["threat0"]
    milex = w["milex_share0"] * np.clip(1.0 + p.military.threat_response * rise, 0, None)
    milex = milex * w["gdp"]
    w["capability"] = (
        (1.0 - p.military.depreciation) * w["capability"]
        + milex
        + p.arms.capability_factor * w["arms_flow"].sum(axis=0)
    )
    # ideal points: the estimated AR(1) with the pull of allies
    c = coefficients("ideal_points")
    mass = w["allied"].sum(axis=1)
    mean = np.divide(w["allied"] @ x, mass, out=x.copy(), where=mass > 0)
    w["ideal_point"] = (
        c["const"] + c["ideal_lag"] * x + c["ally_gap"] * (mean - x)
        + c["shock_sd"] * rng.normal(size=n)
    )  # fmt: skip

    # affinity, anchored on the agreement ideal points and ties predict
    def agreement(ideal: np.ndarray, allied: np.ndarray) -> np.ndarray:
        gap = np.abs(ideal[:, None] - ideal[None, :])
        return logit("alignment", {"ideal_distance": gap, "pact": allied, "rival": w["rival"]})

    noise = rng.normal(size=(n, n))
    anchor = (
        w["affinity0"]
        + agreement(w["ideal_point"], w["allied"])
        - agreement(w["ideal0"], w["allied0"])
    )
    arms = np.divide(w["arms_flow"], w["arms_flow"].sum(axis=0)[None, :] + 1e-12)
    change = (
        p.affinity.reversion * (anchor - w["affinity"])
        - p.sanctions.affinity_loss * between
        + p.arms.dependence * (arms + arms.T)
        + p.affinity.noise * (noise + noise.T) / np.sqrt(2.0)
    )
    w["affinity"] = np.clip(w["affinity"] + change, 0.0, 1.0)
    np.fill_diagonal(w["affinity"], 1.0)
    # power index
    weights = p.power.weights
    energy = w["energy0"] * ratio**p.economy.energy_gdp_elasticity
    w["power"] = (
        weights.military * w["capability"] / w["capability"].sum()
        + weights.economy * w["gdp"] / w["gdp"].sum()
        + weights.energy * energy / max(energy.sum(), 1e-12)
        + weights.population * w["population"] / w["population"].sum()
    )


def run(states: list[str], years: int, seed: int, params: Parameters | None = None) -> None:
    """One bare-numpy run of ``years`` years."""
    params = params or Parameters()
    rng = np.random.default_rng(seed)
    world = start(states, params)
    for _ in range(years):
        step(world, params, rng)
