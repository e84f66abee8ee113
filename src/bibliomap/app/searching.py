"""The Search page's harvest: a query to OpenAlex, Crossref or PubMed through the library's ``fetch_*``
functions, run in a background thread, its file moved into the project's uploads when complete.

A search writes into ``searches/<id>/`` of the project, so its part, state and page-cache files never
appear among the uploads; only the finished file is moved (atomically) into ``uploads/``. Progress is
read from the harvest's state file, which the library rewrites after every page.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Any

from bibliomap.app.store import Store
from bibliomap.app.workspace import UPLOADS, safe_filename

#: source -> (name shown, extension of the file it writes: JSONL works, or MEDLINE text)
SOURCES = {"openalex": ("OpenAlex", ".jsonl"), "crossref": ("Crossref", ".jsonl"), "pubmed": ("PubMed", ".txt")}
DEFAULT_MAX = 1000
DEFAULT_RETRIES = 6
SEARCHES = "searches"


class SearchFormError(ValueError):
    """A form value the search cannot use; the message names the field."""


def _int_field(form: Any, name: str, label: str, low: int, high: int) -> int | None:
    raw = str(form.get(name) or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise SearchFormError(f"{label}: {raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise SearchFormError(f"{label}: {value} is not between {low:,} and {high:,}")
    return value


def parse_form(form: Any) -> dict[str, Any]:
    """The search the form describes (the API key aside); SearchFormError when a value is unusable."""
    source = str(form.get("source") or "")
    if source not in SOURCES:
        raise SearchFormError(f"source: expected one of {', '.join(n for n, _ in SOURCES.values())}")
    query = " ".join(str(form.get("query") or "").split())
    if not query:
        raise SearchFormError("query: type what to search for")
    from_year = _int_field(form, "from_year", "from year", 1000, 2999)
    to_year = _int_field(form, "to_year", "to year", 1000, 2999)
    if from_year and to_year and from_year > to_year:
        raise SearchFormError(f"from year {from_year} is after to year {to_year}")
    filters = [f.strip() for f in str(form.get("filters") or "").splitlines() if f.strip()]
    for f in filters:  # as the command line's --filter
        if not re.fullmatch(r"[\w.-]+:\S.*", f):
            raise SearchFormError(f"filters: {f!r} is not KEY:VALUE (e.g. type:article)")
    if filters and source == "pubmed":
        raise SearchFormError("filters: PubMed takes its filters inside the query (e.g. review[pt])")
    max_records = _int_field(form, "max_records", "maximum records", 1, 10_000_000)
    retries = _int_field(form, "retries", "retries", 0, 20)
    api_url = str(form.get("api_url") or "").strip()
    if api_url and not re.match(r"https?://[^/\s]+", api_url):
        raise SearchFormError(f"API URL: {api_url!r} is not an http:// or https:// URL")
    return {"source": source, "query": query, "filters": filters, "from_year": from_year, "to_year": to_year,
            "max_records": DEFAULT_MAX if max_records is None else max_records,
            "mailto": str(form.get("mailto") or "").strip() or None, "api_url": api_url or None,
            "retries": DEFAULT_RETRIES if retries is None else retries}


def file_name(source: str, query: str, search_id: int) -> str:
    """The upload a search becomes, e.g. ``openalex-video-to-music-generation-3.jsonl``."""
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")[:40].strip("-") or "search"
    return safe_filename(f"{source}-{slug}-{search_id}{SOURCES[source][1]}")


def work_path(folder: Path, search: dict[str, Any]) -> Path:
    """Where the harvest writes while it runs (beside the uploads, not among them)."""
    return folder / SEARCHES / str(int(search["id"])) / search["file"]


def progress(folder: Path, search: dict[str, Any]) -> tuple[int, int | None]:
    """(records written, the API's total) of a search: from the store once finished, else from the state file."""
    if search["status"] != "running":
        return search["records"] or 0, search["total"]
    from bibliomap.harvest.resume import state_path

    try:
        state = json.loads(state_path(work_path(folder, search)).read_text(encoding="utf-8"))
        return int(state.get("records") or 0), state.get("total")
    except (OSError, ValueError, TypeError):
        return 0, None  # not started yet, or the state file is being replaced


def short_error(message: str) -> str:
    """A harvest error without the long query string of the failed request's URL (kept: the address itself)."""
    where, sep, rest = message.partition(": ")
    if sep and re.match(r"https?://\S+\?", where):
        return f"{where.split('?', 1)[0]}: {rest}"
    return message


def remove_work_folders(projects: Path) -> None:
    """After a restart (no search runs): what interrupted searches were writing goes (nothing was added)."""
    for folder in projects.glob(f"*/{SEARCHES}"):
        shutil.rmtree(folder, ignore_errors=True)


def start(store: Store, folder: Path, search_id: int, api_key: str | None) -> threading.Thread:
    """Run the search in a daemon thread (the harvest waits on the network, not the CPU)."""
    thread = threading.Thread(target=run_search, args=(store, folder, search_id, api_key), name=f"bibliomap-search-{search_id}", daemon=True)
    thread.start()
    return thread


def run_search(store: Store, folder: Path, search_id: int, api_key: str | None) -> None:
    """Harvest with the library, then move the file into the uploads; the outcome goes to the store."""
    from bibliomap.harvest.client import HarvestError, RetryPolicy
    from bibliomap.harvest.crossref import fetch_crossref
    from bibliomap.harvest.openalex import fetch_openalex
    from bibliomap.harvest.pubmed import fetch_pubmed

    search = store.search(search_id)
    if search is None:  # its project was deleted before the search began
        return
    params = json.loads(search["params"])
    source, out = search["source"], work_path(folder, search)
    text = {"search": search["query"]} if source == "openalex" else {"query": search["query"]}
    if params.get("filters"):
        text["filters"] = params["filters"]
    fetch = {"openalex": fetch_openalex, "crossref": fetch_crossref, "pubmed": fetch_pubmed}[source]
    try:
        result = fetch(out, **text, from_year=params["from_year"], to_year=params["to_year"], max_records=params["max_records"],
                       mailto=params["mailto"], api_key=api_key, api_url=params["api_url"],
                       retry=RetryPolicy(max_retries=params["retries"]), progress=False)
        if result.records:
            os.replace(out, folder / UPLOADS / search["file"])
    except HarvestError as exc:
        records, total = progress(folder, search)
        store.finish_search(search_id, "failed", f"{short_error(str(exc))}. Nothing was added to the project's files.", records, total)
    except Exception as exc:  # noqa: BLE001 - shown on the page; the project stays usable
        store.finish_search(search_id, "failed", f"{type(exc).__name__}: {exc}. Nothing was added to the project's files.")
    else:
        found = f" of {result.total:,} found" if result.total is not None else ""
        if result.records:
            message = f"{result.records:,} records{found} added to the project's files as {search['file']}; read them on the Data page"
        else:
            message = "the query found no records; nothing was added"
        store.finish_search(search_id, "done", "; ".join([message, *result.warnings]), result.records, result.total)
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
        if store.search(search_id) is None:  # the project was deleted meanwhile: leave nothing behind
            shutil.rmtree(folder, ignore_errors=True)
