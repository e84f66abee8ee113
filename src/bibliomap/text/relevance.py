"""Relevance scores of terms: how specific a term is to the topics of the corpus.

Two signals, each standardized over the candidate terms (z-scores) and averaged with
``specificity_weight`` (the share of termhood; 0 gives the co-occurrence score alone):

1. **Co-occurrence concentration**, an approximation of VOSviewer's (undocumented) score,
   following ANCHORS 1.4: with C the term x term co-occurrence matrix (document level, diagonal
   excluded), p(j|i) = C_ij / sum_k C_ik, p(j) = sum_i C_ij / sum_ik C_ik and
   kl(i) = sum_j p(j|i) ln(p(j|i) / p(j)), the Kullback-Leibler divergence of term i's
   co-occurrence profile from the overall one. Terms that co-occur evenly with everything score
   low. Values are not comparable with VOSviewer's numbers, only the idea is the same.
2. **Termhood against academic prose** (issue #15), the sum of two standardized parts:
   - *academic specificity* ("weirdness", Ahmad, Gillam & Tostevin 1999, with an academic rather
     than a general-English reference): ln(p_corpus(i) / p_academic(i)), the term's share of the
     corpus's noun-phrase occurrences against its share in the background model of academic
     prose (``bibliomap.text.background``; the corpus's own field always left out). Boilerplate
     ("paper", "approach", "article", "first author") is common in every field's abstracts and
     scores low; a field's core vocabulary ("gpu", "music") is far more frequent here than in
     academic prose and scores high, however common its words are in general English;
   - *title share* (weight ``TITLE_WEIGHT``): ln((title documents + 0.5) / (documents + 1)):
     authors name their topics in titles, seldom "advantage" or "effort".
   Author and index keywords, where the records have them, may add ``KEYWORD_EVIDENCE`` (off by
   default: the score must work on Google Scholar exports, which have none).
3. **Boilerplate** (``boilerplate``), whatever its score, is not selected: common in the background
   and spread across its research fields with an evenness of at least ``BOILERPLATE_EVENNESS``, or
   a common phrase whose head word is (see ``boilerplate``), unless far more frequent here.
   Measured with the arXiv (CC0) + systematic-review (CC BY/CC0) + litstudy background on the seven
   corpora (threshold chosen on three of them): keyword hit rate 86.1%, generic share 5.6% (without
   the filter 90.6% and 20.5%; the arXiv + litstudy background with evenness across collections at
   0.5 gave 85.6% and 9.7%): it trades a few broad keywords ("model", "application", "efficiency")
   for most of the boilerplate. Candidates the corpus itself uses as academic prose (``flat_usage``:
   no burstier than chance by ``residual_idf``, seldom in titles, less specific than the median
   candidate) are boilerplate too (generic share 5.6% -> 3.3% at the same keyword hit rate on every
   corpus), and candidates it uses as topics (``topical_usage``: bursty and title words) are not
   (keyword hit rate 86.1% -> 87.1%; generic share 3.3% -> 3.6%, 3.3% by the list's keyword rule).
   Candidates spread less evenly (evenness 0.5 to 0.6) that this corpus uses less than the field of
   academic prose that uses them most (``not_concentrated``) are boilerplate too: generic share 3.6% ->
   2.4% (2.2% by the keyword rule; tuning 2.6% -> 1.6%, held-out 4.5% -> 3.3%), keyword hit rate 87.1% ->
   85.6% (tuning unchanged at 90.7%, held-out 83.8% -> 81.0%).
   With 4,200 abstracts of NSF research grants (public domain; 600 from each of NSF's seven directorates)
   added to the background as one field, the generic share fell from 2.4% to 1.1% (1.1% -> 1.1% on the tuning
   corpora, 3.3% -> 1.2% held out) for a keyword hit rate of 84.2% (85.6% before). Candidates this corpus uses
   far more than any field and in bursts (``concentrated_usage``) are then no boilerplate: keyword hit rate
   84.2% -> 86.6% (tuning 88.7% -> 91.8%, held-out 79.0% -> 81.9%), generic share 1.1% -> 1.4% ("weight",
   "value", "parameter", "optimization" come back; "situation" in wos.bib too). Per corpus: demo 100%,
   scopus.bib 86.1%, mcda_scopus.bib 75.9%, litstudy 100%, wos.bib 81.2%, mcda_wos.bib 85.7%, pubmed.txt 85.0%.
   The grants as seven fields, one per directorate, were worse (78.2% / 4.8%: the grants' own genre,
   "project", "student", "broader impact", looked evenly spread over seven of twenty fields); all 9,534
   usable grants as one field gave 84.2% / 1.7% (86.1% / 1.9% with ``concentrated_usage``), 300 per
   directorate the same as 600 on the tuning corpora, 150 per directorate one keyword fewer in wos.bib.
   Not kept then: ``not_concentrated`` judged by a one-sided Poisson test of the corpus's count against the
   top field's rate (alpha 0.01-0.2) instead of share < rate: nothing changes on the tuning corpora, so they
   give no ground to choose it; overall 86.6% / 1.4% -> 87.1% / 1.9% (alpha 0.2) or 87.6% / 2.4% (alpha 0.05,
   "uncertainty" in wos.bib, "evaluation" in pubmed.txt, with more generic terms).
   Tried and not kept (same benchmark): an evenness threshold 0.05 lower for candidates (almost) never
   in a title (generic share 3.6% -> 2.9% at the same hit rate, but it also drops "device",
   "algorithm", "quality", and "class", the one topic of scopus.bib whose rise is supported); field
   rates capped at 4-6 times their median before the evenness (one field's spike, "literature" in the
   humanities queries, no longer makes a word look topical), which trades keyword hits for generic
   share (tuning 88.7% / 1.6% at cap 6); selecting the share ``keep`` of all candidates and then
   dropping boilerplate (80.7% / 3.2% before the corpus-usage tests); the evenness divided by the
   evenness sampling noise alone gives a term of its background count spread at one rate over the fields
   (rare terms look uneven by chance): no better at any threshold (0.65: tuning 89.7% / 1.6%, held-out
   81.0% / 4.3%); a sample of 942 OpenAlex works (CC0; medicine, chemistry, materials, earth and social
   sciences) added to the background as eleven fields (small fields make every word look uneven: 87.6% /
   10.7% overall), as one field (85.6% / 3.1%) or as its four largest fields (85.1% / 5.4%); S2ORC's
   metadata sample (468 abstracts labelled by field of study, ODC-By 1.0) as eight fields (85.6% / 4.9%)
   or folded into the existing ones (85.1% / 1.6%: "year" and "availability" dropped, but so is
   "construction" in wos.bib, prose in the social sciences); a boilerplate exemption for candidates used
   here at least 1.5-4 times more than by any field (86.1-87.1% / 3.7-9.1%); the first 1,000 abstracts
   of the Web of Science dataset WOS-46985 (Kowsari et al. 2017, Mendeley Data, CC BY 4.0; medicine,
   psychology, biochemistry, computer science, civil, mechanical and electrical engineering; the
   only part of it held in a reachable repository) folded into five fields, the three engineering
   domains as one (83.2% / 1.1%: scopus.bib falls to 80.6%), or as seven (81.7% / 2.5%).

Why (measured in benchmarks/bench_terms.py on the seven real corpora with abstracts and author
keywords): of the 40 most frequent author keywords that are candidates, the previous score (KL +
general-English specificity, issue #4) selected 78% and 25% of its selections were generic
academic vocabulary by the benchmark's list; the frequency-only baseline 62% and 39%. General
English was the wrong reference: words rare in general English but ordinary in abstracts
("foundation", "intersection", "insight") looked topical, and KL discards a field's core
vocabulary because it co-occurs with everything. Variants measured on the way: the academic
ratio alone (hit rate 83-86%), mixed with general-English frequency (no gain), document instead of
occurrence shares, per-field instead of pooled background shares, a phrase back-off to word
frequencies for unseen phrases (no gain), burstiness (occurrences per document, Church & Gale
1995: +0.5 points of hit rate, but "approach" and "study" are repeated within abstracts too, and
rose into the selection of the decision-analysis corpora), an absolute cut by the ratio instead of a share kept
(fewer keywords kept for the same generic share). Earlier variants of the co-occurrence signal
(second-order, cluster and topic profiles, random-baseline KL, Dirichlet shrinkage) are recorded in
issue #4: none told boilerplate from topics, which is why the background carries the weight.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse

#: share of termhood in the relevance score (the rest: co-occurrence KL)
SPECIFICITY_WEIGHT = 0.7
TITLE_WEIGHT = 0.5
KEYWORD_EVIDENCE = 1.0
#: boilerplate is spread at least this evenly across the background's fields (``boilerplate``)
BOILERPLATE_EVENNESS = 0.6
#: spread at least this evenly and used here less than by some field: not concentrated here (``not_concentrated``)
CONCENTRATION_EVENNESS = 0.5
#: boilerplate is exempt when used at least this many times more here than the median candidate
BOILERPLATE_EXEMPT_RATIO = 5.0
#: flat usage (``flat_usage``): residual IDF at most this (bits) and in titles of at most this share of its documents
FLAT_RESIDUAL_IDF = 0.1
FLAT_TITLE_SHARE = 0.1
#: topical usage (``topical_usage``): residual IDF at least this (bits) and in titles of at least this share
TOPICAL_RESIDUAL_IDF = 0.5
TOPICAL_TITLE_SHARE = 0.2
#: concentrated usage (``concentrated_usage``): used here at least this many times more than by any field of
#: academic prose, with a residual IDF of at least this (bits)
CONCENTRATED_RATIO = 3.0
CONCENTRATED_RESIDUAL_IDF = 0.2


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


def academic_specificity(corpus_share: np.ndarray, academic_share: np.ndarray) -> np.ndarray:
    """ln(share in the corpus / share in academic prose) of each term."""
    return np.log(np.maximum(corpus_share, 1e-300)) - np.log(academic_share)


def termhood(
    corpus_share: np.ndarray,
    academic_share: np.ndarray,
    documents: np.ndarray,
    title_documents: np.ndarray | None = None,
    is_keyword: np.ndarray | None = None,
) -> np.ndarray:
    """Termhood of each candidate (see the module docstring): standardized academic specificity,
    plus the title share where given, plus keyword evidence where given."""
    docs = np.maximum(np.asarray(documents, dtype=np.float64), 1.0)
    score = _standardized(academic_specificity(corpus_share, academic_share))
    if title_documents is not None:
        score = score + TITLE_WEIGHT * _standardized(np.log((np.asarray(title_documents) + 0.5) / (docs + 1.0)))
    if is_keyword is not None:
        score = score + KEYWORD_EVIDENCE * np.asarray(is_keyword, dtype=np.float64)
    return score


def _standardized(v: np.ndarray) -> np.ndarray:
    sd = v.std()
    return (v - v.mean()) / sd if sd > 0 else np.zeros_like(v)


def relevance_scores(
    doc_term: sparse.spmatrix,
    term_score: np.ndarray | None = None,
    specificity_weight: float = SPECIFICITY_WEIGHT,
) -> np.ndarray:
    """Relevance of every column (term) of a document x term matrix (see the module docstring).

    With ``specificity_weight`` 0, or without ``term_score`` (a termhood per column), the plain KL
    co-occurrence score; otherwise (1 - w) * z(KL) + w * z(term_score).
    """
    if not 0 <= specificity_weight <= 1:
        raise ValueError(f"specificity_weight must be in [0, 1], not {specificity_weight}")
    kl = kl_relevance(cooccurrence(doc_term))
    if term_score is not None and specificity_weight != 0 and len(term_score) != doc_term.shape[1]:
        raise ValueError(f"{len(term_score)} term scores for a matrix of {doc_term.shape[1]} columns")
    return combined_relevance(kl, term_score, specificity_weight)


def combined_relevance(kl: np.ndarray, term_score: np.ndarray | None, specificity_weight: float) -> np.ndarray:
    """The relevance of terms from their KL co-occurrence scores and termhood (``relevance_scores``
    once the KL scores are known, wherever they were summed)."""
    if term_score is None or specificity_weight == 0:
        return kl
    return (1 - specificity_weight) * _standardized(kl) + specificity_weight * _standardized(np.asarray(term_score))


def boilerplate(evenness: np.ndarray, background_count: np.ndarray, specificity: np.ndarray,
                min_evenness: float = BOILERPLATE_EVENNESS, min_count: int = 20,
                min_ratio: float = BOILERPLATE_EXEMPT_RATIO, head_evenness: np.ndarray | None = None,
                head_count: np.ndarray | None = None) -> np.ndarray:
    """Mask of academic boilerplate: candidates common in academic prose (at least ``min_count``
    occurrences in the background) and spread evenly across its fields (evenness, see
    ``Background.spread``, of at least ``min_evenness``), unless this corpus uses them far more than
    academic prose does (academic specificity at least ``min_ratio`` times the median candidate's).
    The evenness threshold (0.6) and the ratio (5; 10 before) were chosen on the tuning corpora of
    benchmarks/bench_terms.py only (demo, scopus.bib, mcda_wos.bib): 0.6 is the lowest evenness at
    which their keyword hit rate reaches 85%, and a ratio of 5 raised it there (88.7% -> 89.7%) at
    the same generic share (4.9%); the held-out corpora moved the same way. Re-checked with NSF's grants in
    the background: tuning corpora 89.7% / 1.1% at 0.55, 91.8% / 1.1% at 0.6, 91.8% / 2.6% at 0.65, so 0.6
    still gives the most keyword hits at the least generic share. "approach", "advantage", "issue" and "framework" are boilerplate;
    "gpu", "electre tri" (absent from other fields) and "criterion" in a decision-analysis corpus
    (used 50 times more than elsewhere) are not.

    With ``head_evenness`` and ``head_count`` (per candidate, those of its last word; 0 for one-word
    candidates), a multi-word phrase that is itself common in academic prose and whose head word is
    boilerplate by the same test is boilerplate too, unless far more frequent here: "case study",
    "present study", "literature review" are idioms of a few fields' abstracts (so their own spread
    is uneven) built on a head that every field uses alike; "performance analysis" in a computing
    corpus or "decision analysis" (rare in academic prose, or far more frequent here) are kept.
    Measured on the tuning corpora of benchmarks/bench_terms.py: it removes about a third of the
    remaining generic terms for two points of keyword hit rate."""
    specificity = np.asarray(specificity, dtype=np.float64)
    count = np.asarray(background_count)
    common = count >= min_count
    even = common & (np.asarray(evenness) >= min_evenness)
    if head_evenness is not None and head_count is not None:
        even |= common & (np.asarray(head_count) >= min_count) & (np.asarray(head_evenness) >= min_evenness)
    if not len(specificity):
        return even
    return even & (specificity - np.median(specificity) < np.log(min_ratio))


def not_concentrated(evenness: np.ndarray, background_count: np.ndarray, corpus_share: np.ndarray,
                     top_field_rate: np.ndarray, min_evenness: float = CONCENTRATION_EVENNESS,
                     min_count: int = 20) -> np.ndarray:
    """Mask of candidates spread across academic prose and not concentrated in this corpus, the issue's
    other half of "common and evenly spread across fields": common in the background (at least
    ``min_count`` occurrences), spread with an evenness (``Background.spread``) of at least
    ``min_evenness``, and used here (``corpus_share`` of the noun-phrase occurrences) less than by the
    field of academic prose that uses it most (``Background.field_spread``). Such a word is prose some
    fields lean on more than others ("year" in psychology and medicine, "evidence", "outcome", "task",
    "magnitude"), below the evenness at which ``boilerplate`` calls it boilerplate everywhere; a topic
    of this corpus is used here more than anywhere ("category" in sorting methods, "weight" in decision
    analysis). The evenness 0.5 was chosen on the tuning corpora of benchmarks/bench_terms.py (demo,
    scopus.bib, mcda_wos.bib): the lowest at which none of their keyword targets is lost (0.45 loses
    two); there the generic share falls from 2.6% to 1.6%, on the held-out corpora from 4.5% to 3.3%
    (keyword hit rate 83.8% -> 81.0%: "quality" and "uncertainty" in wos.bib, "evaluation" in
    pubmed.txt, used here a little less than by the field that uses them most)."""
    evenness = np.asarray(evenness, dtype=np.float64)
    return ((np.asarray(background_count) >= min_count) & (evenness >= min_evenness)
            & (np.asarray(corpus_share, dtype=np.float64) < np.asarray(top_field_rate, dtype=np.float64)))


def core_vocabulary(documents: np.ndarray, specificity: np.ndarray, top: int, min_ratio: float = 10.0) -> np.ndarray:
    """Mask of the field's core vocabulary: among the ``top`` most frequent candidates (by
    documents), those whose academic specificity exceeds the median candidate's by ``min_ratio``
    (relative to the median, since short or repetitive texts raise every share alike). They are
    kept whatever their co-occurrence profile (a field's core terms co-occur with everything)."""
    specificity = np.asarray(specificity, dtype=np.float64)
    order = np.argsort(-np.asarray(documents), kind="stable")[:top]
    mask = np.zeros(len(documents), dtype=bool)
    if len(specificity):
        mask[order] = specificity[order] - np.median(specificity) >= np.log(min_ratio)
    return mask



def residual_idf(occurrences: np.ndarray, documents: np.ndarray, n_documents: int) -> np.ndarray:
    """Residual IDF of each term (Church & Gale 1995), in bits: its observed IDF, -log2(documents / N),
    minus the IDF a Poisson model predicts from its occurrences alone, -log2(1 - exp(-occurrences / N)).
    Near 0 when the documents that use a term use it about once each, as chance spreads it (academic
    prose: "literature", "effectiveness"); above 0 when it comes in bursts, several times in the
    documents about it (a topic: "weight" in decision analysis, "value" in health economics)."""
    n = max(int(n_documents), 1)
    docs = np.maximum(np.asarray(documents, dtype=np.float64), 1.0)
    occ = np.maximum(np.asarray(occurrences, dtype=np.float64), docs)
    return -np.log2(docs / n) + np.log2(-np.expm1(-occ / n))


def flat_usage(ridf: np.ndarray, title_share: np.ndarray, specificity: np.ndarray,
               max_ridf: float = FLAT_RESIDUAL_IDF, max_title_share: float = FLAT_TITLE_SHARE) -> np.ndarray:
    """Mask of candidates this corpus itself uses as academic prose, whatever the background says of
    their spread across fields: no burstier than chance (``residual_idf`` at most ``max_ridf``), almost
    never in titles (at most ``max_title_share`` of their documents name them there) and no more
    specific to this corpus than its median candidate (``specificity``: ``academic_specificity``).
    The corpus's own statistics, so it needs no list and no keywords and holds for Google Scholar
    exports too. Why: the background's fields are unevenly made (nine arXiv fields against four applied,
    social and medical ones), so the vocabulary of applied prose ("literature", "effectiveness",
    "availability", "capability") looks uneven across fields and escapes ``boilerplate``; inside a corpus
    it is spread one mention per abstract and never a title word. Thresholds chosen on the tuning corpora of
    benchmarks/bench_terms.py (demo, scopus.bib, mcda_wos.bib): the largest title share and residual IDF
    at which none of their keyword targets is lost (generic share 4.9% -> 2.6% there); on the held-out
    corpora no keyword target is lost either and the generic share falls from 6.3% to 4.1%."""
    specificity = np.asarray(specificity, dtype=np.float64)
    if not len(specificity):
        return np.zeros(0, dtype=bool)
    return ((np.asarray(ridf) <= max_ridf) & (np.asarray(title_share) <= max_title_share)
            & (specificity < np.median(specificity)))


def topical_usage(ridf: np.ndarray, title_share: np.ndarray, min_ridf: float = TOPICAL_RESIDUAL_IDF,
                  min_title_share: float = TOPICAL_TITLE_SHARE) -> np.ndarray:
    """Mask of candidates this corpus uses as a topic, whatever the background says of their spread: bursty
    (``residual_idf`` at least ``min_ridf``: the documents about it name it again and again) and named in the
    titles of at least ``min_title_share`` of its documents. Such a candidate is no boilerplate here
    ("integration" in a decision-analysis corpus, "efficiency" in health policy: common and evenly spread in
    academic prose, but what these papers are about). Thresholds chosen on the tuning corpora of
    benchmarks/bench_terms.py: the least bursty and least titled exemption that adds none of the benchmark's
    generic terms there (keyword hit rate 89.7% -> 90.7% at a generic share of 2.6%)."""
    return (np.asarray(ridf) >= min_ridf) & (np.asarray(title_share) >= min_title_share)


def concentrated_usage(concentration: np.ndarray, ridf: np.ndarray, min_ratio: float = CONCENTRATED_RATIO,
                       min_ridf: float = CONCENTRATED_RESIDUAL_IDF) -> np.ndarray:
    """Mask of candidates concentrated in this corpus, the converse of ``not_concentrated``: used here at least
    ``min_ratio`` times more than by the field of academic prose that uses them most (``concentration``: the
    corpus's share of the noun-phrase occurrences over that field's rate) and bursty (``residual_idf`` at least
    ``min_ridf``). Such a candidate is no boilerplate here, however evenly the fields spread it: "weight" and
    "value" in decision analysis and health economics, "optimization" and "energy efficiency" in GPU computing.
    Burstiness is what tells them from prose a corpus merely repeats ("consideration", "procedure", "account",
    residual IDF 0.0-0.1: one mention per abstract). Chosen on the tuning corpora of benchmarks/bench_terms.py
    (demo, scopus.bib, mcda_wos.bib): the lowest ratio (of 2, 3, 4) that adds none of the benchmark's generic
    terms there, and a residual IDF between the generic terms' (at most 0.11) and the topics' (at least 0.15)."""
    return (np.asarray(concentration, dtype=np.float64) >= min_ratio) & (np.asarray(ridf) >= min_ridf)
