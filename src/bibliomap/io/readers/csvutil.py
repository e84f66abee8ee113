"""Shared helpers for header-driven CSV readers: rows with line numbers, column aliases, splitting."""
from __future__ import annotations

import csv
import datetime
import itertools
import re
from collections.abc import Callable, Iterator, Sequence

from bibliomap.io.encoding import stream_lines
from bibliomap.io.readers.base import ReaderError, Source

csv.field_size_limit(1 << 30)


def _norm_header(h: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", h.lower().replace("\ufeff", "")).strip()


class Columns:
    """Maps canonical field names to the column a file actually has, via aliases.

    ``Columns(header, {"title": ["Title", "Document Title"], ...})`` then
    ``cols.get(row, "title")``. Header matching ignores case and punctuation.
    """

    def __init__(self, header: Sequence[str], aliases: dict[str, Sequence[str]], source: Source | None = None, line: int | None = 1) -> None:
        self.header = list(header)
        normalized: dict[str, int] = {}
        twice: list[str] = []
        for i, h in enumerate(self.header):
            key = _norm_header(h)
            if key in normalized:
                if key:
                    twice.append(h.strip())
            else:
                normalized[key] = i  # the first of two same-named columns is read
        if twice and source is not None:
            source.warn(f"{source.where(line=line)}: the header names {', '.join(repr(t) for t in twice)} twice; the first such column is read")
        self.index: dict[str, int] = {}
        for field, names in aliases.items():
            for name in names:
                i = normalized.get(_norm_header(name))
                if i is not None:
                    self.index[field] = i
                    break

    def has(self, field: str) -> bool:
        return field in self.index

    def get(self, row: Sequence[str], field: str) -> str | None:
        """The stripped cell for ``field``, or None when absent or empty."""
        i = self.index.get(field)
        if i is None or i >= len(row):
            return None
        v = row[i].strip()
        return v or None

    def misfits(self, row: Sequence[str], shapes: dict[str, re.Pattern[str]]) -> list[str]:
        """The cells of ``shapes``' fields that are filled but not of their column's shape (a
        year that is not a year, a DOI that is not a DOI), each said as 'the X column holds ...'."""
        out = []
        for field, shape in shapes.items():
            v = self.get(row, field)
            if v is not None and not shape.fullmatch(v):
                out.append(f"the {self.header[self.index[field]]!r} column holds {v[:40]!r}")
        return out

    def require(self, source: Source, fields: Sequence[str], line: int = 1) -> None:
        """Raise a ReaderError naming the missing required columns."""
        missing = [f for f in fields if f not in self.index]
        if missing:
            raise ReaderError(
                f"{source.where(line=line)}: missing required column(s) {', '.join(missing)}; "
                f"header has: {', '.join(self.header[:40])}"
            )


class RowWidth:
    """Checks that each data row has the header's cells, so no cell lands in another column.

    A row with fewer cells than the header (a deleted cell, a file cut mid-row) or with
    non-empty cells beyond it cannot be matched to the columns. Empty cells after the header's
    last column are tolerated; when the first data row ends with such cells (an exporter that
    ends every row with a delimiter) every row must have them, since a row that lacks them has
    lost a cell somewhere.
    """

    def __init__(self, header: Sequence[str]) -> None:
        self.width = len(header)
        self.trailing: int | None = None  # empty cells after the header's width, fixed by the first row

    def problem(self, row: Sequence[str]) -> str | None:
        """Why ``row`` cannot be matched to the header's columns, or None when it can."""
        n, width = len(row), self.width
        if n > width and any(c.strip() for c in row[width:]):
            return f"row has {n} cells but the header has {width} columns (a cell too many: a stray delimiter or quote?)"
        if self.trailing is None and n >= width:
            self.trailing = n - width
        expected = width + (self.trailing or 0)
        if n < expected:
            cut = "" if n >= width else " (a cell is missing, or the file was cut)"
            return f"row has {n} cells but the other rows have {expected}{cut}"
        return None


def aligned_rows(
    source: Source,
    rows: Iterator[tuple[int, list[str]]],
    header: Sequence[str],
    repair: Callable[[list[str]], list[str] | None] | None = None,
    check: Callable[[list[str]], str | None] | None = None,
) -> Iterator[tuple[int, int, list[str]]]:
    """(record number, line, cells) of each non-blank data row; rows that do not line up with
    the header (:class:`RowWidth`) are rejected with their line, unless ``repair`` (a reader's
    own knowledge of its format) returns the row realigned. ``check`` may name a cell whose
    content shows the row is misaligned even though its width fits (see :meth:`Columns.misfits`)."""
    width = RowWidth(header)
    if source.row_trailing is not None:  # a split of a file: its first data row is in an earlier split
        width.trailing = source.row_trailing
    record_no = 0
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        record_no += 1
        problem = width.problem(row)
        if problem:
            fixed = repair(row) if repair is not None else None
            if fixed is None:
                source.reject(record_no, line, problem if repair is None else f"{problem}, and they cannot be aligned")
                continue
            row = fixed
        misfit = check(row) if check is not None else None
        if misfit:
            source.reject(record_no, line, f"the cells do not line up with the header: {misfit}")
            continue
        yield record_no, line, row


def _lines(text: str, start: int = 0) -> Iterator[str]:
    """Physical lines of ``text`` from offset ``start``, with their line ends, without copying the text."""
    pos, n = start, len(text)
    find = text.find
    while pos < n:
        nl = find("\n", pos)
        end = n if nl < 0 else nl + 1
        yield text[pos:end]
        pos = end


def iter_rows(text: str, delimiter: str | None = None, skip_lines: int = 0) -> Iterator[tuple[int, list[str]]]:
    """Yield (1-based line number where the row starts, cells) for every CSV row.

    Multi-line quoted cells are handled; line numbers count physical lines.
    ``delimiter`` None sniffs comma, semicolon or tab from the first line.
    Lines are streamed from the text, so a large export is never copied.
    """
    return _rows(_lines(text), delimiter, skip_lines)


def source_rows(source: Source, delimiter: str | None = None, skip_lines: int = 0) -> Iterator[tuple[int, list[str]]]:
    """``iter_rows`` of a reader's input: its text, or its file decoded block by block when
    ``read_file`` streams it (a large export; see ``Source.streamed``)."""
    if source.streamed:
        return _rows(stream_lines(source.path, source.encoding), delimiter, skip_lines)
    if source.header:
        return _split_rows(source, delimiter, skip_lines)
    return iter_rows(source.text, delimiter, skip_lines)


def _split_rows(source: Source, delimiter: str | None, skip_lines: int) -> Iterator[tuple[int, list[str]]]:
    """The rows of a split of a file (``bibliomap.io.splits``): its header row, then the split's rows with
    the file's line numbers (its text begins at ``source.first_line``)."""
    head = source.header.count("\n")
    shift = source.first_line - 1 - head
    for line, row in _rows(itertools.chain(_lines(source.header), _lines(source.text)), delimiter, skip_lines):
        yield (line + shift if line > head else line), row


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a CSV file from its first line: the most frequent of comma, semicolon and tab (comma if none)."""
    head = first_line.rstrip("\r\n")
    counts = {d: head.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _rows(lines: Iterator[str], delimiter: str | None, skip_lines: int) -> Iterator[tuple[int, list[str]]]:
    lines = iter(lines)
    for _ in range(skip_lines):
        if next(lines, None) is None:
            return
    if delimiter is None:
        first = next(lines, None)
        if first is None:
            return
        delimiter = sniff_delimiter(first)
        lines = itertools.chain([first], lines)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        begin = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReaderError(f"line {skip_lines + begin + 1}: malformed CSV: {exc}") from exc
        yield skip_lines + begin + 1, row


def split_list(value: str | None, sep: str = ";") -> list[str]:
    """'a; b;; c' -> ['a', 'b', 'c'] (stripped, empties dropped, order kept, duplicates removed)."""
    if not value:
        return []
    out: list[str] = []
    for part in value.split(sep):
        p = part.strip()
        if p and p not in out:
            out.append(p)
    return out


def to_int(value: str | None) -> int | None:
    """Tolerant integer parsing: '1,234' -> 1234, '12 (est.)' -> 12, '' -> None."""
    if value is None:
        return None
    m = re.search(r"-?\d[\d,\s]*", str(value))
    if not m:
        return None
    digits = re.sub(r"[,\s]", "", m.group(0))
    try:
        return int(digits)
    except ValueError:
        return None


_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def count_cell(source: Source, value: str | None, what: str, record: int, line: int | None) -> int | None:
    """A count cell ('12', '1,234'); anything else ('-5', '1e9', 'n/a') is warned for this record
    and kept as missing, never as a wrong number."""
    v = (value or "").strip()
    if not v:
        return None
    if _COUNT.fullmatch(v):
        return int(v.replace(",", ""))
    source.warn(f"{source.where(line=line, record=record)}: {what} {v[:40]!r} is not a count; kept as missing")
    return None


def year_cell(source: Source, record: int, line: int | None, *values: str | None) -> int | None:
    """The first plausible year in ``values`` (a year column, then fallbacks such as a date);
    when none has one but a cell is filled ('20x2'), the record gets a warning."""
    for v in values:
        year = to_year(v)
        if year is not None:
            return year
    filled = next((v.strip() for v in values if v and v.strip()), None)
    if filled:
        source.warn(f"{source.where(line=line, record=record)}: year {filled[:40]!r} has no valid year; kept as missing")
    return None


def to_year(value: str | None) -> int | None:
    """The first plausible 4-digit year (1000-2999) in ``value``."""
    if not value:
        return None
    m = re.search(r"\b(1\d{3}|2\d{3})\b", str(value))
    return int(m.group(1)) if m else None


#: 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' (also with '/' or '.'), a time of day after it ignored
_YEAR_FIRST = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ][\d:.]+Z?)?")
#: 'DD/MM/YYYY' or 'MM/DD/YYYY' (also with '-' or '.'), as a spreadsheet writes dates back
_YEAR_LAST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ][\d:.]+)?")


def month_and_day(a: int, b: int) -> tuple[int, int] | None:
    """(month, day) of the first two numbers of a 'D/M/Y' or 'M/D/Y' date when only one reading
    is possible (exactly one of them above 12), else None."""
    if a > 12 >= b:
        return b, a
    if b > 12 >= a:
        return a, b
    return None


def _iso_ymd(year: int, month: int | None, day: int | None) -> str | None:
    """'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' when that is a real calendar date, else None."""
    if not 1000 <= year <= 2999:  # the plausible years of ``to_year``
        return None
    try:
        datetime.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def cell_iso_date(value: str | None) -> str | None:
    """A date cell as the Corpus's ISO date ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD'); never raises.

    Exports write ISO dates, but a CSV saved again by a spreadsheet holds '29/11/2022'
    (day first) or '11/29/2022' (month first, US locale). Those become ISO when the
    reading is certain: one number above 12 (it must be the day) or both numbers equal.
    For an ambiguous '03/04/2022' the year alone is given: it is the one part both
    readings agree on, and a year column cannot decide between March and April (the
    caller may keep the raw cell). Impossible dates ('31/02/2022') and any other text
    give the 4-digit year found in it, or None.
    """
    v = (value or "").strip()
    if not v:
        return None
    m = _YEAR_FIRST.fullmatch(v)
    if m:
        month, day = (int(g) if g else None for g in m.group(2, 3))
        return _iso_ymd(int(m.group(1)), month, day) or _iso_ymd(int(m.group(1)), None, None)
    m = _YEAR_LAST.fullmatch(v)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        order = (b, a) if a == b else month_and_day(a, b)
        return (_iso_ymd(year, *order) if order else None) or _iso_ymd(year, None, None)
    year = to_year(v)
    return str(year) if year else None
