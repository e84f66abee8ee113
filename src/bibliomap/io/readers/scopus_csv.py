"""Scopus CSV reader (the 46-column export and its older/newer header variants).

Authors come from "Author full names" ("Surname, Given (ScopusID)") when present,
else from "Authors" ("; "- or, in old exports, ", "-separated). "Authors with
affiliations" links affiliations to authors. References are split in one of two
formats, detected per record: the classic one ("Smith, J., Title (2001) Journal, 5,
pp. 1-9; ...") and the 2025 one, where author lists inside a reference also use
";" and every reference ends with its "(YYYY)" year group.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bibliomap.corpus.identifiers import normalize_doi, normalize_pmid, split_isbns, split_issns
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import ReaderError, Source, register
from bibliomap.io.readers.csvutil import Columns, aligned_rows, count_cell, source_rows, split_list, year_cell

ALIASES: dict[str, list[str]] = {
    "authors": ["Authors", "Author Names", "Author"],
    "author_full_names": ["Author full names", "Author Full Name", "Authors full names"],
    "author_ids": ["Author(s) ID", "Author(s) IDs", "Author IDs", "Author ID"],
    "title": ["Title", "Titles", "Document Title", "Article Title"],
    "year": ["Year", "Publication Year"],
    "source_title": ["Source title", "Source Title", "Journal"],
    "volume": ["Volume"],
    "issue": ["Issue"],
    "article_number": ["Art. No.", "Article Number", "Art No"],
    "page_start": ["Page start", "Start Page"],
    "page_end": ["Page end", "End Page"],
    "page_count": ["Page count"],
    "cited_by": ["Cited by", "Cited By", "Times Cited"],
    "doi": ["DOI"],
    "link": ["Link", "URL"],
    "affiliations": ["Affiliations"],
    "authors_with_affiliations": ["Authors with affiliations", "Author Addresses", "Authors with affiliation"],
    "abstract": ["Abstract"],
    "author_keywords": ["Author Keywords"],
    "index_keywords": ["Index Keywords", "Indexed Keywords", "Index Terms"],
    "funding_details": ["Funding Details", "Funding details"],
    "references": ["References", "Cited References"],
    "publisher": ["Publisher"],
    "issn": ["ISSN"],
    "isbn": ["ISBN"],
    "pmid": ["PubMed ID", "PMID"],
    "language": ["Language of Original Document", "Language"],
    "source_abbrev": ["Abbreviated Source Title"],
    "doc_type": ["Document Type"],
    "open_access": ["Open Access"],
    "eid": ["EID"],
}

#: Cells Scopus (or a tool that re-saved the file, e.g. R) writes for "no value".
_EMPTY = {"", "NA", "[No abstract available]", "[No author name available]", "[No author id available]"}

_YEAR = r"\((?:1[4-9]|20)\d{2}[a-z]?\)"
_YEAR_AT_END = re.compile(_YEAR + r"\s*(?:;|$)")
_YEAR_BEFORE_TEXT = re.compile(_YEAR + r"\s+[^\s;]")
_BOUNDARY_2025 = re.compile(r"\(\d{4}[a-z]?\)(;\s*)")
# an author item of a 2025-format reference: surname words then initials ("van Eck N.J.", "Calin GA", "Acar A. K.")
_NAME_ITEM = re.compile(r"^[^\W\d_][^,;()]*?\s(?:[A-Z]{1,3}|(?:[A-Z]\.[\s-]?){1,4})(?:,|$)")
_FULL_NAME_ID = re.compile(r"^(.*?)\s*\((\d+)\)\s*$")
_EID = re.compile(r"2-s2\.0-\d+")
#: Columns whose content has a fixed shape in every Scopus export: a row whose cells moved by one
#: (a deleted cell that the 'Funding Text' spill-over hides from the cell count) breaks two or more
#: of them; one bad cell alone is a bad value, warned where it is parsed.
_SHAPES = {
    "year": re.compile(r"\d{4}"),
    "doi": re.compile(r"(?:https?://(?:dx\.)?doi\.org/)?10\.\S+", re.I),
    "link": re.compile(r"https?://\S+"),
    "eid": _EID,
    "cited_by": re.compile(r"\d+"),
}


def _norm_header(h: str) -> str:
    """Header cell compared without case and punctuation (as ``Columns`` does)."""
    return re.sub(r"[^a-z0-9]+", " ", h.lower().replace("\ufeff", "")).strip()


def reference_format(text: str) -> str:
    """'2025' when references end with their "(YYYY)" group, else 'classic' ("(YYYY) Source")."""
    n_end = len(_YEAR_AT_END.findall(text))
    n_mid = len(_YEAR_BEFORE_TEXT.findall(text))
    return "2025" if n_end > n_mid else "classic"


def split_scopus_references(text: str | None) -> list[str]:
    """Split a Scopus references cell into one string per reference (either format)."""
    if not text:
        return []
    if reference_format(text) == "classic":
        return _join_fragments([r.strip() for r in text.split(";") if r.strip()])
    chunks, last = [], 0
    for m in _BOUNDARY_2025.finditer(text):  # a reference ends after its "(YYYY)" group
        chunks.append(text[last:m.start(1)])
        last = m.end()
    chunks.append(text[last:])
    out: list[str] = []
    for chunk in chunks:
        chunk = chunk.strip()
        if chunk:
            out.extend(_split_yearless(chunk))
    return out


def _join_fragments(pieces: list[str]) -> list[str]:
    """Re-attach pieces split off at a ';' inside a reference ("(a; b)", "; PMID: n", "; p")."""
    out: list[str] = []
    for piece in pieces:
        if out and (
            (out[-1].count("(") > out[-1].count(")") and piece.count(")") > piece.count("("))
            or len(piece) < 12
            or piece.startswith(("PMID", "Suppl", "ISBN"))
        ):
            out[-1] = f"{out[-1]}; {piece}"
        else:
            out.append(piece)
    return out


def _split_yearless(chunk: str) -> list[str]:
    """A 2025-format chunk may hold references without a year before the one that has it.

    Author items have no comma; the item that holds the title ends a reference, so a
    new reference starts after it when the next item looks like an author name.
    """
    items = chunk.split(";")
    if sum("," in item for item in items[:-1]) == 0:
        return [chunk]  # the usual case: only the last item holds title and source
    items = [i.strip() for i in items]
    refs: list[str] = []
    current: list[str] = []
    for i, item in enumerate(items):
        if not item:
            continue
        current.append(item)
        nxt = items[i + 1].strip() if i + 1 < len(items) else None
        if "," in item and nxt and _NAME_ITEM.match(nxt):
            refs.append("; ".join(current))
            current = []
    if current:
        refs.append("; ".join(current))
    return refs


def _cell(cols: Columns, row: list[str], field: str) -> str | None:
    v = cols.get(row, field)
    return None if v is None or v in _EMPTY else v


def _authors(cols: Columns, row: list[str]) -> list[dict]:
    """Authors with Scopus ids, from "Author full names" when present, else "Authors"."""
    full = _cell(cols, row, "author_full_names")
    ids = [i for i in (x.strip() for x in (_cell(cols, row, "author_ids") or "").split(";")) if i]
    authors: list[dict] = []
    if full:
        for item in full.split(";"):
            item = item.strip()
            if not item:
                continue
            m = _FULL_NAME_ID.match(item)
            name, sid = (m.group(1), m.group(2)) if m else (item, None)
            a = parse_name(name, "surname_first")
            a["scopus_id"] = sid
            authors.append(a)
    else:
        raw = _cell(cols, row, "authors")
        if raw:
            sep = ";" if ";" in raw else ","
            for item in raw.split(sep):
                if item.strip():
                    authors.append(parse_name(item.strip(), "surname_first"))
    if ids and len(ids) == len(authors):
        for a, sid in zip(authors, ids):
            if not a["scopus_id"] and sid.isdigit():
                a["scopus_id"] = sid
    return authors


def _link_affiliations(authors: list[dict], short_names: list[str], linked: str | None, affiliations: list[str]) -> None:
    """Fill each author's affiliations from "Authors with affiliations" (one "; " segment per author)."""
    if not linked or not authors:
        return
    segments = [s.strip() for s in linked.split(";") if s.strip()]
    if len(segments) != len(authors):
        # affiliation strings may themselves hold ";" in rare records: regroup by author-name prefixes
        return
    for a, short, seg in zip(authors, short_names, segments):
        found = [aff for aff in affiliations if aff in seg]
        if found:
            a["affiliations"] = found
            continue
        rest = None
        prefixes = [p for p in (short, f"{a.get('surname')}, {a.get('given')}" if a.get("given") else None, a.get("surname")) if p]
        for p in prefixes:
            if seg.startswith(p):
                rest = seg[len(p):].lstrip(" ,")
                break
        if rest:
            a["affiliations"] = [rest]


