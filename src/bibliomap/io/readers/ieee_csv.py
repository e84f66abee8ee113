"""IEEE Xplore CSV export ("Document Title", "Authors", "Author Affiliations", ...).

Authors are "; "-separated, given names first. "Author Affiliations" has one entry
per author in the same order, so affiliations are linked by position when the two
lists have the same length (otherwise they are kept for the document only).
"""
from __future__ import annotations

from collections.abc import Iterator

from bibliomap.corpus.identifiers import normalize_doi, split_isbns, split_issns
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import Source, register
from bibliomap.io.readers.csvutil import Columns, aligned_rows, count_cell, source_rows, split_list, year_cell
from bibliomap.io.readers.openalex_json import citation_count, csv_extra, distinct, split_cells

ALIASES = {
    "title": ["Document Title"],
    "authors": ["Authors"],
    "affiliations": ["Author Affiliations"],
    "source_title": ["Publication Title"],
    "year": ["Publication Year", "Year"],
    "volume": ["Volume"],
    "issue": ["Issue"],
    "page_start": ["Start Page"],
    "page_end": ["End Page"],
    "abstract": ["Abstract"],
    "issn": ["ISSN"],
    "isbn": ["ISBNs", "ISBN"],
    "doi": ["DOI"],
    "funding": ["Funding Information"],
    "url": ["PDF Link"],
    "author_keywords": ["Author Keywords"],
    "ieee_terms": ["IEEE Terms"],
    "inspec_controlled": ["INSPEC Controlled Terms"],
    "mesh": ["Mesh_Terms", "MeSH Terms"],
    "times_cited": ["Article Citation Count"],
    "license": ["License"],
    "publisher": ["Publisher"],
    "doc_type": ["Document Identifier"],
}
#: Mapped fields whose verbatim value is also worth keeping in ``extra``.
_KEEP_IN_EXTRA = ("license",)
_NO_AFFILIATION = {"", "na", "n/a", "none"}


def _sniff(text: str, filename: str) -> float:
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    if "Document Title" in header and "Publication Title" in header:
        return 0.95
    return 0.0


def _row_to_record(cols: Columns, row: list[str], source: Source, record_no: int, line: int) -> dict:
    g = lambda f: cols.get(row, f)  # noqa: E731
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = "ieee"
    rec["databases"] = ["ieee"]
    rec["doi"] = normalize_doi(g("doi"))
    rec["title"] = g("title")
    rec["abstract"] = g("abstract")
    names = [n for n in split_cells(g("authors"), ";") if n]
    affs = split_cells(g("affiliations"), ";")
    linked = len(affs) == len(names)
    for i, raw in enumerate(names):
        author = parse_name(raw, "given_first")
        if linked and affs[i].lower() not in _NO_AFFILIATION:
            author["affiliations"] = [affs[i]]
        rec["authors"].append(author)
    rec["n_authors"] = len(names)
    rec["affiliations"] = distinct([a for a in affs if a.lower() not in _NO_AFFILIATION])
    rec["year"] = year_cell(source, record_no, line, g("year"))
    rec["source_title"] = g("source_title")
    rec["volume"], rec["issue"] = g("volume"), g("issue")
    rec["page_start"], rec["page_end"] = g("page_start"), g("page_end")
    rec["issn"] = split_issns(g("issn"))
    rec["isbn"] = split_isbns(g("isbn"))
    rec["funding"] = g("funding")
    rec["url"] = g("url")
    rec["author_keywords"] = split_list(g("author_keywords"))
    rec["index_keywords"] = distinct(
        split_list(g("ieee_terms")) + split_list(g("inspec_controlled")) + split_list(g("mesh"))
    )
    rec["times_cited"] = count_cell(source, g("times_cited"), "citation count", record_no, line)
    rec["citation_counts"] = citation_count("ieee", rec["times_cited"])
    license_ = g("license")
    if license_ and license_.upper().startswith("CC"):
        rec["open_access"] = True
    rec["publisher"] = g("publisher")
    rec["doc_type_raw"] = g("doc_type")
    rec["extra"] = csv_extra(cols, row, _KEEP_IN_EXTRA)
    return rec


@register(
    "ieee_csv",
    sniff=_sniff,
    description="IEEE Xplore CSV export",
    extensions=(".csv",),
    aliases=("ieee",),
    streams=True,
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per row of an IEEE Xplore CSV export."""
    rows = source_rows(source)
    header_line, header = next(rows, (1, []))
    cols = Columns(header, ALIASES, source, header_line)
    cols.require(source, ["title", "authors"], header_line)
    for record_no, line, row in aligned_rows(source, rows, header):
        if not (cols.get(row, "title") or cols.get(row, "doi")):
            source.reject(record_no, line, "row has neither a Document Title nor a DOI")
            continue
        yield _row_to_record(cols, row, source, record_no, line)
