"""PubMed through NCBI E-utilities: esearch with the history server, then efetch in batches of MEDLINE text.

API facts used (NCBI E-utilities help): ``esearch.fcgi?db=pubmed&term=...&usehistory=y``
returns ``count``, ``webenv`` and ``querykey``; ``efetch.fcgi`` with ``WebEnv``,
``query_key``, ``retstart``, ``retmax``, ``rettype=medline&retmode=text`` returns
those records as MEDLINE text (what bibliomap's ``medline`` reader reads); ``tool``
and ``email`` identify the caller; 3 requests per second without an API key, 10 with;
only the first 10,000 records of a search can be fetched.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from bibliomap.harvest import defaults
from bibliomap.harvest.client import (
    ApiClient,
    HarvestError,
    MalformedResponse,
    RetryPolicy,
)
from bibliomap.harvest.paging import MEDLINE_FORMAT, HarvestResult, Page, harvest_into
from bibliomap.harvest.resume import ResumableOutput

API_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_RATE = defaults.PUBMED_RATE
DEFAULT_RATE_WITH_KEY = defaults.PUBMED_RATE_WITH_KEY
BATCH = defaults.PUBMED_BATCH
#: NCBI serves at most the first 10,000 records of one PubMed search through the E-utilities.
SEARCH_LIMIT = 10_000

_RECORD_START = re.compile(r"^PMID- ", re.M)


def split_medline(text: str) -> list[str]:
    """The MEDLINE records of an efetch answer, one string each (starting at its PMID line)."""
    starts = [m.start() for m in _RECORD_START.finditer(text)]
    return [text[a:b].strip("\n") for a, b in zip(starts, starts[1:] + [len(text)])]


def _check_search(doc: Any) -> None:
    result = doc.get("esearchresult") if isinstance(doc, dict) else None
    if not isinstance(result, dict):
        raise MalformedResponse("expected an esearch answer with 'esearchresult'")


class PubMedPager:
    """esearch once (history server), then efetch ``batch`` records per request; the cursor is retstart."""

    first_cursor = "0"

    def __init__(self, client: ApiClient, term: str, identity: dict[str, Any], batch: int = BATCH, output: ResumableOutput | None = None) -> None:
        self.client = client
        self.term = term
        self.identity = identity
        self.batch = batch
        self.output = output
        self.count: int | None = None
        self.history: dict[str, str] = {}

    def search(self) -> None:
        """Run esearch with usehistory=y: the result count and the WebEnv/query_key to fetch from."""
        doc = self.client.get_json(
            "esearch.fcgi",
            {"db": "pubmed", "term": self.term, "usehistory": "y", "retmax": 0, "retmode": "json", **self.identity},
            check=_check_search,
            cached=False,
        )
        result = doc["esearchresult"]
        if result.get("ERROR") or result.get("count") is None:
            raise HarvestError(f"PubMed esearch for {self.term!r}: {result.get('ERROR') or 'no count in the answer'}")
        found = int(result["count"])
        self.count = min(found, SEARCH_LIMIT)
        if self.output is not None and found > SEARCH_LIMIT and not self.output.info.get("capped"):
            self.output.info["capped"] = found
            self.output.info.setdefault("warnings", []).append(
                f"PubMed finds {found:,} records but its E-utilities give only the first {SEARCH_LIMIT:,} of one search; "
                "split the query (e.g. by --from-year/--to-year) and fetch the parts into separate files"
            )
        self.history = {"WebEnv": result.get("webenv", ""), "query_key": result.get("querykey", "")}
        if self.output is not None:
            before = self.output.info.get("count")
            if before is not None and before != self.count:
                self.output.info.setdefault("warnings", []).append(
                    f"PubMed now finds {self.count} records for this query, {before} when the harvest began; "
                    "records already written are not written again"
                )
            self.output.info["count"] = self.count

    def fetch(self, cursor: str) -> Page:
        if self.count is None:
            self.search()  # a resumed run searches again: the history server forgets after a while
        start = int(cursor)
        if start >= self.count:
            return Page([], None, self.count)
        expected = min(self.batch, self.count - start)

        def check(text: str) -> None:
            n = len(_RECORD_START.findall(text))
            if n != expected:
                raise MalformedResponse(f"expected {expected} MEDLINE records from retstart {start}, got {n}")

        text = self.client.get_text(
            "efetch.fcgi",
            {"db": "pubmed", **self.history, "retstart": start, "retmax": expected, "rettype": "medline", "retmode": "text", **self.identity},
            check=check,
        )
        nxt = start + expected
        return Page(split_medline(text), str(nxt) if nxt < self.count else None, self.count)


def fetch_pubmed(
    out: str | Path,
    *,
    query: str,
    from_year: int | None = None,
    to_year: int | None = None,
    max_records: int | None = None,
    mailto: str | None = None,
    api_key: str | None = None,
    api_url: str | None = None,
    batch: int = BATCH,
    rate: float | None = None,
    retry: RetryPolicy | None = None,
    cache: bool = True,
    progress: bool = False,
) -> HarvestResult:
    """Harvest the PubMed records matching ``query`` into ``out`` (MEDLINE text); resumable."""
    api_key = api_key or os.environ.get("NCBI_API_KEY")
    term = query
    if from_year or to_year:
        term = f"({query}) AND ({from_year or 1800}:{to_year or 3000}[dp])"
    identity = {"tool": "bibliomap", "email": mailto, "api_key": api_key}
    limit = rate or (DEFAULT_RATE_WITH_KEY if api_key else DEFAULT_RATE)
    return harvest_into(
        out, "pubmed", {"term": term, "api_url": api_url or API_URL, "batch": batch},
        lambda pages: ApiClient(api_url or API_URL, limit, mailto=mailto, retry=retry, cache=pages),
        lambda client, output: PubMedPager(client, term, identity, batch, output),
        MEDLINE_FORMAT, max_records=max_records, cache=cache, progress=progress,
    )
