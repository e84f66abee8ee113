"""Ingest straight to a saved corpus: the merged corpus is written a batch at a time, never held in memory whole.

``ingest_to_parquet(paths, out)`` writes the file that ``ingest(paths).write_parquet(out)`` writes
(the same records, ids, merges and ingest report), in memory that does not grow with the
abstracts and references of the corpus:

1. the exports are read into parts on disk (``io.parts``: this process's spilled Arrow files, or
   the Parquet files of an engine's reading tasks, :func:`reading_parts_with`);
2. the parts are read once for the deduplication keys (``corpus.dedup.dedup_keys``, a batch at a
   time), the duplicate groups are found from the keys alone (``duplicates_by_keys``, blocked on
   an engine when one is chosen), and the rows of the groups are read again and merged;
3. the parts are read a third time and the kept rows, the merged rows in their heads' places,
   are written to the output as they go.

What stays in memory is the keys (identifiers, normalized title, first surname, year, volume,
source: a few hundred bytes per record), the duplicate groups' rows and one batch.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ContextManager

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bibliomap.atomic import atomic_path
from bibliomap.corpus.corpus import Corpus, report_metadata
from bibliomap.corpus.dedup import DedupKeys, concat_keys, dedup_keys, duplicates_by_keys
from bibliomap.corpus.schema import SCHEMA
from bibliomap.corpus.stored import StoredCorpus, StoredCorpusError
from bibliomap.io.ingest import (_READ_SHARE, _doc_id, _read_all, expand_paths, ingest, is_saved_corpus,
                                 merge_duplicate_groups, report_totals)
from bibliomap.io.parts import Part
from bibliomap.scoped import set_within

#: rows per row group of the written corpus (buffered before each write)
WRITE_ROWS = 50_000

#: (files, format) -> a context giving, per file in order, its parts and report entry; the parts live as long as the context
ReadParts = Callable[[list[Path], "str | None"], ContextManager[list[tuple[list[Part], dict[str, Any]]]]]

_PART_READER: contextvars.ContextVar[ReadParts | None] = contextvars.ContextVar("bibliomap_part_reader", default=None)


def reading_parts_with(read_parts: ReadParts) -> contextlib.AbstractContextManager:
    """Within the block, :func:`ingest_to_parquet` reads the exports into parts with ``read_parts`` (an engine's)."""
    return set_within(_PART_READER, read_parts)


def _saved_corpus_part(path: Path) -> tuple[list[Part], dict[str, Any]]:
    """A saved corpus given among the inputs: itself as the part (its rows count as records read)."""
    rep: dict[str, Any] = {"path": str(path), "format": "bibliomap-corpus", "encoding": "binary", "read": 0,
                           "kept": 0, "duplicates": 0, "rejected": [], "warnings": []}
    try:
        stored = StoredCorpus(path)
    except StoredCorpusError as exc:
        rep["error"] = f"{path}: not a bibliomap corpus (Parquet written by 'bibliomap ingest --out'): {exc}"
        return [], rep
    rep["read"] = len(stored)
    return [Part(str(path))], rep


def in_process_parts(progress: bool = False, workers: int | None = None,
                     on_progress: Callable[[str, float], None] | None = None) -> ReadParts:
    """The reader of this process: each export read (by a process pool when large) into an Arrow file in a temporary folder."""

    @contextlib.contextmanager
    def read_parts(files: list[Path], format: str | None) -> Iterator[list[tuple[list[Part], dict[str, Any]]]]:
        folder = tempfile.mkdtemp(prefix="bibliomap-ingest-")
        try:
            exports = [f for f in files if not is_saved_corpus(f)]
            n_workers = (os.cpu_count() or 1) if workers is None else workers
            read = iter(_read_all(exports, format, progress, n_workers, folder, on_progress))
            out = []
            for f in files:
                if is_saved_corpus(f):
                    out.append(_saved_corpus_part(f))
                    continue
                spilled, rep = next(read)
                out.append(([Part(spilled)] if isinstance(spilled, str) else [], rep))
            yield out
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return read_parts


class _Located:
    """The parts of all files in order, each with its file's index; read through, batches carry their global row numbers."""

    def __init__(self, parts: list[tuple[int, Part]]) -> None:
        self.parts = parts

    def tables(self) -> Iterator[tuple[int, int, pa.Table]]:
        """(file index, first global row, table) for every batch of every part, in order."""
        at = 0
        for fi, part in self.parts:
            for table in part.tables():
                yield fi, at, table
                at += table.num_rows


def _keys_and_origin(located: _Located, deduplicate: bool) -> tuple[DedupKeys | None, np.ndarray]:
    """The deduplication keys of every record (None without deduplication) and the file index of each."""
    keys: list[DedupKeys] = []
    origin: list[np.ndarray] = []
    for fi, _, table in located.tables():
        origin.append(np.full(table.num_rows, fi, dtype=np.int32))
        if deduplicate:
            keys.append(dedup_keys(table))
    return (concat_keys(keys) if deduplicate else None), (np.concatenate(origin) if origin else np.zeros(0, np.int32))


def _rows_of(located: _Located, wanted: np.ndarray) -> dict[int, dict[str, Any]]:
    """The records at the global rows ``wanted`` (sorted), as dicts, read from the parts."""
    out: dict[int, dict[str, Any]] = {}
    if not wanted.size:
        return out
    for _, start, table in located.tables():
        lo, hi = np.searchsorted(wanted, [start, start + table.num_rows])
        if lo == hi:
            continue
        rows = wanted[lo:hi]
        for i, row in zip(rows.tolist(), table.take(pa.array(rows - start)).to_pylist()):
            out[i] = row
    return out


def _merged(located: _Located, groups: list[list[int]], rule_of: dict[int, str], kept_idx: np.ndarray
            ) -> tuple[pa.Table | None, list[dict[str, Any]]]:
    """The merged record of every duplicate group (as a table, row k for group k) and the report's merge entries."""
    if not groups:
        return None, []
    rows = _rows_of(located, np.unique(np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])))
    merged_rows, merges = merge_duplicate_groups(groups, ([rows.pop(i) for i in g] for g in groups), rule_of, kept_idx)
    return Corpus.from_records(merged_rows).table, merges


