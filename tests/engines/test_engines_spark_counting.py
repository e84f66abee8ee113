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
