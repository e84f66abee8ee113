"""Counting: full, fractional and binary co-occurrence strengths checked by hand."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from bibliomap.networks.counting import count_cooccurrences, cooccurrence_from_incidence

# The manual's example: authors A1, A2, A3 (ids 0, 1, 2); D1 = {A1, A2, A3}, D2 = {A1, A3}.
DOC = np.array([0, 0, 0, 1, 1])
ITEM = np.array([0, 1, 2, 0, 2])


def dense(counts):
    return counts.matrix.toarray()


def test_manual_example_full_counting():
    m = dense(count_cooccurrences(DOC, ITEM, None, 2, 3, "full"))
    assert m[0, 2] == 2 and m[2, 0] == 2
    assert m[0, 1] == 1 and m[1, 2] == 1
    assert np.all(np.diag(m) == 0)


def test_manual_example_fractional_counting():
    m = dense(count_cooccurrences(DOC, ITEM, None, 2, 3, "fractional"))
    # D1 has 3 authors: each link 1/2; D2 has 2 authors: the link gets 1.
    assert m[0, 2] == pytest.approx(1.5)
    assert m[0, 1] == pytest.approx(0.5)
    assert m[1, 2] == pytest.approx(0.5)
    assert np.allclose(m, m.T)


def test_occurrence_and_document_counts():
    c = count_cooccurrences(DOC, ITEM, None, 2, 3, "full")
    assert c.documents.tolist() == [2, 1, 2]
    assert c.occurrences.tolist() == [2, 1, 2]


def test_max_items_per_document_ignores_whole_documents():
    c = count_cooccurrences(DOC, ITEM, None, 2, 3, "full", max_items_per_document=2)
    m = dense(c)
    assert c.ignored_documents.tolist() == [True, False]
    assert m[0, 2] == 1 and m[0, 1] == 0 and m[1, 2] == 0
    assert c.documents.tolist() == [1, 0, 1]  # A2 appears only in the ignored D1


def test_subset_of_items_keeps_the_fractional_share_of_all_items():
    c = count_cooccurrences(DOC, ITEM, None, 2, 3, "fractional", items=np.array([0, 2]))
    m = dense(c)
    assert m.shape == (2, 2)
    assert m[0, 1] == pytest.approx(1.5)  # still 1/2 from D1 although A2 is not counted
    assert c.items.tolist() == [0, 2]


def test_binary_and_full_counting_with_term_counts():
    # one document: term 0 occurs twice, term 1 three times
    doc, item, weight = np.array([0, 0]), np.array([0, 1]), np.array([2.0, 3.0])
    full = count_cooccurrences(doc, item, weight, 1, 2, "full")
    binary = count_cooccurrences(doc, item, weight, 1, 2, "binary")
    assert dense(full)[0, 1] == 6
    assert dense(binary)[0, 1] == 1
    assert full.occurrences.tolist() == [2, 3]
    assert binary.occurrences.tolist() == [1, 1]


def test_single_item_documents_add_no_links():
    c = count_cooccurrences(np.array([0, 1]), np.array([0, 1]), None, 2, 2, "fractional")
    assert c.matrix.nnz == 0


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="counting method"):
        count_cooccurrences(DOC, ITEM, None, 2, 3, "weird")


def _brute_force(groups, n_items, fractional):
    out = np.zeros((n_items, n_items))
    for items in groups:
        items = sorted(set(items))
        if len(items) < 2:
            continue
        w = 1.0 / (len(items) - 1) if fractional else 1.0
        for a, b in itertools.combinations(items, 2):
            out[a, b] += w
            out[b, a] += w
    return out


@pytest.mark.parametrize("method", ["full", "fractional"])
def test_random_tables_match_a_pairwise_loop(method):
    rng = np.random.default_rng(7)
    n_docs, n_items = 60, 25
    groups = [rng.choice(n_items, size=rng.integers(0, 7), replace=False).tolist() for _ in range(n_docs)]
    doc = np.repeat(np.arange(n_docs), [len(g) for g in groups])
    item = np.array([i for g in groups for i in g], dtype=np.int64)
    got = dense(count_cooccurrences(doc, item, None, n_docs, n_items, method))
    assert np.allclose(got, _brute_force(groups, n_items, method == "fractional"))
    if method == "fractional":
        # each item's links from one document sum to 1: row sums = documents with >= 2 items
        expected = [sum(1 for g in groups if i in g and len(g) >= 2) for i in range(n_items)]
        assert np.allclose(got.sum(axis=1), expected)


def test_cooccurrence_from_incidence_uses_rows_as_contexts():
    import scipy.sparse as sp

    w = sp.csr_matrix(np.array([[1, 1, 0], [1, 1, 1]]))
    m = cooccurrence_from_incidence(w).toarray()
    assert m.tolist() == [[0, 2, 1], [2, 0, 1], [1, 1, 0]]
