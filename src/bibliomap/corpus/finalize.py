"""Finalizing a record from any reader: normalized ids, types, countries, reference keys.

Readers keep close to their format; everything that is the same for all formats
happens here, once: markup tags out of titles and abstracts, DOI/ISSN/ISBN
normalization, the document-type vocabulary, countries derived from affiliations,
canonical reference keys, per-database citation counts.
"""
from __future__ import annotations

import re
from typing import Any

from bibliomap.corpus.countries import country_of_affiliation, normalize_country
from bibliomap.corpus.identifiers import (
    normalize_arxiv_id,
    normalize_doi,
    normalize_issn,
    normalize_openalex_id,
    normalize_pmid,
    normalize_wos_ut,
    split_isbns,
)
from bibliomap.corpus.markup import strip_markup
from bibliomap.corpus.references import reference_keys
from bibliomap.corpus.schema import FIELD_NAMES, LIST_FIELDS

#: Raw document types (lower-cased, any database) -> bibliomap's vocabulary.
DOC_TYPES = {
    "article": "article", "j": "article", "jour": "article", "journal article": "article",
    "journal-article": "article", "journal articles": "article", "research article": "article",
    "journals": "article", "journal": "article", "magazines": "article", "ejour": "article",
    "review": "review", "review article": "review", "systematic review": "review",
    "conference paper": "conference paper", "proceedings paper": "conference paper",
    "proceedings-article": "conference paper", "conf": "conference paper", "cpaper": "conference paper",
    "inproceedings": "conference paper", "conferences": "conference paper", "conference": "conference paper",
    "conference proceedings": "conference paper", "conference review": "conference paper",
    "book chapter": "book chapter", "chap": "book chapter", "book-chapter": "book chapter",
    "incollection": "book chapter", "chapter": "book chapter", "inbook": "book chapter",
    "book": "book", "books": "book", "monograph": "book", "edited book": "book",
    "editorial": "editorial", "editorial material": "editorial", "letter": "letter", "note": "note",
    "erratum": "erratum", "correction": "erratum", "retracted": "retraction", "retraction": "retraction",
    "preprint": "preprint", "posted-content": "preprint", "misc": "other", "dataset": "dataset",
    "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis", "dissertation": "thesis",
    "report": "report", "techreport": "report", "rprt": "report", "meeting abstract": "meeting abstract",
    "early access": "article", "data paper": "article", "short survey": "review", "survey": "review",
    "standards": "standard", "standard": "standard", "courses": "other",
    # IEEE Xplore "Document Identifier"
    "ieee conferences": "conference paper", "ieee journals": "article", "ieee magazines": "article",
    "ieee early access articles": "article", "ieee books": "book", "ieee standards": "standard",
    "ieee courses": "other", "wiley-ieee press ebook chapters": "book chapter", "mit press ebook chapters": "book chapter",
    "ibm journals": "article", "vde conferences": "conference paper", "iet conferences": "conference paper",
    "iet journals": "article", "ieee ebooks": "book",
    # Springer Link "Content Type", OpenAlex/Crossref types
    "conferencepaper": "conference paper", "referenceworkentry": "book chapter", "proceedings": "conference paper",
    "book-section": "book chapter", "reference-entry": "book chapter", "monograph-chapter": "book chapter",
    "dissertation-thesis": "thesis", "peer-review": "other", "paratext": "other", "other": "other",
}


_TYPE_SEPARATOR = re.compile(r"[;|]")


def normalize_doc_type(raw: str | None) -> str | None:
    """'Article; Proceedings Paper' -> 'article'; unknown types are kept lower-cased."""
    if not raw:
        return None
    first = _TYPE_SEPARATOR.split(str(raw), 1)[0].strip().lower()
    return DOC_TYPES.get(first, first or None)


def _dedupe(values: list[Any], casefold: bool = False, clean: bool = False) -> list[Any]:
    """Values in first-seen order without None, empty strings and repeats (strings compared
    with whitespace collapsed, and case-folded with ``casefold``); ``clean``: the strings are
    known to be collapsed and non-empty already (``TEXT_CLEAN``)."""
    if not values:
        return []
    seen: set = set()
    out = []
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            if not clean:
                v = " ".join(v.split())
                if not v:
                    continue
            k = v.casefold() if casefold else v
        else:
            k = v
        if k not in seen:
            seen.add(k)
            out.append(v)
    return out


def _collapse_whitespace(s: str) -> str:
    """``" ".join(s.split())``, skipping the work for text that is already so (what readers
    mostly give): the only printable whitespace character is the space."""
    if s.isprintable() and s.rfind("  ") < 0 and s[:1] != " " and s[-1:] != " ":  # (rfind: faster than in)
        return s
    return " ".join(s.split())


def _clean_str(v: Any) -> Any:
    if isinstance(v, str):
        v = " ".join(v.split())
        return v or None
    return v


#: (field, is a list field) for every schema field but ``extra`` (a dict, handled apart)
_FIELD_KINDS = tuple((n, n in LIST_FIELDS) for n in FIELD_NAMES if n != "extra")
_MISSING = object()


#: Set by a reader whose text is final (BibTeX): every string of the record (fields, list
#: items, references, authors' names and affiliations) is non-empty with collapsed whitespace
#: (absent values are None), so finalizing skips re-checking them (read again for nothing).
TEXT_CLEAN = "_text_clean"

#: Set by ``finalize_record(rec, defer_keys=True)`` to the record's reference style when it
#: left the reference keys to be computed for many records at once (its ``reference_keys``
#: is then empty): ingest computes them on a chunk's Arrow column
#: (:func:`bibliomap.corpus.references.reference_keys_array`), much faster than one by one.
KEYS_PENDING = "_reference_keys_pending"

