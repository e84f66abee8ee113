"""Helpers shared by commands: loading CORPUS_OR_FILES, printing errors without tracebacks."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console


if TYPE_CHECKING:
    from bibliomap.corpus import Corpus

console = Console(stderr=True)


def fail(message: str, code: int = 2) -> None:
    """Print a clear error and exit with ``code`` (never a traceback)."""
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def input_files(args: list[Path] | list[str]) -> list[Path]:
    """The files that command-line inputs name (files, folders, globs, saved corpora), or a clear exit.

    Each argument must give at least one file: a missing path, a glob that matches nothing, a
    folder with no files and anything that is not a regular file (a FIFO, a device) are errors
    that name the argument.
    """
    from bibliomap.io.ingest import expand_paths

    if not args:
        fail("no input: give export files, folders, globs or a saved corpus (.parquet)")
    files: list[Path] = []
    for arg in map(str, args):
        found = expand_paths([arg])
        if not found:
            if any(c in arg for c in "*?["):
                fail(f"{arg}: no file matches this pattern")
            if Path(arg).is_dir():
                fail(f"{arg}: the folder holds no export files")
            fail(f"{arg}: no such file or folder")
        for f in found:
            if not f.exists():
                fail(f"{f}: no such file or folder")
            if not f.is_file():
                fail(f"{f}: not a regular file (a device, FIFO or socket cannot be read as an export)")
        files.extend(found)
    return files


def stored_input(paths: list[Path]):
    """The one saved corpus the inputs name, as a StoredCorpus read on demand (for an engine whose tasks read the
    file), or None: other inputs, or a file that is not a readable, non-empty saved corpus (``load_corpus`` then
    reads it and says why it is unusable)."""
    from bibliomap.corpus.stored import StoredCorpus, StoredCorpusError
    from bibliomap.io.ingest import is_saved_corpus

    files = input_files(paths)
    if len(files) != 1 or not is_saved_corpus(files[0]):
        return None
    try:
        stored = StoredCorpus(files[0])
    except StoredCorpusError:
        return None
    return stored if len(stored) else None


def load_corpus(paths: list[Path], format: str | None = None, quiet: bool = False) -> "Corpus":
    """Saved corpora (.parquet) and export files (or folders, globs) read, merged and deduplicated."""
    from bibliomap.io.ingest import ingest

    corpus = ingest(input_files(paths), format=format, progress=not quiet)
    if len(corpus) == 0:
        from bibliomap.corpus.ingest_report import print_summary, why_nothing_usable

        print_summary(corpus.ingest_report, console)
        fail("nothing usable was read from the input:\n" + why_nothing_usable(corpus.ingest_report), code=1)
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
