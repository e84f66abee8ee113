"""Crossref REST API /works JSON: a response page, one work, a list of items, or JSONL."""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

from bibliomap.corpus.identifiers import find_doi, normalize_doi, normalize_issn, split_isbns
from bibliomap.corpus.schema import new_author, new_record
from bibliomap.io.readers.base import Source, register
from bibliomap.io.readers.openalex_json import distinct, iter_json_items, normalize_orcid

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:jats:)?(?:p|title|sec|list-item)>", re.I)
_HEADING = re.compile(r"^\s*<(?:jats:)?title>\s*(?:abstract|summary)\s*</(?:jats:)?title>", re.I)


def jats_to_text(value: str | None) -> str | None:
    """Plain text of a JATS XML abstract: tags removed, entities decoded, whitespace collapsed."""
    if not value:
        return None
    s = _HEADING.sub("", value)
    s = _BLOCK_END.sub(" ", s)
    s = html.unescape(_TAG.sub("", s))
    s = " ".join(s.split())
    return s or None


def _unwrap(doc: Any) -> list | None:
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        return None
    message = doc.get("message")
    if isinstance(message, dict):
        if isinstance(message.get("items"), list):
            return message["items"]
        return [message]
    if isinstance(doc.get("items"), list):
        return doc["items"]
    if "DOI" in doc or "title" in doc:
        return [doc]
    return None


def _sniff(text: str, filename: str) -> float:
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith(("{", "[")):
        return 0.0
    if '"message-type"' in head or '"is-referenced-by-count"' in head:
        return 0.95
    if '"DOI"' in head and '"container-title"' in head:
        return 0.7
    return 0.0


def _first(value: Any) -> str | None:
    """Crossref wraps most strings in lists: the first non-empty one, stripped."""
    if isinstance(value, list):
        for v in value:
            s = _first(v)
            if s:
                return s
        return None
    if value is None:
        return None
    s = " ".join(str(value).split())
    return s or None


def _date(work: dict) -> tuple[int | None, str | None]:
    for key in ("issued", "published-print", "published-online", "published", "created"):
        parts = ((work.get(key) or {}).get("date-parts") or [[]])[0] or []
        parts = [p for p in parts if isinstance(p, int) or (isinstance(p, str) and p.isdigit())]
        if parts:
            nums = [int(p) for p in parts[:3]]
            iso = f"{nums[0]:04d}" + "".join(f"-{n:02d}" for n in nums[1:])
            return nums[0], iso
    return None, None


def _author(person: dict) -> dict:
    family = _first(person.get("family"))
    given = _first(person.get("given"))
    if family:
        name = f"{family}, {given}" if given else family
        author = new_author(name=name, surname=family, given=given)
    else:
        author = new_author(name=_first(person.get("name")))
    author["orcid"] = normalize_orcid(person.get("ORCID"))
    author["affiliations"] = distinct(
        [_first(a.get("name")) for a in person.get("affiliation") or [] if isinstance(a, dict)]
    )
    return author


def _reference(ref: dict) -> tuple[str, str | None]:
    """(raw string, key or None) for one item of a work's reference list."""
    doi = normalize_doi(ref.get("DOI"))
    raw = _first(ref.get("unstructured"))
    if not raw:
        parts = [
            _first(ref.get(k))
            for k in (
                "author", "year", "article-title", "journal-title", "series-title", "volume-title", "volume", "first-page"
            )
        ]
        if doi:
            parts.append(f"DOI {doi}")
        raw = ", ".join(p for p in parts if p) or _first(ref.get("key")) or ""
    doi = doi or find_doi(raw)
    return raw, (f"doi:{doi}" if doi else None)


def work_to_record(work: dict, source: Source, record_no: int, line: int | None) -> dict:
    """One Crossref work object as a Corpus record."""
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = "crossref"
    rec["databases"] = ["crossref"]
    rec["doi"] = normalize_doi(work.get("DOI"))
    title = _first(work.get("title"))
    subtitle = _first(work.get("subtitle"))
    if title and subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    rec["title"] = title
    rec["abstract"] = jats_to_text(work.get("abstract"))
    rec["authors"] = [_author(p) for p in work.get("author") or [] if isinstance(p, dict)]
    rec["authors"] = [a for a in rec["authors"] if a["name"]]
    rec["n_authors"] = len(rec["authors"])
    rec["affiliations"] = distinct([a for au in rec["authors"] for a in au["affiliations"]])
    rec["year"], rec["date"] = _date(work)
    rec["source_title"] = _first(work.get("container-title"))
    rec["source_abbrev"] = _first(work.get("short-container-title"))
    rec["volume"] = _first(work.get("volume"))
    rec["issue"] = _first(work.get("issue"))
    page = _first(work.get("page"))
    if page:
        start, _, end = page.partition("-")
        rec["page_start"] = start.strip() or None
        rec["page_end"] = end.strip() or None
    rec["article_number"] = _first(work.get("article-number"))
    rec["doc_type_raw"] = _first(work.get("type"))
    rec["language"] = _first(work.get("language"))
    rec["publisher"] = _first(work.get("publisher"))
    rec["issn"] = distinct([normalize_issn(i) for i in work.get("ISSN") or [] if isinstance(i, str)])
    rec["isbn"] = distinct([i for v in work.get("ISBN") or [] for i in split_isbns(str(v))])
    rec["subject_categories"] = distinct([_first(s) for s in work.get("subject") or []])
    rec["url"] = _first(work.get("URL"))
    funders = distinct([_first(f.get("name")) for f in work.get("funder") or [] if isinstance(f, dict)])
    rec["funding"] = "; ".join(funders) or None
    for ref in work.get("reference") or []:
        if isinstance(ref, dict):
            raw, key = _reference(ref)
            if raw:
                rec["references"].append(raw)
                rec["reference_keys"].append(key)
    cited = work.get("is-referenced-by-count")
    if isinstance(cited, int):
        rec["times_cited"] = cited
        indexed = ((work.get("indexed") or {}).get("date-time") or "")[:10] or None
        rec["citation_counts"] = [{"database": "crossref", "count": cited, "date": indexed}]
    extra: dict[str, str] = {}
    for key in ("references-count", "member", "prefix", "source", "score"):
        if work.get(key) is not None:
            extra[key] = str(work[key])
    licenses = [_first(lic.get("URL")) for lic in work.get("license") or [] if isinstance(lic, dict)]
    if any(licenses):
        extra["license"] = "; ".join(distinct(licenses))
    rec["extra"] = extra
    return rec


@register(
    "crossref_json",
    sniff=_sniff,
    description="Crossref REST API /works JSON (response page, single work, item list, or JSONL)",
    extensions=(".json", ".jsonl"),
    aliases=("crossref",),
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per Crossref work in the file."""
    for record_no, line, item in iter_json_items(source, _unwrap):
        if not isinstance(item, dict):
            source.reject(record_no, line, f"expected a Crossref work object, got {type(item).__name__}")
            continue
        if not (item.get("DOI") or _first(item.get("title"))):
            source.reject(record_no, line, "work has neither DOI nor title")
            continue
        yield work_to_record(item, source, record_no, line)