def _write(located: _Located, out: str | Path, report: dict[str, Any], is_dup: np.ndarray,
           head_of: dict[int, int], merged: pa.Table | None) -> None:
    """The kept rows in input order (each group's merged row in its head's place), numbered D000001..., written to ``out``
    (a row group per ``WRITE_ROWS`` rows, the report in the schema metadata)."""
    id_index = SCHEMA.get_field_index("id")
    special = np.union1d(np.flatnonzero(is_dup), np.fromiter(head_of, dtype=np.int64, count=len(head_of)))
    written = 0
    buffered: list[pa.Table] = []
    with pq.ParquetWriter(out, SCHEMA.with_metadata(report_metadata(report)), compression="zstd") as writer:
        def flush() -> None:
            nonlocal written, buffered
            table = pa.concat_tables(buffered)
            ids = pa.array([_doc_id(k) for k in range(written, written + table.num_rows)], type=pa.string())
            writer.write_table(table.set_column(id_index, SCHEMA.field("id"), ids))
            written += table.num_rows
            buffered = []

        for _, start, table in located.tables():
            end = start + table.num_rows
            lo, hi = np.searchsorted(special, [start, end])
            prev = start
            for idx in special[lo:hi].tolist():
                if idx > prev:
                    buffered.append(table.slice(prev - start, idx - prev))
                if idx in head_of:
                    buffered.append(merged.slice(head_of[idx], 1))  # type: ignore[union-attr]
                prev = idx + 1
            if prev < end:
                buffered.append(table.slice(prev - start, end - prev))
            if sum(t.num_rows for t in buffered) >= WRITE_ROWS:
                flush()
        if buffered:
            flush()


