"""``bibliomap fetch openalex|crossref|pubmed``: a search query in, an export file the readers read out."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from bibliomap.cli.common import fail

_OUT = "Write the records here ({what}); resumable: an interrupted run continues when run again."
_RATE = "Client-side limit in requests per second (default {rate:g}, well under the API's)."

# Options every fetch command has (typer option objects can be shared between commands).
_FROM_YEAR = typer.Option(None, "--from-year", help="Published in or after this year.")
_TO_YEAR = typer.Option(None, "--to-year", help="Published in or before this year.")
_MAX = typer.Option(None, "--max", min=1, help="Stop after this many records.")
_MAILTO = typer.Option(None, "--mailto", help="Your e-mail address: the API's polite pool (sent as mailto/email).")
_API_URL = typer.Option(None, "--api-url", help="Another base URL for the API (a mirror, or a test server).")
_NO_CACHE = typer.Option(False, "--no-cache", help="Do not keep the raw pages on disk (OUT.cache/).")
_QUIET = typer.Option(False, "--quiet", "-q", help="No progress or summary.")
_RETRIES = typer.Option(6, "--retries", min=0, max=20, help="Retries of a failed request (429, 5xx, dropped connection, malformed page), with exponential backoff.")


def _check_filters(filters: list[str]) -> list[str]:
    for f in filters:
        key, sep, value = f.partition(":")
        if not sep or not key.strip() or not value.strip():
            fail(f"--filter {escape(f)!r}: expected KEY:VALUE (e.g. type:article)")
    return filters


def _check_years(from_year: int | None, to_year: int | None) -> None:
    if from_year and to_year and from_year > to_year:
        fail(f"--from-year {from_year} is after --to-year {to_year}")


def _run(harvest, out: Path, quiet: bool, retries: int, **kwargs) -> None:
    """Run one harvest function; print a summary, or a clear error saying the run can be resumed."""
    from bibliomap.harvest.client import HarvestError, RetryPolicy
    from bibliomap.harvest.resume import state_path

    console = Console(stderr=True)
    try:
        result = harvest(out, progress=not quiet, retry=RetryPolicy(max_retries=retries), **kwargs)
    except HarvestError as exc:
        hint = ""
        if state_path(out).exists():
            hint = f" The records fetched so far are kept ({escape(str(state_path(out)))}): run the same command again to continue."
        fail(f"{escape(str(exc))}.{hint}", code=1)
    except KeyboardInterrupt:
        fail(f"interrupted; run the same command again to continue the harvest into {escape(str(out))}", code=130)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    if not quiet:
        total = f" of {result.total:,} found" if result.total is not None else ""
        resumed = ", resumed" if result.resumed else ""
        console.print(
            f"wrote {result.records:,} records{total} to {escape(str(out))} "
            f"({result.pages} pages, {result.requests} requests{resumed}); next: bibliomap ingest {escape(str(out))} --out corpus.parquet",
            highlight=False,
        )
    if result.records == 0:
        console.print("[yellow]warning:[/] the query found no records", highlight=False)


def register(app: typer.Typer) -> None:
    from bibliomap.harvest import defaults

    fetch_app = typer.Typer(
        help="Harvest records from a public API (OpenAlex, Crossref, PubMed) into a file `bibliomap ingest` reads.",
        no_args_is_help=True,
    )
    app.add_typer(fetch_app, name="fetch")

    @fetch_app.command("openalex")
    def openalex_cmd(
        out: Path = typer.Option(..., "--out", "-o", help=_OUT.format(what="JSONL, one OpenAlex work per line")),
        search: Optional[str] = typer.Option(None, "--search", "-s", help="Full-text search (titles, abstracts, full texts)."),
        filters: list[str] = typer.Option([], "--filter", help="An OpenAlex filter KEY:VALUE (repeatable), e.g. type:article."),
        from_year: Optional[int] = _FROM_YEAR,
        to_year: Optional[int] = _TO_YEAR,
        max_records: Optional[int] = _MAX,
        mailto: Optional[str] = _MAILTO,
        api_key: Optional[str] = typer.Option(None, "--api-key", envvar="OPENALEX_API_KEY", help="OpenAlex API key (or OPENALEX_API_KEY)."),
        api_url: Optional[str] = _API_URL,
        per_page: int = typer.Option(defaults.OPENALEX_PER_PAGE, "--per-page", min=1, max=200, help="Works per page."),
        rate: float = typer.Option(defaults.OPENALEX_RATE, "--rate", min=0.01, help=_RATE.format(rate=defaults.OPENALEX_RATE)),
        no_cache: bool = _NO_CACHE,
        retries: int = _RETRIES,
        quiet: bool = _QUIET,
    ) -> None:
        """OpenAlex works matching a search and filters, with cursor paging, into a JSONL file."""
        if not search and not filters:
            fail("give --search and/or --filter (without them the query is all of OpenAlex)")
        _check_years(from_year, to_year)
        if not api_key and not quiet:
            Console(stderr=True).print("note: without --api-key (or OPENALEX_API_KEY) OpenAlex allows only light use; keys are free at openalex.org/settings/api", highlight=False)
        from bibliomap.harvest.openalex import fetch_openalex

        _run(fetch_openalex, out, quiet, retries, search=search, filters=_check_filters(filters), from_year=from_year,
             to_year=to_year, max_records=max_records, mailto=mailto, api_key=api_key, api_url=api_url,
             per_page=per_page, rate=rate, cache=not no_cache)

    @fetch_app.command("crossref")
    def crossref_cmd(
        out: Path = typer.Option(..., "--out", "-o", help=_OUT.format(what="JSONL, one Crossref work per line")),
        query: Optional[str] = typer.Option(None, "--query", help="Crossref's free-form query."),
        filters: list[str] = typer.Option([], "--filter", help="A Crossref filter NAME:VALUE (repeatable), e.g. type:journal-article."),
        from_year: Optional[int] = _FROM_YEAR,
        to_year: Optional[int] = _TO_YEAR,
        max_records: Optional[int] = _MAX,
        mailto: Optional[str] = _MAILTO,
        api_key: Optional[str] = typer.Option(None, "--api-key", envvar="CROSSREF_PLUS_API_TOKEN", help="Crossref Metadata Plus token (or CROSSREF_PLUS_API_TOKEN)."),
        api_url: Optional[str] = _API_URL,
        rows: int = typer.Option(defaults.CROSSREF_ROWS, "--rows", min=1, max=1000, help="Works per page."),
        rate: float = typer.Option(defaults.CROSSREF_RATE, "--rate", min=0.01, help=_RATE.format(rate=defaults.CROSSREF_RATE)),
        no_cache: bool = _NO_CACHE,
        retries: int = _RETRIES,
        quiet: bool = _QUIET,
    ) -> None:
        """Crossref works matching a query and filters, with cursor paging, into a JSONL file."""
        if not query and not filters:
            fail("give --query and/or --filter (without them the query is all of Crossref)")
        _check_years(from_year, to_year)
        from bibliomap.harvest.crossref import fetch_crossref

        _run(fetch_crossref, out, quiet, retries, query=query, filters=_check_filters(filters), from_year=from_year,
             to_year=to_year, max_records=max_records, mailto=mailto, api_key=api_key, api_url=api_url, rows=rows,
             rate=rate, cache=not no_cache)

    @fetch_app.command("pubmed")
    def pubmed_cmd(
        out: Path = typer.Option(..., "--out", "-o", help=_OUT.format(what="MEDLINE text")),
        query: str = typer.Option(..., "--query", help="A PubMed query, as in PubMed's search box."),
        from_year: Optional[int] = _FROM_YEAR,
        to_year: Optional[int] = _TO_YEAR,
        max_records: Optional[int] = _MAX,
        mailto: Optional[str] = _MAILTO,
        api_key: Optional[str] = typer.Option(None, "--api-key", envvar="NCBI_API_KEY", help="NCBI API key (or NCBI_API_KEY): 10 requests/s instead of 3."),
        api_url: Optional[str] = _API_URL,
        batch: int = typer.Option(defaults.PUBMED_BATCH, "--batch", min=1, max=10000, help="Records per efetch request."),
        rate: Optional[float] = typer.Option(None, "--rate", min=0.01, help=f"Client-side limit in requests per second (default {defaults.PUBMED_RATE:g}, or {defaults.PUBMED_RATE_WITH_KEY:g} with an API key)."),
        no_cache: bool = _NO_CACHE,
        retries: int = _RETRIES,
        quiet: bool = _QUIET,
    ) -> None:
        """PubMed records matching a query (E-utilities: esearch with history, efetch in batches) as MEDLINE text."""
        _check_years(from_year, to_year)
        from bibliomap.harvest.pubmed import fetch_pubmed

        _run(fetch_pubmed, out, quiet, retries, query=query, from_year=from_year, to_year=to_year, max_records=max_records,
             mailto=mailto, api_key=api_key, api_url=api_url, batch=batch, rate=rate, cache=not no_cache)
