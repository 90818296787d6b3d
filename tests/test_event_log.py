"""The run's event log: batches in, one table out, in the order things were logged."""

import numpy as np
import pyarrow as pa

from sim.event_log import COLUMNS, EventLog

IDS = ["USA", "CHN", "RUS", "ROW"]


def logged() -> EventLog:
    log = EventLog(IDS)
    log.add(2015, "sanction", "USA", "RUS", 0.5, "western_sanctions")
    log.add_many(2015, "exercise", np.array([0, 1]), np.array([3, 2]), 1.0, "decision")
    log.add(2016, "energy_price", "", "", 1.4, "oil_shock")
    log.add_many(2016, "arms_sale", np.array([2]), np.array([1]), np.array([7.5]), "decision")
    return log


def test_events_come_out_in_the_order_they_were_logged():
    assert list(logged()) == [
        (2015, "sanction", "USA", "RUS", 0.5, "western_sanctions"),
        (2015, "exercise", "USA", "ROW", 1.0, "decision"),
        (2015, "exercise", "CHN", "RUS", 1.0, "decision"),
        (2016, "energy_price", "", "", 1.4, "oil_shock"),
        (2016, "arms_sale", "RUS", "CHN", 7.5, "decision"),
    ]
    assert len(logged()) == 5


def test_the_columns_are_the_events_read_down():
    log = logged()
    columns = log.columns()
    assert tuple(columns) == COLUMNS
    rows = list(zip(*(columns[c].tolist() for c in COLUMNS), strict=True))
    assert rows == list(log)
    assert columns["year"].dtype == np.int32 and columns["magnitude"].dtype == np.float64


def test_a_log_without_events_has_the_table_schema_of_one_with_them():
    empty = pa.table(EventLog(IDS).columns()).schema
    assert empty == pa.table(logged().columns()).schema
    assert empty.field("source").type == pa.string()
    nothing = EventLog(IDS)
    nothing.add_many(2015, "exercise", np.array([], int), np.array([], int), 1.0, "decision")
    assert len(nothing) == 0 and pa.table(nothing.columns()).schema == empty


def test_a_batch_keeps_what_was_logged_when_the_callers_arrays_change():
    log = EventLog(IDS)
    sellers, values = np.array([0, 1]), np.array([2.0, 3.0])
    log.add_many(2015, "arms_sale", sellers, np.array([2, 2]), values, "decision")
    sellers[:] = 3
    values[:] = 0.0
    assert [(e.source, e.magnitude) for e in log] == [("USA", 2.0), ("CHN", 3.0)]
