"""Ingest: read export files, finalize records, merge duplicates, account for every record.

``ingest(paths)`` returns a Corpus whose ``ingest_report`` says, per file, how many
records were read, kept, merged as duplicates and rejected (with a reason each):
read = kept + duplicates + rejected. The report's keys are a contract of the
``bibliomap ingest --report`` command.
"""
from __future__ import annotations

import glob
import os
import shutil
import tempfile
import contextlib
import contextvars
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from bibliomap.corpus.corpus import Corpus
from bibliomap.corpus.dedup import find_duplicates, merge_group
from bibliomap.corpus.finalize import KEYS_PENDING, finalize_record
from bibliomap.corpus.references import reference_keys, reference_keys_array
from bibliomap.corpus.schema import SCHEMA
from bibliomap.io.read import read_file
from bibliomap.scoped import set_within

#: Records are converted to Arrow in chunks of this size, so memory stays columnar.
_CHUNK = 5_000
#: Inputs larger than this (in bytes, over several files) are read by a process pool (below it,
#: starting the workers costs more than it saves on two cores: 35 MB read in 3.7 s alone, 7.1 s with 2 workers, on a loaded machine).
_PARALLEL_BYTES = 200_000_000
#: Inputs larger than this (in bytes) keep their records in memory-mapped files (see ``spill``).
_SPILL_BYTES = 300_000_000

_SKIP_NAMES = {"readme.md", "readme.txt", "license", "provenance.txt"}


def expand_paths(paths: Sequence[str | os.PathLike]) -> list[Path]:
    """Files named, globbed or inside named folders (sorted; READMEs and licenses skipped)."""
    out: list[Path] = []
    for p in paths:
        s = str(p)
        matches = sorted(glob.glob(s)) if any(c in s for c in "*?[") else [s]
        for m in matches:
            path = Path(m)
            if path.is_dir():
                for f in sorted(path.iterdir()):
                    if f.is_file() and not f.name.startswith(".") and f.name.lower() not in _SKIP_NAMES and not f.name.lower().startswith("license"):
                        out.append(f)
            else:
                out.append(path)
    return out


class _ChunkSink:
    """Where finished Arrow chunks go: kept in memory, or spilled to an Arrow IPC file on disk."""

    def __init__(self, spill: str | None) -> None:
        self.spill = spill
        self.tables: list[pa.Table] = []
        self._sink = self._writer = None
        if spill is not None:
            self._sink = pa.OSFile(spill, "wb")
            self._writer = pa.ipc.new_file(self._sink, SCHEMA)

    def add(self, table: pa.Table) -> None:
        if self._writer is not None:
            self._writer.write_table(table)
        else:
            self.tables.append(table)

    def result(self) -> list[pa.Table] | str:
        if self._writer is not None:
            self._writer.close()
            self._sink.close()
            return self.spill
        return self.tables


#: (files, format) -> per file, in order: (Arrow chunks, report entry), as read_one_file gives
ReadFiles = Callable[[list[Path], "str | None"], list[tuple[list[pa.Table], dict[str, Any]]]]


#: the reader ingest uses when given none (None: this process's pool); set by an engine
_READER: contextvars.ContextVar[ReadFiles | None] = contextvars.ContextVar("bibliomap_reader", default=None)


def reading_with(read_files: ReadFiles) -> contextlib.AbstractContextManager:
    """Within the block, :func:`ingest` reads files with ``read_files`` (how an engine hands its reader down)."""
    return set_within(_READER, read_files)


def read_one_file(path: Path, format: str | None = None,
                  read: Callable[..., Any] = read_file) -> tuple[list[pa.Table], dict[str, Any]]:
    """One file read and finalized into Arrow chunks, with its ingest report entry (for other engines' tasks).

    ``read`` is ``read_file`` or a stand-in with its signature (a split of the file: ``io.read.read_split``)."""
    tables, rep = _read_one(Path(path), format, read=read)
    return (_mapped_tables(tables) if isinstance(tables, str) else tables), rep


#: Files from this size (bytes) report progress within themselves, every ``_PROGRESS_EVERY`` records.
_PROGRESS_BYTES = 4_000_000
_PROGRESS_EVERY = 1_000


def _line_count(path: Path) -> int:
    """Lines in a file (one pass over its bytes, block by block)."""
    n = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            n += block.count(b"\n")
    return n + 1


