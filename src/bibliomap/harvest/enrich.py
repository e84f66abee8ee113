"""Enrichment: complete records (Google Scholar / Publish or Perish exports above all) from OpenAlex or Crossref.

Each record that lacks one of the fillable fields is looked up by DOI (Google
Scholar's DOIs are tried as given, URL-decoded, and without the '.short'-style
suffixes it copies from landing-page URLs), else by a title search judged by the
strict rule of :mod:`bibliomap.harvest.match`. A matched work fills only what the
record lacks: abstract, DOI and other ids, affiliations and countries (per author
too), references, keywords and topics. Nothing the export had is overwritten. Google
Scholar's abstracts are snippets cut with '…'; only when asked (``replace_snippets``)
is such a snippet replaced by the work's full abstract, and then kept in
``extra['scholar_snippet']``; otherwise the report counts the snippets that could be.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from bibliomap.corpus import Corpus
from bibliomap.harvest.client import ApiClient
from bibliomap.harvest.match import judge, surnames_agree, title_similarity
from bibliomap.io.readers.base import Source

SOURCES = ("openalex", "crossref")
#: Fields enrichment may fill (the report counts each).
FILLABLE = ("doi", "openalex_id", "pmid", "abstract", "authors", "affiliations", "countries",
            "references", "index_keywords", "subject_categories")
#: A DOI look-up is trusted only if the work's title is at least this similar (guards against wrong DOIs).
DOI_TITLE_THRESHOLD = 0.6
_DOI_SUFFIXES = (".short", ".full", ".abstract", ".pdf", ".html", ".full.pdf")


def doi_candidates(doi: str | None) -> list[str]:
    """The DOI as given, URL-decoded, and without a landing-page suffix Google Scholar copied."""
    if not doi:
        return []
    out: list[str] = []
    for d in (doi, unquote(doi)):
        d = d.strip().lower()
        out.append(d)
        for suffix in _DOI_SUFFIXES:
            if d.endswith(suffix):
                out.append(d[: -len(suffix)])
    return list(dict.fromkeys(x for x in out if x.startswith("10.")))


def is_scholar_snippet(abstract: str | None) -> bool:
    """Google Scholar's result snippets begin or end with an ellipsis."""
    s = (abstract or "").strip()
    return bool(s) and (s.startswith("…") or s.endswith("…") or s.endswith("..."))


def missing_fields(rec: dict, replace_snippets: bool = False) -> list[str]:
    """The fillable fields this record lacks."""
    missing = []
    if not rec.get("doi"):
        missing.append("doi")
    if not rec.get("abstract") or (replace_snippets and is_scholar_snippet(rec.get("abstract"))):
        missing.append("abstract")
    for f in ("affiliations", "countries", "references"):
        if not rec.get(f):
            missing.append(f)
    if not rec.get("author_keywords") and not rec.get("index_keywords"):
        missing.append("index_keywords")
    return missing


@dataclasses.dataclass
class Candidate:
    """A work from the API, as the raw object and as a corpus record."""

    raw: dict
    record: dict
    url: str


class _Lookup:
    """DOI and title look-ups against one API, returning Candidates."""

    def __init__(self, source: str, client: ApiClient) -> None:
        from bibliomap.io.readers import crossref_json, openalex_json

        self.source = source
        self.client = client
        self._convert = openalex_json.work_to_record if source == "openalex" else crossref_json.work_to_record
        self._src = Source(path=Path(source), text="", format=f"{source}_json")

    def _candidate(self, raw: dict) -> Candidate:
        rec = self._convert(raw, self._src, 1, None)
        if self.source == "openalex":
            url = f"{self.client.base_url}/works/{rec['openalex_id']}"
        else:
            url = f"{self.client.base_url}/works/{rec['doi']}"
        return Candidate(raw, rec, url)

    def by_doi(self, doi: str) -> Candidate | None:
        raw = self.client.work_by_doi(doi)  # type: ignore[attr-defined]
        return self._candidate(raw) if raw else None

    def by_title(self, title: str, year: int | None, surname: str | None) -> list[Candidate]:
        if self.source == "crossref":
            raws = self.client.search_title(title.rstrip("…. "), year, surname)  # type: ignore[attr-defined]
        else:
            raws = self.client.search_title(title.rstrip("…. "), year)  # type: ignore[attr-defined]
        return [self._candidate(r) for r in raws]


