"""Where a header-driven CSV export can be cut: at a line end outside every quoted cell.

A quoted cell may hold line breaks, so a line end is a row boundary only outside quotes. For
files whose quotes all sit where RFC 4180 puts them — an opening quote first in its cell, a
closing quote last (followed by the delimiter or the line end), quotes inside doubled —
Python's csv reader is inside a quoted cell exactly when an odd number of quote bytes precede
the position. One pass over the file (numpy, block by block) checks that every run of quotes
is of that kind and counts the quotes before each nominal split start; a split task then finds
its first row boundary from that parity alone. A file with a quote elsewhere (``ab"c``, ``"a"b``,
a space before an opening quote: csv reads those as text), an unclosed quote, a NUL byte or a
bare CR is read whole.

Every split after the first is read after the file's header row (its first row, or the row after
a preamble row such as Dimensions' "About the data" line: ``skip_rows``), and the
empty cells that the first data row ends with are passed on (``csvutil.RowWidth`` fixes them
from the file's first data row).
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")
_BLOCK = 1 << 24
_SEARCH = 1 << 20
_HEAD = 1 << 22
_BOM = b"\xef\xbb\xbf"


@dataclasses.dataclass(frozen=True)
class CsvLayout:
    """What the splits of one CSV file need: the quote parity before each nominal start, the header row's end
    (byte offset of the first data row's line) and the first data row's trailing empty cells."""

    quote_parity: tuple[int, ...]
    header_end: int
    row_trailing: int


def csv_layout(path: str | Path, encoding: str, starts: tuple[int, ...], skip_rows: int = 0) -> CsvLayout | None:
    """The layout of ``path`` (one pass over it), or None when it must be read whole; its header is the row after
    ``skip_rows`` rows (a preamble), which every split after the first is read after, with them."""
    from bibliomap.io.readers.base import ReaderError
    from bibliomap.io.readers.csvutil import RowWidth, iter_rows, sniff_delimiter

    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    array = np.frombuffer(head, np.uint8)
    row_start = header_end = 0
    for _ in range(skip_rows + 1):  # the preamble rows, then the header row
        end = first_row_end(array[header_end:], 0)
        if end is None:
            return None
        row_start, header_end = header_end, header_end + end + 1
    text = head[row_start:].decode(encoding, errors="replace").lstrip("\ufeff")
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    parity = _quote_parity(path, ord(delimiter), len(_BOM) if head.startswith(_BOM) else 0, starts)
    if parity is None:
        return None
    try:
        rows = iter_rows(text)
        header = next(rows, (0, []))[1]
        data = [row for _, row in rows if any(c.strip() for c in row)][:2]
    except ReaderError:
        return None
    if len(data) < 2 and len(head) < path.stat().st_size:  # the first data row may be cut by the head's end
        return None
    width = RowWidth(header)
    if not data or width.problem(data[0]) is not None or width.trailing is None:
        return None
    return CsvLayout(parity, header_end, width.trailing)


def first_row_end(chunk: np.ndarray, parity: int) -> int | None:
    """Index in ``chunk`` of its first line end outside quotes (``parity``: quotes before it, mod 2), or None."""
    lf = np.flatnonzero(chunk == _LF)
    if not lf.size:
        return None
    quotes = np.cumsum(chunk == _QUOTE, dtype=np.int64)
    hit = np.flatnonzero((parity + quotes[lf]) % 2 == 0)
    return int(lf[hit[0]]) if hit.size else None


def csv_record_start(path: str | Path, offset: int, parity: int) -> int:
    """The first row boundary at or after ``offset`` (just after a line end outside quotes; the file's size if
    none); ``parity``: the quotes before ``offset``, mod 2."""
    if offset == 0:
        return 0
    with open(path, "rb") as f:
        f.seek(offset - 1)
        at = offset - 1
        chunk = f.read(_SEARCH)
        parity = (parity - (chunk[:1] == b'"')) % 2  # counted from offset - 1
        while chunk:
            array = np.frombuffer(chunk, np.uint8)
            end = first_row_end(array, parity)
            if end is not None:
                return at + end + 1
            parity = (parity + int(np.count_nonzero(array == _QUOTE))) % 2
            at += len(chunk)
            chunk = f.read(_SEARCH)
        return at


def _quote_parity(path: Path, delimiter: int, bof: int, starts: tuple[int, ...]) -> tuple[int, ...] | None:
    """The quotes before each of ``starts``, mod 2; None when a quote run is not where RFC 4180 puts it, a quote
    is left open, or the file holds a NUL byte or a bare CR."""
    size = path.stat().st_size
    if size == 0:
        return None
    data = np.memmap(path, np.uint8, mode="r")
    parities: list[int] = []
    count, begin, k = 0, 0, 0
    while begin < size:
        end = min(begin + _BLOCK, size)
        while end < size and data[end - 1] == _QUOTE:  # a run of quotes never straddles two blocks
            end += 1
        block = np.asarray(data[begin:end])
        if (block == 0).any() or not _crs_paired(data, block, begin, size):
            return None
        quotes = np.flatnonzero(block == _QUOTE)
        while k < len(starts) and starts[k] < end:
            parities.append(int((count + np.searchsorted(quotes, starts[k] - begin)) % 2))
            k += 1
        if quotes.size and not _runs_in_place(data, quotes, begin, count, delimiter, bof, size):
            return None
        count += quotes.size
        begin = end
    return tuple(parities) if count % 2 == 0 else None


def _crs_paired(data: np.ndarray, block: np.ndarray, begin: int, size: int) -> bool:
    """Every CR of ``block`` is followed by a LF."""
    cr = np.flatnonzero(block == _CR) + begin
    return not cr.size or (int(cr[-1]) + 1 < size and bool((data[cr + 1] == _LF).all()))


def _runs_in_place(data: np.ndarray, quotes: np.ndarray, begin: int, count: int, delimiter: int, bof: int,
                   size: int) -> bool:
    """Every run of quotes met outside a quoted cell opens its cell, and every run that leaves the quotes ends one."""
    new_run = np.ones(quotes.size, bool)
    new_run[1:] = quotes[1:] != quotes[:-1] + 1
    first = np.flatnonzero(new_run)
    length = np.diff(np.append(first, quotes.size))
    at = quotes[first] + begin
    inside_before = (count + first) % 2
    before = np.where(at > bof, data[np.maximum(at - 1, 0)], _LF)
    after_at = at + length
    after = np.where(after_at < size, data[np.minimum(after_at, size - 1)], _LF)
    opens_cell = (before == delimiter) | (before == _LF)
    ends_cell = (after == delimiter) | (after == _LF) | (after == _CR)
    closes = (inside_before + length) % 2 == 0
    return not ((inside_before == 0) & ~opens_cell).any() and not (closes & ~ends_cell).any()
