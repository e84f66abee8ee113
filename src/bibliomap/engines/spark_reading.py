"""Reading exports on Spark: one task per file, or per split of a large file, runs the existing reader and writes Parquet.

Each task parses its export, or a record-aligned byte range of a large one (``io.splits``,
``engines.file_splits``: several tasks parse one file, and the driver renumbers the records
and puts the report entries together as if the file had been read whole), normalizes the
records (``io.ingest.read_one_file``) and writes them as one Parquet file with the Corpus schema into a staging folder; only the
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

import contextlib
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
#: the Spark setting giving the size (bytes) from which one export is read in several tasks, one per split of that size
SPLIT_CONF = "spark.bibliomap.splitBytes"
RESULT_SCHEMA = "index long, parquet string, report string"
LOCATED_SCHEMA = "index long, aligned long, to_start long, in_range long"


def _read_task(work: list[dict[str, Any]], format: str | None, staging: str, prefix: str,
               batches: Iterator[Any]) -> Iterator[Any]:
    """One task: each work item of its batches (a whole file, or a split of one) read, written as Parquet,
    and (index, Parquet path, report) returned."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bibliomap.io.ingest import read_one_file
    from bibliomap.corpus.schema import SCHEMA
    from bibliomap.engines.file_splits import read_part

    for batch in batches:
        out_index, out_path, out_report = [], [], []
        for index in batch.column(0).to_pylist():
            item = work[index]
            if "plan" in item:
                tables, report = read_part(item["plan"], *item["range"])
            else:
                tables, report = read_one_file(Path(item["path"]), format)
            table = pa.concat_tables(tables) if tables else SCHEMA.empty_table()
            target = os.path.join(staging, f"{prefix}-{index:06d}.parquet")
            pq.write_table(table, target + ".tmp", compression="zstd")
            os.replace(target + ".tmp", target)
            out_index.append(index)
            out_path.append(target)
            out_report.append(json.dumps(report))
        yield pa.RecordBatch.from_arrays([pa.array(out_index, pa.int64()), pa.array(out_path, pa.string()),
                                          pa.array(out_report, pa.string())], names=["index", "parquet", "report"])


def _locate_task(work: list[tuple[Any, int]], batches: Iterator[Any]) -> Iterator[Any]:
    """One task: per nominal split of its batches, the aligned start and newline counts (``file_splits.locate``)."""
    import pyarrow as pa

    from bibliomap.engines.file_splits import locate

    for batch in batches:
        rows = [(i, *locate(*work[i])) for i in batch.column(0).to_pylist()]
        yield pa.RecordBatch.from_arrays([pa.array([r[c] for r in rows], pa.int64()) for c in range(4)],
                                         names=["index", "aligned", "to_start", "in_range"])


def _one_task_each(spark: Any, n: int) -> Any:
    """A DataFrame of ``n`` rows 0..n-1, one per task."""
    return spark.range(0, n, 1, max(n, 1))


def _run_reads(spark: Any, work: list[dict[str, Any]], format: str | None, staging: str,
               prefix: str = "part") -> list[tuple[str, dict]]:
    """Run the work items (whole files, splits) in tasks: per item (Parquet path, report), in order."""
    from bibliomap.engines.spark_session import quiet_pandas_warning

    if not work:
        return []
    with quiet_pandas_warning():
        done = _one_task_each(spark, len(work)).mapInArrow(
            functools.partial(_read_task, work, format, staging, prefix), RESULT_SCHEMA).toPandas()
    by_index = {int(i): (p, json.loads(r)) for i, p, r in zip(done["index"], done["parquet"], done["report"])}
    return [by_index[i] for i in range(len(work))]


def _split_ranges(spark: Any, plans: dict[int, Any]) -> dict[int, list[tuple[int, int, int]]]:
    """Per planned file, its record-aligned splits (start, end, first line), located in tasks (one per nominal split)."""
    from bibliomap.engines.file_splits import split_ranges
    from bibliomap.engines.spark_session import quiet_pandas_warning

    work = [(plan, k) for plan in plans.values() for k in range(len(plan.starts))]
    if not work:
        return {}
    with quiet_pandas_warning():
        done = _one_task_each(spark, len(work)).mapInArrow(functools.partial(_locate_task, work), LOCATED_SCHEMA).toPandas()
    located = {int(i): (int(a), int(b), int(c)) for i, a, b, c in zip(done["index"], done["aligned"], done["to_start"], done["in_range"])}
    out, i = {}, 0
    for f, plan in plans.items():
        out[f] = split_ranges(plan, [located[i + k] for k in range(len(plan.starts))])
        i += len(plan.starts)
    return out


