"""Array helpers agree with numpy's own."""
from __future__ import annotations

import numpy as np

from bibliomap.analysis._columns import distinct_pairs
from bibliomap.arrays import unique_ints


def test_unique_ints_is_numpys_unique():
    rng = np.random.default_rng(3)
    for values in (rng.integers(-5, 10**12, 5000), rng.integers(0, 7, 300), np.zeros(0, np.int64), np.array([4])):
        assert np.array_equal(unique_ints(values), np.unique(values))


def test_distinct_pairs_is_rowwise_unique():
    rng = np.random.default_rng(4)
    doc, item = rng.integers(0, 300, 4000), rng.integers(-1, 50, 4000)
    assert np.array_equal(distinct_pairs(doc, item), np.unique(np.stack([doc, item], axis=1), axis=0))
    assert distinct_pairs(np.zeros(0), np.zeros(0)).shape == (0, 2)
