"""The relevance score: co-occurrence KL, general-English specificity, and their combination."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from bibliomap.text.relevance import general_frequency, kl_relevance, cooccurrence, relevance_scores, specificity


def _doc_term():
    # 6 documents x 4 terms: "alpha" and "beta" always together, "gamma" everywhere, "delta" with both groups
    rows = [[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 1, 1]]
    return sparse.csr_matrix(np.array(rows, dtype=float))


def test_kl_ranks_a_concentrated_profile_above_an_even_one():
    # term 0 co-occurs with everything evenly; terms 1-2 and 3-4 form two tight pairs
    c = np.array([[0, 1, 1, 1, 1], [1, 0, 6, 0, 0], [1, 6, 0, 0, 0], [1, 0, 0, 0, 6], [1, 0, 0, 6, 0]], dtype=float)
    kl = kl_relevance(sparse.csr_matrix(c))
    assert kl[0] < kl[1:].min()
    assert kl[1] == pytest.approx(kl[3])
    assert kl_relevance(sparse.csr_matrix((3, 3))).tolist() == [0.0, 0.0, 0.0]


def test_general_frequency_is_offline_and_orders_common_before_technical_words():
    f = general_frequency(["study", "result", "gpu", "opencl", "zzqxjv"])
    assert f[0] > f[2] > f[3] >= 1e-8
    assert f[1] > f[2]
    assert f[4] == 1e-8  # unknown: the floor, not zero (the log stays finite)


def test_specificity_rises_with_corpus_frequency_and_falls_with_general_frequency():
    s = specificity(["study", "gpu", "gpu"], np.array([50, 50, 5]))
    assert s[1] > s[0]          # same corpus count, rarer in general English
    assert s[1] - s[2] == pytest.approx(np.log(10))


def test_weight_zero_is_plain_kl_and_the_combination_is_standardized():
    x = _doc_term()
    terms = ["graphene", "perovskite", "study", "solar cell"]
    assert np.array_equal(relevance_scores(x, terms, specificity_weight=0.0), kl_relevance(cooccurrence(x)))
    combined = relevance_scores(x, terms, specificity_weight=0.5)
    assert combined.mean() == pytest.approx(0.0, abs=1e-12)
    spec = specificity(terms, np.asarray(x.sum(axis=0)).ravel())
    assert np.array_equal(np.argsort(relevance_scores(x, terms, specificity_weight=1.0)), np.argsort(spec))
    with pytest.raises(ValueError, match="specificity_weight"):
        relevance_scores(x, terms, specificity_weight=1.5)
    with pytest.raises(ValueError, match="4 columns"):
        relevance_scores(x, terms[:3])
