"""Term extraction and selection from titles and abstracts, the way VOSviewer does it.

Pipeline: remove copyright statements -> sentences and tokens -> UPOS tags -> noun phrases ->
unified terms (optionally mapped by a thesaurus) -> occurrence counts (binary or full) ->
candidates with at least ``min_occurrences`` -> relevance (co-occurrence KL and termhood against a
background model of academic prose, see ``relevance``) -> keep the most relevant share or a fixed
number, the field's core vocabulary first -> VOSviewer's
fallback: an occurrence of a term that was not selected counts toward its next-shorter selected
term, the longest selected run of its words ("artificial neural network" -> "neural network" ->
"network"; "electre tri method" -> "electre tri").
"""
from __future__ import annotations

import collections
import contextlib
import contextvars
import dataclasses
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from bibliomap.arrays import unique_ints
from bibliomap.text.acronyms import unified_acronym_pairs
from bibliomap.text.nounphrases import (STRUCTURED_LABELS, NounPhrases, iter_phrase_texts, noun_phrases,
                                        remove_copyright)
from bibliomap.text.casing import tagging_types
from bibliomap.text.background import Background, default_background, title_fingerprints
from bibliomap.text.relevance import (BOILERPLATE_EVENNESS, SPECIFICITY_WEIGHT, academic_specificity, boilerplate,
                                      combined_relevance, concentrated_usage, cooccurrence, core_vocabulary, flat_usage,
                                      kl_relevance, not_concentrated, residual_idf, termhood, topical_usage)
from bibliomap.text.tagger import Tagger, default_tagger
from bibliomap.text.thesaurus import Thesaurus
from bibliomap.text.tokenize import tokenize
from bibliomap.text.unify import singular, unify
from bibliomap.text.variants import canonical_variants
from bibliomap.scoped import set_within

FIELDS = ("title", "abstract")
COUNTING = ("binary", "full")
#: texts of one field (one per document) tokenized, tagged and parsed at a time (``phrase_occurrences``)
CHUNK_TEXTS = 50_000


@dataclasses.dataclass
class PhraseOccurrences:
    """Every noun-phrase occurrence: the document it is in and its unified term."""

    doc: np.ndarray  # int64 document index (row of the corpus)
    term: np.ndarray  # int64 index into ``vocabulary``
    vocabulary: list[str]
    n_documents: int
    n_tokens: int
    #: with nested sub-phrases, the textual phrase occurrence each row belongs to (None: row = occurrence)
    origin: np.ndarray | None = None
    #: per row, whether the occurrence is in a title (None: unknown)
    in_title: np.ndarray | None = None
    #: fingerprints of the corpus's titles (``background.title_fingerprints``), to leave its own field out
    fingerprints: np.ndarray | None = None
    #: the corpus's distinct author and index keywords as written (``keyword_evidence`` in ``select_terms``)
    keywords: frozenset[str] | None = None
    #: the acronyms its texts define: (short form, long form), both unified -> the number of texts defining it
    #: (``bibliomap.text.acronyms``; an acronym and its long form are shown as one term, ``text.variants``)
    acronyms: dict[tuple[str, str], int] | None = None


@dataclasses.dataclass
class TermResult:
    """What ``extract_terms`` returns.

    - ``terms``: every candidate term, one row each: ``term``, ``occurrences`` (documents with
      binary counting, all occurrences with full counting, before the fallback), ``relevance``
      (NaN below ``min_occurrences``), ``selected`` (bool); ordered by occurrences (descending),
      then term. This is VOSviewer's verification table.
    - ``labels``: the selected terms; position k is term index k of ``occurrences``.
    - ``occurrences``: the document-term occurrence table of the selected terms after the
      fallback: columns ``doc`` (row of the input corpus, 0-based), ``term`` (index into
      ``labels``) and ``count`` (1 with binary counting, the number of occurrences with full
      counting); sorted by doc, then term, one row per (doc, term) pair. ``matrix()`` turns it
      into a scipy CSR matrix of shape (n_documents, len(labels)).

    Why a selected term's ``occurrences`` in ``terms`` (tables/terms.csv) is often smaller than its
    weight<Occurrences> in the term map: both count the same way (``counting``, titles and abstracts
    alike), but ``terms`` counts the term's own noun-phrase occurrences before selection (the
    verification table), while the map counts ``occurrences``, after the fallback, where every
    unselected longer phrase holding a selected term counts toward it ("gpu application",
    "application performance" -> "application"). On the demo corpus "gpu": 344 documents in the
    table, 397 in the map (171 unselected longer phrases count toward it).
    """

    terms: pd.DataFrame
    labels: list[str]
    occurrences: pd.DataFrame
    n_documents: int
    counting: str
    fields: tuple[str, ...]
    n_tokens: int = 0
    phrases: PhraseOccurrences | None = None
    #: the vocabulary terms shown under a selected label of their group (variants and acronyms,
    #: ``bibliomap.text.variants``): term -> label ("mcda" -> "multiple criteria decision analysis")
    aliases: dict[str, str] = dataclasses.field(default_factory=dict)

    def matrix(self) -> sparse.csr_matrix:
        """Documents x selected terms counts (CSR)."""
        o = self.occurrences
        return sparse.csr_matrix(
            (o["count"].to_numpy(np.float64), (o["doc"].to_numpy(), o["term"].to_numpy())),
            shape=(self.n_documents, len(self.labels)),
        )

    def terms_of(self, doc: int) -> list[str]:
        """The selected terms found in document ``doc`` (after the fallback)."""
        o = self.occurrences
        return [self.labels[t] for t in o.loc[o["doc"] == doc, "term"].tolist()]


