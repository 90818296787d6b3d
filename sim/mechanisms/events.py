"""The scenario's dated events, applied at the start of the year they are dated."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sim.mechanisms import alliances, arms, exercises, pipelines, sanctions
from sim.scenario.schema import (
    AllianceEvent,
    ArmsDealEvent,
    ExerciseEvent,
    GrowthShockEvent,
    PipelineEvent,
    PriceEvent,
    SanctionEvent,
    ScenarioConfig,
    TradeAgreementEvent,
)

if TYPE_CHECKING:
    from sim.ensemble import Ensemble

ORIGIN = "scenario"


def _sanction(world: Ensemble, run: int, event: SanctionEvent) -> None:
    senders = [world.index[s] for s in event.senders]
    target = world.index[event.target]
    sanctions.impose(world, run, senders, target, event.sectors.model_dump(), ORIGIN)


def _arms_deal(world: Ensemble, run: int, event: ArmsDealEvent) -> None:
    seller, buyer = world.index[event.seller], world.index[event.buyer]
    arms.sign(world, run, seller, buyer, event.value_usd_bn, event.delivery_years, ORIGIN)


def _pipeline(world: Ensemble, run: int, event: PipelineEvent) -> None:
    pipelines.sign(
        world,
        run,
        world.index[event.exporter],
        world.index[event.importer],
        event.capacity_bcm,
        event.first_gas,
        event.ramp_years,
        event.duration_years,
        ORIGIN,
        event.price_usd_mmbtu,
    )


def _alliance(world: Ensemble, run: int, event: AllianceEvent) -> None:
    members = [world.index[s] for s in event.members]
    for pos, a in enumerate(members):
        for b in members[pos + 1 :]:
            alliances.set_pledge(world, run, a, b, event.action == "form", ORIGIN)


def _exercise(world: Ensemble, run: int, event: ExerciseEvent) -> None:
    exercises.hold(world, run, [world.index[s] for s in event.participants], ORIGIN)


def _price(world: Ensemble, run: int, event: PriceEvent) -> None:
    world.state.price_index[run] = event.index
    world.log(run, "energy_price", "", "", event.index, ORIGIN)


def _growth_shock(world: Ensemble, run: int, event: GrowthShockEvent) -> None:
    rows = [world.index[s] for s in event.states] or list(range(world.n))
    world.state.growth_shock[run, rows] += event.change_pct / 100.0
    for row in rows:
        world.log(run, "growth_shock", world.ids[row], "", event.change_pct, ORIGIN)


def _trade_agreement(world: Ensemble, run: int, event: TradeAgreementEvent) -> None:
    members = [world.index[s] for s in event.members]
    bonus = world.state.trade_bonus[run]
    for pos, a in enumerate(members):
        for b in members[pos + 1 :]:
            bonus[a, b] = bonus[b, a] = event.trade_bonus
            ids = world.ids
            world.log(run, "trade_agreement", ids[a], ids[b], event.trade_bonus, ORIGIN)


_HANDLERS = {
    "trade_agreement": _trade_agreement,
    "growth_shock": _growth_shock,
    "sanction": _sanction,
    "arms_deal": _arms_deal,
    "pipeline": _pipeline,
    "alliance": _alliance,
    "exercise": _exercise,
    "energy_price": _price,
}


class Schedule:
    """A run's events by year; sanctions with an ``end`` are lifted in their end year."""

    def __init__(self, config: ScenarioConfig):
        self.starts: dict[int, list] = defaultdict(list)
        self.ends: dict[int, list[SanctionEvent]] = defaultdict(list)
        events = sorted(config.active_events().items(), key=lambda item: (item[1].year, item[0]))
        for _, event in events:
            self.starts[event.year].append(event)
            if isinstance(event, SanctionEvent) and event.end is not None:
                self.ends[event.end].append(event)

    def apply(self, world: Ensemble, run: int, year: int) -> None:
        """In one run: lift sanctions ending this year, then apply the events dated this year."""
        for event in self.ends.get(year, []):
            senders = [world.index[s] for s in event.senders]
            sanctions.lift(world, run, senders, world.index[event.target], ORIGIN)
        for event in self.starts.get(year, []):
            _HANDLERS[event.kind](world, run, event)
