"""The co-occurrence product's diagonal is removed without scipy's setdiag (same matrix, fewer copies)."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bibliomap.networks.counting import _without_diagonal, count_cooccurrences


def test_without_diagonal_is_setdiag_zero():
    for n, density in ((1, 1.0), (6, 0.5), (120, 0.2)):
        m = sp.random(n, n, density=density, random_state=n, format="csr")
        m = sp.csr_matrix(m + m.T)
        m = sp.csr_matrix(sp.diags(np.r_[np.ones(n - 1), 0.0]) @ m)  # an empty last row
        m.eliminate_zeros()
        expected = m.copy()
        expected.setdiag(0)
        expected.eliminate_zeros()
        got = _without_diagonal(m.copy())
        got.eliminate_zeros()
        assert got.nnz == expected.nnz and abs(got - expected).sum() == 0


def test_counts_equal_the_dense_product_for_every_method():
    rng = np.random.default_rng(5)
    doc, item = rng.integers(0, 40, 300), rng.integers(0, 25, 300)
    w = np.zeros((40, 25))
    np.add.at(w, (doc, item), 1.0)
    full = w.T @ w
    np.fill_diagonal(full, 0)
    assert np.allclose(count_cooccurrences(doc, item, None, 40, 25, "full").matrix.toarray(), full)
    b = (w > 0).astype(float)
    n = b.sum(axis=1)
    share = np.divide(1.0, n - 1, out=np.zeros_like(n), where=n >= 2)
    frac = b.T @ np.diag(share) @ b
    np.fill_diagonal(frac, 0)
    assert np.allclose(count_cooccurrences(doc, item, None, 40, 25, "fractional").matrix.toarray(), frac)
