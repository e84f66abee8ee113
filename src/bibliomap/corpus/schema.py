"""The Corpus schema: one row per publication, one fixed Arrow schema for every database.

Every reader produces records with exactly these fields (see ``new_record``); the
Corpus stores them as one Arrow table, so the same analyses run whatever the
export came from. ``FIELD_DOCS`` documents each column; the README lists it too.
"""
from __future__ import annotations

from typing import Any

import pyarrow as pa

AUTHOR_TYPE = pa.struct(
    [
        ("name", pa.string()),  # full name as displayed, "Surname, Given" when the export allows
        ("surname", pa.string()),
        ("given", pa.string()),  # given names or initials
        ("orcid", pa.string()),
        ("scopus_id", pa.string()),
        ("openalex_id", pa.string()),
        ("affiliations", pa.list_(pa.string())),
        ("countries", pa.list_(pa.string())),
    ]
)

CITATION_COUNT_TYPE = pa.struct(
    [("database", pa.string()), ("count", pa.int64()), ("date", pa.string())]
)

PROVENANCE_TYPE = pa.struct(
    [
        ("file", pa.string()),
        ("format", pa.string()),
        ("record", pa.int32()),  # 1-based record number within the file
        ("line", pa.int32()),  # 1-based line where the record starts (null for JSON/XLSX)
    ]
)

FIELD_SOURCE_TYPE = pa.struct([("field", pa.string()), ("source", pa.int32())])

_STR = pa.string()
_STRS = pa.list_(pa.string())

#: (name, arrow type, description) for every Corpus column, in order.
FIELDS: list[tuple[str, pa.DataType, str]] = [
    ("id", _STR, "internal id, unique within the corpus (assigned in input order)"),
    ("doi", _STR, "DOI, lower-case, without resolver prefix (https://doi.org/, doi:)"),
    ("pmid", _STR, "PubMed id"),
    ("eid", _STR, "Scopus EID (2-s2.0-...)"),
    ("wos_ut", _STR, "Web of Science accession number, WOS:..."),
    ("openalex_id", _STR, "OpenAlex work id, W..."),
    ("arxiv_id", _STR, "arXiv identifier"),
    ("isbn", _STRS, "ISBNs (digits and X only)"),
    ("issn", _STRS, "ISSNs, NNNN-NNNX form"),
    ("title", _STR, "title"),
    ("abstract", _STR, "abstract"),
    ("authors", pa.list_(AUTHOR_TYPE), "ordered authors with names, ids, affiliations, countries"),
    ("authors_truncated", pa.bool_(), "the export truncated the author list (e.g. Google Scholar '...')"),
    ("n_authors", pa.int32(), "author count (PoP AuthorCount when given; a lower bound when truncated)"),
    ("affiliations", _STRS, "all affiliation strings of the document, in order, distinct"),
    ("countries", _STRS, "distinct countries derived from the affiliations, in order"),
    ("year", pa.int32(), "publication year"),
    ("date", _STR, "publication date when given (ISO: YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("source_title", _STR, "journal, proceedings or book title"),
    ("source_abbrev", _STR, "abbreviated source title"),
    ("volume", _STR, "volume"),
    ("issue", _STR, "issue"),
    ("page_start", _STR, "first page"),
    ("page_end", _STR, "last page"),
    ("article_number", _STR, "article number"),
    ("doc_type", _STR, "document type, normalized (article, review, conference paper, ...)"),
    ("doc_type_raw", _STR, "document type as the export gives it"),
    ("language", _STR, "language"),
    ("publisher", _STR, "publisher"),
    ("author_keywords", _STRS, "author keywords"),
    ("index_keywords", _STRS, "index keywords / Keywords Plus / MeSH terms"),
    ("subject_categories", _STRS, "subject categories, research areas or topics"),
    ("references", _STRS, "cited references as raw strings (or ids for OpenAlex)"),
    ("reference_keys", _STRS, "canonical key per reference (doi:..., openalex:W..., ref:...), null if unparseable"),
    ("times_cited", pa.int64(), "times cited (maximum over the databases that report it)"),
    ("citation_counts", pa.list_(CITATION_COUNT_TYPE), "times cited per database, with the date"),
    ("url", _STR, "URL of the record"),
    ("open_access", pa.bool_(), "open-access flag"),
    ("funding", _STR, "funding text or funders"),
    ("database", _STR, "database of origin of the first record (scopus, wos, pubmed, ...)"),
    ("databases", _STRS, "every database the merged record came from"),
    ("query_date", _STR, "date of the query (Publish or Perish QueryDate), ISO"),
    ("provenance", pa.list_(PROVENANCE_TYPE), "where each merged input record came from"),
    ("field_sources", pa.list_(FIELD_SOURCE_TYPE), "for merged records: field -> index into provenance"),
    ("extra", pa.map_(pa.string(), pa.string()), "vendor fields kept verbatim (GSRank, ECC, ...)"),
]

SCHEMA = pa.schema([pa.field(name, typ) for name, typ, _ in FIELDS])
FIELD_NAMES = [name for name, _, _ in FIELDS]
FIELD_DOCS = {name: doc for name, _, doc in FIELDS}
LIST_FIELDS = {name for name, typ, _ in FIELDS if pa.types.is_list(typ)}

#: Scalar string identifier fields that deduplication treats as exact ids.
ID_FIELDS = ("doi", "pmid", "eid", "wos_ut", "openalex_id", "arxiv_id")


_LIST_NAMES = tuple(name for name, typ, _ in FIELDS if pa.types.is_list(typ))
_EMPTY = {name: None for name, _, _ in FIELDS}


def new_record() -> dict[str, Any]:
    """An empty record with every schema field: lists empty, scalars None."""
    rec = dict(_EMPTY)
    for name in _LIST_NAMES:
        rec[name] = []
    rec["extra"] = {}
    return rec


def new_author(
    name: str | None = None,
    surname: str | None = None,
    given: str | None = None,
    **ids: Any,
) -> dict[str, Any]:
    """An author struct; ``ids`` may hold orcid, scopus_id, openalex_id, affiliations, countries."""
    return {
        "name": name,
        "surname": surname,
        "given": given,
        "orcid": ids.get("orcid"),
        "scopus_id": ids.get("scopus_id"),
        "openalex_id": ids.get("openalex_id"),
        "affiliations": list(ids.get("affiliations") or []),
        "countries": list(ids.get("countries") or []),
    }
