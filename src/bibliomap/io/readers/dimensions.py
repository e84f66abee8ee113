"""Dimensions publication exports: CSV and XLSX, standard and "Export for bibliometric mapping".

Both begin with an "About the data: Exported on ..." line above the header (skipped
when present). Authors are "Surname, Given; ...". "Cited references" (mapping
export) holds references as ``[Authors]|[author ids]|source|year|volume|issue|pages|DOI|pub id|...``
joined by ";"; each is kept raw, keyed "doi:..." when it carries a DOI, and the record
is marked ``_reference_style = "dimensions"`` when some keys are unknown.

Layout of real exports (checked on a real "full data" CSV export): "Authors Affiliations" is
"Surname, Given (Org; Org); ..." where organization names may hold parentheses themselves
("Nestle (Switzerland)") and an author may have none ("Surname, Given ()"); the
standard export's "Research Organizations - standardized" and "Country of Research
organization" are parallel lists (one country per organization, repeated), which gives each
author's countries; a CSV saved again by a spreadsheet pads the preamble row with commas,
writes dates as dd/mm/yyyy and may leave e-locators such as "e01498-22" in "Pagination".
Those dates become ISO where the day is certain (see ``csvutil.cell_iso_date``); an ambiguous
one ("03/04/2022") gives the year only, and its raw cell is kept in ``extra``.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence

from bibliomap.corpus.identifiers import find_doi, normalize_doi, normalize_pmid, split_isbns, split_issns
from bibliomap.corpus.names import author_key, parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import ReaderError, Source, register
from bibliomap.io.readers.csvutil import (Columns, aligned_rows, cell_iso_date, count_cell, iter_rows, source_rows, split_list,
                                          year_cell)
from bibliomap.io.readers.openalex_json import citation_count, csv_extra, distinct
from bibliomap.io.readers.wos_plaintext import page_range

ALIASES = {
    "pub_id": ["Publication ID", "Dimensions ID"],
    "doi": ["DOI"],
    "pmid": ["PMID"],
    "title": ["Title"],
    "abstract": ["Abstract"],
    "source_title": ["Source title", "Source title/Anthology title", "Source Title"],
    "anthology": ["Anthology title"],
    "mesh": ["MeSH terms"],
    "date": ["Publication Date"],
    "year": ["PubYear", "Publication Year", "Year"],
    "volume": ["Volume"],
    "issue": ["Issue"],
    "pages": ["Pagination", "Pages"],
    "open_access": ["Open Access"],
    "doc_type": ["Publication Type", "Document Type"],
    "authors": ["Authors"],
    "raw_affiliations": ["Authors (Raw Affiliation)"],
    "author_affiliations": ["Authors Affiliations"],
    "organizations": [
        "Authors Affiliations - Name of Research organization",
        "Research Organizations - standardized",
    ],
    "countries": [
        "Authors Affiliations - Country of Research organization",
        "Country of Research organization",
    ],
    "funder": ["Funder", "Funders"],
    "times_cited": ["Times cited", "Times Cited"],
    "url": ["Dimensions URL"],
    "categories": ["FOR (ANZSRC) Categories", "Fields of Research (ANZSRC 2020)", "FOR (ANZSRC 2020) Categories"],
    "keywords": ["Keywords"],
    "references": ["Cited references", "Cited References"],
    "issn": ["ISSN", "ISSNs"],
    "isbn": ["ISBN", "ISBNs"],
    "publisher": ["Publisher"],
}
_KEEP_IN_EXTRA = ("pub_id", "author_affiliations", "raw_affiliations")
_PREAMBLE = re.compile(r'^\W*About the data', re.I)
_REF_SPLIT = re.compile(r";\s*(?=\[)")
_PARENS_OR_SEMICOLON = re.compile(r"[();]")
_PAGE_RANGE = re.compile(r"([A-Za-z]*)(\d+)\s*[-\u2013]\s*([A-Za-z]*)(\d+)")
#: the standard export's parallel organization and country columns (one entry per organization)
_PARALLEL_ORG_COUNTRY = ("research organizations standardized", "country of research organization")


def has_preamble(first_line: str) -> bool:
    """Whether a file's first line is Dimensions' "About the data" preamble (above the header row)."""
    return bool(_PREAMBLE.match(first_line.lstrip("\ufeff")))


def _sniff(text: str, filename: str) -> float:
    lines = text.lstrip("\ufeff").split("\n", 2)
    if lines and has_preamble(lines[0]):
        return 0.95
    header = lines[0] if lines else ""
    if "Dimensions URL" in header or ("Publication ID" in header and "PubYear" in header):
        return 0.9
    return 0.0


def split_references(value: str | None) -> list[str]:
    """The raw cited references of one 'Cited references' cell."""
    if not value:
        return []
    return [r.strip() for r in _REF_SPLIT.split(value.strip()) if r.strip()]


def _reference_key(ref: str) -> str | None:
    fields = ref.split("|")
    doi = normalize_doi(fields[7]) if len(fields) > 7 else None
    doi = doi or find_doi(ref)
    return f"doi:{doi}" if doi else None


def _split_top(text: str) -> list[str]:
    """``text`` split at ';' outside parentheses, parts stripped (empty parts kept)."""
    parts: list[str] = []
    depth, start = 0, 0
    for m in _PARENS_OR_SEMICOLON.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def _name_and_group(entry: str) -> tuple[str, str] | None:
    """'Name (a; b (c))' -> ('Name', 'a; b (c)'): the balanced group that ends the entry."""
    if not entry.endswith(")"):
        return None
    depth = 0
    for i in range(len(entry) - 1, -1, -1):
        if entry[i] == ")":
            depth += 1
        elif entry[i] == "(":
            depth -= 1
            if depth == 0:
                name = entry[:i].strip()
                return (name, entry[i + 1 : -1]) if name else None
    return None


def _author_affiliation_entries(cell: str) -> list[tuple[str, list[str]]]:
    """'Surname, Given (Org; Org (X)); Surname, Given ()' -> [(name, [orgs]), ...].

    Entries are split at top-level ';'. When an unbalanced '(' in a name swallows the rest
    of the cell, the cell is split again before every 'Name (' that follows a ')'.
    """
    entries = _split_top(cell)
    if any(e.count("(") != e.count(")") for e in entries):
        entries = [e.strip() for e in re.split(r"(?<=\));\s*(?=[^;()]+\()", cell)]
    out = []
    for entry in entries:
        parsed = _name_and_group(entry)
        if parsed is not None:
            out.append((parsed[0], [a for a in _split_top(parsed[1]) if a]))
    return out


def _link_author_affiliations(authors: list[dict], cell: str | None) -> list[str]:
    """Link 'Surname, Given (Org; Org)' entries of 'Authors Affiliations' to authors; all orgs found."""
    if not cell:
        return []
    by_key = {author_key(a): a for a in authors}
    found: list[str] = []
    for name, affs in _author_affiliation_entries(cell):
        found.extend(affs)
        author = by_key.get(author_key(parse_name(name, "surname_first")))
        if author is not None:
            author["affiliations"] = distinct(author["affiliations"] + affs)
    return found


def _has_parallel_org_countries(cols: Columns) -> bool:
    """Whether the header holds the standard export's parallel organization and country columns."""
    i, j = cols.index.get("organizations"), cols.index.get("countries")
    if i is None or j is None:
        return False
    names = tuple(re.sub(r"[^a-z0-9]+", " ", cols.header[k].lower()).strip() for k in (i, j))
    return names == _PARALLEL_ORG_COUNTRY


