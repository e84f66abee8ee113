"""Reading exports on Spark: one task per file runs the existing reader (bibliomap.io) and its finalizing.

Each task returns its file's records as Arrow tables with the Corpus schema and the file's
ingest report entry; the driver then merges duplicates with the same rules as in-process
(``corpus.ingest``), so the corpus and the report are identical. Deduplication stays on
the driver: its fuzzy rule compares titles across blocks that the driver holds in Arrow
anyway. The files must be readable at the same path on the executors (a shared file
system), and the executors need bibliomap installed.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from bibliomap.engines.spark_session import EngineError


def _read_task(format: str | None, item: tuple[int, str]) -> tuple[int, Any]:
    from bibliomap.corpus.ingest import read_one_file

    index, path = item
    return index, read_one_file(Path(path), format)


def spark_file_reader(spark: Any):
    """A ``read_files`` function for :func:`bibliomap.corpus.ingest.ingest` that reads on ``spark``."""

    def read_files(files: list[Path], format: str | None) -> list[Any]:
        try:
            context = spark.sparkContext
        except Exception as exc:  # noqa: BLE001 - Spark Connect sessions have no SparkContext
            raise EngineError("reading on Spark runs one task per file through a SparkContext, which a Spark Connect "
                              "session (sc://) does not offer: ingest with --engine inprocess or a classic master") from exc
        paths = [str(Path(f).resolve()) for f in files]
        if not paths:
            return []
        tasks = context.parallelize(list(enumerate(paths)), numSlices=len(paths))
        done = dict(tasks.map(functools.partial(_read_task, format)).collect())
        out = []
        for i, given in enumerate(files):  # the report names each file as given, as in-process
            tables, report = done[i]
            out.append((tables, {**report, "path": str(given)}))
        return out

    return read_files
