"""RIS ('TY  - JOUR' ... 'ER  - '): Zotero, Mendeley, EndNote, Google Scholar, Scopus, WoS, PoP, IEEE.

The database is read from DB/DP (Scopus, Web of Science, Google Scholar /
Publish or Perish, PubMed) or a Scopus record URL; otherwise it is 'ris'.
Scopus puts 'Cited By: n', 'Export Date: ...' and 'References: a; b; ...' in
N1 notes; those become times_cited, query_date and references. Publish or
Perish puts '12 cites: <url>' and 'Query date: ...' in N1 or M1 notes (see
``pop_notes``), marks a cut author list with 'AU  - ...', and may write Google
Scholar's [PDF]/[HTML] tag as the TY.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bibliomap.corpus.identifiers import (
    normalize_doi,
    normalize_pmid,
    normalize_wos_ut,
    split_isbns,
    split_issns,
)
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import ReaderError, Source, register
from bibliomap.io.readers.csvutil import to_int, to_year
from bibliomap.io.readers.pop_csv import FORMAT_MARKERS
from bibliomap.io.readers.pop_notes import database_of, is_truncation_marker, parse_pop_notes
from bibliomap.io.readers.wos_plaintext import iso_date, normalize_newlines, tagged_blocks

# record markers start with a newline: a literal prefix the regex engine scans fast
_TY_LINE = re.compile(r"\nTY {1,2}-")
_TY_FIRST = re.compile(r"TY {1,2}-")
_ER_LINE = re.compile(r"\nER {1,2}-")
# a tag line, plus any following lines that are not tag lines (wrapped values)
_FIELD = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-[ \t]?(.*)((?:\n(?![A-Z][A-Z0-9] {1,2}-).*)*)", re.M)
_WS_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")
_CITED_BY = re.compile(r"\bCited\s+By\s*:?\s*(\d[\d,]*)", re.I)
_CITES = re.compile(r"^\s*Cites\s*:?\s*(\d[\d,]*)", re.I)
_EXPORT_DATE = re.compile(r"\bExport Date\s*:\s*([^;]+)", re.I)
_REFERENCES = re.compile(r"\bReferences\s*:\s*", re.I)
_FUNDING = re.compile(r"\bFunding (?:details|text(?: \d+)?)\s*:\s*([^;]+)", re.I)
_NEW_SCOPUS_REF_SPLIT = re.compile(r"(?<=\(\d{4}\));\s*")
_EID = re.compile(r"eid=(2-s2\.0-\d+)")

_AUTHOR_TAGS = ("AU", "A1")
_MAPPED = frozenset({
    "TY", "AU", "A1", "TI", "T1", "T2", "JO", "JF", "JA", "J2", "J1", "BT", "T3", "C3", "PY", "Y1", "DA", "VL",
    "IS", "VO", "SP", "EP", "DO", "AB", "N2", "KW", "SN", "UR", "PB", "LA", "N1", "M3", "DB", "DP", "AD", "C7", "AN",
    "ER",
})


def _database(values: dict[str, list[str]]) -> str | None:
    """The database a RIS record says it came from, or None."""
    names = " ".join(values.get("DB", []) + values.get("DP", [])).lower()
    if "scopus" in names:
        return "scopus"
    if "web of science" in names or "clarivate" in names or "isi web" in names:
        return "wos"
    if "publish or perish" in names or "google scholar" in names:
        return "google_scholar"
    if "pubmed" in names or "medline" in names:
        return "pubmed"
    urls = " ".join(values.get("UR", []))
    if "scopus.com" in urls:
        return "scopus"
    return None


def split_scopus_references(text: str) -> list[str]:
    """Split a Scopus 'References:' list.

    Classic exports separate references with '; '. Since 2025 references end with
    '(YYYY)' and author lists inside them also use ';', so the split is after '(YYYY);'.
    """
    text = text.strip().rstrip(";").strip()
    if not text:
        return []
    if re.search(r"\(\d{4}\)\.?$", text) and re.search(r"\(\d{4}\);", text):
        parts = _NEW_SCOPUS_REF_SPLIT.split(text)
    else:
        parts = text.split("; ")
    return [p.strip() for p in parts if p.strip()]


def _take_pop_notes(notes: list[str], rec: dict[str, Any], extra: dict[str, str]) -> list[str]:
    """Publish or Perish's cites and query-date notes into the record; the other notes back.
    A PoP record without a cites note has no citations (PoP omits the note at zero)."""
    pop = parse_pop_notes(notes)
    if pop.is_pop:
        if rec["times_cited"] is None:
            rec["times_cited"] = pop.cites if pop.cites is not None else 0
        rec["query_date"] = rec["query_date"] or pop.query_date
        if pop.cites_url:
            extra["cites_url"] = pop.cites_url
        if rec["database"] == "ris":
            rec["database"] = database_of(pop.cites_url)
    return pop.other


def _parse_notes(notes: list[str], rec: dict[str, Any], extra: dict[str, str], scopus: bool) -> None:
    """Cited-by counts, export date, Scopus references and funding from N1 notes (and PoP's)."""
    kept: list[str] = []
    for note in _take_pop_notes(notes, rec, extra):
        m = _REFERENCES.search(note)
        if m and (scopus or m.start() == 0):
            rec["references"].extend(split_scopus_references(note[m.end():]))
            note = note[: m.start()].rstrip().rstrip(";")
        c = _CITED_BY.search(note) or _CITES.search(note)
        if c and rec["times_cited"] is None:
            rec["times_cited"] = to_int(c.group(1))
        d = _EXPORT_DATE.search(note)
        if d and not rec["query_date"]:
            rec["query_date"] = iso_date(d.group(1).strip())
        f = _FUNDING.search(note)
        if f and not rec["funding"]:
            rec["funding"] = f.group(1).strip()
        if note.strip():
            kept.append(note.strip())
    if kept:
        extra["N1"] = "; ".join(kept)


def build_ris_record(pairs: list[tuple[str, str]], source: Source, record_no: int, line: int) -> dict[str, Any] | None:
    """A schema record from one RIS record's (tag, value) pairs; None when it has no title and no id."""
    values: dict[str, list[str]] = {}
    for tag, value in pairs:
        if value:
            values.setdefault(tag, []).append(value)

    def first(*tags: str) -> str | None:
        for t in tags:
            vs = values.get(t)
            if vs:
                return vs[0]
        return None

    rec = new_record()
    database = _database(values)
    title = first("TI", "T1", "CT")
    urls = values.get("UR", [])
    doi = normalize_doi(first("DO", "DI"))
    if not doi:
        for v in urls + values.get("M3", []) + values.get("L3", []):
            if "10." in v and ("doi" in v.lower() or v.strip().startswith("10.")):
                doi = normalize_doi(v)
                if doi:
                    break
    an = first("AN")
    if not title and not doi and not an:
        return None
    rec["title"] = title
    rec["doi"] = doi
    for u in urls:
        m = _EID.search(u)
        if m:
            rec["eid"] = m.group(1)
            break
    if an:
        if an.upper().startswith(("WOS:", "ISI:")):
            rec["wos_ut"] = normalize_wos_ut(an)
        elif database == "pubmed" or an.lower().startswith("pmid"):
            rec["pmid"] = normalize_pmid(an)
    if database is None and rec["wos_ut"]:
        database = "wos"  # WoS RIS names no database but carries 'AN  - WOS:...'
    sn = " ".join(values.get("SN", []))
    rec["issn"] = split_issns(sn)
    rec["isbn"] = split_isbns(sn) if not rec["issn"] else []
    rec["abstract"] = first("AB", "N2")

    names: list[str] = []
    truncated = False
    for tag in _AUTHOR_TAGS:
        for v in values.get(tag, []):
            v = v.strip()
            if is_truncation_marker(v.lower()):
                truncated = True
            elif v not in names:  # IEEE repeats the first author; a real duplicate name is vanishingly rare
                names.append(v)
    authors = [parse_name(n) for n in names]
    rec["authors"] = authors
    rec["n_authors"] = len(authors) + (1 if truncated else 0)  # PoP's rule: one more than shown
    rec["authors_truncated"] = truncated or None
    affiliations = list(dict.fromkeys(values.get("AD", [])))
    rec["affiliations"] = affiliations
    if len(authors) == 1:
        authors[0]["affiliations"] = list(affiliations)

    year = None
    for t in ("PY", "Y1", "DA"):
        year = to_year(first(t))
        if year:
            break
    rec["year"] = year
    date = None
    for t in ("DA", "Y1", "PY"):
        v = first(t)
        if v:
            date = iso_date(v, year)
            if date and date != str(year):
                break
    rec["date"] = date or (str(year) if year else None)
    rec["source_title"] = first("T2", "JF", "JO", "BT", "T3", "C3")
    abbrev = first("J2", "JA", "J1")
    if not abbrev and first("JO") and first("JO") != rec["source_title"]:
        abbrev = first("JO")
    rec["source_abbrev"] = abbrev
    rec["volume"] = first("VL", "VO")
    rec["issue"] = first("IS")
    sp, ep = first("SP"), first("EP")
    if sp and not ep and re.fullmatch(r"\s*\w+\s*[-–]\s*\w+\s*", sp):
        sp, ep = (x.strip() for x in re.split(r"[-–]", sp, maxsplit=1))
    rec["page_start"], rec["page_end"] = sp, ep
    rec["article_number"] = first("C7")
    rec["doc_type_raw"] = (first("M3") if database == "scopus" else None) or first("TY")
    rec["language"] = first("LA")
    rec["publisher"] = first("PB")
    keywords: list[str] = []
    for kw in values.get("KW", []):
        for k in kw.split(";") if ";" in kw else (kw,):
            k = k.strip()
            if k and k not in keywords:
                keywords.append(k)
    rec["author_keywords"] = keywords
    rec["url"] = urls[0] if urls else None
    rec["database"] = database or "ris"
    rec["provenance"] = [source.provenance(record_no, line)]
    extra: dict[str, str] = {}
    _parse_notes(values.get("N1", []), rec, extra, database == "scopus")
    if "M1" in values:  # Publish or Perish writes its notes as M1
        values["M1"] = _take_pop_notes(values["M1"], rec, extra)
        if not values["M1"]:
            del values["M1"]
    if (first("TY") or "").upper() in FORMAT_MARKERS:
        rec["doc_type_raw"] = None  # Google Scholar's [PDF]/[HTML] tag, not a document type
    if first("TY"):
        extra["TY"] = first("TY")  # type: ignore[assignment]
    for tag, vs in values.items():
        if tag not in _MAPPED:
            extra[tag] = "; ".join(vs)
    for tag in ("DB", "DP", "M3"):
        if tag in values:
            extra[tag] = "; ".join(values[tag])
    rec["extra"] = extra
    if database == "scopus":
        rec["_reference_style"] = "scopus"
    elif database == "wos" and rec["references"]:
        rec["_reference_style"] = "wos"
    return rec


def _pairs(chunk: str) -> list[tuple[str, str]]:
    out = []
    for m in _FIELD.finditer(chunk):
        value = m.group(2)
        if m.group(3) and m.group(3).strip():
            value = _WS_NEWLINE.sub(" ", value + m.group(3))
        out.append((m.group(1), value.strip()))
    return out


@register(
    "ris",
    sniff=lambda head, name: sniff_ris(head, name),
    description="RIS (TY  - ... ER  - ), from Zotero, Mendeley, EndNote, Scopus, Google Scholar, PoP, IEEE, ...",
    extensions=(".ris",),
    aliases=("refman", "ris_tagged"),
)
def read_ris(source: Source) -> Iterator[dict]:
    """Yield one record per TY ... ER block; a block missing ER or without title/id is rejected."""
    blocks = tagged_blocks(normalize_newlines(source.text), _TY_FIRST, _TY_LINE, source, "TY")
    for record_no, line, chunk in blocks:
        er = _ER_LINE.search(chunk)
        if er is None:
            at_end = record_no == len(blocks) and not source.more_follows
            where = "the end of the file (truncated export?)" if at_end else "the next TY"
            source.reject(record_no, line, f"record not closed by 'ER  - ' before {where}")
            continue
        rec = build_ris_record(_pairs(chunk[: er.start() + 1]), source, record_no, line)
        if rec is None:
            source.reject(record_no, line, "record has neither a title (TI/T1) nor an identifier (DO, AN)")
            continue
        yield rec
    source.n_read = len(blocks)
    if not blocks:
        raise ReaderError(f"{source.where()}: no RIS records found; expected records from 'TY  - <type>' to 'ER  - '")


def sniff_ris(head: str, filename: str) -> float:
    """High when the first tag line is 'TY  - ' and more RIS tag lines follow."""
    start = head.lstrip("\ufeff \t\r\n")
    if re.match(r"TY  - ?\S", start) and re.search(r"^(AU|A1|TI|T1|PY|ER)  -", head, re.M):
        return 0.95
    if re.search(r"^TY  - ", head, re.M) and re.search(r"^ER  -", head, re.M):
        return 0.8
    if filename.endswith(".ris") and re.search(r"^TY {1,2}- ", head, re.M):
        return 0.6
    return 0.0