def _org_countries(cols: Columns, row: Sequence[str]) -> dict[str, list[str]]:
    """Organization -> countries from a row of the parallel columns (else {})."""
    orgs_cell, countries_cell = cols.get(row, "organizations"), cols.get(row, "countries")
    if not orgs_cell or not countries_cell:
        return {}
    orgs, countries = orgs_cell.split(";"), countries_cell.split(";")
    if len(orgs) != len(countries):
        return {}
    out: dict[str, list[str]] = {}
    for org, country in zip(orgs, countries):
        org, country = org.strip(), country.strip()
        if org and country and country not in out.setdefault(org, []):
            out[org].append(country)
    return out


def _pages(value: str) -> tuple[str | None, str | None]:
    """'959-975' -> ('959', '975'), '566-78' -> ('566', '578'), 's884-s885' kept; anything
    else ('e0230000', the e-locator 'e01498-22', a spreadsheet's '01-Sep') is one value."""
    m = _PAGE_RANGE.fullmatch(value.strip())
    if not m or m.group(1) != m.group(3):
        return value.strip() or None, None
    if m.group(1):
        return m.group(1) + m.group(2), m.group(3) + m.group(4)
    return page_range(m.group(2), m.group(4))


def _row_to_record(cols: Columns, row: Sequence[str], source: Source, record_no: int, line: int | None,
                   parallel_org_countries: bool) -> dict:
    g = lambda f: cols.get(row, f)  # noqa: E731
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = "dimensions"
    rec["databases"] = ["dimensions"]
    rec["doi"] = normalize_doi(g("doi"))
    rec["pmid"] = normalize_pmid(g("pmid"))
    rec["title"] = g("title")
    rec["abstract"] = g("abstract")
    rec["authors"] = [parse_name(n, "surname_first") for n in split_list(g("authors"))]
    rec["n_authors"] = len(rec["authors"])
    linked = _link_author_affiliations(rec["authors"], g("author_affiliations"))
    org_countries = _org_countries(cols, row) if parallel_org_countries else {}
    if org_countries:
        for author in rec["authors"]:
            author["countries"] = distinct([c for a in author["affiliations"] for c in org_countries.get(a, [])])
    rec["affiliations"] = distinct(split_list(g("organizations")) + linked)
    rec["countries"] = split_list(g("countries"))
    raw_date = g("date")
    rec["date"] = cell_iso_date(raw_date)
    rec["year"] = year_cell(source, record_no, line, g("year"), raw_date)
    rec["source_title"] = g("source_title") or g("anthology")
    rec["volume"], rec["issue"] = g("volume"), g("issue")
    pages = g("pages")
    if pages:
        rec["page_start"], rec["page_end"] = _pages(pages)
    oa = g("open_access")
    if oa:
        rec["open_access"] = not oa.lower().startswith("closed")
    rec["doc_type_raw"] = g("doc_type")
    rec["issn"] = split_issns(g("issn"))
    rec["isbn"] = split_isbns(g("isbn"))
    rec["publisher"] = g("publisher")
    rec["index_keywords"] = split_list(g("mesh"))
    rec["author_keywords"] = split_list(g("keywords"))
    rec["subject_categories"] = split_list(g("categories"))
    rec["funding"] = g("funder")
    rec["url"] = g("url")
    rec["references"] = split_references(g("references"))
    rec["reference_keys"] = [_reference_key(r) for r in rec["references"]]
    if any(k is None for k in rec["reference_keys"]):
        rec["_reference_style"] = "dimensions"
    rec["times_cited"] = count_cell(source, g("times_cited"), "citation count", record_no, line)
    rec["citation_counts"] = citation_count("dimensions", rec["times_cited"])
    keep = _KEEP_IN_EXTRA + (("date",) if _date_lost(raw_date, rec["date"]) else ())
    rec["extra"] = csv_extra(cols, row, keep)
    return rec


