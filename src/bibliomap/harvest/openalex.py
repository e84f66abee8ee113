"""OpenAlex works: cursor-paged harvests into JSONL, and look-ups by DOI or title for enrichment.

API facts used (developers.openalex.org): ``/works`` with ``search``, ``filter``
(comma-joined ``key:value``), ``per_page`` up to 200 with ``cursor=*`` then
``meta.next_cursor`` until it is null and ``results`` is empty; ``meta.count`` is
the total; ``select`` limits the fields; ``api_key`` (required for heavy use since
2026) or ``mailto`` (the polite pool); at most 100 requests per second.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bibliomap.corpus.identifiers import normalize_openalex_id
from bibliomap.harvest import defaults
from bibliomap.harvest.cache import PageCache
from bibliomap.harvest.client import ApiClient, MalformedResponse, RetryPolicy
from bibliomap.harvest.paging import (
    CursorPager,
    HarvestResult,
    Page,
    harvest_into,
    jsonl_format,
    list_params,
)

API_URL = "https://api.openalex.org"
DEFAULT_RATE = defaults.OPENALEX_RATE
PER_PAGE = defaults.OPENALEX_PER_PAGE
#: The work fields bibliomap's OpenAlex reader uses (bibliomap.io.readers.openalex_json).
SELECT = (
    "id,doi,title,display_name,publication_year,publication_date,ids,language,primary_location,type,"
    "type_crossref,open_access,authorships,cited_by_count,biblio,is_retracted,is_paratext,primary_topic,"
    "topics,keywords,concepts,referenced_works,referenced_works_count,abstract_inverted_index,updated_date,fwci,funders"
)


def make_client(
    api_url: str | None = None,
    *,
    mailto: str | None = None,
    api_key: str | None = None,
    rate: float = DEFAULT_RATE,
    retry: RetryPolicy | None = None,
    cache: PageCache | None = None,
) -> "OpenAlexClient":
    """An OpenAlex client; the API key defaults to the OPENALEX_API_KEY environment variable."""
    return OpenAlexClient(api_url or API_URL, rate, mailto=mailto, retry=retry, cache=cache, api_key=api_key or os.environ.get("OPENALEX_API_KEY"))


class OpenAlexClient(ApiClient):
    """ApiClient that adds the polite-pool address and API key to every request."""

    def __init__(self, *args: Any, api_key: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.identity = {"mailto": kwargs.get("mailto"), "api_key": api_key}
        self.auth_hint = "OpenAlex wants an API key: give --api-key or set OPENALEX_API_KEY (free at openalex.org/settings/api)"

    def works(self, params: dict[str, Any]) -> dict:
        """One page of ``/works`` (checked: ``results`` list and ``meta`` object)."""
        return self.get_json("works", {**params, **self.identity}, check=check_page)

    def work_by_doi(self, doi: str) -> dict | None:
        """The work with this DOI, or None (a free singleton request)."""
        doc = self.get_json(f"works/doi:{quote(doi, safe='/')}", {"select": SELECT, **self.identity}, check=_check_work, not_found_ok=True)
        return doc or None

    def page(self, params: dict[str, Any]) -> Page:
        """One /works page as a Page (results, meta.next_cursor, meta.count)."""
        doc = self.works(params)
        count = doc["meta"].get("count")
        return Page(doc["results"], doc["meta"].get("next_cursor") or None, count if isinstance(count, int) else None)

    def search_title(self, title: str, year: int | None, n: int = 10) -> list[dict]:
        """Works whose title matches ``title`` (OpenAlex's title.search), years within one of ``year``."""
        words = "".join(c if c.isalnum() else " " for c in title).split()
        filters = [f"title.search:{' '.join(words)}"]
        if year:
            filters.append(f"publication_year:{year - 1}-{year + 1}")
        doc = self.works({"filter": ",".join(filters), "per_page": n, "select": SELECT})
        return doc["results"]


def check_page(doc: Any) -> None:
    """A /works list page: {'meta': {...}, 'results': [...]}; else MalformedResponse."""
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), list) or not isinstance(doc.get("meta"), dict):
        raise MalformedResponse("expected an OpenAlex page with 'meta' and a 'results' list")
    if not all(isinstance(w, dict) for w in doc["results"]):
        raise MalformedResponse("an item of 'results' is not a work object")


def _check_work(doc: Any) -> None:
    if not isinstance(doc, dict) or not doc.get("id"):
        raise MalformedResponse("expected an OpenAlex work object with an 'id'")


def work_key(work: dict) -> str | None:
    return normalize_openalex_id(work.get("id"))


def query_params(search: str | None, filters: list[str], from_year: int | None, to_year: int | None) -> dict[str, Any]:
    """The /works parameters for a search: ``search`` and the comma-joined filters."""
    years = ([f"from_publication_date:{from_year}-01-01"] if from_year else []) + ([f"to_publication_date:{to_year}-12-31"] if to_year else [])
    return list_params("search", search, filters, years)


def fetch_openalex(
    out: str | Path,
    *,
    search: str | None = None,
    filters: list[str] | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    max_records: int | None = None,
    mailto: str | None = None,
    api_key: str | None = None,
    api_url: str | None = None,
    per_page: int = PER_PAGE,
    rate: float = DEFAULT_RATE,
    retry: RetryPolicy | None = None,
    cache: bool = True,
    progress: bool = False,
) -> HarvestResult:
    """Harvest the works matching a search into ``out`` (JSONL, one work per line); resumable."""
    params = query_params(search, list(filters or []), from_year, to_year)
    fingerprint = {**params, "api_url": api_url or API_URL, "per_page": per_page}
    return harvest_into(
        out, "openalex", fingerprint,
        lambda pages: make_client(api_url, mailto=mailto, api_key=api_key, rate=rate, retry=retry, cache=pages),
        lambda client, _output: CursorPager(client.page, {**params, "per_page": per_page, "select": SELECT}),
        jsonl_format(work_key), max_records=max_records, cache=cache, progress=progress,
    )
