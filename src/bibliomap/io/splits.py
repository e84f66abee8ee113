"""Reading one large export as several byte ranges ("splits"), each parsed alone, with the results of one read.

A discipline-scale export is often one huge file. To parse it in several tasks, the file is
cut at record boundaries, as Hadoop's line record reader does: a split nominally covers
``[start, start + split_bytes)``, and owns the records that begin from the first record
boundary at or after ``start`` up to the first boundary at or after the next split's start.
A boundary is a place where the format's own reader starts a record, found with the reader's
own record-start pattern (as bytes):

* RIS: a line ``TY  -`` (``ris._TY_LINE``); MEDLINE: a line ``PMID-`` (``medline._PMID_LINE``);
* Web of Science plain text: just after an ``ER`` line (where ``wos_plaintext`` ends a segment);
* BibTeX: a line beginning ``@type{`` or ``@type(`` whose previous non-blank line ends with
  ``}`` or ``)`` (the end of the entry before);
* the header-driven CSV exports (Scopus, IEEE, Lens, OpenAlex, Springer, Publish or Perish,
  Dimensions): just after a line end outside every quoted cell (``csv_splits``: the quote
  parity, counted in one pass), each split after the first read after the file's header row
  (for Dimensions, after its "About the data" preamble row and header row);
* Web of Science tab-delimited (cells are never quoted, one record a line): just after any line
  end, each split after the first read after the file's header row;
* JSON Lines of OpenAlex or Crossref (one JSON value a line): just after any line end.

Each split is parsed by the unchanged reader over its own text (``read.read_split``), told the
file's line number of its first line (``Source.first_line``, from newline counts of the
splits before), whether records follow it (``Source.more_follows``), and to mark the record
numbers it writes in messages (``Source.mark_records``): record numbers depend on how many
records the splits before hold, known only once they are read, so the engine renumbers
them when it puts the splits together (``renumbered``).

A file is split only when cutting it cannot change what the reader sees: a format above, an
encoding in which ``\\n`` is always a line end (UTF-8, cp1252, Latin-1), no NUL bytes (which
``read_file`` removes with one warning for the file), a line end at all (so no classic-Mac
file, which ``read_file`` rewrites whole), and for BibTeX no bare CRs, no ``@string``,
``@comment`` or ``@preamble`` (a macro defined in one split is used in later ones), for CSV
every quote where RFC 4180 puts it, no bare CR and a complete first data row (``csv_splits``),
for Web of Science tab-delimited no bare CR (so the file's first ``\n`` ends its header row),
for JSON Lines UTF-8 with its first non-blank line a JSON object and a second non-blank line
(so the reader, which first tries the whole text as one JSON document, would read JSON Lines:
a document such as a pretty-printed array is read whole), and no bare CR nor other character
``str.splitlines`` takes for a line end (VT, FF, FS, GS, RS, NEL, U+2028, U+2029), and for
Publish or Perish a row of the file's head whose CitesURL is Google Scholar's (the reader names
the file's database from all its rows; such a row decides it, and every split is told it).
Other files are read whole, in one task. A BibTeX boundary inside a field value (a line starting
with ``@type{`` after a line ending with ``}`` inside braces) leaves the last entry of its
split unterminated: the engine reads a file whole when a split's last record is rejected.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from bibliomap.io.csv_splits import CsvLayout, csv_layout, csv_record_start
from bibliomap.io.json_lines import JSON_LINES_FORMATS, json_lines_cuttable, json_lines_head
from bibliomap.io.read import detect_format, file_head
from bibliomap.io.readers.base import RECORD_MARK, get_reader
from bibliomap.io.readers.dimensions import has_preamble
from bibliomap.io.readers.pop_csv import database_in_head

#: The default size of a split (bytes), as an HDFS block.
SPLIT_BYTES = 128 * 1024 * 1024
#: Encodings in which byte 0x0A is always a line end and never part of another character.
_ASCII_SAFE = ("utf-8", "utf-8-sig", "cp1252", "latin-1")
_BLOCK = 1 << 22
_LINE_END = re.compile(rb"\n")
#: A record start: the match of the reader's own pattern, and whether the boundary is the
#: match's second byte (after its newline) or its end.
_STARTS: dict[str, tuple[re.Pattern[bytes], str]] = {
    "ris": (re.compile(rb"\nTY {1,2}-"), "after_newline"),
    "medline": (re.compile(rb"\nPMID-"), "after_newline"),
    "wos_plaintext": (re.compile(rb"\nER[ \t]*(?=\r?\n)"), "end"),
    "bibtex": (re.compile(rb"\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t\r\n]*[{(]"), "after_newline"),
    "wos_tab": (_LINE_END, "end"),
    **{name: (_LINE_END, "end") for name in JSON_LINES_FORMATS},
}
#: Header-driven CSV formats (their readers read rows through ``csvutil.source_rows``): cut at a line end
#: outside quotes (``csv_splits``), each split after the first read after the file's header row.
CSV_FORMATS = frozenset({"scopus_csv", "ieee_csv", "lens_csv", "openalex_csv", "springer_csv", "pop_csv", "dimensions_csv"})
#: Formats whose splits after the first are read after the file's first line (its header row).
HEADER_LINE_FORMATS = frozenset({"wos_tab"})
#: Formats whose files can be split.
SPLIT_FORMATS = frozenset(_STARTS) | CSV_FORMATS
#: Formats cut only when every CR is followed by a LF: BibTeX counts only LFs as lines, and a split's
#: first line number, the header row's end and a JSON line's end are found from LFs alone.
LF_ONLY_FORMATS = frozenset({"bibtex", "wos_tab"}) | JSON_LINES_FORMATS
#: Formats whose readers make a bare CR a line end (``wos_plaintext.normalize_newlines``).
BARE_CR_FORMATS = frozenset({"ris", "medline", "wos_plaintext"})
_BIBTEX_BLOCKS = re.compile(rb"@[ \t]*(?:string|comment|preamble)\b", re.IGNORECASE)
_ENTRY_END = (ord("}"), ord(")"))
_LOOKBACK = 4096
_SEAM = 64


@dataclasses.dataclass(frozen=True)
class SplitPlan:
    """How to cut one file: its format and encoding (found once for the whole file) and the nominal split starts."""

    path: str
    format: str
    encoding: str
    encoding_warning: str | None
    size: int
    starts: tuple[int, ...]
    csv: CsvLayout | None = None  # a CSV file: where quotes are, its header row, its first row's trailing cells
    header_end: int = 0  # the byte after the file's header row, which every split after the first is read after (0: none)
    database: str | None = None  # the file's database, when the whole file decides it (``Source.database``)


def plan_splits(path: str | Path, format: str | None, split_bytes: int) -> SplitPlan | None:
    """The nominal splits of ``path`` (None: read it whole) — one pass over the file, on the driver."""
    path = Path(path)
    size = path.stat().st_size
    if split_bytes <= 0 or size <= split_bytes or path.suffix.lower() == ".parquet":
        return None
    opened = file_head(path)
    if opened is None or opened[1] not in _ASCII_SAFE:
        return None
    head, encoding, warning = opened
    name = get_reader(format).name if format else detect_format(head, path.name)[0]
    starts = tuple(range(0, size, split_bytes))
    if name in CSV_FORMATS:
        return _csv_plan(SplitPlan(str(path), name, encoding, warning, size, starts), head)
    if name not in SPLIT_FORMATS or not _cuttable(path, name):
        return None
    if name in JSON_LINES_FORMATS and not (encoding.startswith("utf-8") and json_lines_head(head)):
        return None
    header_end = _first_line_end(path) if name in HEADER_LINE_FORMATS else 0
    return None if header_end is None else SplitPlan(str(path), name, encoding, warning, size, starts, header_end=header_end)


def _csv_plan(plan: SplitPlan, head: str) -> SplitPlan | None:
    """``plan`` of a CSV file with its layout (None: read it whole): the rows its header follows (Dimensions'
    preamble), and the file's database for Publish or Perish."""
    database = None
    if plan.format == "pop_csv":
        database = database_in_head(head)
        if database is None:
            return None
    preamble = plan.format == "dimensions_csv" and has_preamble(head.split("\n", 1)[0])
    layout = csv_layout(plan.path, plan.encoding, plan.starts, skip_rows=int(preamble))
    if layout is None:
        return None
    return dataclasses.replace(plan, csv=layout, header_end=layout.header_end, database=database)


