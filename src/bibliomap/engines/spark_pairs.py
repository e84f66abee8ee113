"""Pair counting on Spark with map-side aggregation: each task counts whole documents in-process, only partial sums shuffle.

The occurrence rows (doc, item, weight) are hash-partitioned by document, so all rows of a
document land in one task however they arrived (a document is never split across tasks).
Each task gathers every row of its partition (Arrow batches cut documents anywhere, so a
task never counts batch by batch) and runs the in-process contract on them,
:func:`bibliomap.networks.counting.count_cooccurrences`: repeats summed, documents over the
per-document limit ignored, the fractional share 1/(n − 1) over all items of a document,
only the selected items linked. It emits the nonzero upper triangle (i < j) of its partial
product, its partial per-item totals and its ignored documents; the cluster sums the
partials per key. So the shuffle carries at most one row per pair and task instead of one
per pair and document, and the sums are those of the in-process product split by document
(exact counts; fractional weights equal up to the order of float additions).

Output rows (kind, a, b, x, y): kind 0, link a–b (item positions, a < b) of weight x;
kind 1, item position a in x documents with y occurrences; kind 2, document a ignored.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from bibliomap.engines.spark_session import quiet_pandas_warning
from bibliomap.networks.counting import count_cooccurrences

#: one row per link, per-item total or ignored document (see the module docstring)
RESULT_SCHEMA = "kind int, a long, b long, x double, y double"
#: RESULT_SCHEMA's columns and their NumPy types, as the driver reads them back
RESULT_COLUMNS = {"kind": np.int32, "a": np.int64, "b": np.int64, "x": np.float64, "y": np.float64}

#: links per emitted pandas frame (bounds the Arrow conversion of one task's partial product)
ROWS_PER_FRAME = 1_000_000


def local_positions(items: np.ndarray, selected: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray]:
    """(local indices of the selected items present, in position order, or None for all; their positions).

    ``items``: the task's distinct item ids, sorted; ``selected``: the item id at each position
    (None: every item, position = item id).
    """
    if selected is None:
        return None, items
    if selected.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.argsort(selected, kind="stable")
    ranked = selected[order]
    at = np.minimum(np.searchsorted(ranked, items), ranked.size - 1)
    found = np.flatnonzero(ranked[at] == items)
    positions = order[at[found]]
    by_position = np.argsort(positions, kind="stable")
    return found[by_position], positions[by_position]


def _frame(kind: int, a: np.ndarray, b: np.ndarray | None = None, x: np.ndarray | None = None,
           y: np.ndarray | None = None) -> pd.DataFrame:
    n = a.size
    return pd.DataFrame({"kind": np.full(n, kind, np.int32), "a": a.astype(np.int64),
                         "b": np.zeros(n, np.int64) if b is None else b.astype(np.int64),
                         "x": np.zeros(n) if x is None else x.astype(float),
                         "y": np.zeros(n) if y is None else y.astype(float)})


def count_partition(method: str, max_items_per_document: int | None, selected: np.ndarray | None,
                    batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """One task: the partial counts (RESULT_SCHEMA) of all the (doc, item, weight) rows of its partition."""
    frames = [batch for batch in batches if len(batch)]
    if not frames:
        return
    rows = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    del frames
    docs, doc = np.unique(rows["doc"].to_numpy(np.int64), return_inverse=True)
    items, item = np.unique(rows["item"].to_numpy(np.int64), return_inverse=True)
    weight = rows["weight"].to_numpy(float)
    del rows
    local, positions = local_positions(items, selected)
    counts = count_cooccurrences(doc, item, weight, docs.size, items.size, method, max_items_per_document, local)
    upper = sp.triu(counts.matrix, k=1).tocoo()  # positions grow with the local index: i < j stays i < j
    for start in range(0, upper.nnz, ROWS_PER_FRAME):
        part = slice(start, start + ROWS_PER_FRAME)
        yield _frame(0, positions[upper.row[part]], positions[upper.col[part]], upper.data[part])
    held = (counts.documents > 0) | (counts.occurrences != 0)
    yield _frame(1, positions[held], x=counts.documents[held], y=counts.occurrences[held])
    yield _frame(2, docs[counts.ignored_documents])


def counted_pairs(occ: Any, partitions: int, method: str = "full", max_items_per_document: int | None = None,
                  selected: np.ndarray | None = None) -> Any:
    """The summed counts (RESULT_SCHEMA) of an occurrence DataFrame (doc, item, weight), in ``partitions`` tasks.

    ``selected``: the item id at each position (the items to link), None for all (position = item id).
    """
    from pyspark.sql import functions as F

    task = functools.partial(count_partition, method, max_items_per_document,
                             None if selected is None else np.asarray(selected, dtype=np.int64))
    with quiet_pandas_warning():
        partial = occ.select("doc", "item", "weight").repartition(max(1, partitions), "doc").mapInPandas(task, RESULT_SCHEMA)
    return (partial.groupBy("kind", "a", "b").agg(F.sum("x").alias("x"), F.sum("y").alias("y"))
            .where((F.col("kind") != 0) | (F.col("x") != 0)))


def shuffle_partitions(spark: Any) -> int:
    """The session's ``spark.sql.shuffle.partitions`` (the tasks the counting is spread over)."""
    return int(spark.conf.get("spark.sql.shuffle.partitions"))
