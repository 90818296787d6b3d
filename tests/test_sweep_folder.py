"""How runs reach the disk: a sweep's staged runs, and the Parquet files of every folder."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.experiments.folders import write_parquet
from sim.experiments.sweep.folder import SweepFolder, stage


def _run_tables(run: int) -> dict[str, pa.Table]:
    states = pd.Categorical.from_codes([0, 1, 1], categories=["CHN", "RUS"], ordered=True)
    return {
        "states": pa.table(
            {"run": np.full(3, run, np.int32), "state": states, "gdp": [1.5, 2.0, np.nan]}
        ),
        "events": pa.table({"run": np.zeros(0, np.int32), "kind": pa.array([], pa.string())}),
        "outcomes": pa.table(
            {"run": [np.int32(run)], "polarity": ["bipolar"]}
        ).replace_schema_metadata({"note": "kept"}),
    }


def test_a_staged_run_reads_back_table_for_table(tmp_path):
    folder = SweepFolder(tmp_path)
    tables = _run_tables(7)
    stage(folder.staging, 7, {"tables": tables})
    assert [e.name for e in folder.staging.iterdir()] == ["000000007.arrow"]
    read = folder.read_staged(7)["tables"]
    assert list(read) == list(tables)
    for name, table in tables.items():
        assert read[name].schema.equals(table.schema, check_metadata=True), name
        assert read[name].to_pandas().equals(table.to_pandas()), name  # NaN where it was
    assert read["states"]["state"].type.ordered


def test_a_failed_run_is_staged_as_its_error(tmp_path):
    folder = SweepFolder(tmp_path)
    error = {"error": "ValueError: no", "traceback": "Traceback …"}
    stage(folder.staging, 3, error)
    assert folder.staged() == {3}
    assert folder.read_staged(3) == error


def test_only_finished_stages_count_and_the_rest_is_cleared(tmp_path):
    folder = SweepFolder(tmp_path)
    stage(folder.staging, 1, {"tables": _run_tables(1)})
    stage(folder.staging, 2, {"error": "E", "traceback": ""})
    (folder.staging / ".000000004-99").write_bytes(b"ARROW")  # cut short while writing
    (folder.staging / "000000005").mkdir()  # not a stage this folder writes
    (folder.staging / "000000005" / "states.arrow").write_bytes(b"")
    assert folder.staged() == {1, 2}
    assert sorted(e.name for e in folder.staging.iterdir()) == ["000000001.arrow", "000000002.json"]
    folder.unstage(range(1, 3))
    assert folder.staged() == set()


def test_parquet_tables_read_back_the_same_with_dictionaries_only_where_values_repeat(tmp_path):
    frame = pd.DataFrame(
        {
            "run": np.repeat(np.arange(4, dtype=np.int32), 50),
            "state": pd.Categorical(["CHN", "RUS"] * 100, ordered=True),
            "share": np.random.default_rng(1).random(200),
            "year": np.tile(np.arange(2014, 2064, dtype=np.int32), 4),
        }
    )
    path = tmp_path / "states.parquet"
    write_parquet(frame, path)
    assert pd.read_parquet(path).equals(frame)
    chunks = pq.ParquetFile(path).metadata.row_group(0)
    dictionary = {
        chunks.column(i).path_in_schema: chunks.column(i).has_dictionary_page
        for i in range(chunks.num_columns)
    }
    assert dictionary == {"run": True, "state": True, "share": False, "year": True}
