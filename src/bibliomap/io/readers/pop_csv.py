"""Publish or Perish CSV reader ("PoPCites.csv", 26 columns; older exports stop after Age, Type or QueryDate).

Authors are Google Scholar strings, "AG Meyer, J Smith", often truncated with an
ellipsis ("..." as its own item, or "…"/"..." glued to the last name). A truncated
list sets ``authors_truncated``; no author is invented. ``n_authors`` is PoP's
AuthorCount when present, else names shown + 1 when truncated (PoP's own rule),
else names shown.

Database rule: PoP can query several sources, and the export does not name it.
The file is "google_scholar" when any row's CitesURL points to scholar.google;
otherwise the source whose host appears most often in CitesURL/ArticleURL
(openalex.org, semanticscholar.org, scopus.com, webofscience/isiknowledge,
pubmed.ncbi, crossref.org) wins; with no such hint it stays "google_scholar".
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from bibliomap.corpus.identifiers import normalize_doi, split_issns
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import ReaderError, Source, register
from bibliomap.io.readers.csvutil import (Columns, aligned_rows, count_cell, iter_rows, month_and_day, source_rows, to_int,
                                          year_cell)

ALIASES: dict[str, list[str]] = {
    "cites": ["Cites"],
    "authors": ["Authors"],
    "title": ["Title"],
    "year": ["Year"],
    "source": ["Source"],
    "publisher": ["Publisher"],
    "article_url": ["ArticleURL"],
    "cites_url": ["CitesURL"],
    "query_date": ["QueryDate"],
    "type": ["Type"],
    "doi": ["DOI"],
    "issn": ["ISSN"],
    "volume": ["Volume"],
    "issue": ["Issue"],
    "start_page": ["StartPage"],
    "end_page": ["EndPage"],
    "author_count": ["AuthorCount"],
    "abstract": ["Abstract"],
}

#: Columns mapped to schema fields; every other non-empty column is kept verbatim in ``extra``.
_MAPPED = ("cites", "authors", "title", "year", "source", "publisher", "article_url", "doi", "issn", "volume",
           "issue", "start_page", "end_page", "abstract")

#: Google Scholar's file-format markers in ``Type``: not document types.
FORMAT_MARKERS = frozenset({"PDF", "HTML", "DOC", "DOCX", "PS", "XML", "RTF", "XLS", "PPT"})

_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*$")
#: Hosts of CitesURL/ArticleURL -> the database PoP queried.
HOSTS = [
    ("scholar.google", "google_scholar"),
    ("openalex.org", "openalex"),
    ("semanticscholar.org", "semantic_scholar"),
    ("scopus.com", "scopus"),
    ("webofscience.com", "wos"),
    ("isiknowledge.com", "wos"),
    ("pubmed.ncbi", "pubmed"),
    ("crossref.org", "crossref"),
]
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


def parse_authors(raw: str | None) -> tuple[list[dict], bool]:
    """Google Scholar author string -> (authors, truncated)."""
    if not raw:
        return [], False
    items = [i.strip() for i in raw.split(",")]
    truncated = False
    authors: list[dict] = []
    for i, item in enumerate(items):
        if not item:
            continue
        if _ELLIPSIS.search(item):
            truncated = True
            item = _ELLIPSIS.sub("", item).strip()
            if not item:
                continue
        authors.append(parse_name(item, "given_first"))
    return authors, truncated


def iso_date(value: str | None) -> str | None:
    """'2014-11-20 10:12:13' -> '2014-11-20'; unambiguous D/M/Y or M/D/Y too; else None."""
    if not value:
        return None
    v = value.strip()
    m = _ISO.match(v)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = _DMY.match(v)
    order = month_and_day(int(m.group(1)), int(m.group(2))) if m else None
    return f"{m.group(3)}-{order[0]:02d}-{order[1]:02d}" if order else None


def _cites_scholar(cols: Columns, row: list[str]) -> bool:
    """Whether a row's CitesURL is Google Scholar's (which makes the whole file "google_scholar")."""
    return "scholar.google" in (cols.get(row, "cites_url") or "").lower()


def detect_database(cols: Columns, rows: list[tuple[int, list[str]]]) -> str:
    """The data source PoP queried, from the CitesURL/ArticleURL hosts (see the module docstring)."""
    votes: Counter[str] = Counter()
    for _, row in rows:
        if _cites_scholar(cols, row):
            return "google_scholar"
        urls = ((cols.get(row, "cites_url") or "") + " " + (cols.get(row, "article_url") or "")).lower()
        for host, db in HOSTS[1:]:
            if host in urls:
                votes[db] += 1
                break
    if not votes:
        return "google_scholar"
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def database_in_head(head: str) -> str | None:
    """The database of a PoP export known from its first characters ``head`` alone: "google_scholar" when a
    complete row of the head (any but its last, which the head may cut) has a Google Scholar CitesURL,
    whatever the rows after it; else None (only all the rows tell). For reading a file in splits."""
    try:
        rows = list(iter_rows(head))
    except ReaderError:
        return None
    if len(rows) < 3:
        return None
    cols = Columns([h.replace("\ufeff", "").strip() for h in rows[0][1]], ALIASES)
    return "google_scholar" if any(_cites_scholar(cols, row) for _, row in rows[1:-1]) else None


def _record(source: Source, cols: Columns, header: list[str], row: list[str], record_no: int, line: int,
            database: str) -> dict[str, Any]:
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = database
    rec["title"] = cols.get(row, "title")
    rec["abstract"] = cols.get(row, "abstract")
    authors, truncated = parse_authors(cols.get(row, "authors"))
    rec["authors"] = authors
    rec["authors_truncated"] = truncated
    count = to_int(cols.get(row, "author_count"))
    rec["n_authors"] = count if count is not None else len(authors) + (1 if truncated else 0)
    rec["year"] = year_cell(source, record_no, line, cols.get(row, "year"))
    rec["date"] = str(rec["year"]) if rec["year"] else None
    rec["source_title"] = cols.get(row, "source")
    rec["publisher"] = cols.get(row, "publisher")
    rec["url"] = cols.get(row, "article_url")
    rec["doi"] = normalize_doi(cols.get(row, "doi"))
    rec["issn"] = split_issns(cols.get(row, "issn"))
    rec["volume"] = cols.get(row, "volume")
    rec["issue"] = cols.get(row, "issue")
    rec["page_start"] = cols.get(row, "start_page")
    rec["page_end"] = cols.get(row, "end_page")
    kind = cols.get(row, "type")
    if kind and kind.strip("[]").upper() not in FORMAT_MARKERS:
        rec["doc_type_raw"] = kind
    rec["query_date"] = iso_date(cols.get(row, "query_date"))
    rec["times_cited"] = count_cell(source, cols.get(row, "cites"), "citation count", record_no, line)
    if rec["times_cited"] is not None:
        rec["citation_counts"] = [{"database": database, "count": rec["times_cited"], "date": rec["query_date"]}]
    mapped = {cols.index[f] for f in _MAPPED if f in cols.index}
    extra: dict[str, str] = {}
    for i, name in enumerate(header):
        if i in mapped or i >= len(row):
            continue
        v = row[i].strip()
        if v:
            extra[name] = v
    rec["extra"] = extra
    return rec


_SNIFF = re.compile(r'^\ufeff?"?Cites"?\s*([,;\t])\s*"?Authors"?\s*\1\s*"?Title"?\s*\1\s*"?Year"?', re.I)


def sniff(head: str, filename: str) -> float:
    """PoP CSV: the header starts with Cites,Authors,Title,Year (quoted or not)."""
    if _SNIFF.match(head.lstrip()):
        return 0.97
    return 0.0


@register(
    "pop_csv",
    sniff=sniff,
    description="Publish or Perish CSV (PoPCites.csv; full 26-column and older shorter headers)",
    extensions=(".csv",),
    aliases=("pop", "publish_or_perish"),
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per result row; rows that cannot be aligned or lack title and DOI are rejected."""
    rows = source_rows(source)  # comma, or ';'/tab after a spreadsheet round trip
    try:
        header_line, header = next(rows)
    except StopIteration:
        return
    header = [h.replace("\ufeff", "").strip() for h in header]
    cols = Columns(header, ALIASES, source, header_line)
    missing = [ALIASES[f][0] for f in ("title", "authors") if not cols.has(f)]
    if missing:
        raise ReaderError(
            f"{source.where(line=header_line)}: not a Publish or Perish CSV: missing column(s) {', '.join(missing)} "
            f"(expected a header like Cites,Authors,Title,Year,...); the header has: {', '.join(header[:30])}"
        )
    data = [(line, row) for line, row in rows if any(c.strip() for c in row)]
    database = source.database or detect_database(cols, data)
    kept = 0
    for record_no, line, row in aligned_rows(source, iter(data), header):
        rec = _record(source, cols, header, row, record_no, line, database)
        if not rec["title"] and not rec["doi"]:
            source.reject(record_no, line, "no title and no DOI")
            continue
        kept += 1
        yield rec
    source.n_read = kept + len(source.rejected)
