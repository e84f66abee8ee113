"""Counting co-occurrences: occurrence arrays in, a sparse item x item count matrix out.

This is the one hot path of network building, kept small and free of Corpus types
so another engine (e.g. Apache Spark) can run the same contract:

    input:  doc ids, item ids, weights (parallel arrays), n_docs, n_items,
            method ('full' | 'fractional' | 'binary'), max items per document,
            optional subset of items to count links for
    output: symmetric CSR matrix (zero diagonal) + occurrences and documents per item

Full counting is WᵀW on the incidence matrix W (0/1, or occurrence counts for text).
Fractional counting is VOSviewer's: in a document with n items each link gets
1/(n − 1), so each item's links from one document sum to 1 (manual example: A1–A3
on D1 with A2, and on D2 → full 2, fractional 0.5 + 1.0 = 1.5). Binary counting
uses presence only (text data). All of it is sparse matrix products, no loops.
"""
from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp

from bibliomap.scoped import set_within

METHODS = ("full", "fractional", "binary")


@dataclasses.dataclass
class Counts:
    """Result of :func:`count_cooccurrences` over the counted items (``items``)."""

    matrix: sp.csr_matrix  # counted items x counted items, symmetric, zero diagonal
    occurrences: np.ndarray  # per counted item: total weight (full) or documents (binary/fractional)
    documents: np.ndarray  # per counted item: number of documents holding it
    items: np.ndarray  # positions of the counted items among all items
    ignored_documents: np.ndarray  # bool per document: ignored for having too many items


def incidence_matrix(doc: np.ndarray, item: np.ndarray, weight: np.ndarray | None, n_docs: int, n_items: int) -> sp.csr_matrix:
    """Document x item CSR matrix; repeated (doc, item) pairs are summed."""
    data = np.ones(len(doc)) if weight is None else np.asarray(weight, dtype=float)
    w = sp.csr_matrix((data, (np.asarray(doc, np.int64), np.asarray(item, np.int64))), shape=(n_docs, n_items))
    w.sum_duplicates()
    return w


def _without_diagonal(m: sp.csr_matrix) -> sp.csr_matrix:
    """``m`` with its diagonal entries removed, in place on the CSR arrays (scipy's ``setdiag(0)``
    goes through a COO copy: 2.5 s and three arrays the size of the matrix on 50,000 documents)."""
    rows = np.repeat(np.arange(m.shape[0], dtype=m.indices.dtype), np.diff(m.indptr))
    off = m.indices != rows
    if off.all():
        return m
    indptr = np.zeros_like(m.indptr)
    np.cumsum(np.bincount(rows[off], minlength=m.shape[0]), out=indptr[1:])
    del rows
    return sp.csr_matrix((m.data[off], m.indices[off], indptr), shape=m.shape)


def count_cooccurrences(
    doc: np.ndarray,
    item: np.ndarray,
    weight: np.ndarray | None,
    n_docs: int,
    n_items: int,
    method: str = "full",
    max_items_per_document: int | None = None,
    items: np.ndarray | None = None,
) -> Counts:
    """Co-occurrence counts of items over documents.

    ``max_items_per_document``: documents with more distinct items are ignored
    entirely (VOSviewer's "ignore documents with a large number of authors").
    ``items``: count links only among these item positions (thresholded items);
    the fractional share 1/(n − 1) still uses every item of the document.
    """
    if method not in METHODS:
        raise ValueError(f"counting method must be one of {', '.join(METHODS)}, not {method!r}")
    w = incidence_matrix(doc, item, weight, n_docs, n_items)
    binary = w  # presence only (a 0/1 incidence is its own; the tens of millions of references need no copy)
    if not np.all(w.data == 1):
        binary = w.copy()
        binary.data = (binary.data != 0).astype(float)
    per_doc = np.diff(binary.indptr)
    ignored = per_doc > max_items_per_document if max_items_per_document is not None else np.zeros(n_docs, dtype=bool)
    if ignored.any():
        keep_rows = sp.diags((~ignored).astype(float))
        shared = binary is w
        w = (keep_rows @ w).tocsr()
        binary = w if shared else (keep_rows @ binary).tocsr()
        w.eliminate_zeros()
        binary.eliminate_zeros()
    sel = np.arange(n_items, dtype=np.int64) if items is None else np.asarray(items, dtype=np.int64)
    base = w if method == "full" else binary
    sub = sp.csr_matrix(base[:, sel]) if items is not None else base
    if method == "fractional":
        share = np.zeros(n_docs)
        many = (per_doc >= 2) & ~ignored
        share[many] = 1.0 / (per_doc[many] - 1)
        product = sub.T @ sp.diags(share) @ sub
    else:
        product = sub.T @ sub
    if product.format == "csc":  # symmetric, so its CSC arrays are its CSR arrays (a conversion costs a copy)
        product = sp.csr_matrix((product.data, product.indices, product.indptr), shape=product.shape)
    product = _without_diagonal(sp.csr_matrix(product))
    product.eliminate_zeros()
    product.sort_indices()
    documents = np.asarray(binary.sum(axis=0)).ravel()[sel].astype(np.int64)
    occurrences = np.asarray(base.sum(axis=0)).ravel()[sel]
    return Counts(product, occurrences, documents, sel, ignored)


#: the counting function in use (None: :func:`count_cooccurrences`); set by an engine
_COUNTER: contextvars.ContextVar[Callable[..., Counts] | None] = contextvars.ContextVar("bibliomap_counter", default=None)


def active_counter() -> Callable[..., Counts]:
    """The function the network builders count with: in-process unless :func:`counting_with` chose another."""
    return _COUNTER.get() or count_cooccurrences


def counting_with(counter: Callable[..., Counts]) -> contextlib.AbstractContextManager:
    """Within the block, network builders count with ``counter`` (same contract as :func:`count_cooccurrences`).

    This is how a higher layer (``bibliomap.engines``) hands an engine down without the
    networks layer importing it.
    """
    return set_within(_COUNTER, counter)


def cooccurrence_from_incidence(incidence: sp.spmatrix, method: str = "full") -> sp.csr_matrix:
    """WᵀW (full/binary) or Wᵀ diag(1/(n_d − 1)) W (fractional) with a zero diagonal.

    The rows of ``incidence`` are the contexts (documents for co-occurrence, cited
    references for bibliographic coupling), its columns the items linked.
    """
    w = sp.csr_matrix(incidence)
    coo = w.tocoo()
    return count_cooccurrences(coo.row, coo.col, coo.data, w.shape[0], w.shape[1], method).matrix
