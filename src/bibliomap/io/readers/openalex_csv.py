"""OpenAlex web CSV export: the human-readable headers and the older dotted API-style headers.

Multi-valued cells are separated by "|" (only "|": a ";" can occur inside a value, e.g. in
author names OpenAlex mangled).
Per-author lists (ids, ORCIDs, countries, institutions) keep empty slots ("IT|IT||IT"), so
they are linked to authors by position when they have one entry per author.
"""
from __future__ import annotations

from collections.abc import Iterator

from bibliomap.corpus.identifiers import normalize_doi, normalize_openalex_id, normalize_pmid, split_issns
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import Source, register
from bibliomap.io.readers.csvutil import Columns, aligned_rows, count_cell, source_rows, year_cell
from bibliomap.io.readers.openalex_json import (
    citation_count,
    country_name,
    csv_extra,
    distinct,
    normalize_orcid,
    split_cells,
)

ALIASES = {
    "openalex_id": ["Work ID", "id"],
    "title": ["Title", "display_name", "title"],
    "authors": ["Author", "Authors", "authorships.author.display_name"],
    "author_ids": ["Author IDs", "authorships.author.id"],
    "orcids": ["ORCID", "ORCIDs", "authorships.author.orcid"],
    "countries": ["Country", "Countries", "authorships.countries"],
    "institutions": ["Institution", "Institutions", "authorships.institutions.display_name"],
    "year": ["Year", "publication_year"],
    "date": ["Publication date", "publication_date"],
    "times_cited": ["Citation count", "cited_by_count"],
    "source_title": ["Source", "primary_location.source.display_name", "host_venue.display_name"],
    "issn": ["ISSN", "primary_location.source.issn", "primary_location.source.issn_l", "host_venue.issn_l"],
    "doi": ["DOI", "doi"],
    "pmid": ["PMID", "ids.pmid"],
    "language": ["Language", "language"],
    "abstract": ["Abstract", "abstract"],
    "open_access": ["Open access", "Is OA", "open_access.is_oa"],
    "doc_type": ["Type", "type"],
    "topics": ["Topics", "Topic", "topics.display_name", "Primary topic", "primary_topic.display_name"],
    "keywords": ["Keywords", "keywords.display_name"],
    "mesh": ["MeSH", "mesh.descriptor_name"],
    "funders": ["Funders", "Funder", "funders.display_name", "grants.funder_display_name"],
    "publisher": ["Publisher", "primary_location.source.host_organization_name"],
    "volume": ["Volume", "biblio.volume"],
    "issue": ["Issue", "biblio.issue"],
    "page_start": ["First page", "biblio.first_page"],
    "page_end": ["Last page", "biblio.last_page"],
    "references": ["Referenced works", "referenced_works"],
    "url": ["Landing page URL", "primary_location.landing_page_url"],
    "pdf_url": ["PDF URL", "primary_location.pdf_url"],
}


def _sniff(text: str, filename: str) -> float:
    header = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    if header.startswith(("{", "[")):  # OpenAlex JSON/JSONL carries the same field names
        return 0.0
    if "Work ID" in header and "Title" in header and ("Author" in header or "Year" in header):
        return 0.9
    if "authorships.author.display_name" in header or ("publication_year" in header and "display_name" in header):
        return 0.9
    return 0.0


def _cells(value: str | None) -> list[str]:
    return split_cells(value, "|")


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("true", "yes", "1"):
        return True
    if v in ("false", "no", "0"):
        return False
    return None


def _row_to_record(cols: Columns, row: list[str], source: Source, record_no: int, line: int) -> dict:
    g = lambda f: cols.get(row, f)  # noqa: E731
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = "openalex"
    rec["databases"] = ["openalex"]
    rec["openalex_id"] = normalize_openalex_id(g("openalex_id"))
    rec["doi"] = normalize_doi(g("doi"))
    rec["pmid"] = normalize_pmid(g("pmid"))
    rec["title"] = g("title")
    rec["abstract"] = g("abstract")

    names = [n for n in _cells(g("authors")) if n]
    n = len(names)

    def per_author(field: str) -> list[str] | None:
        cells = _cells(g(field))
        return cells if len(cells) == n else None

    author_ids, orcids = per_author("author_ids"), per_author("orcids")
    countries, institutions = per_author("countries"), per_author("institutions")
    for i, raw in enumerate(names):
        author = parse_name(raw.replace(";", " "))  # "Francisco-Javier; Cabrerizo" (mangled by OpenAlex)
        if author_ids:
            author["openalex_id"] = normalize_openalex_id(author_ids[i])
        if orcids:
            author["orcid"] = normalize_orcid(orcids[i])
        if institutions and institutions[i]:
            author["affiliations"] = [institutions[i]]
        if countries and countries[i]:
            author["countries"] = distinct([country_name(c) for c in countries[i].split(",")])
        rec["authors"].append(author)
    rec["n_authors"] = n
    rec["affiliations"] = distinct(_cells(g("institutions")))
    rec["countries"] = distinct([country_name(c) for cell in _cells(g("countries")) for c in cell.split(",")])

    rec["year"] = year_cell(source, record_no, line, g("year"), g("date"))
    rec["date"] = g("date")
    rec["source_title"] = g("source_title")
    rec["issn"] = split_issns(g("issn"))
    rec["publisher"] = g("publisher")
    rec["volume"], rec["issue"] = g("volume"), g("issue")
    rec["page_start"], rec["page_end"] = g("page_start"), g("page_end")
    rec["doc_type_raw"] = g("doc_type")
    rec["language"] = g("language")
    rec["open_access"] = _bool(g("open_access"))
    rec["index_keywords"] = distinct(_cells(g("keywords")) + _cells(g("mesh")))
    rec["subject_categories"] = distinct(_cells(g("topics")))
    rec["funding"] = "; ".join(distinct(_cells(g("funders")))) or None
    refs = [normalize_openalex_id(r) for r in _cells(g("references"))]
    rec["references"] = [r for r in refs if r]
    rec["reference_keys"] = [f"openalex:{r}" for r in rec["references"]]
    rec["times_cited"] = count_cell(source, g("times_cited"), "citation count", record_no, line)
    rec["citation_counts"] = citation_count("openalex", rec["times_cited"])
    rec["url"] = g("url") or g("pdf_url") or g("openalex_id")
    rec["extra"] = csv_extra(cols, row)
    return rec


@register(
    "openalex_csv",
    sniff=_sniff,
    description="OpenAlex web CSV export (new and dotted API-style headers)",
    extensions=(".csv",),
    streams=True,
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per row of an OpenAlex CSV export."""
    rows = source_rows(source)
    header_line, header = next(rows, (1, []))
    cols = Columns(header, ALIASES, source, header_line)
    cols.require(source, ["title", "openalex_id"], header_line)
    for record_no, line, row in aligned_rows(source, rows, header):
        if not (cols.get(row, "title") or cols.get(row, "openalex_id")):
            source.reject(record_no, line, "row has neither a title nor a Work ID")
            continue
        yield _row_to_record(cols, row, source, record_no, line)