def _date_lost(raw: str | None, iso: str | None) -> bool:
    """True when the ISO date says less than the cell did (an ambiguous '03/04/2022' that
    became '2022', an odd value that became None), so the raw cell is kept in ``extra``."""
    raw = (raw or "").strip()
    return bool(raw) and raw != iso and (iso is None or len(iso) == 4)


def _read_rows(source: Source, rows: Iterator[tuple[int | None, list[str]]]) -> Iterator[dict]:
    header_line, header = next(rows, (1, []))
    cols = Columns(header, ALIASES, source, header_line)
    cols.require(source, ["title"], header_line or 1)
    if not (cols.has("pub_id") or cols.has("doi")):
        cols.require(source, ["pub_id"], header_line or 1)
    parallel = _has_parallel_org_countries(cols)  # a property of the header: checked once per file
    for record_no, line, row in aligned_rows(source, rows, header):
        if not (cols.get(row, "title") or cols.get(row, "pub_id") or cols.get(row, "doi")):
            source.reject(record_no, line, "row has neither a Title nor a Publication ID/DOI")
            continue
        yield _row_to_record(cols, row, source, record_no, line, parallel)


@register(
    "dimensions_csv",
    sniff=_sniff,
    description="Dimensions publications CSV export (standard or for bibliometric mapping)",
    extensions=(".csv",),
    aliases=("dimensions",),
)
def read_csv(source: Source) -> Iterator[dict]:
    """Yield one record per row of a Dimensions CSV export (or of a split of one: ``Source.header``)."""
    text = (source.header or source.text).lstrip("\ufeff")
    skip = 0
    if has_preamble(text.split("\n", 1)[0]):
        # the preamble may be a quoted cell spanning several lines: skip the whole first CSV row
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader, None)
        skip = reader.line_num
    yield from _read_rows(source, source_rows(source, skip_lines=skip) if source.header else iter_rows(text, skip_lines=skip))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def _xlsx_rows(source: Source) -> Iterator[tuple[int | None, list[str]]]:
    import openpyxl  # only needed for XLSX

    try:
        book = openpyxl.load_workbook(io.BytesIO(source.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for non-XLSX input
        raise ReaderError(f"{source.where()}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    try:
        sheet = book.worksheets[0]
        first = True
        for row_no, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if first:
                first = False
                if cells and has_preamble(cells[0]):
                    continue
            yield row_no, cells
    finally:
        book.close()


@register(
    "dimensions_xlsx",
    sniff=lambda text, name: 0.0,  # binary: chosen by the .xlsx extension in read_file
    description="Dimensions publications XLSX export",
    extensions=(".xlsx",),
    binary=True,
)
def read_xlsx(source: Source) -> Iterator[dict]:
    """Yield one record per row of a Dimensions XLSX export (first worksheet)."""
    yield from _read_rows(source, _xlsx_rows(source))
