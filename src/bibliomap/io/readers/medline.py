"""PubMed MEDLINE export (pubmed-*.txt): 'TAG - value' lines, 6-space continuations, PMID starts a record.

Authors come from FAU/AU in order; the AUID (ORCID) and AD lines that follow an
author belong to that author. MEDLINE has no citation counts or references.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bibliomap.corpus.identifiers import normalize_doi, normalize_pmid, split_isbns, split_issns
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import ReaderError, Source, register
from bibliomap.io.readers.csvutil import to_year
from bibliomap.io.readers.wos_plaintext import iso_date, normalize_newlines, page_range, tagged_blocks

_PMID_FIRST = re.compile(r"PMID-")
_PMID_LINE = re.compile(r"\nPMID- ?")  # newline first: a literal prefix the regex engine scans fast
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")

#: Tags kept verbatim in ``extra`` (the rest is either mapped or bookkeeping).
_EXTRA_TAGS = ("STAT", "DEP", "PL", "JID", "PST", "SO", "PMC", "MID", "CN", "IR", "GR", "RN", "OTO", "MH", "PHST")


def _fields(chunk: str) -> list[tuple[str, str]]:
    """(tag, value) pairs in file order; continuation lines joined with single spaces.

    MEDLINE continuations are indented 6 spaces, so they are joined with plain
    string replacement; any other non-tag line is appended to the field before it.
    """
    chunk = chunk.replace(" \n      ", " ").replace("\n      ", " ")
    out: list[tuple[str, str]] = []
    for line in chunk.split("\n"):
        if line[4:5] == "-" and line[:1].isupper():
            out.append((line[:4].rstrip(), line[6:].strip()))
        elif out and line.strip():
            tag, value = out[-1]
            out[-1] = (tag, f"{value} {line.strip()}")
    return out


def _mesh_descriptor(term: str) -> str:
    """'*Decision Making/methods' -> 'Decision Making' (major-topic star and subheadings dropped)."""
    return term.split("/", 1)[0].lstrip("*").strip()


def build_medline_record(
    pairs: list[tuple[str, str]], source: Source, record_no: int, line: int
) -> dict[str, Any] | None:
    """A schema record from one MEDLINE record's (tag, value) pairs; None when it has no title and no id."""
    rec = new_record()
    values: dict[str, list[str]] = {}
    authors: list[dict] = []
    current: dict | None = None  # the author that AD/AUID lines attach to
    current_has_au = False
    for tag, value in pairs:
        values.setdefault(tag, []).append(value)
        if tag == "FAU":
            current = parse_name(value, "surname_first")
            authors.append(current)
            current_has_au = False
        elif tag == "AU":
            if current is not None and not current_has_au and current.get("name"):
                current_has_au = True  # the short form of the FAU just read
            else:
                current = parse_name(value, "surname_first")
                authors.append(current)
                current_has_au = True
        elif tag == "AD" and current is not None:
            if value and value not in current["affiliations"]:
                current["affiliations"].append(value)
        elif tag == "AUID" and current is not None:
            m = _ORCID.search(value)
            if m and "orcid" in value.lower() and not current["orcid"]:
                current["orcid"] = m.group(1)
        elif tag in ("CN", "IR", "FIR", "ED", "FED"):
            current = None  # AD lines after these belong to them, not to the last author

    def first(*tags: str) -> str | None:
        for t in tags:
            for v in values.get(t, ()):
                if v:
                    return v
        return None

    pmid = normalize_pmid(first("PMID"))
    title = first("TI", "BTI", "VTI")
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    if not title and not pmid:
        return None
    rec["pmid"] = pmid
    rec["title"] = title
    doi = None
    for v in values.get("AID", []) + values.get("LID", []):
        if v.endswith("[doi]"):
            doi = normalize_doi(v[: -len("[doi]")])
            if doi:
                break
    rec["doi"] = doi
    rec["issn"] = split_issns(" ".join(values.get("IS", [])))
    rec["isbn"] = split_isbns("; ".join(values.get("ISBN", [])))
    rec["abstract"] = " ".join(v for v in values.get("AB", []) if v) or None
    rec["authors"] = authors
    rec["n_authors"] = len(authors)
    rec["affiliations"] = list(dict.fromkeys(v for v in values.get("AD", []) if v))
    dp = first("DP")
    rec["year"] = to_year(dp) or to_year(first("DEP", "EDAT"))
    rec["date"] = iso_date(dp, rec["year"])
    rec["source_title"] = first("JT", "CTI")
    rec["source_abbrev"] = first("TA")
    rec["volume"] = first("VI")
    rec["issue"] = first("IP")
    pg = first("PG")
    if pg:
        start, _, end = pg.partition("-")
        lids = set(values.get("LID", []))
        if not end and pg in lids:  # e.g. 'PG - 895552' with 'LID - 895552': an article number
            rec["article_number"] = pg
        else:
            rec["page_start"], rec["page_end"] = page_range(start, end.split(",")[0] if end else None)
    pts = [v for v in values.get("PT", []) if v]
    rec["doc_type_raw"] = "; ".join(pts) or None
    rec["language"] = first("LA")
    rec["publisher"] = first("PB")
    rec["author_keywords"] = list(dict.fromkeys(v for v in values.get("OT", []) if v))
    rec["index_keywords"] = list(dict.fromkeys(d for d in map(_mesh_descriptor, values.get("MH", [])) if d))
    grants = [v for v in values.get("GR", []) if v]
    rec["funding"] = "; ".join(grants) or None
    rec["url"] = f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None
    rec["database"] = "pubmed"
    rec["provenance"] = [source.provenance(record_no, line)]
    extra = {}
    for tag in _EXTRA_TAGS:
        vs = [v for v in values.get(tag, []) if v]
        if vs:
            extra[tag] = "; ".join(vs)
    rec["extra"] = extra
    return rec