def read_to_parquet(spark: Any, files: list[Path], format: str | None, staging: str,
                    split_bytes: int | None = None) -> list[tuple[list[tuple[str, int]], dict]]:
    """Read ``files`` in Spark tasks into Parquet files under ``staging``: per file its parts (Parquet path,
    number of the file's records before the part) and its report entry, as ``read_one_file`` gives it.

    A file larger than ``split_bytes`` (default ``SPLIT_CONF`` or ``io.splits.SPLIT_BYTES``) in a
    format that can be cut (``io.splits``) is read in several tasks, one per record-aligned
    split; any other file, or a split file whose splits do not add up (``file_splits.assemble``),
    in one task."""
    from bibliomap.engines.file_splits import assemble
    from bibliomap.io.splits import SPLIT_BYTES, plan_splits

    if split_bytes is None:
        split_bytes = int(spark.conf.get(SPLIT_CONF, None) or SPLIT_BYTES)
    paths = [str(Path(f).resolve()) for f in files]
    plans = {f: plan for f, path in enumerate(paths) if (plan := plan_splits(path, format, split_bytes)) is not None}
    ranges = _split_ranges(spark, plans)
    work: list[dict[str, Any]] = []
    owner: list[int] = []
    for f, path in enumerate(paths):
        items = [{"plan": plans[f], "range": r} for r in ranges[f]] if len(ranges.get(f, ())) > 1 else [{"path": path}]
        work += items
        owner += [f] * len(items)
    landed = _run_reads(spark, work, format, staging)
    out: list[tuple[list[tuple[str, int]], dict] | None] = []
    for f in range(len(paths)):
        mine = [landed[i] for i, o in enumerate(owner) if o == f]
        if len(mine) == 1 and "reader_rejected" not in mine[0][1]:
            out.append(([(mine[0][0], 0)], mine[0][1]))
            continue
        assembled = assemble([rep for _, rep in mine])
        if assembled is None:
            out.append(None)
            continue
        offsets, report = assembled
        out.append(([(parquet, offset) for (parquet, _), offset in zip(mine, offsets)], {**report, "path": paths[f]}))
    again = [f for f, got in enumerate(out) if got is None]  # split files read whole after all
    for f, (parquet, report) in zip(again, _run_reads(spark, [{"path": paths[f]} for f in again], format, staging, "whole")):
        out[f] = ([(parquet, 0)], report)
    return out  # type: ignore[return-value]


def spark_file_reader(spark: Any):
    """A ``read_files`` function for :func:`bibliomap.io.ingest.ingest` that reads on ``spark``."""

    def read_files(files: list[Path], format: str | None) -> list[Any]:
        import pyarrow.parquet as pq

        from bibliomap.engines.file_splits import renumber_records

        if not files:
            return []
        shared = spark.conf.get(STAGING_CONF, None)
        staging = tempfile.mkdtemp(prefix="bibliomap-spark-read-", dir=shared or None)
        try:
            landed = read_to_parquet(spark, files, format, staging)
            out = []
            for given, (parts, report) in zip(files, landed):  # the report names each file as given, as in-process
                tables = [renumber_records(pq.read_table(parquet, memory_map=True), offset) for parquet, offset in parts]
                out.append(([t for t in tables if t.num_rows], {**report, "path": str(given)}))
            return out
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    return read_files


def spark_part_reader(spark: Any):
    """A ``read_parts`` function for :func:`bibliomap.io.ingest_stored.ingest_to_parquet`: the exports read in Spark
    tasks, each file's parts the Parquet files its tasks wrote (removed when the ingest is done with them)."""
    from bibliomap.engines.spark_staging import staging_folder
    from bibliomap.io.parts import Part

    @contextlib.contextmanager
    def read_parts(files: list[Path], format: str | None) -> Iterator[list[tuple[list[Any], dict]]]:
        if not files:
            yield []
            return
        with staging_folder(spark, "bibliomap-spark-read-") as staging:
            landed = read_to_parquet(spark, files, format, staging)
            yield [([Part(parquet, offset) for parquet, offset in parts], {**report, "path": str(given)})
                   for given, (parts, report) in zip(files, landed)]

    return read_parts
