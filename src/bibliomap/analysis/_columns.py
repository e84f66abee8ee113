"""Vectorized column helpers shared by the analyses: codes for string items, firsts of lists.

They turn Arrow columns into integer codes and numpy arrays so that counting, grouping
and ranking run as numpy operations (bincount, lexsort) on millions of rows.
"""
from __future__ import annotations

import numba
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bibliomap.arrays import unique_ints


def combined(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One contiguous Arrow array from a (possibly chunked) column."""
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def normalized_keys(values: pa.Array) -> pa.Array:
    """Match keys for display strings: trimmed, inner whitespace collapsed, lower-case; '' -> null."""
    s = pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(values, pa.string())))
    s = pc.replace_substring_regex(s, r"\s+", " ")
    return pc.if_else(pc.equal(s, ""), pa.scalar(None, pa.string()), s)


def encode(keys: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Integer codes (-1 for null) and the distinct values, in order of first appearance."""
    enc = pc.dictionary_encode(combined(keys))
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, enc.dictionary


def encode_normalized(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Codes by normalized key (-1 for null/empty) and, per code, the first display form seen.

    The raw strings are hashed first and only the distinct ones are normalized, which keeps
    millions of values fast (normalizing is a regex pass; hashing is not).
    """
    values = combined(values)
    raw_codes, raw_uniques = encode(values)
    norm_codes, norm_uniques = encode(normalized_keys(raw_uniques))
    lookup = np.append(norm_codes, -1)  # raw code -1 (null) maps to -1
    codes = lookup[raw_codes]
    k = len(norm_uniques)
    first_raw = np.full(k, -1, dtype=np.int64)
    valid = np.flatnonzero(norm_codes >= 0)
    first_raw[norm_codes[valid][::-1]] = valid[::-1]  # raw codes follow first appearance
    labels = np.asarray(pc.take(raw_uniques, pa.array(first_raw)).to_pylist(), dtype=object)
    return codes, labels


def first_of_lists(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """The first element of each list (null for empty or null lists)."""
    arr = combined(column)
    lengths = pc.fill_null(pc.list_value_length(arr), 0).to_numpy(zero_copy_only=False)
    offsets = arr.offsets.to_numpy()[:-1]
    idx = pa.array(np.where(lengths > 0, offsets, 0), type=pa.int64())
    mask = pa.array(lengths == 0)
    values = arr.values
    if len(values) == 0:
        return pa.nulls(len(arr), type=arr.type.value_type)
    return pc.if_else(mask, pa.scalar(None, values.type), pc.take(values, idx))


@numba.njit(cache=True, nogil=True)
def _first_in_segment(doc: np.ndarray, codes: np.ndarray, keep: np.ndarray) -> None:  # pragma: no cover - compiled
    start = 0
    for i in range(doc.shape[0]):
        if i > 0 and doc[i] != doc[i - 1]:
            start = i
        keep[i] = True
        for j in range(start, i):
            if codes[j] == codes[i]:
                keep[i] = False
                break


#: Below this many pairs the hash pass is as quick as the compiled scan (10 ms at 100,000),
#: so a study of a small corpus never compiles it (0.3 s on a first run after installing).
COMPILED_MIN_PAIRS = 200_000


def distinct_per_doc(doc: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(doc, code) pairs with null codes dropped and repeats within a document removed (order kept).

    Exploded columns of large corpora list each document's values contiguously, so repeats
    are found by a compiled scan of each document's few values; other inputs take a hash pass.
    """
    keep = codes >= 0
    doc, codes = np.ascontiguousarray(doc[keep], dtype=np.int64), np.ascontiguousarray(codes[keep], dtype=np.int64)
    if doc.size == 0:
        return doc, codes
    if doc.size < COMPILED_MIN_PAIRS or bool((doc[1:] < doc[:-1]).any()):
        pair = doc * (int(codes.max()) + 1) + codes
        first = ~pd.Series(pair).duplicated().to_numpy()
    else:
        first = np.empty(doc.size, dtype=np.bool_)
        _first_in_segment(doc, codes, first)
    return doc[first], codes[first]


def distinct_pairs(doc: np.ndarray, item: np.ndarray) -> np.ndarray:
    """The distinct (doc, item) rows, sorted by doc then item, as an n x 2 int64 array: what
    ``np.unique(np.stack([doc, item], axis=1), axis=0)`` gives, from one sort of int64 keys
    (the row-wise unique sorts a structured view: seconds on a million pairs)."""
    doc, item = np.asarray(doc, dtype=np.int64), np.asarray(item, dtype=np.int64)
    if doc.size == 0:
        return np.zeros((0, 2), np.int64)
    d0, i0 = int(doc.min()), int(item.min())
    span = int(item.max()) - i0 + 1
    keys = unique_ints((doc - d0) * span + (item - i0))
    return np.stack([keys // span + d0, keys % span + i0], axis=1)


@numba.njit(cache=True, nogil=True)
def _fnv1a(offsets: np.ndarray, data: np.ndarray, out: np.ndarray) -> None:  # pragma: no cover - compiled
    for i in range(out.shape[0]):
        h = np.uint64(14695981039346656037)
        for j in range(offsets[i], offsets[i + 1]):
            h ^= np.uint64(data[j])
            h *= np.uint64(1099511628211)
        out[i] = h


def string_hashes(values: pa.Array) -> np.ndarray:
    """64-bit FNV-1a hash of each non-null string (nulls dropped), compiled with numba.

    Counting distinct values among tens of millions of strings by hash + sort is several
    times faster than Arrow's memo table; a collision needs ~4e9 distinct strings to become
    likely, so the count is exact in practice.
    """
    arr = combined(values)
    if arr.null_count:
        arr = pc.drop_null(arr)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = pc.cast(arr, pa.string())
    n = len(arr)
    out = np.empty(n, dtype=np.uint64)
    if n == 0:
        return out
    _, off_buf, data_buf = arr.buffers()
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(off_buf, dtype=off_type)[arr.offset: arr.offset + n + 1].astype(np.int64)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    _fnv1a(offsets, data, out)
    return out


def flat_length(column: pa.ChunkedArray | pa.Array) -> int:
    """Total number of values in a list column (cheap: from the offsets)."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    total = 0
    for ch in chunks:
        if len(ch):
            off = ch.offsets
            total += off[len(off) - 1].as_py() - off[0].as_py()
    return total


def count_distinct_strings(values: pa.Array) -> int:
    """Number of distinct non-null strings (exact, byte-wise), via :func:`string_hashes`."""
    h = np.sort(string_hashes(values))
    return int(h.size and 1 + np.count_nonzero(h[1:] != h[:-1]))


def statistics_frame(rows: list[tuple], columns: tuple[str, str] = ("Statistic", "Value")):
    """A two-column (name, value) DataFrame whose values keep their Python types (ints stay ints)."""
    return pd.DataFrame({columns[0]: [r[0] for r in rows], columns[1]: pd.Series([r[1] for r in rows], dtype=object)})