def _read_one(path: Path, format: str | None, spill: str | None = None,
              on_fraction: Callable[[float, int], None] | None = None,
              read: Callable[..., Any] = read_file) -> tuple[list[pa.Table] | str, dict[str, Any]]:
    """Read and finalize one file into Arrow chunks, with its report entry (runs in workers too).

    Records stream from the reader through ``finalize_record`` into Arrow chunks of
    ``_CHUNK`` rows, so at most one chunk exists as Python objects at a time. With
    ``spill`` (a file path) the chunks go to an Arrow IPC file instead of memory.
    ``on_fraction(share of the file read, records so far)`` follows a large file through its
    records' line numbers (a file whose records carry none is reported only when done).
    """
    if is_saved_corpus(path):
        return _read_saved_corpus(path)
    sink = _ChunkSink(spill)
    pending: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    lines = _line_count(path) if on_fraction is not None and path.stat().st_size >= _PROGRESS_BYTES else 0
    seen = 0

    def take(rec: dict[str, Any]) -> None:
        nonlocal pending, seen
        seen += 1
        if lines and seen % _PROGRESS_EVERY == 0:
            line = (rec.get("provenance") or [{}])[0].get("line")
            if isinstance(line, int):
                on_fraction(min(line / lines, 1.0), seen)
        try:
            pending.append(finalize_record(rec, defer_keys=True))
        except Exception as exc:  # noqa: BLE001 - a bad record must not stop the run
            prov = (rec.get("provenance") or [{}])[0]
            failed.append({"record": prov.get("record"), "line": prov.get("line"), "reason": f"could not normalize the record: {type(exc).__name__}: {exc}"})
        if len(pending) >= _CHUNK:
            sink.add(_records_table(pending))
            pending = []

    result = read(path, format=format, on_record=take)
    if pending:
        sink.add(_records_table(pending))
    rep: dict[str, Any] = {
        "path": str(path),
        "format": result.format,
        "encoding": result.encoding,
        "read": result.n_read,
        "kept": 0,
        "duplicates": 0,
        "rejected": [r.to_dict() for r in result.rejected] + failed,
        "warnings": list(result.warnings),
    }
    if result.error:
        rep["error"] = result.error
    return sink.result(), rep


def is_saved_corpus(path: Path) -> bool:
    """True for a ``.parquet`` file, which bibliomap reads as a saved corpus, never as an export."""
    return Path(path).suffix.lower() == ".parquet"


def _read_saved_corpus(path: Path) -> tuple[list[pa.Table], dict[str, Any]]:
    """The rows of a saved corpus as one input among others (its rows count as records read)."""
    rep: dict[str, Any] = {"path": str(path), "format": "bibliomap-corpus", "encoding": "binary", "read": 0,
                           "kept": 0, "duplicates": 0, "rejected": [], "warnings": []}
    try:
        table = Corpus.read_parquet(path).table
    except (OSError, ValueError, KeyError, pa.ArrowException) as exc:
        rep["error"] = f"{path}: not a bibliomap corpus (Parquet written by 'bibliomap ingest --out'): {exc}"
        return [], rep
    rep["read"] = table.num_rows
    return [table], rep


def _records_table(records: list[dict[str, Any]]) -> pa.Table:
    """``Corpus.from_records(records).table``, with the reference keys that ``finalize_record``
    left pending (``KEYS_PENDING``) computed for the whole chunk at once on its Arrow column
    (when every record has the same reference style; else record by record)."""
    styles = [rec.pop(KEYS_PENDING, None) for rec in records]
    style = styles[0] if styles else None
    if style is None or styles.count(style) != len(styles):
        for rec, st in zip(records, styles):
            if st is not None:
                rec["reference_keys"] = reference_keys(rec["references"], st)
        return Corpus.from_records(records).table
    table = Corpus.from_records(records).table
    keys_type = SCHEMA.field("reference_keys").type
    chunks = []
    for refs in table.column("references").chunks:
        offsets = refs.offsets
        if len(offsets) and offsets[0].as_py():
            offsets = pc.subtract(offsets, offsets[0])
        chunks.append(pa.ListArray.from_arrays(offsets, reference_keys_array(refs.flatten(), style), type=keys_type))
    column = pa.chunked_array(chunks, type=keys_type)
    return table.set_column(table.schema.get_field_index("reference_keys"), SCHEMA.field("reference_keys"), column)


#: share of the ingest's progress (``on_progress``) given to reading; the rest is merging duplicates
_READ_SHARE = 0.85


