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
    Scenario,
    TradeAgreementEvent,
)

if TYPE_CHECKING:
    from sim.model import WorldModel

ORIGIN = "scenario"


def _sanction(model: WorldModel, event: SanctionEvent) -> None:
    senders = [model.index[s] for s in event.senders]
    sanctions.impose(model, senders, model.index[event.target], event.sectors.model_dump(), ORIGIN)


def _arms_deal(model: WorldModel, event: ArmsDealEvent) -> None:
    arms.sign(
        model,
        model.index[event.seller],
        model.index[event.buyer],
        event.value_usd_bn,
        event.delivery_years,
        ORIGIN,
    )


def _pipeline(model: WorldModel, event: PipelineEvent) -> None:
    pipelines.sign(
        model,
        model.index[event.exporter],
        model.index[event.importer],
        event.capacity_bcm,
        event.first_gas,
        event.ramp_years,
        event.duration_years,
        ORIGIN,
        event.price_usd_mmbtu,
    )


def _alliance(model: WorldModel, event: AllianceEvent) -> None:
    members = [model.index[s] for s in event.members]
    for pos, a in enumerate(members):
        for b in members[pos + 1 :]:
            alliances.set_pledge(model, a, b, event.action == "form", ORIGIN)


def _exercise(model: WorldModel, event: ExerciseEvent) -> None:
    exercises.hold(model, [model.index[s] for s in event.participants], ORIGIN)


def _price(model: WorldModel, event: PriceEvent) -> None:
    model.price_index = event.index
    model.log("energy_price", "", "", event.index, ORIGIN)


def _growth_shock(model: WorldModel, event: GrowthShockEvent) -> None:
    rows = [model.index[s] for s in event.states] or list(range(model.n))
    model.growth_shock[rows] += event.change_pct / 100.0
    for row in rows:
        model.log("growth_shock", model.ids[row], "", event.change_pct, ORIGIN)


def _trade_agreement(model: WorldModel, event: TradeAgreementEvent) -> None:
    members = [model.index[s] for s in event.members]
    for pos, a in enumerate(members):
        for b in members[pos + 1 :]:
            model.trade_bonus[a, b] = model.trade_bonus[b, a] = event.trade_bonus
            model.log("trade_agreement", model.ids[a], model.ids[b], event.trade_bonus, ORIGIN)


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
    """Events by year; sanctions with an ``end`` are lifted in their end year."""

    def __init__(self, config: Scenario):
        self.starts: dict[int, list] = defaultdict(list)
        self.ends: dict[int, list[SanctionEvent]] = defaultdict(list)
        events = sorted(config.active_events().items(), key=lambda item: (item[1].year, item[0]))
        for _, event in events:
            self.starts[event.year].append(event)
            if isinstance(event, SanctionEvent) and event.end is not None:
                self.ends[event.end].append(event)

    def apply(self, model: WorldModel, year: int) -> None:
        """Lift sanctions ending this year, then apply the events dated this year."""
        for event in self.ends.get(year, []):
            sanctions.lift(
                model, [model.index[s] for s in event.senders], model.index[event.target], ORIGIN
            )
        for event in self.starts.get(year, []):
            _HANDLERS[event.kind](model, event)
