"""OpenAlex API works as JSON: a response page, a list of works, one work, or JSONL.

Also holds the helpers the other JSON readers share: walking the JSON shapes a
web API hands out (:func:`iter_json_items`), ISO country codes to names, ORCIDs.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from bibliomap.corpus.identifiers import normalize_doi, normalize_issn, normalize_openalex_id, normalize_pmid
from bibliomap.corpus.names import parse_name
from bibliomap.corpus.schema import new_record
from bibliomap.io.readers.base import ReaderError, Source, register

# Names bibliometric databases use where ISO 3166's short name differs from common usage.
_COUNTRY_OVERRIDES = {"RU": "Russia", "XK": "Kosovo", "PS": "Palestine", "TR": "Turkey", "CZ": "Czech Republic"}
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", re.I)


def country_name(code: str | None) -> str | None:
    """'IT' -> 'Italy', 'KR' -> 'South Korea'; anything not an ISO-2 code is returned stripped."""
    if not code:
        return None
    c = code.strip()
    if not c:
        return None
    if len(c) != 2 or not c.isalpha():
        return c
    c = c.upper()
    if c in _COUNTRY_OVERRIDES:
        return _COUNTRY_OVERRIDES[c]
    try:
        import pycountry  # lazy: only OpenAlex country codes need it
    except ImportError:  # pragma: no cover - declared dependency; degrade to the bare code
        return c
    country = pycountry.countries.get(alpha_2=c)
    if country is None:
        return c
    return getattr(country, "common_name", None) or country.name


def normalize_orcid(value: str | None) -> str | None:
    """'https://orcid.org/0000-0002-8517-9411' -> '0000-0002-8517-9411'."""
    if not value:
        return None
    m = _ORCID.search(str(value))
    return m.group(0).upper() if m else None


def distinct(values: list[str | None]) -> list[str]:
    """Non-empty values, first occurrence order."""
    seen: dict[str, None] = {}
    for v in values:
        if v and v not in seen:
            seen[v] = None
    return list(seen)


def split_cells(value: str | None, sep: str) -> list[str]:
    """'a| b||c' -> ['a', 'b', '', 'c']: stripped, empties kept (positional lists); [] for no value."""
    if not value or not value.strip():
        return []
    return [p.strip() for p in value.split(sep)]


def csv_extra(cols: Any, row: list[str], keep: tuple[str, ...] = ()) -> dict[str, str]:
    """Vendor fields verbatim: every non-empty cell of a column no field consumed, plus ``keep`` fields.

    ``cols`` is a :class:`bibliomap.io.readers.csvutil.Columns`.
    """
    used = set(cols.index.values()) - {cols.index[f] for f in keep if f in cols.index}
    extra: dict[str, str] = {}
    for i, name in enumerate(cols.header):
        if i in used or i >= len(row):
            continue
        v = row[i].strip()
        if v and name.strip():
            extra[name.strip().lstrip("\ufeff")] = v
    return extra


def citation_count(database: str, count: int | None, date: str | None = None) -> list[dict]:
    """The citation_counts list for one database's count (empty when unknown)."""
    return [] if count is None else [{"database": database, "count": count, "date": date}]


def iter_json_items(
    source: Source, unwrap: Callable[[Any], list | None]
) -> Iterator[tuple[int, int | None, Any]]:
    """Yield (record number, line or None, item) for every item in a JSON or JSONL file.

    ``unwrap(document)`` returns the list of items inside a parsed document (a
    response page, a list, a single item wrapped as [item]) or None if the
    document has no recognizable shape. Bad JSONL lines are rejected with their
    line number; an unparseable JSON file raises :class:`ReaderError`. A byte range of a
    file (``Source.mark_records``) is cut only from JSON Lines (``bibliomap.io.json_lines``):
    it is read as JSON Lines, with the file's line numbers.
    """
    if source.mark_records:
        text = source.text if source.first_line > 1 else source.text.lstrip("\ufeff")
        yield from _iter_jsonl(source, text, unwrap)
        return
    text = source.text.lstrip("\ufeff")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if not _looks_like_jsonl(text):
            raise ReaderError(
                f"{source.where(line=exc.lineno)}: invalid JSON (column {exc.colno}: {exc.msg}); "
                "expected a JSON document or JSON Lines (one object per line)"
            ) from exc
        yield from _iter_jsonl(source, text, unwrap)
        return
    items = unwrap(doc)
    if items is None:
        raise ReaderError(f"{source.where()}: unexpected JSON structure; expected {source.format} records")
    for i, item in enumerate(items, start=1):
        yield i, None, item