def _read_all(files: list[Path], format: str | None, progress: bool, workers: int, spill_dir: str | None,
              on_progress: Callable[[str, float], None] | None = None) -> list[tuple[list[pa.Table] | str, dict[str, Any]]]:
    """Read every file, in input order; large multi-file inputs use a process pool.
    ``on_progress(message, fraction)`` hears of each file as it starts (fractions by bytes), and of
    a large file's progress as it is read (read one by one)."""
    sizes = [f.stat().st_size if f.exists() else 0 for f in files]
    total_bytes = sum(sizes)
    spills = [None if spill_dir is None else os.path.join(spill_dir, f"{i:06d}.arrow") for i in range(len(files))]

    def tell(done_bytes: int, message: str) -> None:
        if on_progress is not None:
            on_progress(message, _READ_SHARE * done_bytes / max(total_bytes, 1))

    if workers <= 1 or len(files) < 2 or total_bytes < _PARALLEL_BYTES:
        out = []
        done = 0
        for i, f in _progress(files, progress):
            name = f"reading {f.name} ({i + 1} of {len(files)})"
            tell(done, name)
            within = None if on_progress is None else (
                lambda share, n, done=done, size=sizes[i], name=name: tell(done + int(share * size), f"{name}: {n:,} records"))
            out.append(_read_one(f, format, spills[i], within))
            done += sizes[i]
        tell(total_bytes, f"read {len(files)} file(s)")
        return out
    import concurrent.futures as cf
    import multiprocessing as mp

    results: list[Any] = [None] * len(files)
    with cf.ProcessPoolExecutor(max_workers=min(workers, len(files)), mp_context=mp.get_context("spawn")) as pool:
        futures = {pool.submit(_read_one, f, format, spills[i]): i for i, f in enumerate(files)}
        tell(0, f"reading {len(files)} files")
        done = 0
        for k, fut in enumerate(_progress_futures(cf.as_completed(futures), len(files), progress)):
            results[futures[fut]] = fut.result()
            done += sizes[futures[fut]]
            tell(done, f"read {k + 1} of {len(files)} files")
    return results


def _mapped_tables(path: str) -> list[pa.Table]:
    """The chunks of a spilled IPC file, memory-mapped (file-backed pages, not process memory)."""
    reader = pa.ipc.open_file(pa.memory_map(path, "r"))
    return [pa.Table.from_batches([reader.get_batch(i)], schema=SCHEMA) for i in range(reader.num_record_batches)]


def ingest(
    paths: Sequence[str | os.PathLike],
    format: str | None = None,
    deduplicate: bool = True,
    fuzzy: bool = True,
    fuzzy_threshold: float = 0.95,
    progress: bool = False,
    workers: int | None = None,
    spill: bool | None = None,
    on_progress: Callable[[str, float], None] | None = None,
    read_files: ReadFiles | None = None,
) -> Corpus:
    """Read ``paths`` (files, folders or globs), merge duplicates and return the Corpus.

    ``read_files``: reads the files instead of this process's pool (an engine's, e.g.
    one Spark task per file); it returns what :func:`read_one_file` returns, per file
    in input order, so merging and the report are the same.
    ``workers``: processes for reading many large files (default: the CPU count);
    the result does not depend on it. ``spill``: keep the records in memory-mapped
    Arrow files on disk instead of process memory (default: when the input exceeds
    ``_SPILL_BYTES``), so a million-record corpus fits in a few GB. ``on_progress(message,
    fraction)`` is called as the work advances (each file read, then the merge), for a progress bar.
    """
    files = expand_paths(paths)
    if len(files) == 1 and is_saved_corpus(files[0]):
        try:  # one saved corpus is taken as saved, with the ingest report of its exports
            return Corpus.read_parquet(files[0])
        except (OSError, ValueError, KeyError, pa.ArrowException):
            pass  # read below as an input, whose report then says why it is unusable
    workers = (os.cpu_count() or 1) if workers is None else workers
    chunks: list[pa.Table] = []
    origin_parts: list[np.ndarray] = []  # file index per record, per chunk
    file_reports: list[dict[str, Any]] = []
    total_bytes = sum(f.stat().st_size for f in files if f.exists())
    spill_dir = tempfile.mkdtemp(prefix="bibliomap-ingest-") if (spill if spill is not None else total_bytes > _SPILL_BYTES) else None
    read_files = read_files or _READER.get()
    read = (_read_all(files, format, progress, workers, spill_dir, on_progress) if read_files is None
            else read_files(files, format))
    for fi, (tables, rep) in enumerate(read):
        file_reports.append(rep)
        if isinstance(tables, str):
            tables = _mapped_tables(tables)
        for t in tables:
            chunks.append(t)
            origin_parts.append(np.full(t.num_rows, fi, dtype=np.int32))
    table = pa.concat_tables(chunks) if chunks else SCHEMA.empty_table()
    del chunks
    if spill_dir is not None:
        # the maps stay valid after the files are unlinked (POSIX); the disk space is freed with the corpus
        shutil.rmtree(spill_dir, ignore_errors=True)
    origin = np.concatenate(origin_parts) if origin_parts else np.zeros(0, dtype=np.int32)
    n = table.num_rows

    if on_progress is not None:
        on_progress(f"finding duplicates among {n:,} records", _READ_SHARE)
    if deduplicate and n:
        groups, rule_of = find_duplicates(table, fuzzy=fuzzy, fuzzy_threshold=fuzzy_threshold)
    else:
        groups, rule_of = [], {}
    is_dup = np.zeros(n, dtype=bool)
    for g in groups:
        is_dup[g[1:]] = True
    heads = np.array([g[0] for g in groups], dtype=np.int64)
    kept_idx = np.flatnonzero(~is_dup)
    for fi, f in enumerate(file_reports):
        mine = origin == fi
        f["kept"] = int((mine & ~is_dup).sum())
        f["duplicates"] = int((mine & is_dup).sum())

    # merged rows replace their group heads; every other kept row stays where it is.
    # The output is assembled from zero-copy slices of the input table.
    if on_progress is not None:
        on_progress(f"merging {len(groups):,} duplicate groups", _READ_SHARE + 0.1 * (1 - _READ_SHARE))
    merged_rows: list[dict[str, Any]] = []
    merges: list[dict[str, Any]] = []
    if groups:
        flat = np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])
        rows = table.take(pa.array(flat)).to_pylist()
        bounds = np.cumsum([0] + [len(g) for g in groups]).tolist()
        merged_rows, merges = merge_duplicate_groups(
            groups, (rows[a:b] for a, b in zip(bounds, bounds[1:])), rule_of, kept_idx)
        del rows
    if merged_rows:
        merged_table = Corpus.from_records(merged_rows).table
        head_of = {int(h): k for k, h in enumerate(heads)}
        special = np.union1d(np.flatnonzero(is_dup), heads)
        pieces: list[pa.Table] = []
        prev = 0
        for idx in special.tolist():
            if idx > prev:
                pieces.append(table.slice(prev, idx - prev))
            if idx in head_of:
                pieces.append(merged_table.slice(head_of[idx], 1))
            prev = idx + 1
        if prev < n:
            pieces.append(table.slice(prev, n - prev))
        out = pa.concat_tables(pieces)
    else:
        out = table
    ids = pa.array([_doc_id(k) for k in range(out.num_rows)], type=pa.string())
    out = out.set_column(out.schema.get_field_index("id"), "id", ids)

    report = {"files": file_reports, "totals": report_totals(file_reports), "merges": merges}
    if on_progress is not None:
        on_progress(f"{out.num_rows:,} documents", 1.0)
    return Corpus(out, ingest_report=report)


