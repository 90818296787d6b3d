"""Joint military exercises: costly signals between allies and friends facing a common threat.

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
from sim.mechanisms.axes import zero_diagonal
from sim.world_state import PAIR, STATE, Field

if TYPE_CHECKING:
    from sim.ensemble import Ensemble

STATE = {
    "exercised": Field(PAIR, "the pair exercised together this year", dtype=bool),
    "exercising": Field(STATE, "the state exercised this year, not yet trained", dtype=bool),
}


def hold_pairs(
    world: Ensemble, pairs: tuple[np.ndarray, ...], origin: str, shifts: Shifts | None = None
) -> None:
    """The pairs ``(run, a, b)`` exercise together, each once a year.

    The affinity shifts are added to ``shifts`` when given (decided exercises, applied
    with the year's other decisions), else applied at once (a scenario event).
    """
    p, s = world.params.exercises, world.state
    run, a, b = pairs
    proposed = np.zeros(s.exercised.shape, bool)  # each pair once, as (lower, higher) row
    proposed[run, np.minimum(a, b), np.maximum(a, b)] = True
    zero_diagonal(proposed, False)
    held = np.nonzero(proposed & ~s.exercised)
    run, a, b = held
    if len(a) == 0:
        return
    s.exercised[run, a, b] = s.exercised[run, b, a] = True
    s.exercising[run, a] = s.exercising[run, b] = True
    pending = Shifts(s.affinity.shape) if shifts is None else shifts
    pending.add(held, p.affinity_gain[run])
    rival, has_rival = common_rivals(s.threat, run, a, b)
    for side in (a, b):
        irritated = (run[has_rival], side[has_rival], rival[has_rival])
        pending.add(irritated, -p.rival_irritation[irritated[0]])
    if shifts is None:
        pending.apply(world)
    world.log_many("exercise", *held, 1.0, origin)


def common_rivals(
    threat: np.ndarray,
    run: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    chunk: int = 512,
) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's common rival: the row that most threatens both (the larger of their minima).

    Args:
        threat: [run, row, rival] how much each row is threatened by each other row.
        run: Each pair's run.
        a: The first row of each pair.
        b: The second row of each pair.
        chunk: Pairs handled at once; the (pairs × rows) minima are built a chunk at a
            time, so that they stay small (in world_all.yaml a year's 2,900 pairs
            would otherwise make three 4.5 MB temporaries, each in fresh memory the
            system has to zero, at seven times the cost).

    Returns:
        The rival of every pair (the first on a tie), and whether the pair shares any
        threat at all (a positive minimum).
    """
    rival = np.empty(len(a), dtype=np.intp)
    has_rival = np.empty(len(a), dtype=bool)
    for start in range(0, len(a), chunk):
        part = slice(start, start + chunk)
        runs = run[part]
        shared = np.minimum(threat[runs, a[part]], threat[runs, b[part]])
        rival[part] = shared.argmax(axis=1)
        has_rival[part] = shared[np.arange(len(shared)), rival[part]] > 0
    return rival, has_rival


def hold(world: Ensemble, run: int, participants: list[int], origin: str) -> None:
    """Every pair of participants exercises together once this year, in one run."""
    a, b = np.triu_indices(len(participants), k=1)
    members = np.asarray(participants, dtype=int)
    hold_pairs(world, (np.full(len(a), run), members[a], members[b]), origin)


def train(world: Ensemble) -> None:
    """This year's readiness gain and cost, once for each state that exercised."""
    p, s = world.params.exercises, world.state
    x = s.exercising
    trained = s.capability * (1.0 + p.readiness_gain[:, None]) - p.cost_share[:, None] * s.milex
    s.capability[x] = np.maximum(trained, 0.0)[x]
    s.exercising[...] = False


def propose_exercises(world: Ensemble, deciding: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every state invites allies or like-minded states sharing a threat: (run, proposer, partner).

    Each qualifying pair (affinity ≥ ``min_affinity``, allied or facing the same main
    threat from a third state: ``threat.same_main_threat``) is invited with chance
    ``rate`` by each side; a pair both sides invite exercises once.

    Args:
        world: The world as the year starts (not changed).
        deciding: [row] the states deciding this year.
    """
    p, s = world.params.exercises, world.state
    partners = (
        deciding[:, None]
        & s.acts[None, :]
        & (s.affinity >= p.min_affinity[:, None, None])
        & ((s.allied > 0) | s.shared_threat)
    )
    zero_diagonal(partners, False)
    return draws.pairs(world.rngs, partners, p.rate)


def conduct(world: Ensemble, proposals: tuple[np.ndarray, ...], shifts: Shifts) -> None:
    """Hold the year's proposed exercises together (after every decision)."""
    if len(proposals[0]):
        hold_pairs(world, proposals, "decision", shifts)