def _first_surname(rec: dict) -> str | None:
    authors = rec.get("authors") or []
    return authors[0].get("surname") or authors[0].get("name") if authors else None


def find_match(rec: dict, lookup: _Lookup) -> tuple[Candidate | None, str, float, str]:
    """(candidate, how: 'doi'|'title'|'', title similarity, reason when unmatched)."""
    title, year, surname = rec.get("title"), rec.get("year"), _first_surname(rec)
    reasons: list[str] = []
    for doi in doi_candidates(rec.get("doi")):
        cand = lookup.by_doi(doi)
        if cand is None:
            continue
        sim = title_similarity(title, cand.record.get("title")) if title else 1.0
        if sim >= DOI_TITLE_THRESHOLD:
            return cand, "doi", sim, ""
        reasons.append(f"DOI {doi} is a work titled {cand.record.get('title')!r} (similarity {sim:.2f})")
        break
    if rec.get("doi") and not reasons:
        reasons.append(f"DOI {rec['doi']} not found")
    if not title:
        return None, "", 0.0, "; ".join(reasons + ["no title to search"])
    passed: list[tuple[tuple, Candidate, float]] = []
    best_reason = ""
    best_sim = -1.0
    for cand in lookup.by_title(title, year, surname):
        c = cand.record
        verdict = judge(title, surname, year, c.get("title"), _first_surname(c), c.get("year"))
        if verdict.ok:
            rank = (verdict.similarity, c.get("year") == year, bool(c.get("abstract")), c.get("times_cited") or 0)
            passed.append((rank, cand, verdict.similarity))
        elif verdict.similarity > best_sim:
            best_sim, best_reason = verdict.similarity, f"closest title search result {c.get('title')!r}: {verdict.reason}"
    if passed:
        passed.sort(key=lambda x: x[0], reverse=True)
        _, cand, sim = passed[0]
        return cand, "title", sim, ""
    reasons.append(best_reason or "title search found no candidate")
    return None, "", 0.0, "; ".join(reasons)


def fill(rec: dict, work: dict, source: str, url: str, replace_snippets: bool = False) -> list[str]:
    """Fill what ``rec`` lacks from ``work`` (both corpus records), in place; the fields filled."""
    filled: list[str] = []

    def take(field: str) -> None:
        if not rec.get(field) and work.get(field):
            rec[field] = work[field]
            filled.append(field)

    for field in ("doi", "openalex_id", "pmid"):
        take(field)
    if work.get("abstract"):
        if not rec.get("abstract"):
            take("abstract")
        elif replace_snippets and is_scholar_snippet(rec["abstract"]):
            rec["extra"] = {**(rec.get("extra") or {}), "scholar_snippet": rec["abstract"]}
            rec["abstract"] = work["abstract"]
            filled.append("abstract")
    if not rec.get("authors") and work.get("authors"):
        rec["authors"], rec["n_authors"] = work["authors"], len(work["authors"])
        filled.append("authors")
    elif _fill_authors(rec["authors"], work.get("authors") or []):
        filled.append("authors")
    for field in ("affiliations", "countries"):
        take(field)
    if not rec.get("references") and work.get("references"):
        rec["references"], rec["reference_keys"] = list(work["references"]), list(work.get("reference_keys") or [])
        filled.append("references")
    if not rec.get("author_keywords"):
        take("index_keywords")
    take("subject_categories")
    if filled:
        prov = list(rec.get("provenance") or [])
        prov.append({"file": url, "format": f"{source}_api", "record": None, "line": None})
        index = len(prov) - 1
        rec["provenance"] = prov
        rec["field_sources"] = list(rec.get("field_sources") or []) + [{"field": f, "source": index} for f in filled]
        rec["databases"] = list(dict.fromkeys([*(rec.get("databases") or []), source]))
    return filled


