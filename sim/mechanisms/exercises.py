"""Joint military exercises: costly signals between friends facing a common threat.

An exercise costs each participant ``cost_share`` of its yearly military spending,
raises both capability stocks by ``readiness_gain`` (a share of the stock), raises
their affinity by ``affinity_gain`` and lowers their affinity with the common rival
by ``rival_irritation``.

References:
    Fearon (1997), "Signaling Foreign Policy Interests" (costly signals).
    Joint Sea 2014, Chinese-Russian naval exercise (sim/data/README.md, events_2014).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.mechanisms.threat import common_threat

if TYPE_CHECKING:
    from sim.agents import State
    from sim.model import WorldModel


def hold(model: WorldModel, participants: list[int], origin: str) -> None:
    """Every pair of participants exercises together once this year."""
    p = model.params.exercises
    for a_pos, a in enumerate(participants):
        for b in participants[a_pos + 1 :]:
            pair = (min(a, b), max(a, b))
            if pair in model.exercised:
                continue
            model.exercised.add(pair)
            for x in pair:
                model.capability[x] += (
                    p.readiness_gain * model.capability[x] - p.cost_share * model.milex[x]
                )
            model.shift_affinity(a, b, p.affinity_gain)
            shared = np.minimum(model.threat[a], model.threat[b])
            rival = int(np.argmax(shared))
            if shared[rival] > 0:
                model.shift_affinity(a, rival, -p.rival_irritation)
                model.shift_affinity(b, rival, -p.rival_irritation)
            model.log("exercise", model.ids[a], model.ids[b], 1.0, origin)


def propose_exercises(agent: State) -> None:
    """Invite allies or like-minded states that share a threat to exercise together."""
    model = agent.model
    p = model.params.exercises
    i = agent.index
    shared = common_threat(model.threat, i)
    partners = (
        model.acts
        & (model.affinity[i] >= p.min_affinity)
        & ((model.allied[i] > 0) | (shared >= model.params.alliances.min_common_threat))
    )
    partners[i] = False
    draws = model.rng.random(model.n)
    for k in np.nonzero(partners & (draws < p.rate))[0]:
        hold(model, [i, int(k)], "decision")
