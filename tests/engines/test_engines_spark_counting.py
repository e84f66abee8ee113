"""The Spark counting contract gives what count_cooccurrences gives, on synthetic occurrence tables."""
from __future__ import annotations

import numpy as np
import pytest

from bibliomap.networks.counting import count_cooccurrences


def assert_same_counts(a, b) -> None:
    """Same links, same weights (1e-9), same per-item totals and ignored documents."""
    assert a.matrix.shape == b.matrix.shape
    pattern_a, pattern_b = a.matrix != 0, b.matrix != 0
    assert (pattern_a != pattern_b).nnz == 0, "different links"
    assert abs(a.matrix - b.matrix).max() <= 1e-9 if a.matrix.nnz else b.matrix.nnz == 0
    assert np.array_equal(a.items, b.items)
    assert np.array_equal(a.documents, b.documents)
    assert np.allclose(a.occurrences, b.occurrences, rtol=0, atol=1e-9)
    assert np.array_equal(a.ignored_documents, b.ignored_documents)


def heavy_tailed(seed: int, n_docs: int = 400, n_items: int = 300):
    """Occurrences with Zipf-like item popularity and a few very long documents (weights 1-3)."""
    rng = np.random.default_rng(seed)
    sizes = np.minimum(rng.zipf(1.8, n_docs), 60)
    doc = np.repeat(np.arange(n_docs), sizes)
    item = np.minimum(rng.zipf(1.5, doc.size) - 1, n_items - 1)
    weight = rng.integers(1, 4, doc.size).astype(float)
    return doc, item, weight, n_docs, n_items


@pytest.mark.parametrize("method", ["full", "fractional", "binary"])
def test_spark_counts_equal_inprocess(spark, method):
    from bibliomap.engines.spark_counting import count_cooccurrences_spark

    doc, item, weight, n_docs, n_items = heavy_tailed(1)
    subset = np.flatnonzero(np.bincount(item, minlength=n_items) >= 3)
    for limit, items in ((None, None), (8, subset)):
        a = count_cooccurrences(doc, item, weight, n_docs, n_items, method, limit, items)
        b = count_cooccurrences_spark(spark, doc, item, weight, n_docs, n_items, method, limit, items)
        assert a.matrix.nnz > 0
        assert_same_counts(a, b)
    assert (a.ignored_documents).any(), "the limit of 8 items ignores some documents"


def test_fractional_example_of_the_vosviewer_manual(spark):
    """A1-A3 on D1 (with A2) and on D2: full 2, fractional 0.5 + 1.0 = 1.5."""
    from bibliomap.engines.spark_counting import count_cooccurrences_spark

    doc, item = np.array([0, 0, 0, 1, 1]), np.array([0, 1, 2, 0, 2])
    full = count_cooccurrences_spark(spark, doc, item, None, 2, 3, "full")
    frac = count_cooccurrences_spark(spark, doc, item, None, 2, 3, "fractional")
    assert full.matrix[0, 2] == 2 and full.matrix[2, 0] == 2
    assert frac.matrix[0, 2] == pytest.approx(1.5, abs=1e-12)
    assert frac.matrix[0, 1] == pytest.approx(0.5, abs=1e-12)


def test_no_links_and_unknown_method(spark):
    from bibliomap.engines.spark_counting import count_cooccurrences_spark

    counts = count_cooccurrences_spark(spark, np.array([0, 1]), np.array([0, 1]), None, 2, 2, "full")
    assert counts.matrix.nnz == 0 and counts.matrix.shape == (2, 2)
    assert counts.documents.tolist() == [1, 1]
    with pytest.raises(ValueError, match="counting method"):
        count_cooccurrences_spark(spark, np.array([0]), np.array([0]), None, 1, 1, "nope")


def scattered(seed: int):
    """heavy_tailed occurrences with the rows in random order: a document's rows are far apart."""
    doc, item, weight, n_docs, n_items = heavy_tailed(seed)
    order = np.random.default_rng(seed).permutation(doc.size)
    return doc[order], item[order], weight[order], n_docs, n_items


def test_a_task_gathers_a_document_split_across_batches():
    """count_partition on batches that cut documents anywhere sums as one count of all rows (no Spark)."""
    import pandas as pd

    from bibliomap.engines.spark_counting import to_counts
    from bibliomap.engines.spark_pairs import count_partition

    doc, item, weight, n_docs, n_items = scattered(4)
    frame = pd.DataFrame({"doc": doc, "item": item, "weight": weight})
    batches = [frame.iloc[start:start + 50] for start in range(0, len(frame), 50)]
    split = {d for d in range(n_docs) if sum(bool((b["doc"] == d).any()) for b in batches) > 1}
    assert len(split) > 50, "many documents have rows in several batches"
    subset = np.flatnonzero(np.bincount(item, minlength=n_items) >= 3)
    for method in ("full", "fractional", "binary"):
        expected = count_cooccurrences(doc, item, weight, n_docs, n_items, method, 8, subset)
        rows = pd.concat(list(count_partition(method, 8, subset, iter(batches))), ignore_index=True)
        assert_same_counts(expected, to_counts(rows, subset, n_docs))


@pytest.mark.parametrize("method", ["full", "fractional", "binary"])
def test_documents_scattered_over_input_partitions_and_arrow_batches(spark, method, tmp_path):
    """A document's rows arrive in several input partitions and Arrow batches of 7 rows: each task must count
    whole documents (partitioned by document, all its batches gathered), or pairs across the cuts go missing."""
    from bibliomap.engines.spark_counting import occurrence_frame, to_counts
    from bibliomap.engines.spark_pairs import counted_pairs

    doc, item, weight, n_docs, n_items = scattered(5)
    assert np.bincount(doc).max() > 7
    subset = np.flatnonzero(np.bincount(item, minlength=n_items) >= 2)
    folder = tmp_path / "staged"
    folder.mkdir()
    # round-robin: documents spread over 9 partitions
    occ = occurrence_frame(spark, doc, item, weight, str(folder)).repartition(9)
    key = "spark.sql.execution.arrow.maxRecordsPerBatch"
    before = spark.conf.get(key)
    spark.conf.set(key, "7")
    try:
        for partitions, limit, items in ((1, None, None), (5, 12, subset)):
            expected = count_cooccurrences(doc, item, weight, n_docs, n_items, method, limit, items)
            sel = np.arange(n_items) if items is None else items
            got = to_counts(counted_pairs(occ, partitions, method, limit, items).toPandas(), sel, n_docs)
            assert expected.matrix.nnz > 0
            assert_same_counts(expected, got)
    finally:
        spark.conf.set(key, before)
