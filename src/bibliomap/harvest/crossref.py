"""Crossref works: cursor-paged harvests into JSONL, and look-ups by DOI or title for enrichment.

API facts used (api.crossref.org documentation): ``/works`` with ``query`` and
``filter`` (comma-joined ``name:value``, e.g. ``from-pub-date:1997``), ``rows`` up
to 1000 with ``cursor=*`` then ``message.next-cursor`` until ``items`` is empty;
``message.total-results`` is the total; a cursor expires five minutes after its
last use; ``mailto`` selects the polite pool; Metadata
Plus keys go in the ``Crossref-Plus-API-Token`` header; the limits are announced in
``X-Rate-Limit-Limit`` / ``X-Rate-Limit-Interval`` (the client stays at half).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bibliomap.corpus.identifiers import normalize_doi
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

API_URL = "https://api.crossref.org"
DEFAULT_RATE = defaults.CROSSREF_RATE
ROWS = defaults.CROSSREF_ROWS
#: Crossref forgets a deep-paging cursor 5 minutes after its last use; stay under that.
CURSOR_LIFETIME = 240.0


class CrossrefClient(ApiClient):
    """ApiClient that adds the polite-pool address to every request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.identity = {"mailto": kwargs.get("mailto")}
        self.auth_hint = "check the Metadata Plus token (--api-key / CROSSREF_PLUS_API_TOKEN), or leave it out for the public API"

    def works(self, params: dict[str, Any]) -> dict:
        """The ``message`` of one /works list page (checked: an ``items`` list)."""
        return self.get_json("works", {**params, **self.identity}, check=check_page)["message"]

    def page(self, params: dict[str, Any]) -> Page:
        """One /works page as a Page (items, next-cursor, total-results)."""
        message = self.works(params)
        total = message.get("total-results")
        return Page(message["items"], message.get("next-cursor") or None, total if isinstance(total, int) else None)

    def work_by_doi(self, doi: str) -> dict | None:
        """The work with this DOI, or None."""
        doc = self.get_json(f"works/{quote(doi, safe='/')}", self.identity, check=_check_work, not_found_ok=True)
        return doc["message"] if doc else None

    def search_title(self, title: str, year: int | None, author: str | None = None, n: int = 10) -> list[dict]:
        """Works matching ``title`` bibliographically (and ``author``), years within one of ``year``."""
        params: dict[str, Any] = {"query.bibliographic": title, "rows": n}
        if author:
            params["query.author"] = author
        if year:
            params["filter"] = f"from-pub-date:{year - 1},until-pub-date:{year + 1}"
        return self.works(params)["items"]


def make_client(
    api_url: str | None = None,
    *,
    mailto: str | None = None,
    api_key: str | None = None,
    rate: float = DEFAULT_RATE,
    retry: RetryPolicy | None = None,
    cache: PageCache | None = None,
) -> CrossrefClient:
    """A Crossref client; a Metadata Plus key defaults to the CROSSREF_PLUS_API_TOKEN environment variable."""
    key = api_key or os.environ.get("CROSSREF_PLUS_API_TOKEN")
    headers = {"Crossref-Plus-API-Token": f"Bearer {key}"} if key else None
    return CrossrefClient(api_url or API_URL, rate, mailto=mailto, retry=retry, cache=cache, headers=headers)


def check_page(doc: Any) -> None:
    """A /works list answer: {'message': {'items': [...]}}; else MalformedResponse."""
    message = doc.get("message") if isinstance(doc, dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("items"), list):
        raise MalformedResponse("expected a Crossref work list with 'message.items'")
    if not all(isinstance(w, dict) for w in message["items"]):
        raise MalformedResponse("an item of 'message.items' is not a work object")


def _check_work(doc: Any) -> None:
    if not isinstance(doc, dict) or not isinstance(doc.get("message"), dict):
        raise MalformedResponse("expected a Crossref work with 'message'")


def work_key(item: dict) -> str | None:
    return normalize_doi(item.get("DOI"))


def query_params(query: str | None, filters: list[str], from_year: int | None, to_year: int | None) -> dict[str, Any]:
    """The /works parameters for a search: ``query`` and the comma-joined filters."""
    years = ([f"from-pub-date:{from_year}"] if from_year else []) + ([f"until-pub-date:{to_year}"] if to_year else [])
    return list_params("query", query, filters, years)


def fetch_crossref(
    out: str | Path,
    *,
    query: str | None = None,
    filters: list[str] | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    max_records: int | None = None,
    mailto: str | None = None,
    api_key: str | None = None,
    api_url: str | None = None,
    rows: int = ROWS,
    rate: float = DEFAULT_RATE,
    retry: RetryPolicy | None = None,
    cache: bool = True,
    progress: bool = False,
) -> HarvestResult:
    """Harvest the works matching a query into ``out`` (JSONL, one Crossref item per line); resumable."""
    params = query_params(query, list(filters or []), from_year, to_year)
    fingerprint = {**params, "api_url": api_url or API_URL, "rows": rows}
    return harvest_into(
        out, "crossref", fingerprint,
        lambda pages: make_client(api_url, mailto=mailto, api_key=api_key, rate=rate, retry=retry, cache=pages),
        lambda client, _output: CursorPager(client.page, {**params, "rows": rows}, CURSOR_LIFETIME),
        jsonl_format(work_key), max_records=max_records, cache=cache, progress=progress,
    )