def ingest_to_parquet(
    paths: Sequence[str | os.PathLike],
    out: str | Path,
    format: str | None = None,
    deduplicate: bool = True,
    fuzzy: bool = True,
    fuzzy_threshold: float = 0.95,
    progress: bool = False,
    workers: int | None = None,
    on_progress: Callable[[str, float], None] | None = None,
) -> tuple[int, dict[str, Any] | None]:
    """Read ``paths`` (files, folders, globs), merge duplicates and write the corpus to ``out`` (Parquet,
    atomically); return the number of documents written and the ingest report. The file is what :func:`bibliomap.io.ingest.ingest` then
    ``Corpus.write_parquet`` give, but the corpus is never in memory whole (see the module's
    docstring). When no record is kept, nothing is written (the report says why).
    """
    files = expand_paths(paths)
    if len(files) == 1 and is_saved_corpus(files[0]):  # one saved corpus: taken as saved
        corpus = ingest(files)
        if len(corpus):
            corpus.write_parquet(out)
        return len(corpus), corpus.ingest_report
    try:
        with atomic_path(out) as tmp:  # opened first: an output that cannot be written stops the ingest before it starts
            return _ingest_into(files, tmp, format, deduplicate, fuzzy, fuzzy_threshold,
                                _PART_READER.get() or in_process_parts(progress, workers, on_progress), on_progress)
    except _NothingKept as nothing:
        return 0, nothing.report


class _NothingKept(Exception):
    """No record was kept: the output is not written (raised through ``atomic_path``, which then removes its file)."""

    def __init__(self, report: dict[str, Any]) -> None:
        super().__init__("no record kept")
        self.report = report


def _ingest_into(files: list[Path], target: Path, format: str | None, deduplicate: bool, fuzzy: bool,
                 fuzzy_threshold: float, read_parts: ReadParts, on_progress: Callable[[str, float], None] | None
                 ) -> tuple[int, dict[str, Any]]:
    """The work of :func:`ingest_to_parquet`, the corpus written to ``target``."""
    with read_parts(files, format) as landed:
        file_reports = [rep for _, rep in landed]
        located = _Located([(fi, part) for fi, (parts, _) in enumerate(landed) for part in parts])
        if on_progress is not None:
            on_progress("reading the deduplication keys", _READ_SHARE)
        keys, origin = _keys_and_origin(located, deduplicate)
        n = len(origin)
        if on_progress is not None:
            on_progress(f"finding duplicates among {n:,} records", _READ_SHARE + 0.03)
        groups, rule_of = duplicates_by_keys(keys, fuzzy, fuzzy_threshold) if keys is not None and n else ([], {})
        del keys
        is_dup = np.zeros(n, dtype=bool)
        for g in groups:
            is_dup[g[1:]] = True
        kept_idx = np.flatnonzero(~is_dup)
        for fi, rep in enumerate(file_reports):
            mine = origin == fi
            rep["kept"] = int((mine & ~is_dup).sum())
            rep["duplicates"] = int((mine & is_dup).sum())
        if on_progress is not None:
            on_progress(f"merging {len(groups):,} duplicate groups", _READ_SHARE + 0.06)
        merged, merges = _merged(located, groups, rule_of, kept_idx)
        report = {"files": file_reports, "totals": report_totals(file_reports), "merges": merges}
        if not len(kept_idx):
            raise _NothingKept(report)
        if on_progress is not None:
            on_progress(f"writing {len(kept_idx):,} documents", _READ_SHARE + 0.09)
        _write(located, target, report, is_dup, {int(g[0]): k for k, g in enumerate(groups)}, merged)
    if on_progress is not None:
        on_progress(f"{len(kept_idx):,} documents", 1.0)
    return len(kept_idx), report
