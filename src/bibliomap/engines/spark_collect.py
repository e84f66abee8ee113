"""Bringing a Spark result into this process through Parquet files, not through the driver JVM's memory.

``toPandas`` streams every row of a result through the driver JVM; results of tens of millions
of rows (the links of a large network, the documents x terms table of a million abstracts) were
lost there with a 4 GB driver ("TaskResultLost"). Instead the executors write the result as
Parquet into a temporary folder of the staging folder (``spark.bibliomap.stagingDir``, shared by
executors and this process on a cluster, as for reading) and this process reads it with pyarrow.
Rows come back in the result's partition order, as with ``toPandas``.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bibliomap.engines.spark_session import quiet_pandas_warning


def collected_table(frame: Any) -> pa.Table:
    """All rows of the Spark DataFrame ``frame`` as an Arrow table (one Spark job)."""
    from bibliomap.engines.spark_reading import STAGING_CONF

    spark = frame.sparkSession
    folder = tempfile.mkdtemp(prefix="bibliomap-spark-result-", dir=spark.conf.get(STAGING_CONF, None) or None)
    try:
        target = os.path.join(folder, "rows")
        frame.write.parquet(target)
        table = pq.read_table(target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
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