def _first_line_end(path: Path) -> int | None:
    """The byte after the first ``\n`` of ``path`` (None: within its head, there is none)."""
    with open(path, "rb") as f:
        at = f.read(_BLOCK).find(b"\n")
    return None if at < 0 else at + 1


def split_start(plan: SplitPlan, k: int) -> int:
    """The first record boundary at or after nominal start ``k`` of ``plan``."""
    if plan.csv is not None:
        return csv_record_start(plan.path, plan.starts[k], plan.csv.quote_parity[k])
    return record_start(plan.path, plan.format, plan.starts[k])


def split_header(plan: SplitPlan, start: int) -> str:
    """The file's lines up to its header row, which a split beginning at byte ``start`` is read after ("" for
    the first split, and for formats without a header row)."""
    if not plan.header_end or start == 0:
        return ""
    with open(plan.path, "rb") as f:
        return f.read(plan.header_end).decode(plan.encoding, errors="replace").lstrip("\ufeff")


def _cuttable(path: Path, format: str) -> bool:
    """No NUL, a line end at all, and for BibTeX no bare CR (it counts only LFs as lines) and no
    block that later entries depend on; for the formats of ``LF_ONLY_FORMATS`` no bare CR, and for
    JSON Lines no other line end of ``str.splitlines``."""
    newline, tail = False, b""
    bibtex = format == "bibtex"
    lf_only = format in LF_ONLY_FORMATS
    json_lines = format in JSON_LINES_FORMATS
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(_BLOCK), b""):
            data = tail + block
            if b"\x00" in block:
                return False
            if bibtex and _BIBTEX_BLOCKS.search(data):
                return False
            if lf_only and data.count(b"\r") != data.count(b"\r\n") + data.endswith(b"\r"):
                return False
            if json_lines and not json_lines_cuttable(data):
                return False
            newline = newline or b"\n" in block
            tail = data[-32:]
    return newline and not (lf_only and tail.endswith(b"\r"))