def _keywords(corpus: Any) -> frozenset[str] | None:
    """The distinct author and index keywords of a Corpus, StoredCorpus or DataFrame (None when it has none);
    unified only when keyword evidence is asked for."""
    out: set[str] = set()
    for col in ("author_keywords", "index_keywords"):
        if hasattr(corpus, "distinct_list_values"):  # a saved corpus (StoredCorpus): that column alone is read
            out.update(corpus.distinct_list_values(col))
            continue
        if hasattr(corpus, "to_arrow") and col in corpus.to_arrow().column_names:
            values = corpus.values(col)
        elif isinstance(corpus, pd.DataFrame) and col in corpus.columns:
            values = corpus[col]
        else:
            continue
        out.update(k for v in values if v is not None and not isinstance(v, float) for k in v if k)
    return frozenset(out) or None


def _texts(corpus: Any, fields: Sequence[str]) -> tuple[list[list[str | None]], int]:
    """Per field, the list of texts (one per document) of a Corpus, DataFrame or mapping."""
    getters, n = _text_getters(corpus, fields)
    return [get(0, n) for get in getters], n


def _text_getters(corpus: Any, fields: Sequence[str]) -> tuple[list[Callable[[int, int], list[str | None]]], int]:
    """Per field, a function giving the texts of documents ``[lo, hi)`` (None: missing or blank) of a Corpus, a
    saved corpus (``corpus.stored.StoredCorpus``) or a DataFrame, and the number of documents; a plain sequence of strings gives one text per document, in place
    of every field (one function). Slices, so that a million abstracts need not be Python strings at once."""
    def clean(values: Sequence[Any]) -> list[str | None]:
        return [t if isinstance(t, str) and t.strip() else None for t in values]

    if hasattr(corpus, "range_reader"):  # a saved corpus (StoredCorpus): read forward from its file
        return [lambda lo, hi, r=corpus.range_reader(f): clean(r(lo, hi).to_pylist()) for f in fields], len(corpus)
    if hasattr(corpus, "values") and hasattr(corpus, "to_arrow"):
        table = corpus.to_arrow()
        return [lambda lo, hi, c=table.column(f): clean(c.slice(lo, hi - lo).to_pylist()) for f in fields], len(corpus)
    if isinstance(corpus, pd.DataFrame):
        return [lambda lo, hi, c=corpus[f]: clean(c.iloc[lo:hi].tolist()) for f in fields], len(corpus)
    seq = list(corpus)
    return [lambda lo, hi: clean(seq[lo:hi])], len(seq)


