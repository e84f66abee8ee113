"""Reading exports on Spark: one task per file runs the existing reader (bibliomap.io) and writes Parquet.

Each task parses its export, normalizes the records (``io.ingest.read_one_file``) and
writes them as one Parquet file with the Corpus schema into a staging folder; only the
file's path and its ingest report entry go back to the driver, never the records. The
driver then opens the Parquet files and merges duplicates with the same rules as
in-process (``io.ingest``; with the Spark engine the duplicate links are found on the
cluster, ``spark_dedup``), so the corpus and the report are identical.

The tasks run through the DataFrame API (``mapInArrow`` over one row per file), so reading
works on a classic session and on Spark Connect alike. The exports must be readable at the
same path on the executors, and the staging folder (``spark.bibliomap.stagingDir``, default
a temporary folder on the driver's machine, right for local mode) must be shared by the
executors and the driver on a cluster; the executors need bibliomap installed.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: the Spark setting naming a folder shared by executors and driver for the Parquet files the tasks write
STAGING_CONF = "spark.bibliomap.stagingDir"
RESULT_SCHEMA = "index long, parquet string, report string"


def _read_task(paths: list[str], format: str | None, staging: str, batches: Iterator[Any]) -> Iterator[Any]:
    """One task: each file index in its batches read, written as Parquet, and (index, Parquet path, report) returned."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bibliomap.io.ingest import read_one_file
    from bibliomap.corpus.schema import SCHEMA

    for batch in batches:
        out_index, out_path, out_report = [], [], []
        for index in batch.column(0).to_pylist():
            tables, report = read_one_file(Path(paths[index]), format)
            table = pa.concat_tables(tables) if tables else SCHEMA.empty_table()
            target = os.path.join(staging, f"part-{index:06d}.parquet")
            pq.write_table(table, target + ".tmp", compression="zstd")
            os.replace(target + ".tmp", target)
            out_index.append(index)
            out_path.append(target)
            out_report.append(json.dumps(report))
        yield pa.RecordBatch.from_arrays([pa.array(out_index, pa.int64()), pa.array(out_path, pa.string()),
                                          pa.array(out_report, pa.string())], names=["index", "parquet", "report"])


def read_to_parquet(spark: Any, files: list[Path], format: str | None, staging: str) -> list[tuple[str, dict]]:
    """Read ``files`` in Spark tasks (one per file) into Parquet files under ``staging``: per file (path, report)."""
    from bibliomap.engines.spark_session import quiet_pandas_warning

    paths = [str(Path(f).resolve()) for f in files]
    tasks = spark.range(0, len(paths), 1, len(paths))  # one row, so one task, per file
    with quiet_pandas_warning():
        done = tasks.mapInArrow(functools.partial(_read_task, paths, format, staging), RESULT_SCHEMA).toPandas()
    by_index = {int(i): (p, json.loads(r)) for i, p, r in zip(done["index"], done["parquet"], done["report"])}
    return [by_index[i] for i in range(len(paths))]


def spark_file_reader(spark: Any):
    """A ``read_files`` function for :func:`bibliomap.io.ingest.ingest` that reads on ``spark``."""

    def read_files(files: list[Path], format: str | None) -> list[Any]:
        import pyarrow.parquet as pq

        if not files:
            return []
        shared = spark.conf.get(STAGING_CONF, None)
        staging = tempfile.mkdtemp(prefix="bibliomap-spark-read-", dir=shared or None)
        try:
            landed = read_to_parquet(spark, files, format, staging)
            out = []
            for given, (parquet, report) in zip(files, landed):  # the report names each file as given, as in-process
                table = pq.read_table(parquet, memory_map=True)
                out.append(([table] if table.num_rows else [], {**report, "path": str(given)}))
            return out
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    return read_files