def record_start(path: str | Path, format: str, offset: int) -> int:
    """The first record boundary of ``format`` at or after byte ``offset`` (the file's size if none)."""
    if offset == 0:
        return 0
    pattern, where = _STARTS[format]
    with open(path, "rb") as f:
        base = max(0, offset - 1 - _LOOKBACK)
        f.seek(base)
        data = f.read(offset - base + _BLOCK)
        pos, eof = offset - 1 - base, False
        while True:
            for m in pattern.finditer(data, pos):
                at = base + (m.end() if where == "end" else m.start() + 1)
                if at < offset:
                    continue
                if m.end() + _SEAM > len(data) and not eof:
                    break  # decided once more of the file is read
                if _accepted(format, data, m):
                    return at
            if eof:
                return base + len(data)
            more = f.read(_BLOCK)
            eof = not more
            pos = max(pos, len(data) - 2 * _SEAM)  # a record start may straddle the blocks: search the seam again
            data += more


def _accepted(format: str, data: bytes, m: re.Match[bytes]) -> bool:
    """Whether a match of the record-start pattern is a boundary the reader would also cut at.

    BibTeX: the last non-blank byte before it (within the look-back) closes the entry before.
    Web of Science: a tagged line other than the file's end (``EF``) follows the ``ER`` line, so
    the split after it holds a record."""
    if format == "bibtex":
        window = data[max(0, m.start() - _LOOKBACK):m.start()].rstrip()
        return bool(window) and window[-1] in _ENTRY_END
    if format == "wos_plaintext":
        after = data[m.end():m.end() + _SEAM].lstrip()
        return len(after) >= 3 and not after.startswith(b"EF") and after[:2].isalnum() and after[2:3] in b" \t\r\n"
    return True


def count_newlines(path: str | Path, start: int, end: int, bare_cr: bool = False) -> int:
    """The line ends in ``[start, end)`` of ``path``: ``\\n`` bytes, and with ``bare_cr`` also CRs not followed by
    ``\\n`` (which the tagged readers' ``normalize_newlines`` makes line ends)."""
    n = 0
    with open(path, "rb") as f:
        f.seek(start)
        left = end - start
        while left > 0:
            block = f.read(min(_BLOCK, left))
            if not block:
                break
            left -= len(block)
            n += block.count(b"\n")
            if bare_cr and b"\r" in block:
                following = f.read(1)  # a CR at the block's end pairs with the byte after it
                f.seek(-len(following), 1)
                n += block.count(b"\r") - block.count(b"\r\n") - (block.endswith(b"\r") and following == b"\n")
    return n


def align(plan: SplitPlan, starts: list[int], newlines_to_start: list[int], newlines_in_range: list[int]) -> list[tuple[int, int, int]]:
    """The record-aligned splits (start, end, first line) from each nominal split's aligned start,
    the newlines between its nominal and aligned start, and the newlines in its nominal range."""
    out: list[tuple[int, int, int]] = []
    before = 0  # newlines before the current nominal start
    for k, aligned in enumerate(starts):
        if aligned < plan.size and (not out or aligned > out[-1][0]):
            out.append((aligned, plan.size, 1 + before + newlines_to_start[k]))
        before += newlines_in_range[k]
    return [(s, out[i + 1][0] if i + 1 < len(out) else plan.size, line) for i, (s, _, line) in enumerate(out)]


_MARKED = re.compile(re.escape(RECORD_MARK) + r"(\d+)" + re.escape(RECORD_MARK))


def renumbered(text: str, offset: int) -> str:
    """A message of a split with its marked record numbers made the file's (``offset`` records before the split)."""
    return _MARKED.sub(lambda m: str(int(m.group(1)) + offset), text)
