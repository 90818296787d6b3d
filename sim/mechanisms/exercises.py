"""Joint military exercises: costly signals between friends facing a common threat.

States propose exercises while deciding; the year's exercises are held together
once every state has decided. Each pair that exercises together raises its
affinity by ``affinity_gain`` and lowers both partners' affinity with their
common rival by ``rival_irritation``.
A state that holds at least one exercise in a year pays ``cost_share`` of its
yearly military spending out of its capability stock and gains ``readiness_gain``
of that stock — once a year, however many partners it trains with (training is
a yearly programme, not a per-partner bonus; per partner it would compound
without bound in a world of many small states).

References:
    Fearon (1997), "Signaling Foreign Policy Interests" (costly signals).
    Joint Sea 2014, Chinese-Russian naval exercise (sim/data/README.md, events_2014).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.agents import State
    from sim.model import WorldModel


def hold_pairs(model: WorldModel, a: np.ndarray, b: np.ndarray, origin: str) -> None:
    """Pairs ``(a[k], b[k])`` exercise together (each pair at most once a year)."""
    p = model.params.exercises
    a, b = np.asarray(a, dtype=int), np.asarray(b, dtype=int)
    pairs = np.unique(np.minimum(a, b) * model.n + np.maximum(a, b))
    a, b = np.divmod(pairs, model.n)
    new = ~model.exercised[a, b] & (a != b)
    a, b = a[new], b[new]
    if len(a) == 0:
        return
    model.exercised[a, b] = model.exercised[b, a] = True
    model.exercising[a] = model.exercising[b] = True
    model.shift_affinities(a, b, p.affinity_gain)
    shared = np.minimum(model.threat[a], model.threat[b])
    rival = shared.argmax(axis=1)
    has_rival = shared[np.arange(len(a)), rival] > 0
    for side in (a, b):
        model.shift_affinities(side[has_rival], rival[has_rival], -p.rival_irritation)
    model.log_many("exercise", a, b, 1.0, origin)


def hold(model: WorldModel, participants: list[int], origin: str) -> None:
    """Every pair of participants exercises together once this year."""
    a, b = np.triu_indices(len(participants), k=1)
    members = np.asarray(participants, dtype=int)
    hold_pairs(model, members[a], members[b], origin)


def train(model: WorldModel) -> None:
    """This year's readiness gain and cost, once for each state that exercised."""
    p = model.params.exercises
    x = model.exercising
    model.capability[x] = np.maximum(
        model.capability[x] * (1.0 + p.readiness_gain) - p.cost_share * model.milex[x], 0.0
    )
    model.exercising[:] = False


def propose_exercises(agent: State) -> None:
    """Invite allies or like-minded states that share a threat to exercise together."""
    model = agent.model
    p = model.params.exercises
    i = agent.index
    partners = (
        model.acts
        & (model.affinity[i] >= p.min_affinity)
        & ((model.allied[i] > 0) | model.shared_threat[i])
    )
    partners[i] = False
    draws = model.rng.random(model.n)
    chosen = np.nonzero(partners & (draws < p.rate))[0]
    if len(chosen):
        model.proposed_exercises.append((np.full(len(chosen), i), chosen))


def conduct(model: WorldModel) -> None:
    """Hold the year's proposed exercises together, then train (after every decision)."""
    if model.proposed_exercises:
        a = np.concatenate([pair[0] for pair in model.proposed_exercises])
        b = np.concatenate([pair[1] for pair in model.proposed_exercises])
        model.proposed_exercises.clear()
        hold_pairs(model, a, b, "decision")
    train(model)
