"""Term extraction on Spark: the shipped tagger and noun-phrase rules run in Spark tasks, on slices of the corpus.

Each task takes a slice of consecutive documents and returns, per text field, its noun-phrase
occurrences (document, unified term) exactly as :func:`bibliomap.text.terms.phrase_occurrences`
finds them. The driver joins the slices in the order the in-process extraction reads the texts
(field by field, documents in order), so the vocabulary, the occurrences and therefore the
counts and the selected terms (:func:`bibliomap.text.terms.select_terms`, on the driver) are
identical. Tagging is the part that takes hours on one core; counting and selecting the
candidates is fast next to it and stays on the driver.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from bibliomap.engines.spark_session import EngineError


def _slice_phrases(fields: tuple[str, ...], ignore_labels: bool, ignore_copyright: bool, thesaurus: Any,
                   chunk: tuple[int, dict[str, list]]) -> tuple[int, dict[str, tuple[np.ndarray, np.ndarray, list[str], int]]]:
    """One task: per field, (global doc, local term id, local vocabulary, tokens) of a slice of documents."""
    from bibliomap.text.terms import phrase_occurrences

    start, columns = chunk
    out = {}
    for f in fields:
        if not any(isinstance(t, str) and t.strip() for t in columns[f]):
            out[f] = (np.zeros(0, np.int64), np.zeros(0, np.int64), [], 0)
            continue
        po = phrase_occurrences(pd.DataFrame({f: columns[f]}), (f,), ignore_labels, ignore_copyright, thesaurus)
        out[f] = (po.doc + start, po.term, po.vocabulary, po.n_tokens)
    return start, out


def phrase_occurrences_spark(spark: Any, corpus: Any, fields: Sequence[str], ignore_structured_labels: bool = True,
                             ignore_copyright: bool = True, thesaurus: Any = None, nested: bool = False,
                             documents_per_task: int = 2000) -> Any:
    """:func:`bibliomap.text.terms.phrase_occurrences` of ``corpus`` with the tagging in Spark tasks; the same result."""
    from bibliomap.text.background import title_fingerprints
    from bibliomap.text.terms import PhraseOccurrences, _keywords, _texts, nested_occurrences

    fields = tuple(fields)
    for f in fields:
        if f not in ("title", "abstract"):
            raise ValueError(f"unknown text field {f!r}: expected 'title' and/or 'abstract'")
    try:
        context = spark.sparkContext
    except Exception as exc:  # noqa: BLE001 - Spark Connect sessions have no SparkContext
        raise EngineError("term extraction on Spark runs its tasks through a SparkContext, which a Spark Connect "
                          "session (sc://) does not offer: extract terms with --engine inprocess") from exc
    columns, n_docs = _texts(corpus, fields)
    chunks = [(a, {f: col[a:a + documents_per_task] for f, col in zip(fields, columns)})
              for a in range(0, n_docs, documents_per_task)]
    task = functools.partial(_slice_phrases, fields, ignore_structured_labels, ignore_copyright, thesaurus)
    done = dict(context.parallelize(chunks, numSlices=max(1, len(chunks))).map(task).collect()) if chunks else {}
    vocabulary: dict[str, int] = {}
    docs, terms, in_title, n_tokens = [], [], [], 0
    for f in fields:  # the in-process order: field by field, documents in order
        for start, _ in chunks:
            doc, term, local, tokens = done[start][f]
            remap = np.asarray([vocabulary.setdefault(w, len(vocabulary)) for w in local], dtype=np.int64)
            docs.append(doc)
            terms.append(remap[term] if term.size else np.zeros(0, np.int64))
            in_title.append(np.full(doc.size, f == "title"))
            n_tokens += tokens
    titles = columns[fields.index("title")] if "title" in fields else []
    cat = (lambda parts, dtype: np.concatenate(parts) if parts else np.zeros(0, dtype))
    result = PhraseOccurrences(cat(docs, np.int64), cat(terms, np.int64), list(vocabulary), n_docs, n_tokens,
                               in_title=cat(in_title, bool), fingerprints=title_fingerprints(titles), keywords=_keywords(corpus))
    return nested_occurrences(result) if nested else result


def extract_terms_spark(spark: Any, corpus: Any, fields: Sequence[str] = ("title", "abstract"), counting: str = "binary",
                        min_occurrences: int = 10, keep: float = 0.6, n_terms: int | None = None, thesaurus: Any = None,
                        ignore_structured_labels: bool = True, ignore_copyright: bool = True,
                        specificity_weight: float | None = None, nested: bool = False, keyword_evidence: bool = False,
                        documents_per_task: int = 2000) -> Any:
    """:func:`bibliomap.text.terms.extract_terms` with the noun phrases found on ``spark``; the same TermResult."""
    from bibliomap.text.relevance import SPECIFICITY_WEIGHT
    from bibliomap.text.terms import select_terms
    from bibliomap.text.thesaurus import Thesaurus

    if isinstance(thesaurus, (str, bytes)) or hasattr(thesaurus, "__fspath__"):
        thesaurus = Thesaurus.read(thesaurus)
    fields = tuple(fields)
    phrases = phrase_occurrences_spark(spark, corpus, fields, ignore_structured_labels, ignore_copyright, thesaurus, nested,
                                       documents_per_task)
    weight = SPECIFICITY_WEIGHT if specificity_weight is None else specificity_weight
    return select_terms(phrases, counting, min_occurrences, keep, n_terms, fields, weight, None, keyword_evidence)
