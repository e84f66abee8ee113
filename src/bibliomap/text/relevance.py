"""Relevance scores of terms: how concentrated a term's co-occurrences are.

An approximation of VOSviewer's (undocumented) score, following ANCHORS 1.4: with C the
term x term co-occurrence matrix (document level, diagonal excluded),
p(j|i) = C_ij / sum_k C_ik, p(j) = sum_i C_ij / sum_ik C_ik, and
relevance(i) = sum_j p(j|i) ln(p(j|i) / p(j)), the Kullback-Leibler divergence of term i's
co-occurrence profile from the overall one. General terms ("study", "result") co-occur evenly
with everything and score low; specific terms score high. Values are not comparable with
VOSviewer's numbers, only the ranking idea is the same.

Known behaviour (measured in benchmarks/bench_terms.py, issue #4): the plug-in KL of a rare
term is inflated by its sparse profile, so the ranking leans on frequency. Frequent generic
terms land in the discarded share on every real corpus with more than ~100 candidates, but so
do frequent topic-wide terms ("gpu", "cuda" in a GPU corpus), and rare generic terms can be
kept. Second-order profiles, Leiden-cluster (topic) profiles, PLSA topics, all-noun-phrase
contexts, small-count bias corrections and shrinkage were evaluated on the shared corpora; none
discarded the generic terms more reliably, so the plain first-order KL stays. Also measured and
rejected (generic terms kept, of 43 present on the 7 corpora; plain KL keeps 5): KL minus, over,
or as a z-score against random document sets of the same size, plain or length-weighted (37-40:
generic terms co-occur with each other more than chance); mean pairwise similarity of a term's
documents, binary or tf-idf (24-32); Dirichlet shrinkage of profiles toward the background
(4-45 depending on the prior, never 0); discounting terms seen after "this/our/its" or before
"of" (3-10, and it overfits).
"""
from __future__ import annotations

import numpy as np
from scipy import sparse


def cooccurrence(doc_term: sparse.spmatrix) -> sparse.csr_matrix:
    """Term x term co-occurrence counts (X^T X) with the diagonal set to zero."""
    x = sparse.csr_matrix(doc_term, dtype=np.float64)
    c = (x.T @ x).tocsr()
    c.setdiag(0)
    c.eliminate_zeros()
    return c


def kl_relevance(cooc: sparse.spmatrix) -> np.ndarray:
    """KL divergence of each row profile from the background (0 for terms with no co-occurrences)."""
    c = sparse.csr_matrix(cooc, dtype=np.float64)
    row = np.asarray(c.sum(axis=1)).ravel()
    total = row.sum()
    out = np.zeros(c.shape[0])
    if total <= 0:
        return out
    background = np.asarray(c.sum(axis=0)).ravel() / total
    coo = c.tocoo()
    keep = coo.data > 0
    i, j, v = coo.row[keep], coo.col[keep], coo.data[keep]
    p = v / row[i]
    out = np.bincount(i, weights=p * np.log(p / background[j]), minlength=c.shape[0])
    return out


def relevance_scores(doc_term: sparse.spmatrix) -> np.ndarray:
    """Relevance of every column (term) of a document x term matrix."""
    return kl_relevance(cooccurrence(doc_term))
