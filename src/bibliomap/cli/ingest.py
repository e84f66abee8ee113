"""``bibliomap ingest`` and ``bibliomap info``: exports in, one deduplicated Corpus out."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from bibliomap.cli.common import fail, input_files, load_corpus
from bibliomap.cli.engine_options import chosen_engine, engine_option, master_option


def _refuse_overwriting_inputs(paths: list[Path], out: Path | None, report: Path | None) -> None:
    """Exit with an error when --out or --report would replace an input file or each other."""
    inputs = {p.resolve() for p in paths}
    for flag, target in (("--out", out), ("--report", report)):
        if target is not None and target.resolve() in inputs:
            fail(f"{flag} {target}: is one of the input files; give another path")
        if target is not None and target.is_dir():
            fail(f"{flag} {target}: is a folder; give a file path")
    if out is not None and report is not None and out.resolve() == report.resolve():
        fail(f"--out and --report name the same file {out}; give two paths")


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_cmd(
        files: list[Path] = typer.Argument(None, help="Export files, folders or globs. Default: the demo corpus shipped in the package."),
        out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the corpus here (Parquet)."),
        report: Optional[Path] = typer.Option(None, "--report", help="Write the ingest report here (JSON)."),
        format: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format (default: detected from content)."),
        no_dedup: bool = typer.Option(False, "--no-dedup", help="Keep duplicates (no merging)."),
        fuzzy_threshold: float = typer.Option(0.95, "--fuzzy-threshold", min=0.5, max=1.0, help="Title similarity for the fuzzy duplicate rule."),
        engine: str = engine_option(),
        spark_master: Optional[str] = master_option(),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary output."),
    ) -> None:
        """Read, merge and deduplicate export files into one corpus; account for every record."""
        from bibliomap.io.ingest import ingest
        from bibliomap.io.ingest_stored import ingest_to_parquet
        from bibliomap.corpus.ingest_report import print_summary
        from bibliomap.data import demo_files
        from bibliomap.atomic import write_text

        console = Console(stderr=True)
        paths = input_files(files) if files else demo_files()
        _refuse_overwriting_inputs(paths, out, report)
        options = dict(format=format, deduplicate=not no_dedup, fuzzy_threshold=fuzzy_threshold, progress=not quiet)
        with chosen_engine(engine, spark_master):  # Spark: tasks read the files; merging here, a batch at a time with --out
            if out:  # written as it is merged: the corpus is never in memory whole
                documents, rep = ingest_to_parquet(paths, out, **options)
            else:
                corpus = ingest(paths, **options)
                documents, rep = len(corpus), corpus.ingest_report
        if not quiet:
            print_summary(rep, console)
        if report:
            write_text(report, json.dumps(rep, indent=2, ensure_ascii=False) + "\n")
        if documents == 0:
            fail("nothing usable was read from the input", code=1)
        if out and not quiet:
            console.print(f"wrote {documents} records to {out}")

    @app.command("info")
    def info_cmd(
        corpus_or_files: list[Path] = typer.Argument(..., help="A corpus (.parquet) or export files."),
        format: Optional[str] = typer.Option(None, "--format", "-f", help="Force the input format."),
    ) -> None:
        """Counts and field completeness: which analyses the data supports."""
        from bibliomap.corpus.ingest_report import print_completeness, print_summary

        console = Console()
        corpus = load_corpus(corpus_or_files, format=format, quiet=True)
        if corpus.ingest_report:
            print_summary(corpus.ingest_report, console)
        years = corpus.values("year")
        import numpy as np

        ok = ~np.isnan(years)
        span = f"{int(years[ok].min())}-{int(years[ok].max())}" if ok.any() else "unknown"
        dbs = sorted({d for ds in corpus.column("databases").to_pylist() for d in ds})
        console.print(f"{len(corpus)} documents, years {span}, databases: {', '.join(dbs)}")
        print_completeness(corpus.completeness(), len(corpus), console)
