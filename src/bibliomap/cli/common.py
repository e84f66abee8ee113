"""Helpers shared by commands: loading CORPUS_OR_FILES, printing errors without tracebacks."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from bibliomap.corpus import Corpus

console = Console(stderr=True)


def fail(message: str, code: int = 2) -> None:
    """Print a clear error and exit with ``code`` (never a traceback)."""
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def load_corpus(paths: list[Path], format: str | None = None, quiet: bool = False) -> Corpus:
    """A saved corpus (one .parquet file) or export files read, merged and deduplicated."""
    if not paths:
        fail("no input: give a corpus (.parquet) or export files")
    for p in paths:
        if not p.exists():
            fail(f"{p}: no such file")
    if len(paths) == 1 and paths[0].suffix.lower() == ".parquet":
        try:
            return Corpus.read_parquet(paths[0])
        except Exception as exc:  # noqa: BLE001
            fail(f"{paths[0]}: not a bibliomap corpus (Parquet): {exc}")
    from bibliomap.corpus.ingest import ingest

    corpus = ingest([str(p) for p in paths], format=format, progress=not quiet)
    if len(corpus) == 0:
        from bibliomap.corpus.ingest_report import print_summary

        print_summary(corpus.ingest_report, console)
        fail("nothing usable was read from the input", code=1)
    return corpus


def load_thesaurus(path: Path):
    """A VOSviewer thesaurus file for any unit, or a clear exit (missing file, bad header or line)."""
    from bibliomap.text.thesaurus import Thesaurus, ThesaurusError

    if not path.exists():
        fail(f"{path}: no such thesaurus file")
    try:
        return Thesaurus.read(path)
    except ThesaurusError as exc:
        fail(str(exc))
