"""Term selection from per-term statistics: the rules of ``bibliomap.text.terms.select_terms`` without the occurrences.

``select_terms`` reads the document x term counts it needs from the noun-phrase occurrences
in memory. An engine that keeps the occurrences on a cluster (``spark_terms``) hands over
instead what the selection reads from them, per term: its occurrences, documents and title
documents, and two functions run where the occurrences are, the candidates' co-occurrence KL
score and the final (fallback) occurrence table. The ranking, the core vocabulary, the
boilerplate filter, the share kept, the verification table and the fallback map are the same
steps on the same numbers; ``tests/engines`` checks that both give the same TermResult on
every real corpus, so a change to ``select_terms`` that is not made here fails there.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from bibliomap.text.background import Background, default_background
from bibliomap.text.relevance import (_standardized, academic_specificity, boilerplate, core_vocabulary,
                                      termhood)
from bibliomap.text.terms import COUNTING, TermResult, _fallback_map
from bibliomap.text.unify import unify


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


def candidate_scores(stats: TermStatistics, cand: np.ndarray, documents: np.ndarray, background: Background | None,
                     keyword_evidence: bool) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(termhood, academic specificity, background groups left out) of the candidates (``terms.candidate_termhood``)."""
    bg = background or default_background()
    terms = [stats.vocabulary[i] for i in cand]
    title_docs = None
    if stats.title_documents is not None and stats.title_documents.any():
        title_docs = stats.title_documents[cand]
    left_out = bg.groups_left_out(stats.fingerprints)
    academic, _ = bg.probabilities(terms, left_out)
    share = stats.rows[cand] / max(int(stats.rows.sum()), 1)
    is_kw = None
    if keyword_evidence and stats.keywords:
        keywords = {unify(k) for k in stats.keywords}
        is_kw = np.array([t in keywords for t in terms])
    return termhood(share, academic, documents, title_docs, is_kw), academic_specificity(share, academic), left_out


def _validate(counting: str, keep: float, n_terms: int | None, specificity_weight: float) -> None:
    if counting not in COUNTING:
        raise ValueError(f"counting must be 'binary' or 'full', not {counting!r}")
    if not 0 < keep <= 1:
        raise ValueError(f"keep must be a share in (0, 1], not {keep}")
    if n_terms is not None and n_terms < 0:
        raise ValueError(f"n_terms must be >= 0, not {n_terms}")
    if not 0 <= specificity_weight <= 1:
        raise ValueError(f"specificity_weight must be in [0, 1], not {specificity_weight}")


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
    (``targets``: per vocabulary term its selected term, -1 for none)."""
    _validate(counting, keep, n_terms, specificity_weight)
    vocab = stats.vocabulary
    occ = (stats.documents if counting == "binary" else stats.rows).astype(np.int64)
    cand = np.nonzero(occ >= min_occurrences)[0]
    relevance = np.full(len(vocab), np.nan)
    core = np.zeros(len(vocab), dtype=bool)
    boiler = np.zeros(len(vocab), dtype=bool)
    if len(cand):
        score = None
        if specificity_weight > 0:
            documents = occ[cand] if counting == "binary" else stats.documents[cand]
            score, spec, left_out = candidate_scores(stats, cand, documents, background, keyword_evidence)
            core[cand] = core_vocabulary(occ[cand], spec, top=math.ceil(len(cand) / 10))
            if boilerplate_evenness is not None:
                bg = background or default_background()
                evenness, count = bg.spread([vocab[i] for i in cand], left_out)
                boiler[cand] = boilerplate(evenness, count, spec, boilerplate_evenness)
                if keyword_evidence and stats.keywords:  # the authors' own keywords are no boilerplate to them
                    keywords = {unify(k) for k in stats.keywords}
                    boiler[cand] &= ~np.array([vocab[i] in keywords for i in cand], dtype=bool)
        scores = kl(cand)
        if score is not None and specificity_weight != 0:
            scores = (1 - specificity_weight) * _standardized(scores) + specificity_weight * _standardized(np.asarray(score))
        relevance[cand] = scores
    # deterministic ranking: core vocabulary first, then relevance desc, occurrences desc, term
    order = sorted(cand.tolist(), key=lambda i: (not core[i], -relevance[i], -occ[i], vocab[i]))
    n_keep = min(len(order), n_terms) if n_terms is not None else math.ceil(keep * len(order) - 1e-9)
    chosen = set([i for i in order if not boiler[i]][:n_keep])
    selected_flag = np.zeros(len(vocab), dtype=bool)
    selected_flag[list(chosen)] = True
    table = pd.DataFrame({"term": vocab, "occurrences": occ, "relevance": relevance, "selected": selected_flag})
    table = table.sort_values(["occurrences", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    labels = table.loc[table["selected"], "term"].tolist()
    label_index = {t: k for k, t in enumerate(labels)}
    targets = _fallback_map(vocab, label_index, table.loc[table["selected"], "occurrences"].to_numpy())
    final = occurrences(targets)[["doc", "term", "count"]].astype(np.int64)
    final = final.sort_values(["doc", "term"], kind="mergesort").reset_index(drop=True)
    return TermResult(table, labels, final, stats.n_documents, counting, tuple(fields), stats.n_tokens, None)


__all__: list[Any] = ["TermStatistics", "candidate_scores", "select_from_statistics"]