def phrase_occurrences(
    corpus: Any,
    fields: Sequence[str] = FIELDS,
    ignore_structured_labels: bool = True,
    ignore_copyright: bool = True,
    thesaurus: Thesaurus | None = None,
    tagger: Tagger | None = None,
    nested: bool = False,
) -> PhraseOccurrences:
    """All noun-phrase occurrences of ``fields`` of ``corpus``, unified (and mapped by ``thesaurus``).

    ``nested``: also count, inside each occurrence, the attested sub-phrases (see
    ``nested_occurrences``); VOSviewer counts the longest phrase only (the default).
    """
    for f in fields:
        if f not in ("title", "abstract"):
            raise ValueError(f"unknown text field {f!r}: expected 'title' and/or 'abstract'")
    getters, n_docs = _text_getters(corpus, fields)
    real_fields = len(getters) == len(fields)  # else a plain sequence of texts, read once and no title
    tagger = tagger or default_tagger()
    vocab: dict[str, int] = {}
    unified_cache: dict[str, int] = {}

    def term_id(surface: str) -> int:
        tid = unified_cache.get(surface)
        if tid is None:
            u = unify(surface)
            if ignore_structured_labels and u in STRUCTURED_LABELS:
                u = ""
            if u and thesaurus is not None:
                u = thesaurus.lookup(u) or ""
            tid = vocab.setdefault(u, len(vocab)) if u else -1
            unified_cache[surface] = tid
        return tid

    # field by field, documents in order, CHUNK_TEXTS at a time, so that texts, tokens, tags and phrases are held
    # for one chunk only (a million abstracts at once took 17 GB); each text is read alone, so the chunks change
    # nothing but memory
    parts: list[tuple[np.ndarray, np.ndarray, bool]] = []
    acronyms: collections.Counter[tuple[str, str]] = collections.Counter()  # defined per text, summed over chunks
    title_prints: list[np.ndarray] = []  # the titles' fingerprints (``title_fingerprints``), chunk by chunk
    n_tokens = 0
    for f, get in zip(fields, getters):
        in_title = f == "title" and real_fields
        for lo in range(0, n_docs, CHUNK_TEXTS):
            values = get(lo, min(lo + CHUNK_TEXTS, n_docs))
            if in_title:
                title_prints.append(title_fingerprints(values))
            texts: list[str] = []
            doc_of_text: list[int] = []
            for k, t in enumerate(values):
                if t is not None and ignore_copyright:
                    t = remove_copyright(t)
                if t:
                    texts.append(t)
                    doc_of_text.append(lo + k)
            if texts:
                acronyms.update(unified_acronym_pairs(texts, thesaurus.lookup if thesaurus is not None else None))
                ids, text_index, n = _chunk_phrases(texts, tagger, term_id)
                kept = ids >= 0  # phrases that unify to no term (a label, a lone symbol) are dropped here
                docs_of = np.asarray(doc_of_text, dtype=np.int64)[text_index[kept]]
                parts.append((ids[kept].astype(np.int32), docs_of.astype(np.int32) if n_docs < 2**31 else docs_of,
                              in_title))
                n_tokens += n
    # number the terms in order of first occurrence, as one pass over the phrases would
    provisional = list(vocab)
    order = _first_occurrence_order([p[0] for p in parts], len(provisional))
    renumber = np.full(len(provisional), -1, dtype=np.int64)
    renumber[order] = np.arange(len(order))
    vocab = {provisional[k]: i for i, k in enumerate(order.tolist())}
    # the parts moved into the final arrays one by one, each freed once copied: about one copy of the occurrences
    # in memory at a time (concatenating and renumbering them whole took four times that at millions of abstracts)
    total = sum(len(p[0]) for p in parts)
    term_ids, docs, titled = np.empty(total, np.int64), np.empty(total, np.int64), np.empty(total, bool)
    at = 0
    while parts:
        ids, docs_of, in_title = parts.pop(0)
        term_ids[at:at + len(ids)] = renumber[ids]
        docs[at:at + len(ids)] = docs_of
        titled[at:at + len(ids)] = in_title
        at += len(ids)
        del ids, docs_of
    prints = unique_ints(np.concatenate(title_prints)) if title_prints else title_fingerprints([])
    result = PhraseOccurrences(docs, term_ids, list(vocab), n_docs, n_tokens, in_title=titled,
                               fingerprints=prints, keywords=_keywords(corpus), acronyms=dict(acronyms))
    return nested_occurrences(result) if nested else result


def _first_occurrence_order(parts: list[np.ndarray], n_terms: int) -> np.ndarray:
    """The term ids of ``parts`` (consecutive pieces of one sequence) in order of their first occurrence in it."""
    seen = np.zeros(n_terms, dtype=bool)
    order: list[np.ndarray] = []
    for ids in parts:
        found, first_at = np.unique(ids, return_index=True)
        new = ~seen[found]
        order.append(found[new][np.argsort(first_at[new], kind="stable")])
        seen[found] = True
    return np.concatenate(order).astype(np.int64) if order else np.zeros(0, np.int64)


def _chunk_phrases(texts: list[str], tagger: Tagger, term_id: Callable[[str], int]) -> tuple[np.ndarray, np.ndarray, int]:
    """The noun phrases of ``texts`` in text order: their (provisional) term ids by ``term_id`` (-1: no term), the
    index of the text each is in, and the number of tokens read."""
    tokens = tokenize(texts)
    tags = tagger.tag_types(*tagging_types(tokens, len(texts)), tokens.sentence_starts)
    phrases = noun_phrases(tokens, tags)
    # a one-token phrase's surface is its word type: unify each type once, map the rest by array
    term_ids = np.empty(len(phrases), dtype=np.int64)
    single = phrases.end - phrases.start == 1
    single_types = tokens.types[phrases.start[single]]
    present = np.unique(single_types)
    type_term = np.full(len(tokens.vocabulary), -1, dtype=np.int64)
    type_term[present] = [term_id(tokens.vocabulary[t]) for t in present.tolist()]
    term_ids[single] = type_term[single_types]
    multi = np.flatnonzero(~single)
    longer = NounPhrases(phrases.start[multi], phrases.end[multi], phrases.text_index[multi])
    term_ids[multi] = np.fromiter((term_id(s) for s in iter_phrase_texts(tokens, longer, texts)), dtype=np.int64,
                                  count=multi.size)
    return term_ids, np.asarray(phrases.text_index, dtype=np.int64), len(tokens)


