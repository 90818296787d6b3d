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

from sim.mechanisms import draws
from sim.mechanisms.affinity import Shifts
from sim.mechanisms.batch import at, zero_diagonal

if TYPE_CHECKING:
    from sim.model import WorldModel


def hold_pairs(
    model: WorldModel, pairs: tuple[np.ndarray, ...], origin: str, shifts: Shifts | None = None
) -> None:
    """The pairs ``(a, b)`` (after their run, if any) exercise together, each once a year.

    The affinity shifts are added to ``shifts`` when given (decided exercises, applied
    with the year's other decisions), else applied at once (a scenario event).
    """
    p = model.params.exercises
    *run, a, b = pairs
    proposed = np.zeros(model.exercised.shape, bool)  # each pair once, as (lower, higher) row
    proposed[(*run, np.minimum(a, b), np.maximum(a, b))] = True
    zero_diagonal(proposed, False)
    held = np.nonzero(proposed & ~model.exercised)
    *run, a, b = held
    if len(a) == 0:
        return
    model.exercised[(*run, a, b)] = model.exercised[(*run, b, a)] = True
    model.exercising[(*run, a)] = model.exercising[(*run, b)] = True
    pending = Shifts(model.affinity.shape) if shifts is None else shifts
    pending.add(held, at(p.affinity_gain, held))
    rival, has_rival = common_rivals(model.threat, a, b, run=tuple(run))
    for side in (a, b):
        irritated = (*(r[has_rival] for r in run), side[has_rival], rival[has_rival])
        pending.add(irritated, -at(p.rival_irritation, irritated))
    if shifts is None:
        pending.apply(model)
    model.log_many("exercise", *held, 1.0, origin)


def common_rivals(
    threat: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    chunk: int = 512,
    run: tuple[np.ndarray, ...] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's common rival: the row that most threatens both (the larger of their minima).

    Args:
        threat: [row, rival] how much each row is threatened by each other row.
        a: The first row of each pair.
        b: The second row of each pair.
        chunk: Pairs handled at once; the (pairs × rows) minima are built a chunk at a
            time, so that they stay small (in world_all.yaml a year's 2,900 pairs
            would otherwise make three 4.5 MB temporaries, each in fresh memory the
            system has to zero, at seven times the cost).
        run: In an ensemble, each pair's run.

    Returns:
        The rival of every pair (the first on a tie), and whether the pair shares any
        threat at all (a positive minimum).
    """
    rival = np.empty(len(a), dtype=np.intp)
    has_rival = np.empty(len(a), dtype=bool)
    for start in range(0, len(a), chunk):
        part = slice(start, start + chunk)
        runs = tuple(r[part] for r in run)
        shared = np.minimum(threat[(*runs, a[part])], threat[(*runs, b[part])])
        rival[part] = shared.argmax(axis=1)
        has_rival[part] = shared[np.arange(len(shared)), rival[part]] > 0
    return rival, has_rival


def hold(model: WorldModel, participants: list[int], origin: str) -> None:
    """Every pair of participants exercises together once this year."""
    a, b = np.triu_indices(len(participants), k=1)
    members = np.asarray(participants, dtype=int)
    hold_pairs(model, (members[a], members[b]), origin)


def train(model: WorldModel) -> None:
    """This year's readiness gain and cost, once for each state that exercised."""
    p = model.params.exercises
    x = model.exercising
    trained = model.capability * (1.0 + p.readiness_gain) - p.cost_share * model.milex
    model.capability[x] = np.maximum(trained, 0.0)[x]
    model.exercising[...] = False


def propose_exercises(model: WorldModel, deciding: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every state invites allies or like-minded states sharing a threat: (proposer, partner).

    Each qualifying pair (affinity ≥ ``min_affinity``, allied or sharing a threat ≥
    ``alliances.min_common_threat``) is invited with chance ``rate`` by each side; a
    pair both sides invite exercises once.

    Args:
        model: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    p = model.params.exercises
    partners = (
        deciding[:, None]
        & model.acts[None, :]
        & (model.affinity >= p.min_affinity)
        & ((model.allied > 0) | model.shared_threat)
    )
    zero_diagonal(partners, False)
    return draws.pairs(model.rng, partners, p.rate)


def conduct(model: WorldModel, proposals: tuple[np.ndarray, ...], shifts: Shifts) -> None:
    """Hold the year's proposed exercises together (after every decision), then train."""
    if len(proposals[0]):
        hold_pairs(model, proposals, "decision", shifts)
