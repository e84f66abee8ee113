"""Moving tables between this process and Spark through Parquet files in the staging folder, not through the driver JVM.

``createDataFrame`` and ``toPandas`` carry every row through the driver JVM's memory: a million
abstracts going in, or tens of millions of links coming back, do not fit a 4 GB driver
("TaskResultLost"). Instead both directions go through Parquet files in a temporary folder of
the staging folder (``spark.bibliomap.stagingDir``, which executors and this process share on a
cluster, as for reading exports; the system's temporary folder in local mode):

- in (``staged_frame``): this process writes the table with pyarrow, the executors read the files;
- out (``collected_table``): the executors write the result, this process reads it with pyarrow,
  rows in the result's partition order, as with ``toPandas``; ``collected_columns`` reads numeric
  columns straight into numpy arrays, one row group at a time, for results too large for the
  Arrow and pandas copies (the selected terms' occurrences of millions of abstracts).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bibliomap.engines.spark_session import quiet_pandas_warning

#: rows per Parquet file of a staged table: each file is at least one input split of the executors' scan
ROWS_PER_FILE = 1_000_000


@contextlib.contextmanager
def staging_folder(spark: Any, prefix: str) -> Iterator[str]:
    """A new temporary folder inside the staging folder of ``spark``, removed with what it holds at the end."""
    from bibliomap.engines.spark_reading import STAGING_CONF

    folder = tempfile.mkdtemp(prefix=prefix, dir=spark.conf.get(STAGING_CONF, None) or None)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def staged_frame(spark: Any, table: pa.Table, folder: str, rows_per_file: int = ROWS_PER_FILE) -> Any:
    """``table`` as a Spark DataFrame that the executors read from Parquet files written into ``folder``
    (``staging_folder``, which must outlive every use of the DataFrame: Spark reads lazily). The column
    types are Parquet's for the table's Arrow types (int64: long, float64: double, string: string)."""
    target = os.path.join(folder, "rows")
    os.makedirs(target, exist_ok=True)
    for k in range(max(1, -(-table.num_rows // rows_per_file))):
        pq.write_table(table.slice(k * rows_per_file, rows_per_file), os.path.join(target, f"part-{k:05d}.parquet"))
    return spark.read.parquet(target)


@contextlib.contextmanager
def written_result(frame: Any) -> Iterator[str]:
    """The folder of Parquet files the executors write ``frame`` into (one Spark job), removed at the end of the block."""
    with staging_folder(frame.sparkSession, "bibliomap-spark-result-") as folder:
        target = os.path.join(folder, "rows")
        frame.write.parquet(target)
        yield target


def collected_table(frame: Any) -> pa.Table:
    """All rows of the Spark DataFrame ``frame`` as an Arrow table (one Spark job)."""
    with written_result(frame) as target:
        table = pq.read_table(target)
    if table.num_rows == 0:  # an empty result may leave no file to carry the columns
        with quiet_pandas_warning():
            return pa.Table.from_pandas(frame.toPandas(), preserve_index=False)
    return table.select(frame.columns)


def collected_frame(frame: Any) -> pd.DataFrame:
    """All rows of the Spark DataFrame ``frame`` as pandas, the columns typed as ``toPandas`` types them."""
    table = collected_table(frame)
    with quiet_pandas_warning():
        like = frame.limit(0).toPandas()
    out = table.to_pandas()
    return out.astype(like.dtypes.to_dict()) if len(out) else like


def collected_columns(frame: Any, columns: dict[str, Any],
                      before_reading: Callable[[], Any] | None = None) -> dict[str, np.ndarray]:
    """The numeric ``columns`` (name: numpy dtype) of the Spark DataFrame ``frame`` (one Spark job), each
    as one numpy array, rows in the result's partition order.

    Each array is allocated once at its final size and filled one Parquet row group at a time, so
    the peak is the arrays plus one row group (``collected_frame`` holds the Arrow table, its pandas
    copy and a typed copy at once). ``before_reading``: called once the executors have written the
    result, before this process reads it (to release what the job needed, such as a cached table)."""
    with written_result(frame.select(*columns)) as target:
        if before_reading is not None:
            before_reading()
        paths = [os.path.join(target, name) for name in sorted(os.listdir(target)) if name.endswith(".parquet")]
        total = sum(pq.read_metadata(path).num_rows for path in paths)
        out = {name: np.empty(total, dtype) for name, dtype in columns.items()}
        at = 0
        for path in paths:
            with pq.ParquetFile(path) as parquet:
                for group in range(parquet.num_row_groups):
                    part = parquet.read_row_group(group, columns=list(columns))
                    for name in columns:
                        out[name][at:at + part.num_rows] = part.column(name).to_numpy()
                    at += part.num_rows
    return out