@register(
    "medline",
    sniff=lambda head, name: sniff_medline(head, name),
    description="PubMed MEDLINE export (PMID- tagged text, blank line between records)",
    extensions=(".txt", ".nbib", ".medline"),
    aliases=("pubmed", "nbib", "pubmed_medline"),
)
def read_medline(source: Source) -> Iterator[dict]:
    """Yield one record per PMID block; a block with neither title nor PMID is rejected."""
    blocks = _records(tagged_blocks(normalize_newlines(source.text), _PMID_FIRST, _PMID_LINE, source, "PMID"), source)
    for record_no, line, chunk in blocks:
        rec = build_medline_record(_fields(chunk), source, record_no, line)
        if rec is None:
            source.reject(record_no, line, "record has neither a title (TI/BTI) nor a PMID")
            continue
        yield rec
    source.n_read = len(blocks)
    if not blocks:
        raise ReaderError(
            f"{source.where()}: no MEDLINE records found; expected records starting with a line 'PMID- <number>'"
        )


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def _records(blocks: list[tuple[int, int, str]], source: Source) -> list[tuple[int, int, str]]:
    """PMID blocks split again at blank lines, MEDLINE's separator between records.

    A record whose first line is not 'PMID- ' (a mistyped tag) would otherwise be merged into
    the record before it; it is read as a record of its own, and the file gets a warning.
    """
    out: list[tuple[int, int, str]] = []
    for _, line, chunk in blocks:
        pos = 0
        for m in [*_BLANK_LINE.finditer(chunk), None]:
            end = len(chunk) if m is None else m.start()
            part = chunk[pos:end]
            if part.strip():
                lead = len(part) - len(part.lstrip())
                at = line + chunk.count("\n", 0, pos + lead)
                if not part.lstrip().startswith("PMID-"):
                    first = part.lstrip().split("\n", 1)[0][:40]
                    source.warn(f"{source.where(line=at)}: a record that does not start with 'PMID- ' (found {first!r}); read as a record without a PMID")
                out.append((len(out) + 1, at, part.lstrip()))
            if m is not None:
                pos = m.end()
    return out


def sniff_medline(head: str, filename: str) -> float:  # noqa: ARG001
    """High when the text opens with 'PMID- ' and has other MEDLINE tag lines."""
    start = head.lstrip("\ufeff \t\r\n")
    if re.match(r"PMID- ?\d", start):
        return 0.95
    if re.search(r"^PMID- ?\d", head, re.M) and re.search(r"^(TI|FAU|AU)  - ", head, re.M):
        return 0.8
    return 0.0