def _short_names(cols: Columns, row: list[str], n: int) -> list[str]:
    raw = _cell(cols, row, "authors") or ""
    sep = ";" if ";" in raw else ","
    names = [x.strip() for x in raw.split(sep) if x.strip()]
    return names if len(names) == n else [""] * n


def _align(cols: Columns, header: list[str], row: list[str]) -> list[str] | None:
    """Fix a row with more cells than the header (Scopus omits 'Funding Text N' headers); None if impossible."""
    extra = len(row) - len(header)
    if extra <= 0:
        return None
    funding = [i for i, h in enumerate(header) if _norm_header(h).startswith("funding text")]
    if not funding:
        return None
    last = funding[-1]
    merged = "\n".join(c for c in row[last:last + extra + 1] if c.strip())
    fixed = row[:last] + [merged] + row[last + extra + 1:]
    if cols.has("eid") and not _EID.fullmatch((cols.get(fixed, "eid") or "").strip()):
        return None
    return fixed


def _open_access(cols: Columns, row: list[str]) -> bool | None:
    if not cols.has("open_access"):
        return None
    return _cell(cols, row, "open_access") is not None


def _record(source: Source, cols: Columns, header: list[str], row: list[str], record_no: int, line: int) -> dict[str, Any]:
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = "scopus"
    rec["title"] = _cell(cols, row, "title")
    rec["abstract"] = _cell(cols, row, "abstract")
    authors = _authors(cols, row)
    affiliations = split_list(_cell(cols, row, "affiliations"))
    _link_affiliations(authors, _short_names(cols, row, len(authors)), _cell(cols, row, "authors_with_affiliations"), affiliations)
    if not affiliations:
        for a in authors:
            for aff in a["affiliations"]:
                if aff not in affiliations:
                    affiliations.append(aff)
    rec["authors"] = authors
    rec["n_authors"] = len(authors)
    rec["authors_truncated"] = False
    rec["affiliations"] = affiliations
    rec["year"] = year_cell(source, record_no, line, _cell(cols, row, "year"))
    rec["date"] = str(rec["year"]) if rec["year"] else None
    rec["source_title"] = _cell(cols, row, "source_title")
    rec["source_abbrev"] = _cell(cols, row, "source_abbrev")
    rec["volume"] = _cell(cols, row, "volume")
    rec["issue"] = _cell(cols, row, "issue")
    rec["page_start"] = _cell(cols, row, "page_start")
    rec["page_end"] = _cell(cols, row, "page_end")
    rec["article_number"] = _cell(cols, row, "article_number")
    rec["doi"] = normalize_doi(_cell(cols, row, "doi"))
    rec["url"] = _cell(cols, row, "link")
    eid = _EID.search(_cell(cols, row, "eid") or "") or _EID.search(rec["url"] or "")
    rec["eid"] = eid.group(0) if eid else None
    rec["pmid"] = normalize_pmid(_cell(cols, row, "pmid"))
    rec["issn"] = split_issns(_cell(cols, row, "issn"))
    rec["isbn"] = split_isbns(_cell(cols, row, "isbn"))
    rec["language"] = _cell(cols, row, "language")
    rec["publisher"] = _cell(cols, row, "publisher")
    rec["doc_type_raw"] = _cell(cols, row, "doc_type")
    rec["author_keywords"] = split_list(_cell(cols, row, "author_keywords"))
    rec["index_keywords"] = split_list(_cell(cols, row, "index_keywords"))
    rec["references"] = split_scopus_references(_cell(cols, row, "references"))
    if cols.has("cited_by"):
        # Scopus leaves "Cited by" empty for uncited documents
        cited = _cell(cols, row, "cited_by")
        rec["times_cited"] = 0 if cited is None else count_cell(source, cited, "citation count", record_no, line)
        rec["citation_counts"] = [{"database": "scopus", "count": rec["times_cited"], "date": None}]
    rec["open_access"] = _open_access(cols, row)
    rec["funding"] = _cell(cols, row, "funding_details")
    rec["_reference_style"] = "scopus"
    used = set(cols.index.values()) - {cols.index[f] for f in ("open_access", "author_ids") if f in cols.index}
    extra: dict[str, str] = {}
    for i, name in enumerate(header):
        if i in used or i >= len(row):
            continue
        v = row[i].strip()
        if v and v not in _EMPTY:
            extra[name] = v
    rec["extra"] = extra
    return rec


