"""``bibliomap metrics`` (the Publish or Perish metric set) and ``bibliomap describe`` (all tables)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.table import Table

from bibliomap.cli.common import fail, load_corpus


_PLAIN = {"reference_year", "publication_year_min", "publication_year_max"}


def _fmt(value: Any, key: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return str(value) if key in _PLAIN else f"{value:,}"
    return str(value)


def metrics_json(metrics: dict[str, Any]) -> str:
    """The metrics as JSON: the fixed keys first in their documented order, then the extras."""
    from bibliomap.analysis.citation_metrics import METRIC_KEYS

    ordered = {k: metrics[k] for k in METRIC_KEYS}
    ordered.update({k: v for k, v in metrics.items() if k not in ordered})
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def print_metrics(metrics: dict[str, Any], console: Console) -> None:
    """The PoP metrics table; author-based rows are marked when author lists were truncated."""
    from bibliomap.analysis.citation_metrics import LABELS

    flagged = set(metrics.get("truncated_author_metrics") or [])
    table = Table(title=f"Citation metrics (reference year {metrics['reference_year']}, from {metrics['reference_year_source']})")
    table.add_column("Metric")
    table.add_column("Value", justify="right")
    for key, label in LABELS.items():
        if key in metrics:
            mark = " *" if key in flagged else ""
            table.add_row(label + mark, _fmt(metrics[key], key))
    console.print(table)
    if flagged:
        console.print(
            f"* {metrics['author_counts_truncated']} paper(s) have truncated author lists: author counts are lower "
            "bounds, so the marked per-author figures are upper bounds."
        )


def _check_year(year: Optional[int], option: str = "--query-year") -> None:
    if year is not None and not 1000 <= year <= 3000:
        fail(f"{option} {year}: expected a four-digit year")


def register(app: typer.Typer) -> None:
    @app.command("metrics")
    def metrics_cmd(
        corpus_or_files: list[Path] = typer.Argument(..., help="A corpus (.parquet) or export files."),
        query_year: Optional[int] = typer.Option(None, "--query-year", help="Reference year when the data has no PoP QueryDate (default: this year)."),
        reference_year: Optional[int] = typer.Option(None, "--reference-year", help="Force the reference year (overrides the data's query date and --query-year)."),
        json_out: Optional[Path] = typer.Option(None, "--json", help="Write the metrics as JSON to this file ('-' = standard output, table omitted)."),
        format: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format."),
    ) -> None:
        """The Publish or Perish citation metrics of a corpus (h, g, e, hc, hI, hm, hA, AWCR, ACC, ...)."""
        from bibliomap.analysis.citation_metrics import pop_metrics
        from bibliomap.atomic import write_text

        _check_year(query_year)
        _check_year(reference_year, "--reference-year")
        corpus = load_corpus(corpus_or_files, format=format, quiet=True)
        metrics = pop_metrics(corpus, query_year, reference_year=reference_year)
        text = metrics_json(metrics)
        if json_out is not None and str(json_out) == "-":
            typer.echo(text, nl=False)
            return
        print_metrics(metrics, Console())
        if json_out is not None:
            write_text(json_out, text)
            Console(stderr=True).print(f"wrote {json_out}")

    @app.command("describe")
    def describe_cmd(
        corpus_or_files: list[Path] = typer.Argument(..., help="A corpus (.parquet) or export files."),
        out: Path = typer.Option(..., "--out", "-o", help="Output folder for the tables (CSV, tables.xlsx) and figures."),
        top: int = typer.Option(10, "--top", min=1, help="Rows of each top-N table."),
        sjr: Optional[Path] = typer.Option(None, "--sjr", help="SCImago Journal Rank CSV for journal quartiles."),
        query_year: Optional[int] = typer.Option(None, "--query-year", help="Reference year when the data has no PoP QueryDate (default: this year)."),
        reference_year: Optional[int] = typer.Option(None, "--reference-year", help="Force the reference year (overrides the data's query date and --query-year)."),
        exclude_last_year: bool = typer.Option(False, "--exclude-last-year", help="Leave the latest (incomplete) year out of the annual growth rate."),
        no_charts: bool = typer.Option(False, "--no-charts", help="Write the tables only."),
        format: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format."),
    ) -> None:
        """Main information, top-N tables, local impact, Lotka, Bradford and quartiles, as CSV/XLSX and charts."""
        import pandas as pd

        from bibliomap.analysis.descriptive import describe
        from bibliomap.analysis.quartiles import SJRFormatError, read_sjr
        from bibliomap.atomic import write_text
        from bibliomap.io.tables import table_to_csv, write_tables

        _check_year(query_year)
        _check_year(reference_year, "--reference-year")
        if sjr is not None and not sjr.exists():
            fail(f"{sjr}: no such file")
        sjr_frame = None
        if sjr is not None:
            try:
                sjr_frame = read_sjr(sjr)
            except SJRFormatError as exc:
                fail(str(exc))
        corpus = load_corpus(corpus_or_files, format=format, quiet=True)
        result = describe(corpus, top=top, query_year=query_year, exclude_last_year=exclude_last_year, sjr=sjr_frame,
                          reference_year=reference_year)
        console = Console(stderr=True)
        paths = write_tables(result.tables, out)
        write_text(out / "metrics.json", metrics_json(result.metrics))
        if result.quartiles is not None:
            per_record = pd.DataFrame(
                {
                    "id": corpus.column("id").to_pylist(),
                    "source_title": corpus.column("source_title").to_pylist(),
                    "quartile": result.quartiles.quartile,
                    "matched_by": result.quartiles.matched_by,
                }
            )
            paths.append(table_to_csv(per_record, out / "record_quartiles.csv"))
            rate = result.quartiles.match_rate
            console.print(
                f"quartiles: {'n/a' if rate is None else f'{100 * rate:.1f}%'} of records matched the SJR file; "
                f"{len(result.quartiles.unmatched)} unmatched source(s) listed in unmatched_sources.csv"
            )
        if not no_charts:
            from bibliomap.viz.charts import describe_charts

            paths += describe_charts(result, out / "figures", top=top)
        console.print(f"wrote {len(paths) + 1} files to {out} ({len(corpus)} documents, reference year {result.reference_year})")
