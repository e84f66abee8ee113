"""Term selection from per-term statistics: ``bibliomap.text.terms.select_terms`` without the occurrences in memory.

``select_terms`` reads the document x term counts it needs from the noun-phrase occurrences
in memory. An engine that keeps the occurrences on a cluster (``spark_terms``) hands over
instead what the selection reads from them, per term: its occurrences, documents and title
documents, and two functions run where the occurrences are, the candidates' co-occurrence KL
scores and the final (fallback) occurrence table. Scoring (``terms.score_candidates``) and
ranking (``terms.ranked_selection``) are the in-process functions themselves.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np
import pandas as pd

from bibliomap.text.background import Background
from bibliomap.text.terms import PhraseOccurrences, TermResult, check_selection, ranked_selection, score_candidates


@dataclasses.dataclass
class TermStatistics:
    """Per vocabulary term (in the in-process numbering: order of first occurrence), what selection reads."""

    vocabulary: list[str]
    rows: np.ndarray  # noun-phrase occurrences (full counting)
    documents: np.ndarray  # documents it occurs in (binary counting)
    title_documents: np.ndarray | None  # documents with it in the title (None: titles not read)
    n_documents: int
    n_tokens: int
    fingerprints: np.ndarray  # background.title_fingerprints of the corpus's titles
    keywords: frozenset[str] | None
    acronyms: dict[tuple[str, str], int] | None = None  # PhraseOccurrences.acronyms


def select_from_statistics(
    stats: TermStatistics,
    kl: Callable[[np.ndarray], np.ndarray],
    occurrences: Callable[[np.ndarray], pd.DataFrame],
    counting: str,
    min_occurrences: int,
    keep: float,
    n_terms: int | None,
    fields: tuple[str, ...],
    specificity_weight: float,
    background: Background | None,
    keyword_evidence: bool,
    boilerplate_evenness: float | None,
) -> TermResult:
    """``select_terms`` on ``stats``: ``kl(cand)`` gives the candidates' co-occurrence KL scores,
    ``occurrences(targets)`` the (doc, term, count) table of the selected terms after the fallback
    (``targets``: per vocabulary term its selected term, -1 for none), int64 columns sorted by doc and
    term, as ``TermResult`` holds it (the engine sorts: a copy here would not fit at millions of abstracts)."""
    check_selection(counting, keep, n_terms, specificity_weight)
    vocab = stats.vocabulary
    occ = (stats.documents if counting == "binary" else stats.rows).astype(np.int64)
    cand = np.nonzero(occ >= min_occurrences)[0]
    empty = np.zeros(0, np.int64)
    light = PhraseOccurrences(empty, empty, vocab, stats.n_documents, stats.n_tokens, fingerprints=stats.fingerprints,
                              keywords=stats.keywords)
    title_docs = stats.title_documents if stats.title_documents is not None and stats.title_documents.any() else None
    relevance, core, boiler = score_candidates(
        light, occ, cand, lambda: stats.documents[cand], kl, specificity_weight, background, keyword_evidence,
        boilerplate_evenness, counts=(stats.rows, title_docs))
    table, labels, targets, aliases = ranked_selection(vocab, occ, cand, relevance, core, boiler, keep, n_terms,
                                                       stats.acronyms)
    final = occurrences(targets)
    return TermResult(table, labels, final, stats.n_documents, counting, tuple(fields), stats.n_tokens, None, aliases)