def _fill_authors(authors: list[dict], others: list[dict]) -> bool:
    """Per-author affiliations, countries and ids from the same-surname author of the work; True if any."""
    changed = False
    used: set[int] = set()
    for a in authors:
        j = next((j for j, o in enumerate(others) if j not in used and surnames_agree(a.get("surname") or a.get("name"), o.get("surname") or o.get("name"))), None)
        if j is None:
            continue
        used.add(j)
        o = others[j]
        for f in ("affiliations", "countries"):
            if not a.get(f) and o.get(f):
                a[f] = list(o[f])
                changed = True
        for f in ("orcid", "openalex_id"):
            if not a.get(f) and o.get(f):
                a[f] = o[f]
                changed = True
    return changed


def shared_identifiers(records: list[dict]) -> list[dict]:
    """Records that now share a DOI or OpenAlex id (e.g. two Google Scholar versions of one work).

    Enrichment does not merge them; the report lists them so they can be checked.
    """
    groups: dict[tuple[str, str], list[str]] = {}
    for rec in records:
        for field in ("doi", "openalex_id"):
            if rec.get(field):
                groups.setdefault((field, rec[field]), []).append(rec["id"])
    return [{"field": f, "value": v, "ids": ids} for (f, v), ids in groups.items() if len(ids) > 1]


def enrich_corpus(
    corpus: Corpus,
    source: str,
    client: ApiClient,
    *,
    replace_snippets: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[Corpus, dict[str, Any]]:
    """The enriched corpus and the report (counts, fields filled, matched with how, unmatched with why)."""
    if source not in SOURCES:
        raise ValueError(f"unknown enrichment source {source!r}; expected one of {', '.join(SOURCES)}")
    lookup = _Lookup(source, client)
    records = corpus.to_records()
    todo = [r for r in records if missing_fields(r, replace_snippets)]
    matched: list[dict] = []
    unmatched: list[dict] = []
    filled_counts = {f: 0 for f in FILLABLE}
    snippets = 0
    for i, rec in enumerate(todo):
        cand, how, sim, reason = find_match(rec, lookup)
        if cand is None:
            unmatched.append({"id": rec["id"], "title": rec.get("title"), "year": rec.get("year"), "doi": rec.get("doi"), "reason": reason})
        else:
            before_doi = rec.get("doi")
            filled = fill(rec, cand.record, source, cand.url, replace_snippets)
            for f in filled:
                filled_counts[f] = filled_counts.get(f, 0) + 1
            rec["extra"] = {**(rec.get("extra") or {}), "enriched": f"{source}:{how}"}
            if is_scholar_snippet(rec.get("abstract")) and cand.record.get("abstract"):
                snippets += 1  # a full abstract was there, the snippet kept (replace_snippets off)
            matched.append({
                "id": rec["id"], "title": rec.get("title"), "year": rec.get("year"), "doi": before_doi,
                "how": how, "work": cand.record.get("openalex_id") or cand.record.get("doi"),
                "work_title": cand.record.get("title"), "work_doi": cand.record.get("doi"), "similarity": round(sim, 3), "filled": filled,
            })
        if progress:
            progress(i + 1, len(todo))
    counts = {
        "records": len(records),
        "complete": len(records) - len(todo),
        "looked_up": len(todo),
        "matched_by_doi": sum(m["how"] == "doi" for m in matched),
        "matched_by_title": sum(m["how"] == "title" for m in matched),
        "unmatched": len(unmatched),
        "snippets_kept": snippets,
        "requests": client.requests,
    }
    counts["shared_ids"] = len(shared := shared_identifiers(records))
    report = {
        "source": source,
        "api_url": client.base_url,
        "counts": counts,
        "filled": {k: v for k, v in filled_counts.items() if v},
        "matched": matched,
        "unmatched": unmatched,
        "shared_ids": shared,
    }
    return Corpus.from_records(records, ingest_report=corpus.ingest_report), report