def _attested_subphrases(vocabulary: list[str]) -> tuple[list[str], list[list[int]]]:
    """The vocabulary grown by the attested sub-phrases, and per term the indices of its attested
    runs of two or more consecutive words shorter than itself (the run's last word singularized, as
    unification does). A run is attested when it is a term of its own, or when longer terms hold
    it after at least two different words ("outranking approach" in "electre outranking approach"
    and "robust outranking approach"): C-value's nested-term evidence, with the left context
    required to vary so that fragments of one fixed phrase ("criteria decision" of "multiple
    criteria decision ...") do not count."""
    runs_of: list[list[str]] = []
    left_words: dict[str, set[str]] = {}
    for term in vocabulary:
        words = term.split(" ")
        n = len(words)
        runs: dict[str, None] = {}
        for length in range(2, n):
            for start in range(n - length + 1):
                run = " ".join(words[start:start + length - 1] + [singular(words[start + length - 1])])
                runs[run] = None
                left_words.setdefault(run, set()).add(words[start - 1] if start else "")
        runs_of.append(list(runs))
    vocab = list(vocabulary)
    index = {t: k for k, t in enumerate(vocab)}
    out: list[list[int]] = []
    for runs in runs_of:
        found = []
        for r in runs:
            k = index.get(r)
            if k is None and len(left_words[r]) >= 2:
                k = index[r] = len(vocab)
                vocab.append(r)
            if k is not None:
                found.append(k)
        out.append(found)
    return vocab, out


def nested_occurrences(phrases: PhraseOccurrences) -> PhraseOccurrences:
    """``phrases`` plus an occurrence of every attested sub-phrase inside each occurrence.

    A sub-phrase is a run of at least two consecutive words of a longer term that also occurs on
    its own somewhere in the corpus ("programming model" inside "opencl programming model" when
    "programming model" is itself a noun phrase elsewhere) or follows different words inside
    longer terms, after the idea of nested terms in C-value (Frantzi, Ananiadou & Mima 2000).
    Single words never count as nested, so heads such as "model" or "method" are not inflated.
    Each added row's ``origin`` is the occurrence it sits in, so that after the fallback one
    textual occurrence still counts a term at most once. A deviation from VOSviewer, which keeps
    only the longest phrase; off by default.
    """
    vocab, subs = _attested_subphrases(phrases.vocabulary)
    n_subs = np.array([len(s) for s in subs], dtype=np.int64)
    per_occurrence = n_subs[phrases.term] if len(phrases.term) else np.zeros(0, np.int64)
    if not per_occurrence.sum():
        return phrases
    flat = np.array([k for s in subs for k in s], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(n_subs)[:-1]])
    occ = np.repeat(np.arange(len(phrases.term)), per_occurrence)
    offset = np.arange(len(occ)) - np.repeat(np.cumsum(per_occurrence) - per_occurrence, per_occurrence)
    extra_term = flat[starts[phrases.term[occ]] + offset]
    doc = np.concatenate([phrases.doc, phrases.doc[occ]])
    term = np.concatenate([phrases.term, extra_term])
    origin = np.concatenate([np.arange(len(phrases.term)), occ])
    in_title = None if phrases.in_title is None else np.concatenate([phrases.in_title, phrases.in_title[occ]])
    return dataclasses.replace(phrases, doc=doc, term=term, vocabulary=vocab, origin=origin, in_title=in_title)


def _counts(doc: np.ndarray, term: np.ndarray, n_docs: int, n_terms: int, counting: str) -> sparse.csr_matrix:
    """Documents x terms counts of the (doc, term) occurrences: 1 per pair ("binary") or their number ("full").
    Built from the sorted pair keys (one sort), not through scipy's COO conversion, whose index and sum
    temporaries took 2 GB more at a million abstracts (50M occurrences)."""
    width = max(n_terms, 1)
    key = np.asarray(doc, dtype=np.int64) * width
    key += np.asarray(term, dtype=np.int64)
    key.sort()
    first = np.empty(key.size, dtype=bool)  # the first key of each run of equal keys: one (document, term) pair
    first[:1] = True
    np.not_equal(key[1:], key[:-1], out=first[1:])
    if counting == "binary":
        data = np.ones(int(first.sum()))
    else:
        data = np.diff(np.append(np.flatnonzero(first), key.size)).astype(np.float64)
    key = key[first]
    small = max(n_terms, len(key)) < np.iinfo(np.int32).max
    index = np.int32 if small else np.int64
    # row starts by binary search in the sorted keys, columns in place: no per-pair row array
    indptr = np.searchsorted(key, np.arange(n_docs + 1, dtype=np.int64) * width).astype(index)
    np.remainder(key, width, out=key)
    return sparse.csr_matrix((data, key.astype(index), indptr), shape=(n_docs, n_terms))


