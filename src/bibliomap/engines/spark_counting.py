"""Co-occurrence counting on Spark: the contract of :func:`bibliomap.networks.counting.count_cooccurrences`.

The occurrence table (document, item, weight) is staged as Parquet files that the executors
read (``spark_staging``) and counted by
:mod:`bibliomap.engines.spark_pairs`: partitioned by document, each task counts its whole
documents with the in-process function and emits only its partial sums per pair (i < j),
per item and the documents it ignored; the executors add the partials up, and only the
counted links, the per-item totals and the ignored documents come back, in one job. They
come back as Parquet files the executors write into the staging folder
(``spark.bibliomap.stagingDir``, as for reading), read by this process with pyarrow: the
links of a large network (30M at a million records) never pass through the driver JVM's
memory, where collecting them failed with a 4 GB driver. Full and binary counts are exact;
fractional weights equal the in-process ones up to the order of float additions.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa
import scipy.sparse as sp

from bibliomap.engines.spark_pairs import RESULT_COLUMNS, counted_pairs, shuffle_partitions
from bibliomap.engines.spark_staging import collected_columns, staged_frame, staging_folder
from bibliomap.networks.counting import METHODS, Counts


def occurrence_frame(spark: Any, doc: np.ndarray, item: np.ndarray, weight: np.ndarray | None, folder: str) -> Any:
    """The (doc, item, weight) DataFrame of driver arrays, staged as Parquet files in ``folder`` (``spark_staging``:
    the executors read them; 30M occurrences need not pass through the driver JVM)."""
    doc = np.asarray(doc, dtype=np.int64)
    table = pa.table({
        "doc": doc,
        "item": np.asarray(item, dtype=np.int64),
        "weight": np.ones(doc.size) if weight is None else np.asarray(weight, dtype=np.float64),
    })
    return staged_frame(spark, table, folder)


def count_cooccurrences_spark(
    spark: Any,
    doc: np.ndarray,
    item: np.ndarray,
    weight: np.ndarray | None,
    n_docs: int,
    n_items: int,
    method: str = "full",
    max_items_per_document: int | None = None,
    items: np.ndarray | None = None,
) -> Counts:
    """:func:`bibliomap.networks.counting.count_cooccurrences` computed by ``spark``; the same Counts."""
    if method not in METHODS:
        raise ValueError(f"counting method must be one of {', '.join(METHODS)}, not {method!r}")
    sel = np.arange(n_items, dtype=np.int64) if items is None else np.asarray(items, dtype=np.int64)
    with staging_folder(spark, "bibliomap-spark-occurrences-") as folder:
        occ = occurrence_frame(spark, doc, item, weight, folder)
        counted = counted_pairs(occ, shuffle_partitions(spark), method, max_items_per_document,
                                None if items is None else sel)
        return to_counts(collected_rows(spark, counted), sel, n_docs)


def collected_rows(spark: Any, counted: Any) -> dict[str, np.ndarray]:
    """The rows of ``counted`` (links, totals and ignored documents: one Spark job) as NumPy columns, read from the
    Parquet files the executors write (``spark_staging.collected_columns``: into arrays of their final size, one row
    group at a time, so the 44M links of a 5M-record co-citation are held once, not as Arrow and NumPy both)."""
    return collected_columns(counted, RESULT_COLUMNS)


def to_counts(rows: Mapping[str, Any], sel: np.ndarray, n_docs: int) -> Counts:
    """Counts from the collected rows (columns kind, a, b, x, y): the links mirrored into a symmetric CSR matrix."""
    k = sel.size
    kind = np.asarray(rows["kind"])
    a, b = np.asarray(rows["a"], dtype=np.int64), np.asarray(rows["b"], dtype=np.int64)
    x, y = np.asarray(rows["x"], dtype=float), np.asarray(rows["y"], dtype=float)
    link, total = kind == 0, kind == 1
    index = np.int32 if k < 2**31 else np.int64  # (half the memory of the mirrored links below)
    i, j, w = a[link].astype(index), b[link].astype(index), x[link]
    matrix = sp.csr_matrix((np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(k, k))
    matrix.sort_indices()
    documents = np.zeros(k, dtype=np.int64)
    occurrences = np.zeros(k, dtype=float)
    documents[a[total]] = np.rint(x[total]).astype(np.int64)
    occurrences[a[total]] = y[total]
    flags = np.zeros(n_docs, dtype=bool)
    flags[a[kind == 2]] = True
    return Counts(matrix, occurrences, documents, sel, flags)


class SparkCounter:
    """A counting function bound to a SparkSession (what ``bibliomap.engines`` hands the builders)."""

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    def __call__(self, *args: Any, **kwargs: Any) -> Counts:
        return count_cooccurrences_spark(self.spark, *args, **kwargs)
