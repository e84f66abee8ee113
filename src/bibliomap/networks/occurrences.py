"""Occurrence tables: which document holds which item (author, keyword, reference, term ...).

Every network is counted from one :class:`Occurrences` table, a long table of
(document index, item index, weight) plus the item labels, built vectorized from a
Corpus column (``occurrences(corpus, unit)``) or from any (doc, item, count) table
(``from_table``, used for text terms). Labels are the keys VOSviewer uses: values
lower-cased with whitespace collapsed, counted once per document (terms keep counts).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from bibliomap.corpus.corpus import Corpus

#: Units an occurrence table can be built for from a Corpus.
UNITS = (
    "authors",
    "organizations",
    "countries",
    "sources",
    "author-keywords",
    "index-keywords",
    "keywords",
    "references",
    "cited-sources",
    "cited-authors",
)

Thesaurus = Mapping[str, str]

#: documents per slice when a list column's keys are made (``keys_by_slices``): at a million records with
#: thirty references each, the key strings of the whole column and their temporaries peaked at 7.3 GB
SLICE_DOCUMENTS = 100_000


@dataclasses.dataclass
class Occurrences:
    """Long table of (document, item, weight); ``labels[i]`` names item ``i``.

    ``doc`` holds row positions in the corpus (0..n_docs-1), ``item`` positions in
    ``labels``; each (doc, item) pair appears once. ``weight`` is 1 for presence
    units and the number of occurrences for terms.
    """

    doc: np.ndarray
    item: np.ndarray
    weight: np.ndarray
    labels: np.ndarray
    n_docs: int
    unit: str = ""

    @property
    def n_items(self) -> int:
        return int(len(self.labels))

    def __len__(self) -> int:
        return int(self.doc.size)

    def incidence(self, binary: bool = True) -> sp.csr_matrix:
        """Document x item sparse matrix (0/1 when ``binary``, else the weights)."""
        data = np.ones(self.doc.size) if binary else self.weight.astype(float)
        return sp.csr_matrix((data, (self.doc, self.item)), shape=(self.n_docs, self.n_items))

    def documents_per_item(self) -> np.ndarray:
        """Number of documents holding each item."""
        return np.bincount(self.item, minlength=self.n_items).astype(np.int64)

    def occurrences_per_item(self) -> np.ndarray:
        """Sum of weights per item (total occurrences for terms; documents otherwise)."""
        return np.bincount(self.item, weights=self.weight, minlength=self.n_items)

    def items_per_document(self) -> np.ndarray:
        """Number of distinct items per document."""
        return np.bincount(self.doc, minlength=self.n_docs).astype(np.int64)

    def without_documents(self, drop: np.ndarray) -> "Occurrences":
        """The table without the rows of documents where ``drop`` (bool per document) is True."""
        keep = ~np.asarray(drop, dtype=bool)[self.doc]
        return dataclasses.replace(self, doc=self.doc[keep], item=self.item[keep], weight=self.weight[keep])


# construction ----------------------------------------------------------------------------


def normalize_labels(values: Any) -> pa.Array:
    """Lower-case, trim and collapse whitespace (vectorized in Arrow); null stays null."""
    if isinstance(values, pa.ChunkedArray):
        arr = values.combine_chunks()
    elif isinstance(values, pa.Array):
        arr = values
    else:
        arr = pa.array(list(values), type=pa.string())
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    encoded = pc.dictionary_encode(arr)  # normalize each distinct value once
    values = pc.utf8_lower(encoded.dictionary)
    values = pc.replace_substring_regex(values, pattern=r"\s+", replacement=" ")
    return pc.utf8_trim_whitespace(values).take(encoded.indices)


def _encode(keys: Any) -> tuple[np.ndarray, pa.Array]:
    """(code per key, -1 for null; the distinct keys as Arrow strings) for numpy object or Arrow string keys,
    plain or dictionary-encoded (a chunked dictionary array's chunks must share one dictionary:
    ``keys_by_slices``)."""
    if not isinstance(keys, (pa.Array, pa.ChunkedArray)):
        codes, uniques = pd.factorize(pd.Series(np.asarray(keys, dtype=object), dtype=object), sort=False)
        return codes.astype(np.int64), pa.array([u if isinstance(u, str) else None for u in uniques], type=pa.string())
    arr = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
    encoded = arr if isinstance(arr, pa.DictionaryArray) else pc.dictionary_encode(arr)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    dictionary = encoded.dictionary
    return codes, dictionary if dictionary.type == pa.string() else dictionary.cast(pa.string())


def _sorted_labels(uniques: pa.Array, thesaurus: Thesaurus | None) -> tuple[np.ndarray, np.ndarray]:
    """(item per distinct key, -1 for dropped ones; the item labels in sorted order): the thesaurus applied,
    empty or null keys dropped, equal labels merged. Sorted in Arrow (UTF-8 byte order is code-point order,
    as Python's): no fixed-width copy of the keys, which may be long raw references."""
    if thesaurus:
        table = {" ".join(str(k).split()).lower(): " ".join(str(v).split()).lower() for k, v in thesaurus.items()}
        uniques = pa.array([None if u is None else table.get(u, u) for u in uniques.to_pylist()], type=pa.string())
    valid = pc.and_kleene(pc.is_valid(uniques), pc.not_equal(uniques, "")).fill_null(False)
    labels = pc.unique(uniques.filter(valid))
    labels = labels.take(pc.array_sort_indices(labels))
    remap = pc.index_in(uniques, value_set=labels)
    item = pc.fill_null(remap, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return item, np.asarray(labels.to_pylist(), dtype=object)


def keys_by_slices(corpus: Corpus, pairs: Callable[[Corpus], tuple[np.ndarray, Any]],
                   size: int | None = None) -> tuple[np.ndarray, Any]:
    """``pairs(corpus)`` (document positions and their keys) made over slices of ``size`` documents, each
    slice's keys dictionary-encoded and the dictionaries unified: the same occurrences as one call, with
    one slice's key strings and temporaries in memory at a time instead of the whole column's
    (``size``: ``SLICE_DOCUMENTS`` when None)."""
    n, size = len(corpus), size or SLICE_DOCUMENTS
    if n <= size:
        return pairs(corpus)
    docs, chunks = [], []
    for start in range(0, n, size):
        doc, keys = pairs(Corpus(corpus.table.slice(start, size)))
        docs.append(np.asarray(doc, dtype=np.int64) + start)
        if not isinstance(keys, (pa.Array, pa.ChunkedArray)):
            keys = pa.array(list(keys), type=pa.string())
        keys = keys.combine_chunks() if isinstance(keys, pa.ChunkedArray) else keys
        if isinstance(keys, pa.DictionaryArray):  # (a slice's own dictionary may repeat a key: merged later)
            keys = keys.dictionary.take(keys.indices)
        chunks.append(pc.dictionary_encode(keys.cast(pa.string())))
    return np.concatenate(docs), pa.chunked_array(chunks).unify_dictionaries()


def from_pairs(
    doc: np.ndarray,
    keys: Any,
    n_docs: int,
    weights: np.ndarray | None = None,
    thesaurus: Thesaurus | None = None,
    unit: str = "",
) -> Occurrences:
    """An Occurrences table from parallel (document, key[, weight]) arrays.

    Empty or null keys are dropped; the thesaurus (label -> replacement, '' drops) is
    applied to the keys; repeated (document, item) pairs are merged (weights summed
    when given, else presence). Items are numbered in sorted label order.
    """
    doc = np.asarray(doc, dtype=np.int64)
    codes, uniques = _encode(keys)
    remap, labels = _sorted_labels(uniques, thesaurus)
    item = np.append(remap, -1)[codes]  # one gather; a null key's code -1 picks the appended -1
    ok = item >= 0
    item, d = item[ok], doc[ok]
    w = np.ones(d.size) if weights is None else np.asarray(weights, dtype=float)[ok]
    if d.size:  # merge repeated (document, item) pairs: CSR conversion sorts and sums them
        m = sp.csr_matrix((w, (d, item)), shape=(int(n_docs), len(labels)))
        m.sum_duplicates()
        d = np.repeat(np.arange(int(n_docs), dtype=np.int64), np.diff(m.indptr))
        item = m.indices.astype(np.int64)
        w = np.ones(item.size) if weights is None else m.data.astype(float)
    return Occurrences(d.astype(np.int64), item.astype(np.int64), w.astype(float), labels.astype(object), int(n_docs), unit)


def from_table(table: Any, n_docs: int, thesaurus: Thesaurus | None = None, unit: str = "terms") -> Occurrences:
    """Occurrences from a generic (doc, item, count) table, e.g. the text layer's term table.

    ``table`` is an :class:`Occurrences` (returned as is, thesaurus applied), a
    ``bibliomap.text.terms.TermResult`` (its ``occurrences`` over its ``labels``), or a
    DataFrame / mapping with a document column (``doc``/``document``), an item column
    (``item``/``term``/``label``; strings) and optionally a count column
    (``count``/``weight``/``occurrences``; default 1).
    """
    if isinstance(table, Occurrences):
        if not thesaurus:
            return table
        return from_pairs(table.doc, table.labels[table.item], n_docs, table.weight, thesaurus, table.unit or unit)
    if hasattr(table, "labels") and hasattr(table, "occurrences"):  # the text layer's TermResult
        occ = table.occurrences
        labels = np.asarray(list(table.labels), dtype=object)
        table = pd.DataFrame({"doc": occ["doc"].to_numpy(), "item": labels[occ["term"].to_numpy(np.int64)] if len(occ) else [], "count": occ["count"].to_numpy()})
    df = pd.DataFrame(table)
    doc_col = _pick(df, ("doc", "document", "doc_index", "document_index"))
    item_col = _pick(df, ("item", "term", "label", "key"))
    count_col = next((c for c in ("count", "weight", "occurrences", "n") if c in df.columns), None)
    counts = df[count_col].to_numpy(float) if count_col else None
    docs = df[doc_col].to_numpy()
    if docs.size and (docs.min() < 0 or docs.max() >= n_docs):
        raise ValueError(f"{unit} table: document index out of range 0..{n_docs - 1}")
    keys = normalize_labels(df[item_col].astype(str).tolist())
    if counts is None:
        counts = np.ones(len(df))
    return from_pairs(docs, keys, n_docs, counts, thesaurus, unit)


def _pick(df: pd.DataFrame, names: tuple[str, ...]) -> str:
    for n in names:
        if n in df.columns:
            return n
    raise ValueError(f"occurrence table needs one of the columns {', '.join(names)}; it has {', '.join(map(str, df.columns))}")


def occurrences(
    corpus: Corpus,
    unit: str,
    thesaurus: Thesaurus | None = None,
    author_key: str = "full",
    organization_part: str = "auto",
) -> Occurrences:
    """The occurrence table of ``unit`` (one of :data:`UNITS`) in ``corpus``.

    ``author_key``: 'full' (full name lower-cased, VOSviewer's choice for WoS AF) or
    'initials' (surname + initials). ``organization_part``: 'full' affiliation string,
    'first' comma-separated part (the organization in WoS addresses), or 'auto'
    (first part for Web of Science records, full string otherwise).
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")

    def pairs(part: Corpus) -> tuple[np.ndarray, Any]:
        return _unit_keys(part, unit, author_key, organization_part)

    # cited sources and authors parse each distinct reference once: slices would parse the common ones again
    doc, keys = pairs(corpus) if unit in ("cited-sources", "cited-authors") else keys_by_slices(corpus, pairs)
    return from_pairs(doc, keys, len(corpus), None, thesaurus, unit)


def _unit_keys(corpus: Corpus, unit: str, author_key: str, organization_part: str) -> tuple[np.ndarray, Any]:
    """(document position, key) per occurrence of ``unit`` in ``corpus`` (``occurrences``)."""
    n = len(corpus)
    if unit == "authors":
        return _author_keys(corpus, author_key)
    if unit == "organizations":
        return _organizations(corpus, organization_part)
    if unit == "countries":
        return _doc_or_author_list(corpus, "countries")
    if unit == "sources":
        return np.arange(n, dtype=np.int64), normalize_labels(corpus.column("source_title"))
    if unit in ("author-keywords", "index-keywords", "keywords"):
        cols = {"author-keywords": ["author_keywords"], "index-keywords": ["index_keywords"], "keywords": ["author_keywords", "index_keywords"]}[unit]
        parts = [corpus.explode(c) for c in cols]
        return np.concatenate([p[0] for p in parts]), normalize_labels(pa.concat_arrays([p[1] for p in parts]))
    if unit == "references":
        doc, flat = corpus.explode("references")
        return doc, normalize_labels(flat)
    return _cited_parts(corpus, "source" if unit == "cited-sources" else "first_author")


def _author_keys(corpus: Corpus, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """(document, author key) per authorship; keys computed once per distinct name."""
    from bibliomap.corpus.names import author_key

    if mode not in ("full", "initials"):
        raise ValueError(f"author key must be 'full' or 'initials', not {mode!r}")
    doc, people = corpus.explode("authors")
    if doc.size == 0:
        return doc, np.zeros(0, dtype=object)
    sep = "\x1f"  # one combined string per authorship, dictionary-encoded in Arrow
    parts = [pc.fill_null(pc.struct_field(people, k), "") for k in ("name", "surname", "given")]
    combined = pc.binary_join_element_wise(*parts, sep)
    encoded = pc.dictionary_encode(combined)
    distinct = encoded.dictionary
    keys = np.empty(len(distinct), dtype=object)
    # ASCII names (most of them): author_key's 'full' rule, vectorized in Arrow
    ascii_rows = np.asarray(pc.string_is_ascii(distinct).to_numpy(zero_copy_only=False), dtype=bool) if mode == "full" else np.zeros(len(distinct), bool)
    if ascii_rows.any():
        keys[ascii_rows] = _ascii_full_keys(pc.filter(distinct, pa.array(ascii_rows)), sep).to_pylist()
    for i in np.flatnonzero(~ascii_rows):
        name, surname, given = distinct[int(i)].as_py().split(sep)
        rec = {"name": name or None, "surname": surname or None, "given": given or None}
        keys[i] = " ".join(author_key(rec, mode).split()) if (name or surname) else ""
    return doc, pa.DictionaryArray.from_arrays(encoded.indices, pa.array(keys, type=pa.string()))


def _ascii_full_keys(combined: pa.Array, sep: str) -> pa.Array:
    """'surname, given' lower-cased (surname falling back to the name), for ASCII-only
    'name<sep>surname<sep>given' strings: the same result as ``author_key(.., 'full')``."""
    parts = pc.split_pattern(combined, sep)
    name, surname, given = (pc.list_element(parts, k) for k in range(3))
    lead = pc.if_else(pc.equal(surname, ""), name, surname)
    space = r"[\s\x0b\x1c-\x1f]+"
    lead = pc.utf8_trim_whitespace(pc.replace_substring_regex(pc.utf8_lower(lead), pattern=space, replacement=" "))
    given = pc.utf8_trim_whitespace(pc.replace_substring_regex(pc.utf8_lower(given), pattern=space, replacement=" "))
    joined = pc.binary_join_element_wise(lead, given, ", ")
    return pc.if_else(pc.or_(pc.equal(given, ""), pc.equal(lead, "")), lead, joined)


def _doc_or_author_list(corpus: Corpus, field: str) -> tuple[np.ndarray, np.ndarray]:
    """Document-level list ``field``; for documents without it, the union over its authors."""
    doc, flat = corpus.explode(field)
    has_doc_level = np.zeros(len(corpus), dtype=bool)
    has_doc_level[doc] = True
    a_doc, a_struct = corpus.explode("authors")
    per_author = pc.struct_field(a_struct, field) if len(a_struct) else pa.array([], type=pa.list_(pa.string()))
    parents = pc.list_parent_indices(per_author).to_numpy().astype(np.int64) if len(per_author) else np.zeros(0, np.int64)
    a_flat = pc.list_flatten(per_author) if len(per_author) else pa.array([], type=pa.string())
    a_doc_flat = a_doc[parents] if parents.size else np.zeros(0, np.int64)
    take = ~has_doc_level[a_doc_flat]
    doc_all = np.concatenate([doc, a_doc_flat[take]])
    keys = pa.concat_arrays([normalize_labels(flat), normalize_labels(pc.filter(a_flat, pa.array(take)))])
    return doc_all, keys


def _organizations(corpus: Corpus, part: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-author affiliations when a document has them, else document affiliations."""
    if part not in ("auto", "full", "first"):
        raise ValueError(f"organization part must be 'auto', 'full' or 'first', not {part!r}")
    a_doc, a_struct = corpus.explode("authors")
    if len(a_struct):
        per_author = pc.struct_field(a_struct, "affiliations")
        parents = pc.list_parent_indices(per_author).to_numpy().astype(np.int64)
        a_flat = pc.list_flatten(per_author)
        author_doc = a_doc[parents]
    else:
        author_doc, a_flat = np.zeros(0, np.int64), pa.array([], type=pa.string())
    has_author_level = np.zeros(len(corpus), dtype=bool)
    has_author_level[author_doc] = True
    d_doc, d_flat = corpus.explode("affiliations")
    take = ~has_author_level[d_doc]
    doc = np.concatenate([author_doc, d_doc[take]])
    raw = pa.concat_arrays([a_flat.cast(pa.string()), pc.filter(d_flat, pa.array(take)).cast(pa.string())])
    keys = normalize_labels(raw)
    if part != "full" and len(keys):
        first = pc.utf8_trim_whitespace(pc.replace_substring_regex(keys, pattern=",.*$", replacement=""))
        if part == "first":
            keys = first
        else:
            db = corpus.values("database")
            is_wos = np.asarray([str(x).lower() == "wos" for x in db], dtype=bool)
            keys = pc.if_else(pa.array(is_wos[doc]), first, keys)
    return doc, keys


def _cited_parts(corpus: Corpus, field: str) -> tuple[np.ndarray, np.ndarray]:
    """(citing document, parsed field) per cited reference, each distinct reference parsed once."""
    try:
        from bibliomap.corpus.references import parse_reference
    except ImportError as exc:  # pragma: no cover - depends on the corpus layer
        raise RuntimeError("cited sources/authors need bibliomap.corpus.references.parse_reference") from exc
    doc, flat = corpus.explode("references")
    if doc.size == 0:
        return doc, np.zeros(0, dtype=object)
    db = np.asarray([str(x or "").lower() for x in corpus.values("database")], dtype=object)
    frame = pd.DataFrame({"raw": flat.to_pylist(), "style": db[doc]})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(frame.fillna("")))
    parsed = []
    for raw, style in uniques:
        value = None
        if raw:
            try:
                value = (parse_reference(raw, style or "generic") or {}).get(field)
            except Exception:  # noqa: BLE001 - an unparseable reference has no cited source/author
                value = None
        parsed.append(value)
    keys = normalize_labels(pa.array(parsed, type=pa.string()))
    return doc, keys.take(pa.array(codes))