def merge_duplicate_groups(groups: list[list[int]], group_records: Iterable[list[dict[str, Any]]],
                           rule_of: dict[int, str], kept_idx: np.ndarray
                           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The merged record of every duplicate group and the ingest report's merge entry for it.

    ``group_records`` gives, per group in order, its records (head first) as dicts; ``kept_idx`` is the
    sorted input rows that are kept, so a head's output id is its position there. Shared by the in-memory
    ``ingest`` and the batch-wise ``ingest_stored``, whose reports must be identical.
    """
    merged_rows: list[dict[str, Any]] = []
    merges: list[dict[str, Any]] = []
    for g, recs in zip(groups, group_records):
        for r in recs:
            r["extra"] = dict(r["extra"] or [])
        merged_rows.append(merge_group(recs))
        merges.append({
            "kept_id": _doc_id(int(np.searchsorted(kept_idx, g[0]))),
            "kept_record": _input_id(recs[0]["provenance"]),
            "merged_ids": [_input_id(r["provenance"]) for r in recs[1:]],
            "rule": rule_of.get(g[1], "doi"),
            "rules": [rule_of.get(k, "") for k in g[1:]],
        })
    return merged_rows, merges


def report_totals(file_reports: list[dict[str, Any]]) -> dict[str, int]:
    """The ingest report's totals over its files' entries (read = kept + duplicates + rejected)."""
    return {
        "files": len(file_reports),
        "read": sum(f["read"] for f in file_reports),
        "kept": sum(f["kept"] for f in file_reports),
        "duplicates": sum(f["duplicates"] for f in file_reports),
        "rejected": sum(len(f["rejected"]) for f in file_reports),
        "unreadable_files": sum(1 for f in file_reports if f.get("error")),
    }


def _doc_id(k: int) -> str:
    return f"D{k + 1:06d}"


def _input_id(provenance: list[dict[str, Any]] | None) -> str:
    prov = (provenance or [{}])[0]
    return f"{prov.get('file')}#{prov.get('record')}"


def _progress_futures(futures, total: int, enabled: bool):
    if not enabled:
        yield from futures
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("reading files"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=True) as prog:
        task = prog.add_task("", total=total)
        for fut in futures:
            yield fut
            prog.advance(task)


def _progress(files: list[Path], enabled: bool):
    if not enabled or len(files) < 2:
        yield from enumerate(files)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True) as prog:
        task = prog.add_task("", total=len(files))
        for i, f in enumerate(files):
            prog.update(task, description=f.name)
            yield i, f
            prog.advance(task)