def _fallback_map(vocabulary: list[str], selected: dict[str, int],
                  occurrences: np.ndarray | None = None, aliases: dict[str, int] | None = None) -> np.ndarray:
    """For each vocabulary term, the selected term it counts toward (-1: none): itself if selected, the
    selected form of its variants (``aliases``: variant -> selected index, ``bibliomap.text.variants``),
    else VOSviewer's "next-shorter term", the longest selected term (or variant of one) made of consecutive
    words of it ("artificial neural network" -> "neural network", "electre tri method" -> "electre tri");
    among equally long ones the most frequent (``occurrences`` per selected index), then the rightmost."""
    if aliases:
        selected = {**aliases, **selected}
    out = np.full(len(vocabulary), -1, dtype=np.int64)
    for i, term in enumerate(vocabulary):
        own = selected.get(term)
        if own is not None:
            out[i] = own
            continue
        words = term.split(" ")
        n = len(words)
        for k in range(n - 1, 0, -1):
            found = [t for s in range(n - k, -1, -1) if (t := selected.get(" ".join(words[s:s + k]))) is not None]
            if found:
                out[i] = found[0] if occurrences is None else max(found, key=lambda t: occurrences[t])
                break
    return out


def term_counts(phrases: PhraseOccurrences) -> tuple[np.ndarray, np.ndarray | None]:
    """Per vocabulary term: its noun-phrase occurrences, and the documents with it in a title (None
    when no occurrence is in a title)."""
    vocab = phrases.vocabulary
    in_text = np.bincount(phrases.term, minlength=len(vocab))
    title_docs = None
    if phrases.in_title is not None and phrases.in_title.any():
        t = unique_ints(phrases.doc[phrases.in_title] * len(vocab) + phrases.term[phrases.in_title])
        title_docs = np.bincount(t % len(vocab), minlength=len(vocab))
    return in_text, title_docs


