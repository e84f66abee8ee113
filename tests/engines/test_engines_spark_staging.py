"""Tables handed to Spark and results taken back through Parquet files in the staging folder (``spark_staging``)."""
from __future__ import annotations

import os

import numpy as np
import pyarrow as pa


def test_a_staged_table_comes_back_whole_with_its_types_and_the_folder_goes(spark):
    """A table staged in several files (rows_per_file 1,000) is read by the executors and collected back: every
    row, with int64, float64 and string columns (an empty string and a null kept apart); the folder is removed
    at the end of the block; an empty table stages and collects as an empty result with its columns."""
    from bibliomap.engines.spark_staging import collected_table, staged_frame, staging_folder

    rng = np.random.default_rng(3)
    n = 4_321
    texts = [None if k % 97 == 0 else ("" if k % 89 == 0 else f"text {k} é") for k in range(n)]
    table = pa.table({"doc": np.arange(n, dtype=np.int64), "weight": rng.random(n), "text": pa.array(texts, pa.string())})
    with staging_folder(spark, "bibliomap-test-staging-") as folder:
        frame = staged_frame(spark, table, folder, rows_per_file=1_000)
        assert len(os.listdir(os.path.join(folder, "rows"))) == 5
        assert dict(frame.dtypes) == {"doc": "bigint", "weight": "double", "text": "string"}
        back = collected_table(frame.repartition(3)).sort_by("doc")
        assert back.equals(table)
        empty = collected_table(staged_frame(spark, table.slice(0, 0), os.path.join(folder, "empty")))
        assert empty.num_rows == 0 and empty.column_names == ["doc", "weight", "text"]
    assert not os.path.exists(folder)
