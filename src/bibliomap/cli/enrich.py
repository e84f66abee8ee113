"""``bibliomap enrich``: complete a corpus (Google Scholar / Publish or Perish records above all) from OpenAlex or Crossref."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from bibliomap.cli.common import fail, load_corpus


def _default_report(out: Path) -> Path:
    return out.with_name(out.stem + ".enrich.json")


def print_enrich_summary(report: dict, console: Console, show: int = 10) -> None:
    """Counts, fields filled, and the first unmatched records with the reason."""
    c = report["counts"]
    console.print(
        f"{c['looked_up']:,} of {c['records']:,} records looked up in {report['source']} "
        f"({c['complete']:,} lacked nothing): {c['matched_by_doi']:,} matched by DOI, "
        f"{c['matched_by_title']:,} by title, {c['unmatched']:,} unmatched; {c['requests']:,} requests",
        highlight=False,
    )
    if report["filled"]:
        console.print("filled: " + ", ".join(f"{k} {v:,}" for k, v in report["filled"].items()), highlight=False)
    if c["snippets_kept"]:
        console.print(
            f"note: {c['snippets_kept']:,} matched records keep their Google Scholar abstract snippet although the work "
            "has the full abstract; --replace-snippets puts it in (the snippet is kept in extra)",
            highlight=False,
        )
    if report["shared_ids"]:
        console.print(
            f"[yellow]note:[/] {len(report['shared_ids']):,} DOIs or OpenAlex ids are now shared by several records "
            "(versions of one work?); they are listed under shared_ids in the report, not merged",
            highlight=False,
        )
    for u in report["unmatched"][:show]:
        console.print(f"  unmatched {escape(str(u['id']))} {escape(repr(u['title']))}: {escape(u['reason'])}", highlight=False)
    if len(report["unmatched"]) > show:
        console.print(f"  ... and {len(report['unmatched']) - show:,} more (see the report)", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("enrich")
    def enrich_cmd(
        corpus_or_files: list[Path] = typer.Argument(..., help="A corpus (.parquet) or export files (a Publish or Perish export, ...)."),
        source: str = typer.Option(..., "--with", help="Where to look records up: openalex or crossref."),
        out: Path = typer.Option(..., "--out", "-o", help="Write the enriched corpus here (Parquet)."),
        report: Optional[Path] = typer.Option(None, "--report", help="Write the enrichment report here (JSON; default OUT-stem.enrich.json)."),
        mailto: Optional[str] = typer.Option(None, "--mailto", help="Your e-mail address: the API's polite pool."),
        api_key: Optional[str] = typer.Option(None, "--api-key", help="OpenAlex API key or Crossref Plus token (or OPENALEX_API_KEY / CROSSREF_PLUS_API_TOKEN)."),
        api_url: Optional[str] = typer.Option(None, "--api-url", help="Another base URL for the API (a mirror, or a test server)."),
        rate: Optional[float] = typer.Option(None, "--rate", min=0.01, help="Client-side limit in requests per second (default: OpenAlex 10, Crossref 3)."),
        replace_snippets: bool = typer.Option(False, "--replace-snippets", help="Replace Google Scholar abstract snippets ('…') with the matched work's full abstract (the snippet is kept in extra)."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Do not keep the API's answers on disk (OUT.cache/)."),
        retries: int = typer.Option(6, "--retries", min=0, max=20, help="Retries of a failed request (429, 5xx, dropped connection), with exponential backoff."),
        format: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary."),
    ) -> None:
        """Find each incomplete record by DOI or a strict title match and fill what it lacks; never overwrite."""
        from bibliomap.harvest import crossref, openalex
        from bibliomap.harvest.cache import PageCache
        from bibliomap.harvest.client import HarvestError, RetryPolicy
        from bibliomap.harvest.enrich import SOURCES, enrich_corpus
        from bibliomap.harvest.progress import progress_bar
        from bibliomap.harvest.resume import cache_path
        from bibliomap.atomic import write_text

        if source not in SOURCES:
            fail(f"--with {escape(source)!r}: expected one of {', '.join(SOURCES)}")
        if out.suffix.lower() != ".parquet":
            fail(f"--out {escape(str(out))}: expected a .parquet file")
        corpus = load_corpus(corpus_or_files, format=format, quiet=quiet)
        module = openalex if source == "openalex" else crossref
        cache = None if no_cache else PageCache(cache_path(out))
        console = Console(stderr=True)
        try:
            with module.make_client(api_url, mailto=mailto, api_key=api_key, rate=rate or module.DEFAULT_RATE, cache=cache, retry=RetryPolicy(max_retries=retries)) as client:
                with progress_bar(f"look-ups in {source}", not quiet) as update:
                    enriched, rep = enrich_corpus(corpus, source, client, replace_snippets=replace_snippets, progress=update)
        except HarvestError as exc:
            fail(f"{escape(str(exc))}. Nothing was written; the answers received so far are cached, so running again resumes quickly.", code=1)
        except KeyboardInterrupt:
            fail("interrupted; nothing was written (answers received so far are cached)", code=130)
        enriched.write_parquet(out)
        report_path = report or _default_report(out)
        write_text(report_path, json.dumps(rep, indent=2, ensure_ascii=False) + "\n")
        if not quiet:
            print_enrich_summary(rep, console)
            console.print(f"wrote {len(enriched):,} records to {escape(str(out))} and the report to {escape(str(report_path))}", highlight=False)
