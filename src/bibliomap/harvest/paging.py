"""The harvest loop every API shares: fetch a page at a cursor, append its new records, move on.

An API module supplies a :class:`Pager` (how to fetch the page at a cursor) and a
:class:`RecordFormat` (how a record is written to the output and recognized again);
:func:`run_harvest` does paging to the end or to ``max_records``, de-duplication,
resuming (:mod:`bibliomap.harvest.resume`) and the progress bar.
"""
from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bibliomap.harvest.client import ApiClient

from bibliomap.harvest.cache import PageCache
from bibliomap.harvest.client import HarvestError
from bibliomap.harvest.progress import progress_bar
from bibliomap.harvest.resume import ResumableOutput, cache_path


@dataclasses.dataclass
class Page:
    """One answer: its records, the cursor of the next page (None at the end) and the total hit count."""

    items: list[Any]
    next_cursor: str | None
    total: int | None = None


class Pager(Protocol):
    first_cursor: str

    def fetch(self, cursor: str) -> Page: ...


class CursorPager:
    """Cursor paging (OpenAlex, Crossref): ``cursor=*`` first, then the cursor each page names.

    ``cursor_lifetime``: seconds after which the API forgets a cursor (None: never).
    """

    first_cursor = "*"

    def __init__(self, get_page: Callable[[dict[str, Any]], Page], params: dict[str, Any], cursor_lifetime: float | None = None) -> None:
        self.get_page = get_page
        self.params = params
        self.cursor_lifetime = cursor_lifetime

    def fetch(self, cursor: str) -> Page:
        return self.get_page({**self.params, "cursor": cursor})


def list_params(text_param: str, text: str | None, filters: list[str], year_filters: list[str]) -> dict[str, Any]:
    """A list query's parameters: the free text under ``text_param`` and all filters comma-joined."""
    parts = [*filters, *year_filters]
    params: dict[str, Any] = {}
    if text:
        params[text_param] = text
    if parts:
        params["filter"] = ",".join(parts)
    return params


@dataclasses.dataclass(frozen=True)
class RecordFormat:
    """How records are written (``serialize``), identified (``key``) and found again in a written file."""

    serialize: Callable[[Any], str]
    key: Callable[[Any], str | None]
    keys_in_file: Callable[[Path], Iterator[str]]


def jsonl_format(key: Callable[[dict], str | None]) -> RecordFormat:
    """One JSON object per line (what the OpenAlex and Crossref readers read as JSONL)."""

    def keys_in_file(path: Path) -> Iterator[str]:
        with open(path, encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    k = key(json.loads(line))
                except (ValueError, AttributeError) as exc:
                    raise HarvestError(
                        f"{path}, line {line_no}: not a JSON record ({exc}); the file was changed outside bibliomap: "
                        "delete it and its .state.json to start the harvest again"
                    ) from exc
                if k:
                    yield k

    return RecordFormat(lambda item: json.dumps(item, ensure_ascii=False) + "\n", key, keys_in_file)


_PMID_LINE = re.compile(r"^PMID- *(\d+)", re.M)


def medline_key(record: str) -> str | None:
    m = _PMID_LINE.search(record)
    return m.group(1) if m else None


def _medline_keys(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            m = _PMID_LINE.match(line)
            if m:
                yield m.group(1)


#: MEDLINE records (PubMed's efetch rettype=medline), separated by blank lines.
MEDLINE_FORMAT = RecordFormat(lambda rec: rec.strip("\n") + "\n\n", medline_key, _medline_keys)


@dataclasses.dataclass
class HarvestResult:
    """What a harvest did: records written, pages fetched, API total, resumed or not."""

    out: Path
    records: int
    pages: int
    total: int | None
    duplicates_skipped: int
    resumed: bool
    requests: int = 0
    warnings: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["out"] = str(self.out)
        return d


def run_harvest(
    pager: Pager,
    fmt: RecordFormat,
    output: ResumableOutput,
    *,
    max_records: int | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> HarvestResult:
    """Page from the saved cursor (or the first) to the end or ``max_records``; resumable at every page.

    ``progress(records_written, total)`` is called after each page.
    """
    output.open()
    seen = set(fmt.keys_in_file(output.part)) if output.resumed else set()
    duplicates = 0
    cursor = output.cursor if output.resumed else pager.first_cursor
    lifetime = getattr(pager, "cursor_lifetime", None)
    if cursor is not None and output.resumed and lifetime and time.time() - (output.saved_at or 0) > lifetime:
        # the API has forgotten the saved cursor: page again from the start, skipping what is written
        cursor = pager.first_cursor
        output.clear_cache()  # cached pages name expired cursors too
        output.info.setdefault("warnings", []).append(
            f"the saved cursor had expired (the API keeps one {lifetime:.0f} s): paged again from the start, "
            "skipping the records already written"
        )
    if progress:
        progress(output.records, _target(output.total, max_records))
    while cursor is not None and (max_records is None or output.records < max_records):
        page = pager.fetch(cursor)
        if page.total is not None:
            output.total = page.total
        new: list[Any] = []
        for item in page.items:
            k = fmt.key(item)
            if k is not None and k in seen:
                duplicates += 1
                continue
            if k is not None:
                seen.add(k)
            new.append(item)
        if max_records is not None:
            new = new[: max_records - output.records]
        next_cursor = page.next_cursor if page.items else None
        output.append("".join(fmt.serialize(it) for it in new), len(new), next_cursor)
        cursor = next_cursor
        if progress:
            progress(output.records, _target(output.total, max_records))
    if max_records is None and output.total is not None and output.records < output.total:
        output.info.setdefault("warnings", []).append(
            f"the API reported {output.total:,} records and {output.records:,} were written: "
            "its results changed while paging, or it stopped early"
        )
    output.finish()
    warnings = [str(w) for w in output.info.get("warnings", [])]
    return HarvestResult(output.out, output.records, output.pages, output.total, duplicates, output.resumed, warnings=warnings)


def _target(total: int | None, max_records: int | None) -> int | None:
    if total is None:
        return max_records
    return total if max_records is None else min(total, max_records)


def harvest_into(
    out: str | Path,
    source: str,
    fingerprint: dict[str, Any],
    make_client: Callable[[PageCache | None], "ApiClient"],
    make_pager: Callable[["ApiClient", ResumableOutput], Pager],
    fmt: RecordFormat,
    *,
    max_records: int | None,
    cache: bool,
    progress: bool,
) -> HarvestResult:
    """Wire one API's client and pager to a resumable output file (raw pages cached in OUT.cache/).

    ``fingerprint`` identifies the query: a resumed run must have the same one.
    """
    out = Path(out)
    output = ResumableOutput(out, source, fingerprint)
    with make_client(PageCache(cache_path(out)) if cache else None) as client:
        try:
            with progress_bar(f"{source} records", progress) as update:
                result = run_harvest(make_pager(client, output), fmt, output, max_records=max_records, progress=update)
        finally:
            output.close()
        result.requests = client.requests
    return result
