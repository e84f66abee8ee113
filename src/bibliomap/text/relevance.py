"""Relevance scores of terms: how specific a term is to the topics of the corpus.

Two signals, each standardized over the candidate terms (z-scores) and averaged with
``specificity_weight`` (default 0.5; 0 gives the co-occurrence score alone):

1. **Co-occurrence concentration**, an approximation of VOSviewer's (undocumented) score,
   following ANCHORS 1.4: with C the term x term co-occurrence matrix (document level, diagonal
   excluded), p(j|i) = C_ij / sum_k C_ik, p(j) = sum_i C_ij / sum_ik C_ik and
   kl(i) = sum_j p(j|i) ln(p(j|i) / p(j)), the Kullback-Leibler divergence of term i's
   co-occurrence profile from the overall one. Terms that co-occur evenly with everything score
   low. Values are not comparable with VOSviewer's numbers, only the idea is the same.
2. **Domain specificity**, the classic termhood measure of terminology extraction ("weirdness",
   Ahmad, Gillam & Tostevin 1999): ln(f_corpus(i) / f_general(i)), the term's frequency among
   the corpus's noun-phrase occurrences against its frequency in general English. General
   frequencies come from the ``wordfreq`` package (Speer et al.; data shipped in the package,
   CC BY-SA 4.0), which rates a multi-word term by its words (roughly as rare as its rarest word).

Why both (measured in benchmarks/bench_terms.py on the seven real corpora, issue #4): the plain
KL leans on frequency, because a rare term's sparse profile inflates it, so it keeps rare
generic terms ("study" in 20 of 441 abstracts) and discards frequent domain terms ("gpu",
"cuda"): the terms it selected were author or index keywords less often than those it discarded
(-0.08 on average). Co-occurrence alone cannot tell the generic vocabulary of academic prose from
a topic, since "paper", "result" and "approach" co-occur with each other: variants measured and
rejected were second-order profiles, Leiden-cluster and PLSA topic profiles, document-cluster
profiles, all-noun-phrase contexts, KL against random document sets of the same size (as a
difference, ratio or z-score, with and without iterating on the selected context), mean pairwise
similarity of a term's documents, and Dirichlet shrinkage (13 to 45 of the 43 generic-term
candidates kept, against 5 for plain KL). Specificity leans the other way (frequent corpus terms
score high), so the two standardized scores cancel each other's frequency bias: with equal
weights 1 of the 43 is kept (in a 14-candidate corpus) and the selected terms are keywords
more often than the discarded ones (+0.25). Weights 0.45-0.55 give the same picture.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

SPECIFICITY_WEIGHT = 0.5
_MIN_GENERAL_FREQUENCY = 1e-8  # wordfreq's floor for words it has never seen


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


@lru_cache(maxsize=1)
def _word_frequency():
    from wordfreq import word_frequency

    return word_frequency


def general_frequency(terms: Sequence[str]) -> np.ndarray:
    """Frequency of each term in general English (wordfreq's 'best' English list), floored at 1e-8."""
    freq = _word_frequency()
    return np.array([max(freq(t, "en"), _MIN_GENERAL_FREQUENCY) for t in terms], dtype=np.float64)


def specificity(terms: Sequence[str], corpus_counts: np.ndarray) -> np.ndarray:
    """ln(corpus frequency / general-English frequency) of each term, up to a constant.

    ``corpus_counts`` are the terms' occurrence counts in the corpus; the corpus size is left out
    because it shifts every term by the same constant, which the standardization removes.
    """
    counts = np.maximum(np.asarray(corpus_counts, dtype=np.float64), 1.0)
    return np.log(counts) - np.log(general_frequency(terms))


def _standardized(v: np.ndarray) -> np.ndarray:
    sd = v.std()
    return (v - v.mean()) / sd if sd > 0 else np.zeros_like(v)


def relevance_scores(
    doc_term: sparse.spmatrix,
    terms: Sequence[str] | None = None,
    corpus_counts: np.ndarray | None = None,
    specificity_weight: float = SPECIFICITY_WEIGHT,
) -> np.ndarray:
    """Relevance of every column (term) of a document x term matrix (see the module docstring).

    With ``specificity_weight`` 0, or without ``terms``, the plain KL co-occurrence score.
    Otherwise (1 - w) * z(KL) + w * z(specificity), where ``corpus_counts`` are the terms'
    occurrence counts (the column sums of ``doc_term`` when not given).
    """
    if not 0 <= specificity_weight <= 1:
        raise ValueError(f"specificity_weight must be in [0, 1], not {specificity_weight}")
    kl = kl_relevance(cooccurrence(doc_term))
    if terms is None or specificity_weight == 0:
        return kl
    if len(terms) != doc_term.shape[1]:
        raise ValueError(f"{len(terms)} terms for a matrix of {doc_term.shape[1]} columns")
    if corpus_counts is None:
        corpus_counts = np.asarray(doc_term.sum(axis=0)).ravel()
    spec = specificity(terms, corpus_counts)
    return (1 - specificity_weight) * _standardized(kl) + specificity_weight * _standardized(spec)
