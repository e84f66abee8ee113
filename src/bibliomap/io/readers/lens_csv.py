"""Lens.org scholarly works CSV export ("Lens ID", "Title", "Date Published", ...).

Authors are "; "-separated, given names first. "References" lists the Lens IDs of the
cited works; they become reference keys "lens:<Lens ID>" (the citing record's own
Lens ID is kept in ``extra["Lens ID"]``). References that are not Lens IDs keep a
null key and the record is marked ``_reference_style = "lens"`` for later parsing.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from bibliomap.corpus.identifiers import find_doi, normalize_doi, normalize_pmid, split_issns
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import Source, register
from bibliomap.io.readers.csvutil import Columns, aligned_rows, count_cell, source_rows, split_list, year_cell
from bibliomap.io.readers.openalex_json import citation_count, csv_extra, split_cells

ALIASES = {
    "lens_id": ["Lens ID"],
    "title": ["Title"],
    "date": ["Date Published"],
    "year": ["Publication Year", "Year Published"],
    "doc_type": ["Publication Type"],
    "source_title": ["Source Title"],
    "issn": ["ISSNs", "ISSN"],
    "publisher": ["Publisher"],
    "authors": ["Author/s", "Authors"],
    "abstract": ["Abstract"],
    "volume": ["Volume"],
    "issue": ["Issue Number", "Issue"],
    "page_start": ["Start Page"],
    "page_end": ["End Page"],
    "fields_of_study": ["Fields of Study"],
    "keywords": ["Keywords"],
    "mesh": ["MeSH Terms"],
    "funding": ["Funding"],
    "funding_details": ["Funding Details"],
    "url": ["External URL"],
    "source_urls": ["Source URLs"],
    "pmid": ["PMID"],
    "doi": ["DOI"],
    "references": ["References"],
    "times_cited": ["Scholarly Citation Count", "Citing Works Count", "Citation Count"],
    "open_access": ["Is Open Access", "Open Access"],
}
_KEEP_IN_EXTRA = ("lens_id", "source_urls", "funding_details")
_LENS_ID = re.compile(r"^\d{3}-\d{3}-\d{3}-\d{3}-\d{2}[\dX]$", re.I)


def _sniff(text: str, filename: str) -> float:
    header = text.lstrip("\ufeff").split("\n", 1)[0].lstrip('"')
    return 0.95 if header.startswith("Lens ID") else 0.0


def _row_to_record(cols: Columns, row: list[str], source: Source, record_no: int, line: int) -> dict:
    g = lambda f: cols.get(row, f)  # noqa: E731
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = "lens"
    rec["databases"] = ["lens"]
    rec["doi"] = normalize_doi(g("doi"))
    rec["pmid"] = normalize_pmid(g("pmid"))
    rec["title"] = g("title")
    rec["abstract"] = g("abstract")
    rec["authors"] = [parse_name(n, "given_first") for n in split_cells(g("authors"), ";") if n]
    rec["n_authors"] = len(rec["authors"])
    rec["date"] = g("date")
    rec["year"] = year_cell(source, record_no, line, g("year"), g("date"))
    rec["doc_type_raw"] = g("doc_type")
    rec["source_title"] = g("source_title")
    rec["issn"] = split_issns(g("issn"))
    rec["publisher"] = g("publisher")
    rec["volume"], rec["issue"] = g("volume"), g("issue")
    rec["page_start"], rec["page_end"] = g("page_start"), g("page_end")
    rec["subject_categories"] = split_list(g("fields_of_study"))
    rec["author_keywords"] = split_list(g("keywords"))
    rec["index_keywords"] = split_list(g("mesh"))
    rec["funding"] = g("funding") or g("funding_details")
    urls = (g("source_urls") or "").split()
    rec["url"] = g("url") or (urls[0] if urls else None)
    for ref in split_cells(g("references"), ";"):
        if not ref:
            continue
        rec["references"].append(ref)
        if _LENS_ID.match(ref):
            rec["reference_keys"].append(f"lens:{ref}")
        else:
            doi = find_doi(ref)
            rec["reference_keys"].append(f"doi:{doi}" if doi else None)
    if any(k is None for k in rec["reference_keys"]):
        rec["_reference_style"] = "lens"
    rec["times_cited"] = count_cell(source, g("times_cited"), "citation count", record_no, line)
    rec["citation_counts"] = citation_count("lens", rec["times_cited"])
    oa = (g("open_access") or "").lower()
    rec["open_access"] = True if oa in ("true", "yes") else False if oa in ("false", "no") else None
    rec["extra"] = csv_extra(cols, row, _KEEP_IN_EXTRA)
    return rec


@register(
    "lens_csv",
    sniff=_sniff,
    description="Lens.org scholarly works CSV export",
    extensions=(".csv",),
    aliases=("lens",),
    streams=True,
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per row of a Lens scholarly CSV export."""
    rows = source_rows(source)
    header_line, header = next(rows, (1, []))
    cols = Columns(header, ALIASES, source, header_line)
    cols.require(source, ["lens_id", "title"], header_line)
    for record_no, line, row in aligned_rows(source, rows, header):
        if not (cols.get(row, "title") or cols.get(row, "lens_id")):
            source.reject(record_no, line, "row has neither a Title nor a Lens ID")
            continue
        yield _row_to_record(cols, row, source, record_no, line)