def candidate_termhood(phrases: PhraseOccurrences, cand: np.ndarray, documents: np.ndarray,
                       background: Background | None = None, keyword_evidence: bool = False,
                       counts: tuple[np.ndarray, np.ndarray | None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Termhood (``relevance.termhood``) and academic specificity of the candidate terms ``cand``
    (vocabulary indices; ``documents``: the number of documents each is in), against ``background``
    (the shipped model when None) with the corpus's own field left out. ``counts``: ``term_counts``
    when known (an engine that holds the occurrences elsewhere); else taken from ``phrases``."""
    bg = background or default_background()
    vocab = phrases.vocabulary
    terms = [vocab[i] for i in cand]
    in_text, title_docs = counts if counts is not None else term_counts(phrases)
    title_docs = title_docs[cand] if title_docs is not None else None
    left_out = bg.groups_left_out(phrases.fingerprints)
    academic, _ = bg.probabilities(terms, left_out)
    share = in_text[cand] / max(int(in_text.sum()), 1)
    is_kw = None
    if keyword_evidence and phrases.keywords:
        keywords = {unify(k) for k in phrases.keywords}
        is_kw = np.array([t in keywords for t in terms])
    score = termhood(share, academic, documents, title_docs, is_kw)
    return score, academic_specificity(share, academic)


def candidate_boilerplate(phrases: PhraseOccurrences, cand: np.ndarray, specificity: np.ndarray,
                          background: Background | None = None,
                          min_evenness: float = BOILERPLATE_EVENNESS,
                          in_text: np.ndarray | None = None) -> np.ndarray:
    """Which candidates ``cand`` are academic boilerplate by the background (``relevance.boilerplate``:
    judged by how evenly ``background``, the shipped model when None with the corpus's own field left
    out, spreads them and the head words of multi-word candidates across fields, and by their academic
    ``specificity`` here; or ``relevance.not_concentrated``: spread and used less here than by some
    field). ``in_text``: noun-phrase occurrences per vocabulary term (``term_counts``; taken from
    ``phrases`` when None)."""
    bg = background or default_background()
    terms = [phrases.vocabulary[i] for i in cand]
    heads = [t.rsplit(" ", 1)[1] if " " in t else "" for t in terms]  # "" is no term: evenness and count 0
    left_out = bg.groups_left_out(phrases.fingerprints)
    evenness, count, top_rate = bg.field_spread(terms + heads, left_out)
    n = len(terms)
    in_text = in_text if in_text is not None else term_counts(phrases)[0]
    share = in_text[cand] / max(int(in_text.sum()), 1)
    return (boilerplate(evenness[:n], count[:n], specificity, min_evenness, head_evenness=evenness[n:],
                        head_count=count[n:])
            | not_concentrated(evenness[:n], count[:n], share, top_rate[:n]))


def candidate_concentration(phrases: PhraseOccurrences, cand: np.ndarray, background: Background | None = None,
                            in_text: np.ndarray | None = None) -> np.ndarray:
    """How many times more this corpus uses each candidate of ``cand`` (its share of the noun-phrase occurrences)
    than the field of academic prose that uses it most (``Background.field_spread``; ``background``: the shipped
    model when None, the corpus's own field left out); infinite for a candidate no field uses."""
    bg = background or default_background()
    _, _, top_rate = bg.field_spread([phrases.vocabulary[i] for i in cand], bg.groups_left_out(phrases.fingerprints))
    in_text = in_text if in_text is not None else term_counts(phrases)[0]
    share = in_text[cand] / max(int(in_text.sum()), 1)
    return np.divide(share, top_rate, out=np.full(len(cand), np.inf), where=top_rate > 0)


def corpus_boilerplate(background_boilerplate: np.ndarray, n_documents: int, cand: np.ndarray,
                       documents: np.ndarray, specificity: np.ndarray,
                       counts: tuple[np.ndarray, np.ndarray | None],
                       concentration: np.ndarray | None = None) -> np.ndarray:
    """The boilerplate mask of the candidates ``cand`` once the corpus's own usage is heard: the
    background's verdict (``background_boilerplate``, per candidate) lifted where the corpus uses a
    candidate as a topic (``relevance.topical_usage``) or far more than any field of academic prose does
    (``relevance.concentrated_usage``, where ``concentration``, ``candidate_concentration``, is given), and
    extended to what it uses as academic prose (``relevance.flat_usage``). From their noun-phrase occurrences
    and title documents (``counts``: ``term_counts``), their ``documents`` and academic ``specificity``."""
    in_text, title_docs = counts
    docs = np.maximum(np.asarray(documents, dtype=np.float64), 1.0)
    title_share = (title_docs[cand] if title_docs is not None else np.zeros(len(cand))) / docs
    ridf = residual_idf(in_text[cand], docs, n_documents)
    topic = topical_usage(ridf, title_share)
    if concentration is not None:
        topic |= concentrated_usage(concentration, ridf)
    return (background_boilerplate & ~topic) | flat_usage(ridf, title_share, specificity)


def score_candidates(phrases: PhraseOccurrences, occ: np.ndarray, cand: np.ndarray, documents: Callable[[], np.ndarray],
                     kl: Callable[[np.ndarray], np.ndarray], specificity_weight: float, background: Background | None,
                     keyword_evidence: bool, boilerplate_evenness: float | None,
                     counts: tuple[np.ndarray, np.ndarray | None] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per vocabulary term: relevance (NaN for non-candidates), core vocabulary and boilerplate flags
    (``select_terms``; boilerplate as the corpus's own usage corrects it, ``corpus_boilerplate``).
    ``occ``: occurrences per term as counted; ``cand``: the candidates;
    ``documents()``: the candidates' document counts; ``kl(cand)``: their co-occurrence KL scores
    (``relevance.kl_relevance``); ``counts``: see ``candidate_termhood``."""
    vocab = phrases.vocabulary
    relevance = np.full(len(vocab), np.nan)
    core = np.zeros(len(vocab), dtype=bool)
    boiler = np.zeros(len(vocab), dtype=bool)
    if len(cand):
        score = None
        if specificity_weight > 0:
            counts = counts if counts is not None else term_counts(phrases)
            docs = documents()
            score, spec = candidate_termhood(phrases, cand, docs, background, keyword_evidence, counts)
            core[cand] = core_vocabulary(occ[cand], spec, top=math.ceil(len(cand) / 10))
            if boilerplate_evenness is not None:
                boiler[cand] = corpus_boilerplate(
                    candidate_boilerplate(phrases, cand, spec, background, boilerplate_evenness, counts[0]),
                    phrases.n_documents, cand, docs, spec, counts,
                    candidate_concentration(phrases, cand, background, counts[0]))
                if keyword_evidence and phrases.keywords:  # the authors' own keywords are no boilerplate to them
                    keywords = {unify(k) for k in phrases.keywords}
                    boiler[cand] &= ~np.array([vocab[i] in keywords for i in cand], dtype=bool)
        relevance[cand] = combined_relevance(kl(cand), score, specificity_weight)
    return relevance, core, boiler


def check_selection(counting: str, keep: float, n_terms: int | None, specificity_weight: float) -> None:
    """A clear ValueError for a selection option out of range (``select_terms``'s arguments)."""
    if counting not in COUNTING:
        raise ValueError(f"counting must be 'binary' or 'full', not {counting!r}")
    if not 0 < keep <= 1:
        raise ValueError(f"keep must be a share in (0, 1], not {keep}")
    if n_terms is not None and n_terms < 0:
        raise ValueError(f"n_terms must be >= 0, not {n_terms}")
    if not 0 <= specificity_weight <= 1:
        raise ValueError(f"specificity_weight must be in [0, 1], not {specificity_weight}")


def ranked_selection(vocab: list[str], occ: np.ndarray, cand: np.ndarray, relevance: np.ndarray, core: np.ndarray,
                     boiler: np.ndarray, keep: float, n_terms: int | None,
                     acronyms: dict[tuple[str, str], int] | None = None,
                     ) -> tuple[pd.DataFrame, list[str], np.ndarray, dict[str, str]]:
    """The verification table, the selected terms (labels) and the fallback map (per vocabulary term
    the label it counts toward, -1 for none) from the per-term scores of ``select_terms``: candidates
    ``cand`` ranked core vocabulary first, then relevance, occurrences and term; boilerplate never kept, nor a
    variant of a more frequent term or an acronym of one (``bibliomap.text.variants``; ``acronyms``: those the texts
    define, ``PhraseOccurrences.acronyms``), which counts toward that term's label; the last value returned is
    those aliases (term -> label).
    Relevance is compared to 1e-9: scores equal but for the order of float sums (two terms always
    found together; KL summed on another engine) are ties, broken by occurrences and term."""
    ranked = np.round(relevance, 9)
    order = sorted(cand.tolist(), key=lambda i: (not core[i], -ranked[i], -occ[i], vocab[i]))
    n_keep = min(len(order), n_terms) if n_terms is not None else math.ceil(keep * len(order) - 1e-9)
    canonical = canonical_variants(vocab, occ, acronyms)
    # a variant ("multiple-criteria decision analysis") is never a label of its own: it counts toward its form
    chosen = set([i for i in order if not boiler[i] and canonical[i] == i][:n_keep])
    selected_flag = np.zeros(len(vocab), dtype=bool)
    selected_flag[list(chosen)] = True
    table = pd.DataFrame({"term": vocab, "occurrences": occ, "relevance": relevance, "selected": selected_flag})
    table = table.sort_values(["occurrences", "term"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
    labels = table.loc[table["selected"], "term"].tolist()
    label_index = {t: k for k, t in enumerate(labels)}
    aliases = {vocab[i]: label_index[vocab[c]] for i, c in enumerate(canonical.tolist())
               if c != i and vocab[c] in label_index}
    mapping = _fallback_map(vocab, label_index, table.loc[table["selected"], "occurrences"].to_numpy(), aliases)
    return table, labels, mapping, {t: labels[k] for t, k in aliases.items()}


def select_terms(
    phrases: PhraseOccurrences,
    counting: str = "binary",
    min_occurrences: int = 10,
    keep: float = 0.6,
    n_terms: int | None = None,
    fields: tuple[str, ...] = FIELDS,
    specificity_weight: float = SPECIFICITY_WEIGHT,
    background: Background | None = None,
    keyword_evidence: bool = False,
    boilerplate_evenness: float | None = BOILERPLATE_EVENNESS,
) -> TermResult:
    """Candidate table, relevance, selection and the fallback occurrence table (see TermResult).

    The field's core vocabulary (``relevance.core_vocabulary``: among the most frequent tenth of the
    candidates, those whose ratio to academic prose is ten times the median candidate's) ranks first.
    Academic boilerplate (``relevance.boilerplate``: common in academic prose and spread across its
    fields with at least ``boilerplate_evenness`` unless this corpus uses it as a topic, or used flat
    in this corpus: ``corpus_boilerplate``; None: no such filter) is never selected when the
    termhood weight is above 0: ``keep`` and ``n_terms`` then set the most terms kept, and fewer may be."""
    check_selection(counting, keep, n_terms, specificity_weight)
    vocab = phrases.vocabulary
    m = _counts(phrases.doc, phrases.term, phrases.n_documents, len(vocab), counting)
    occ = np.asarray(m.sum(axis=0)).ravel().astype(np.int64)
    cand = np.nonzero(occ >= min_occurrences)[0]

    def documents() -> np.ndarray:
        return occ[cand] if counting == "binary" else np.diff(m.tocsc()[:, cand].indptr)

    relevance, core, boiler = score_candidates(
        phrases, occ, cand, documents, lambda c: kl_relevance(cooccurrence(m[:, c])), specificity_weight, background,
        keyword_evidence, boilerplate_evenness)
    table, labels, mapping, aliases = ranked_selection(vocab, occ, cand, relevance, core, boiler, keep, n_terms,
                                                       phrases.acronyms)
    if phrases.origin is None:
        final = _selected_counts(m, mapping, len(labels), counting)
    else:
        target = mapping[phrases.term] if len(phrases.term) else np.zeros(0, np.int64)
        rows = np.nonzero(target >= 0)[0]
        # a phrase and its nested sub-phrases may fall back to the same term: one textual occurrence counts it once
        _, first = np.unique(phrases.origin[rows] * max(len(labels), 1) + target[rows], return_index=True)
        rows = rows[np.sort(first)]
        final = _counts(phrases.doc[rows], target[rows], phrases.n_documents, len(labels), counting)
    del m
    occurrences = pd.DataFrame({"doc": np.repeat(np.arange(final.shape[0], dtype=np.int64), np.diff(final.indptr)),
                                "term": final.indices.astype(np.int64), "count": final.data.astype(np.int64)})
    return TermResult(table, labels, occurrences, phrases.n_documents, counting, tuple(fields), phrases.n_tokens,
                      phrases, aliases)


def _selected_counts(m: sparse.csr_matrix, mapping: np.ndarray, n_labels: int, counting: str) -> sparse.csr_matrix:
    """Documents x selected terms from the documents x vocabulary counts ``m``: each term's counts go to the selected
    term it falls back to (``mapping``, -1: none), once per document in binary counting. One sparse product instead
    of re-counting every phrase occurrence (whose fallback targets and their copies took 2-3 GB per million
    abstracts); rows in order, terms sorted within a row."""
    mapped = np.flatnonzero(mapping >= 0)
    to_label = sparse.csr_matrix((np.ones(len(mapped)), (mapped, mapping[mapped])), shape=(m.shape[1], n_labels))
    final = sparse.csr_matrix(m @ to_label)
    final.eliminate_zeros()
    final.sort_indices()
    if counting == "binary":
        final.data[:] = 1.0
    return final


_EXTRACTOR: contextvars.ContextVar[Callable[..., TermResult] | None] = contextvars.ContextVar("bibliomap_extractor",
                                                                                              default=None)


def extracting_with(extractor: Callable[..., TermResult]) -> contextlib.AbstractContextManager:
    """Within the block, ``extract_terms`` hands its work to ``extractor`` (same arguments, same TermResult):
    how a higher layer (``bibliomap.engines``) runs term extraction elsewhere without this layer importing it."""
    return set_within(_EXTRACTOR, extractor)


def extract_terms(
    corpus: Any,
    fields: Sequence[str] = FIELDS,
    counting: str = "binary",
    min_occurrences: int = 10,
    keep: float = 0.6,
    n_terms: int | None = None,
    thesaurus: Thesaurus | str | None = None,
    ignore_structured_labels: bool = True,
    ignore_copyright: bool = True,
    tagger: Tagger | None = None,
    specificity_weight: float = SPECIFICITY_WEIGHT,
    nested: bool = False,
    background: Background | None = None,
    keyword_evidence: bool = False,
    boilerplate_evenness: float | None = BOILERPLATE_EVENNESS,
) -> TermResult:
    """Extract, count and select terms from the titles and/or abstracts of ``corpus``.

    ``corpus`` is a bibliomap Corpus, a saved corpus read from its file a batch at a time
    (``corpus.stored.StoredCorpus``), a DataFrame with ``title``/``abstract`` columns, or a list
    of texts (one per document). ``counting``: "binary" (a term counts once per document) or
    "full" (every occurrence). ``keep``: the share of the candidates (at least
    ``min_occurrences``) kept by relevance, rounded up; ``n_terms`` overrides it with a fixed
    number. ``specificity_weight``: the share of termhood against academic prose in the relevance
    score (0 = VOSviewer's co-occurrence idea alone; see ``bibliomap.text.relevance``);
    ``background``: the model of academic prose (the shipped one when None; the corpus's own
    field is always left out); ``keyword_evidence``: let the records' author and index keywords
    add to termhood (off by default); ``boilerplate_evenness``: never select academic boilerplate,
    terms common in academic prose and spread this evenly across its fields (see ``select_terms``;
    None: no such filter).
    ``nested``: also count attested sub-phrases inside longer phrases (see ``nested_occurrences``;
    VOSviewer does not). ``thesaurus``: a Thesaurus or the path of a VOSviewer thesaurus file,
    applied to the unified terms before counting. See TermResult for what comes back.
    """
    extractor = _EXTRACTOR.get()
    if extractor is not None:  # an engine's (see extracting_with)
        return extractor(corpus, fields=fields, counting=counting, min_occurrences=min_occurrences, keep=keep,
                         n_terms=n_terms, thesaurus=thesaurus, ignore_structured_labels=ignore_structured_labels,
                         ignore_copyright=ignore_copyright, tagger=tagger, specificity_weight=specificity_weight,
                         nested=nested, background=background, keyword_evidence=keyword_evidence,
                         boilerplate_evenness=boilerplate_evenness)
    if isinstance(thesaurus, (str, bytes)) or hasattr(thesaurus, "__fspath__"):
        thesaurus = Thesaurus.read(thesaurus)  # type: ignore[arg-type]
    fields = tuple(fields)
    phrases = phrase_occurrences(corpus, fields, ignore_structured_labels, ignore_copyright, thesaurus, tagger, nested)
    return select_terms(phrases, counting, min_occurrences, keep, n_terms, fields, specificity_weight, background,
                        keyword_evidence, boilerplate_evenness)


def terms_in_texts(result: TermResult, texts: Sequence[str | None], tagger: Tagger | None = None) -> list[list[str]]:
    """The selected terms of ``result`` found in each of ``texts`` (noun phrases extracted and
    unified as for the corpus, variants and acronyms under their label (``result.aliases``), with
    VOSviewer's fallback to the next-shorter selected term); each text's terms in order of first
    occurrence, once each."""
    ph = phrase_occurrences(list(texts), tagger=tagger)
    index = {t: k for k, t in enumerate(result.labels)}
    aliases = {t: index[label] for t, label in result.aliases.items() if label in index}
    mapping = _fallback_map(ph.vocabulary, index, aliases=aliases)
    out: list[list[str]] = [[] for _ in range(len(texts))]
    for d, t in zip(ph.doc.tolist(), ph.term.tolist()):
        k = mapping[t]
        if k >= 0 and result.labels[k] not in out[d]:
            out[d].append(result.labels[k])
    return out
