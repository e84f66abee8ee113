"""Springer Link search-results CSV ("Item Title", "Publication Title", ..., "Content Type").

Springer writes the author list as given-first names glued together without any
separator: "Vivek K. PallipuramMohammad BhuiyanMelissa C. Smith". See
:func:`split_glued_names` for the rule that takes them apart.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from bibliomap.corpus.identifiers import normalize_doi
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import Source, register
from bibliomap.io.readers.csvutil import Columns, aligned_rows, source_rows, year_cell
from bibliomap.io.readers.openalex_json import csv_extra

ALIASES = {
    "title": ["Item Title"],
    "source_title": ["Publication Title"],
    "series": ["Book Series Title"],
    "volume": ["Journal Volume"],
    "issue": ["Journal Issue"],
    "doi": ["Item DOI"],
    "authors": ["Authors"],
    "year": ["Publication Year"],
    "url": ["URL"],
    "doc_type": ["Content Type"],
}
_KEEP_IN_EXTRA = ("series",)

#: Surname prefixes that are glued to a capitalized rest ("McDonald", "DeWitt", "LeCun"):
#: a lower->upper change right after one of these inside a word is not a name boundary.
_SURNAME_PREFIXES = {
    "mc", "mac", "de", "di", "da", "du", "le", "la", "van", "von", "vander", "vanden",
    "fitz", "del", "della", "st", "ten", "ter", "o'", "o’",
}
_TITLES = re.compile(r"^(?:(?:Prof|Dr|Professor|Mr|Mrs|Ms|Sir|PhD)\.?\s+)+", re.I)
#: A one-word piece this long or shorter is taken as the first half of a camel-case given
#: name ("WeiMin Chen"); a longer one as the rest of a camel-case surname ("HewaNadungodage").
_SHORT_PIECE = 6


def _boundaries(text: str) -> list[int]:
    """Positions where a lower-case letter is directly followed by an upper-case one."""
    cuts = []
    word_start = 0
    for i in range(1, len(text)):
        prev, ch = text[i - 1], text[i]
        if prev.isspace():
            word_start = i
            continue
        if ch.isupper() and prev.islower():
            if text[word_start:i].lower() in _SURNAME_PREFIXES:
                continue
            cuts.append(i)
    return cuts


def split_glued_names(text: str | None) -> list[str]:
    """Split Springer's separator-less author list into names.

    Rule: cut wherever a lower-case letter is immediately followed by an upper-case
    letter (Unicode-aware: "Quintana-OrtíPavan"), except after a surname prefix at
    the start of a word (Mc, Mac, De, Di, Le, La, Van, O', ...). A piece that is a
    single word cannot be a full given-first name, so it is glued back: to the next
    piece when short (a camel-case given name such as "WeiMin"), to the previous one
    when long (a camel-case surname). Academic titles (Prof., Dr.) are dropped.
    Ambiguous by nature: all-caps surnames followed by a name cannot be cut.
    """
    if not text or not text.strip():
        return []
    s = " ".join(text.split())
    cuts = _boundaries(s)
    pieces = [s[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(s)])]
    merged: list[str] = []
    carry = ""
    for idx, piece in enumerate(pieces):
        piece = carry + piece
        carry = ""
        single = " " not in _TITLES.sub("", piece).strip()
        last = idx == len(pieces) - 1
        if single and not last and len(piece) <= _SHORT_PIECE:
            carry = piece  # first half of a camel-case given name
        elif single and merged:
            merged[-1] += piece  # rest of a camel-case surname
        else:
            merged.append(piece)
    if carry:
        merged.append(carry)
    names = [_TITLES.sub("", m).strip() for m in merged]
    return [n for n in names if n]


def _sniff(text: str, filename: str) -> float:
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if "Item Title" in header and "Content Type" in header:
        return 0.95
    return 0.0


def _row_to_record(cols: Columns, row: list[str], source: Source, record_no: int, line: int) -> dict:
    g = lambda f: cols.get(row, f)  # noqa: E731
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = "springer"
    rec["databases"] = ["springer"]
    rec["doi"] = normalize_doi(g("doi"))
    rec["title"] = g("title")
    rec["authors"] = [parse_name(n, "given_first") for n in split_glued_names(g("authors"))]
    rec["n_authors"] = len(rec["authors"])
    rec["source_title"] = g("source_title") or g("series")
    rec["volume"], rec["issue"] = g("volume"), g("issue")
    rec["year"] = year_cell(source, record_no, line, g("year"))
    rec["url"] = g("url")
    rec["doc_type_raw"] = g("doc_type")
    extra = csv_extra(cols, row, _KEEP_IN_EXTRA)
    if g("authors"):
        extra["Authors"] = g("authors")  # the glued original, since splitting is heuristic
    rec["extra"] = extra
    return rec


@register(
    "springer_csv",
    sniff=_sniff,
    description="Springer Link search-results CSV export",
    extensions=(".csv",),
    aliases=("springer",),
    streams=True,
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per row of a Springer Link CSV export."""
    rows = source_rows(source)
    header_line, header = next(rows, (1, []))
    cols = Columns(header, ALIASES, source, header_line)
    cols.require(source, ["title", "doi"], header_line)
    for record_no, line, row in aligned_rows(source, rows, header):
        if not (cols.get(row, "title") or cols.get(row, "doi")):
            source.reject(record_no, line, "row has neither an Item Title nor an Item DOI")
            continue
        yield _row_to_record(cols, row, source, record_no, line)
