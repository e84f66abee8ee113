"""Item codes per corpus and field (authors, keywords, sources, ...), built once per run and
shared by the descriptive tables and the productivity laws (authors feed five of them)."""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np
import pyarrow as pa

from bibliomap.analysis._columns import combined, distinct_per_doc, encode_normalized

# Item codes per (corpus, field), shared by the tables of one run (authors feed four of them).
_ITEM_CACHE: "weakref.WeakKeyDictionary[Any, dict]" = weakref.WeakKeyDictionary()


def _cached(corpus, key: str, build):
    try:
        per_corpus = _ITEM_CACHE.setdefault(corpus, {})
    except TypeError:  # not weak-referenceable: no caching
        return build()
    if key not in per_corpus:
        per_corpus[key] = build()
    return per_corpus[key]


def _items(doc: np.ndarray, values: pa.Array, scalar: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, code, labels per code) for string items, keys normalized, repeats per doc removed."""
    codes, labels = encode_normalized(values)
    if scalar:  # one value per document: only nulls to drop
        keep = codes >= 0
        return doc[keep], codes[keep], labels
    d, c = distinct_per_doc(doc, codes)
    return d, c, labels


def _author_items(corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Authorships as (doc, author code, author labels): names compared case-insensitively."""
    def build():
        doc, names = corpus.author_names("name")
        return _items(doc, combined(names))

    return _cached(corpus, "authors", build)


def _list_items(corpus, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def build():
        doc, flat = corpus.explode(field)
        return _items(doc, flat)

    return _cached(corpus, field, build)


def _scalar_items(corpus, field: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    def build():
        values = combined(corpus.column(field))
        return _items(np.arange(len(values), dtype=np.int64), values, scalar=True)

    return _cached(corpus, field, build)
