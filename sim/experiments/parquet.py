"""Tables written as Parquet, the same way by every writer (run folders, sweeps, workers)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def write_parquet(table: pd.DataFrame | pa.Table, path: Path) -> None:
    """Write a table as Parquet, dictionary-encoding every column but the floating-point ones.

    Ids, labels, years and run numbers repeat, and shrink to small dictionaries; the
    floats are nearly all distinct, and trying a dictionary on them first only costs
    time (a sweep chunk of the dyads table writes in about 60% of the time and is
    about 6% smaller, docs/performance.md). The values read back are the same.
    """
    if isinstance(table, pd.DataFrame):
        table = pa.Table.from_pandas(table, preserve_index=False)
    repeated = [field.name for field in table.schema if not pa.types.is_floating(field.type)]
    pq.write_table(table, path, use_dictionary=repeated)
