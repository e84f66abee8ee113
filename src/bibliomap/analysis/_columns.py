"""Vectorized column helpers shared by the analyses: codes for string items, firsts of lists.

They turn Arrow columns into integer codes and numpy arrays so that counting, grouping
and ranking run as numpy operations (bincount, lexsort) on millions of rows.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


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


def first_labels(codes: np.ndarray, labels: pa.Array, n_codes: int) -> np.ndarray:
    """For each code, the display label of its first occurrence (object array)."""
    valid = np.flatnonzero(codes >= 0)
    first = np.full(n_codes, -1, dtype=np.int64)
    # reversed assignment leaves the first occurrence's position in place
    first[codes[valid][::-1]] = valid[::-1]
    return np.asarray(pc.take(labels, pa.array(first)).to_pylist(), dtype=object)


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


def distinct_per_doc(doc: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(doc, code) pairs with null codes dropped and repeats within a document removed."""
    keep = codes >= 0
    doc, codes = doc[keep], codes[keep]
    if doc.size == 0:
        return doc, codes
    width = int(codes.max()) + 1
    pair = np.unique(doc * width + codes)
    return pair // width, pair % width


def string_values(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A string column as an object array (None for null)."""
    return np.asarray(combined(column).to_pylist(), dtype=object)