def sniff(head: str, filename: str) -> float:
    """Scopus CSV: a header with 'Authors' plus 'EID' (or 'Source title' and 'Author(s) ID')."""
    first = head.split("\n", 1)[0].lstrip("\ufeff")
    delimiter = max((",", ";", "\t"), key=first.count)  # Excel may re-save with ';'
    if delimiter not in first:
        return 0.0
    cells = {_norm_header(c.strip().strip('"')) for c in first.split(delimiter)}
    has_authors = bool(cells & {"authors", "author names"})
    if not has_authors or not (cells & {"title", "titles"}):
        return 0.0
    if "eid" in cells:
        return 0.95
    if "source title" in cells and ("author s id" in cells or "abbreviated source title" in cells):
        return 0.85
    if "scopus.com" in head:
        return 0.6
    return 0.0


@register(
    "scopus_csv",
    sniff=sniff,
    description="Scopus CSV export (all header variants; classic and 2025 reference formats)",
    extensions=(".csv",),
    aliases=("scopus",),
    streams=True,
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per data row; misaligned rows and rows without title or id are rejected."""
    rows = source_rows(source)  # comma, or ';'/tab after a spreadsheet round trip
    try:
        header_line, header = next(rows)
    except StopIteration:
        return
    header = [h.replace("\ufeff", "").strip() for h in header]
    cols = Columns(header, ALIASES, source, header_line)
    missing = [] if cols.has("title") else ["Title"]
    if not (cols.has("authors") or cols.has("author_full_names")):
        missing.append("Authors")
    if missing:
        raise ReaderError(
            f"{source.where(line=header_line)}: not a Scopus CSV: missing column(s) {', '.join(missing)}; "
            f"the header has: {', '.join(header[:46])}"
        )
    kept = 0
    def misfit(row: list[str]) -> str | None:
        bad = cols.misfits(row, _SHAPES)
        return "; ".join(bad) if len(bad) >= 2 else None

    for record_no, line, row in aligned_rows(source, rows, header, repair=lambda row: _align(cols, header, row), check=misfit):
        rec = _record(source, cols, header, row, record_no, line)
        if not rec["title"] and not (rec["doi"] or rec["eid"] or rec["pmid"]):
            source.reject(record_no, line, "no title and no identifier (DOI, EID, PubMed ID)")
            continue
        kept += 1
        yield rec
    source.n_read = kept + len(source.rejected)
