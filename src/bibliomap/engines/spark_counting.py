"""Co-occurrence counting on Spark: the contract of :func:`bibliomap.networks.counting.count_cooccurrences`.

The occurrence table (document, item, weight) is a Spark DataFrame; the pairs of items
sharing a document come from a self-join on the document and are summed per pair on
the executors, so only the counted links (i < j), the per-item totals and the ignored
documents come back to the driver. Full counting sums products of weights; binary uses
presence; fractional gives each pair of a document with n items 1/(n − 1), n counted
over all its items (as in-process), so the matrix is the same, and fractional weights
equal up to the order of float additions.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from bibliomap.engines.spark_session import quiet_pandas_warning
from bibliomap.networks.counting import METHODS, Counts


def count_frame(occ: Any, method: str = "full", max_items_per_document: int | None = None, selected: Any = None) -> tuple[Any, Any, Any]:
    """(links, totals, ignored) DataFrames from an occurrence DataFrame (doc, item, weight).

    links: (i, j, w) with i < j over item positions; totals: (pos, documents, occurrences);
    ignored: (doc) with more distinct items than ``max_items_per_document``. ``selected``
    is a DataFrame (item, pos) of the items to link (positions 0..k−1); None links all,
    with pos = item.
    """
    from pyspark.sql import functions as F

    if method not in METHODS:
        raise ValueError(f"counting method must be one of {', '.join(METHODS)}, not {method!r}")
    summed = occ.groupBy("doc", "item").agg(F.sum(F.col("weight").cast("double")).alias("w"))
    per_doc = summed.groupBy("doc").agg(F.count(F.lit(1)).alias("n"))
    if max_items_per_document is not None:
        ignored = per_doc.where(F.col("n") > max_items_per_document).select("doc")
        per_doc = per_doc.where(F.col("n") <= max_items_per_document)
    else:
        ignored = per_doc.where(F.lit(False)).select("doc")
    kept = summed.join(per_doc, "doc").withColumn("present", (F.col("w") != 0).cast("double"))
    kept = kept.withColumn("v", F.col("w") if method == "full" else F.col("present"))
    if selected is None:
        kept = kept.withColumn("pos", F.col("item"))
    else:
        kept = kept.join(F.broadcast(selected), "item")
    totals = kept.groupBy("pos").agg(F.sum("present").alias("documents"), F.sum("v").alias("occurrences"))
    if method == "fractional":
        share = F.when(F.col("n") >= 2, 1.0 / (F.col("n") - 1)).otherwise(0.0)
        kept = kept.withColumn("v", F.col("v") * share)
    left = kept.select("doc", F.col("pos").alias("i"), F.col("v").alias("vi"))  # carries the fractional share
    right_value = F.col("w") if method == "full" else F.col("present")
    right = kept.select("doc", F.col("pos").alias("j"), right_value.alias("vj"))
    links = (left.join(right, "doc").where(F.col("i") < F.col("j"))
             .groupBy("i", "j").agg(F.sum(F.col("vi") * F.col("vj")).alias("w"))
             .where(F.col("w") != 0))
    return links, totals, ignored


def occurrence_frame(spark: Any, doc: np.ndarray, item: np.ndarray, weight: np.ndarray | None) -> Any:
    """The (doc, item, weight) DataFrame of driver arrays (sent to Spark as Arrow batches)."""
    doc = np.asarray(doc, dtype=np.int64)
    frame = pd.DataFrame({
        "doc": doc,
        "item": np.asarray(item, dtype=np.int64),
        "weight": np.ones(doc.size) if weight is None else np.asarray(weight, dtype=float),
    })
    with quiet_pandas_warning():
        return spark.createDataFrame(frame, schema="doc long, item long, weight double")


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
    selected = None
    if items is not None:
        with quiet_pandas_warning():
            selected = spark.createDataFrame(pd.DataFrame({"item": sel, "pos": np.arange(sel.size, dtype=np.int64)}),
                                             schema="item long, pos long")
    occ = occurrence_frame(spark, doc, item, weight)
    links, totals, ignored = count_frame(occ, method, max_items_per_document, selected)
    with quiet_pandas_warning():
        rows = one_result(links, totals, ignored).toPandas()  # one Spark job, not three
    return _to_counts(rows, sel, n_docs)


def one_result(links: Any, totals: Any, ignored: Any) -> Any:
    """The three results as one DataFrame (kind, a, b, x, y), so one action collects them.

    kind 0: link a–b of weight x; kind 1: item position a in x documents, y occurrences;
    kind 2: document a ignored.
    """
    from pyspark.sql import functions as F

    zero, nothing = F.lit(0).cast("long"), F.lit(0.0)
    return (links.select(F.lit(0).alias("kind"), F.col("i").alias("a"), F.col("j").alias("b"), F.col("w").alias("x"), nothing.alias("y"))
            .unionByName(totals.select(F.lit(1).alias("kind"), F.col("pos").alias("a"), zero.alias("b"),
                                       F.col("documents").alias("x"), F.col("occurrences").alias("y")))
            .unionByName(ignored.select(F.lit(2).alias("kind"), F.col("doc").alias("a"), zero.alias("b"), nothing.alias("x"), nothing.alias("y"))))


def _to_counts(rows: pd.DataFrame, sel: np.ndarray, n_docs: int) -> Counts:
    """Counts from the collected rows: the links mirrored into a symmetric CSR matrix."""
    k = sel.size
    kind = rows["kind"].to_numpy()
    a, b = rows["a"].to_numpy(np.int64), rows["b"].to_numpy(np.int64)
    x, y = rows["x"].to_numpy(float), rows["y"].to_numpy(float)
    link, total = kind == 0, kind == 1
    i, j, w = a[link], b[link], x[link]
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