def _looks_like_jsonl(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2:
        return False
    for ln in lines[:5]:
        try:
            if isinstance(json.loads(ln), dict):
                return True
        except json.JSONDecodeError:
            continue
    return False


def _iter_jsonl(
    source: Source, text: str, unwrap: Callable[[Any], list | None]
) -> Iterator[tuple[int, int | None, Any]]:
    record_no = 0
    for line_no, line in enumerate(text.splitlines(), start=source.first_line):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            record_no += 1
            source.reject(record_no, line_no, f"invalid JSON on this line (column {exc.colno}: {exc.msg})")
            continue
        items = unwrap(doc) if isinstance(doc, dict) else None
        if items is None:
            items = [doc]  # let the reader reject it as "not a work"
        for item in items:
            record_no += 1
            yield record_no, line_no, item


def _unwrap_openalex(doc: Any) -> list | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        if isinstance(doc.get("results"), list):
            return doc["results"]
        if "id" in doc or "display_name" in doc or "title" in doc:
            return [doc]
    return None


def rebuild_abstract(inverted: dict[str, list[int]] | None) -> str | None:
    """The abstract text from OpenAlex's {word: [positions]} index."""
    if not inverted or not isinstance(inverted, dict):
        return None
    slots: dict[int, str] = {}
    for word, positions in inverted.items():
        for p in positions or []:
            if isinstance(p, int):
                slots[p] = word
    if not slots:
        return None
    return " ".join(slots[p] for p in sorted(slots))


def _sniff(text: str, filename: str) -> float:
    head = text.lstrip("\ufeff \t\r\n")
    if not head.startswith(("{", "[")):
        return 0.0
    if "openalex.org/W" in head and "authorships" in head:
        return 0.95
    if "openalex.org/W" in head:
        return 0.6
    return 0.0


def _names(items: Any, key: str = "display_name") -> list[str]:
    out: list[str] = []
    for it in items or []:
        if isinstance(it, dict) and isinstance(it.get(key), str) and it[key].strip():
            out.append(it[key].strip())
    return distinct(out)


def _str(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def work_to_record(work: dict, source: Source, record_no: int, line: int | None) -> dict:
    """One OpenAlex Work object as a Corpus record."""
    rec = new_record()
    rec["provenance"] = [source.provenance(record_no, line)]
    rec["database"] = "openalex"
    rec["databases"] = ["openalex"]
    ids = work.get("ids") or {}
    rec["openalex_id"] = normalize_openalex_id(work.get("id") or ids.get("openalex"))
    rec["doi"] = normalize_doi(work.get("doi") or ids.get("doi"))
    rec["pmid"] = normalize_pmid(ids.get("pmid"))
    rec["title"] = _str(work.get("title") or work.get("display_name"))
    rec["abstract"] = rebuild_abstract(work.get("abstract_inverted_index"))

    all_affs: list[str] = []
    all_countries: list[str] = []
    for authorship in work.get("authorships") or []:
        if not isinstance(authorship, dict):
            continue
        person = authorship.get("author") or {}
        raw_name = person.get("display_name") or authorship.get("raw_author_name") or ""
        author = parse_name(raw_name)
        if not author["name"]:
            continue
        author["openalex_id"] = normalize_openalex_id(person.get("id"))
        author["orcid"] = normalize_orcid(person.get("orcid"))
        institutions = [i for i in authorship.get("institutions") or [] if isinstance(i, dict)]
        affs = _names(institutions) or distinct([_str(s) for s in authorship.get("raw_affiliation_strings") or []])
        codes = authorship.get("countries") or [i.get("country_code") for i in institutions]
        countries = distinct([country_name(c) for c in codes if isinstance(c, str)])
        author["affiliations"] = affs
        author["countries"] = countries
        all_affs.extend(affs)
        all_countries.extend(countries)
        rec["authors"].append(author)
    rec["affiliations"] = distinct(all_affs)
    rec["countries"] = distinct(all_countries)
    rec["n_authors"] = len(rec["authors"])

    year = work.get("publication_year")
    rec["year"] = int(year) if isinstance(year, int) or (isinstance(year, str) and year.isdigit()) else None
    rec["date"] = _str(work.get("publication_date"))

    location = work.get("primary_location") or {}
    src = location.get("source") or work.get("host_venue") or {}
    rec["source_title"] = _str(src.get("display_name"))
    issns = list(src.get("issn") or []) + [src.get("issn_l")]
    rec["issn"] = distinct([normalize_issn(i) for i in issns if isinstance(i, str)])
    rec["publisher"] = _str(src.get("host_organization_name") or src.get("publisher"))
    rec["url"] = _str(location.get("landing_page_url")) or _str(work.get("id"))
    biblio = work.get("biblio") or {}
    rec["volume"] = _str(biblio.get("volume"))
    rec["issue"] = _str(biblio.get("issue"))
    rec["page_start"] = _str(biblio.get("first_page"))
    rec["page_end"] = _str(biblio.get("last_page"))
    rec["doc_type_raw"] = _str(work.get("type"))
    rec["language"] = _str(work.get("language"))
    oa = work.get("open_access") or {}
    if isinstance(oa.get("is_oa"), bool):
        rec["open_access"] = oa["is_oa"]

    rec["index_keywords"] = _names(work.get("keywords"))
    topics = _names(work.get("topics"))
    if not topics and isinstance(work.get("primary_topic"), dict):
        topics = _names([work["primary_topic"]])
    rec["subject_categories"] = topics or _names(work.get("concepts"))

    refs = [normalize_openalex_id(w) for w in work.get("referenced_works") or [] if isinstance(w, str)]
    rec["references"] = [r for r in refs if r]
    rec["reference_keys"] = [f"openalex:{r}" for r in rec["references"]]
    cited = work.get("cited_by_count")
    if isinstance(cited, int):
        rec["times_cited"] = cited
        updated = (_str(work.get("updated_date")) or "")[:10] or None
        rec["citation_counts"] = citation_count("openalex", cited, updated)
    funders = _names(work.get("grants"), "funder_display_name") or _names(work.get("funders"))
    rec["funding"] = "; ".join(funders) or None

    extra: dict[str, str] = {}
    for key in ("fwci", "is_retracted", "is_paratext", "referenced_works_count", "type_crossref"):
        if work.get(key) is not None:
            extra[key] = str(work[key])
    if oa.get("oa_status"):
        extra["oa_status"] = str(oa["oa_status"])
    if ids.get("mag"):
        extra["mag"] = str(ids["mag"])
    if ids.get("pmcid"):
        extra["pmcid"] = str(ids["pmcid"])
    rec["extra"] = extra
    return rec


@register(
    "openalex_json",
    sniff=_sniff,
    description="OpenAlex API works (JSON page, list, single work, or JSONL)",
    extensions=(".json", ".jsonl"),
    aliases=("openalex",),
)
def read(source: Source) -> Iterator[dict]:
    """Yield one record per OpenAlex work in the file."""
    for record_no, line, item in iter_json_items(source, _unwrap_openalex):
        if not isinstance(item, dict):
            source.reject(record_no, line, f"expected an OpenAlex work object, got {type(item).__name__}")
            continue
        if not (item.get("id") or item.get("title") or item.get("display_name")):
            source.reject(record_no, line, "work has neither id nor title")
            continue
        yield work_to_record(item, source, record_no, line)