_AUTHOR_SCALARS = ("name", "surname", "given", "orcid", "scopus_id", "openalex_id")


def _finalize_author(a: dict[str, Any], clean: bool = False) -> dict[str, Any]:
    """A reader's author as a full author struct (``new_author`` fields in order), cleaned
    (``clean``: its strings are known to be collapsed already, see ``TEXT_CLEAN``)."""
    get = a.get
    affiliations = _dedupe(get("affiliations") or [], clean=clean)
    countries = [normalize_country(c) or c for c in (get("countries") or [])]
    if not countries:
        countries = [country_of_affiliation(x) for x in affiliations]
    if clean:
        full = {k: None if (v := get(k)) is None or v == "" else v for k in _AUTHOR_SCALARS}
    else:
        full = {k: None if (v := get(k)) is None else _clean_str(v) for k in _AUTHOR_SCALARS}
    full["affiliations"] = affiliations
    full["countries"] = _dedupe(countries)
    return full


def finalize_record(rec: dict[str, Any], defer_keys: bool = False) -> dict[str, Any]:
    """Normalize a reader's record in place and return it (see module docstring).

    ``defer_keys``: reference keys the reader did not supply are not computed here; the
    record gets ``KEYS_PENDING`` (its reference style) and empty keys instead.
    """
    style = rec.pop("_reference_style", None) or "generic"
    text_clean = rec.pop(TEXT_CLEAN, False)
    for k in [k for k in rec if k[:1] == "_"]:
        rec.pop(k)
    for name, is_list in _FIELD_KINDS:  # missing fields added in schema order
        v = rec.get(name, _MISSING)
        if is_list:
            if v is None or v is _MISSING:
                rec[name] = []
        elif isinstance(v, str):  # whitespace collapsed, empty strings become None
            rec[name] = (v if text_clean else _collapse_whitespace(v)) or None
        elif v is _MISSING:
            rec[name] = None
    if "extra" not in rec:
        rec["extra"] = {}
    for name in ("title", "abstract"):  # IEEE's <sup>/<sub>, JATS paragraphs, ...
        v = rec[name]
        if v is not None and "<" in v:
            rec[name] = strip_markup(v) or None
    rec["doi"] = normalize_doi(rec["doi"])
    rec["pmid"] = normalize_pmid(rec["pmid"])
    rec["openalex_id"] = normalize_openalex_id(rec["openalex_id"])
    rec["wos_ut"] = normalize_wos_ut(rec["wos_ut"])
    rec["arxiv_id"] = normalize_arxiv_id(rec["arxiv_id"])
    rec["issn"] = _dedupe([normalize_issn(s) for s in rec["issn"]])
    rec["isbn"] = _dedupe([i for s in rec["isbn"] for i in split_isbns(s)])
    if rec["year"] is not None:
        try:
            rec["year"] = int(rec["year"])
        except (TypeError, ValueError):
            rec["year"] = None
    if rec["year"] is None and rec["date"]:
        m = re.match(r"(1\d{3}|2\d{3})", str(rec["date"]))
        rec["year"] = int(m.group(1)) if m else None
    if rec["year"] is not None and not 1000 <= rec["year"] <= 2999:
        rec["year"] = None
    rec["doc_type"] = rec["doc_type"] or normalize_doc_type(rec["doc_type_raw"])

    # authors, affiliations, countries
    authors = []
    for a in rec["authors"]:
        full = _finalize_author(a, text_clean)
        if full["name"] or full["surname"]:
            authors.append(full)
    rec["authors"] = authors
    affs = list(rec["affiliations"]) or [x for a in authors for x in a["affiliations"]]
    rec["affiliations"] = _dedupe(affs, clean=text_clean)
    countries = [normalize_country(c) or c for c in rec["countries"]]
    if not countries:
        countries = [c for a in authors for c in a["countries"]] + [country_of_affiliation(x) for x in rec["affiliations"]]
    rec["countries"] = _dedupe(countries)
    if rec["n_authors"] is None:
        rec["n_authors"] = len(authors) + (1 if rec["authors_truncated"] else 0)
    rec["authors_truncated"] = bool(rec["authors_truncated"])

    for name in ("author_keywords", "index_keywords", "subject_categories"):
        rec[name] = _dedupe(rec[name], casefold=True, clean=text_clean)

    # references and their keys (readers may supply keys; otherwise parse by style)
    raw_refs = rec["references"]
    if text_clean:
        refs = raw_refs
    else:
        refs = []
        for r in raw_refs:
            if r:
                r = _collapse_whitespace(str(r))
                if r:  # (split and strip agree on what whitespace is)
                    refs.append(r)
    keys = rec["reference_keys"]
    if len(keys) != len(raw_refs) or not keys:
        if defer_keys:
            rec[KEYS_PENDING] = style
            keys = []
        else:
            keys = reference_keys(refs, style)
    else:
        keys = [k for r, k in zip(raw_refs, keys) if r and str(r).strip()]
    rec["references"], rec["reference_keys"] = refs, keys

    if rec["times_cited"] is not None:
        try:
            rec["times_cited"] = int(rec["times_cited"])
        except (TypeError, ValueError):
            rec["times_cited"] = None
    if not rec["citation_counts"] and rec["times_cited"] is not None:
        rec["citation_counts"] = [{"database": rec["database"], "count": rec["times_cited"], "date": rec["query_date"]}]
    rec["databases"] = _dedupe(list(rec["databases"]) + [rec["database"]])
    rec["extra"] = {str(k): str(v) for k, v in (rec["extra"] or {}).items() if v is not None and str(v) != ""}
    return rec
