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


def test_collected_columns_keep_partition_order_and_types_and_release_before_reading(spark):
    """``collected_columns`` gives each asked column as one numpy array of the asked type, rows in the frame's
    partition order (a range-partitioned, sorted frame comes back sorted across its files); ``before_reading``
    runs once, after the job; an empty frame gives empty arrays."""
    from pyspark.sql import functions as F

    from bibliomap.engines.spark_staging import collected_columns

    n = 50_000
    frame = spark.range(n).select((F.col("id") * 7 % n).alias("key"), (F.col("id") % 5).alias("count"))
    released = []
    got = collected_columns(frame.repartitionByRange(1, "key").sortWithinPartitions("key"), {"key": np.int64, "count": np.int32},
                            before_reading=lambda: released.append(True))
    assert released == [True]
    assert got["key"].dtype == np.int64 and got["count"].dtype == np.int32
    np.testing.assert_array_equal(got["key"], np.arange(n))
    ordered = collected_columns(frame.repartitionByRange(4, "key").sortWithinPartitions("key"), {"key": np.int64})
    np.testing.assert_array_equal(ordered["key"], np.arange(n))
    empty = collected_columns(frame.where("key < 0"), {"key": np.int64, "count": np.int64})
    assert [len(v) for v in empty.values()] == [0, 0]


def test_sorted_occurrences_match_a_pandas_sort_with_both_countings(spark):
    """The Spark engine's final occurrence table, read as one key per row and sorted here, equals the same rows
    sorted by pandas (doc, term), int64; binary counting gives count 1 without reading the count column."""
    import pandas as pd

    from bibliomap.engines.spark_terms import sorted_occurrences

    rng = np.random.default_rng(8)
    pairs = np.unique(np.column_stack([rng.integers(0, 3_000, 20_000), rng.integers(0, 37, 20_000)]), axis=0)
    table = pd.DataFrame({"doc": pairs[:, 0], "term": pairs[:, 1], "count": rng.integers(1, 9, len(pairs))})
    frame = spark.createDataFrame(table.sample(frac=1, random_state=1)).repartition(5)
    for counting in ("full", "binary"):
        got = sorted_occurrences(frame, 37, counting)
        want = table.sort_values(["doc", "term"]).reset_index(drop=True)
        if counting == "binary":
            want["count"] = 1
        assert got.dtypes.tolist() == [np.int64] * 3
        pd.testing.assert_frame_equal(got, want.astype(np.int64))
