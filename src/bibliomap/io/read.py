"""Read one export file: decode, detect the format, run its reader, collect records."""
from __future__ import annotations

import codecs
import dataclasses
from pathlib import Path
from collections.abc import Callable
from typing import Any

from bibliomap.io.encoding import cr_only, decode, scan_encoding
from bibliomap.io.readers import REGISTRY, ReaderError, Rejected, Source, get_reader
from bibliomap.io.readers.base import ReaderSpec

#: A sniff score below this is "not recognized".
MIN_SNIFF_SCORE = 0.3
#: Files larger than this (bytes) are streamed block by block when their reader can (CSV
#: exports), so a large export is never held in memory as bytes plus decoded text.
STREAM_BYTES = 64_000_000
#: How much of a streamed file is decoded up front, for format detection.
_HEAD_BYTES = 1 << 20


@dataclasses.dataclass
class FileResult:
    """What reading one file gave: its records and an account of what was skipped."""

    path: Path
    format: str
    encoding: str
    records: list[dict[str, Any]]
    rejected: list[Rejected]
    warnings: list[str]
    error: str | None = None  # set when the whole file could not be read
    n_passed: int = 0  # records handed to an ``on_record`` callback instead of kept in ``records``

    @property
    def n_read(self) -> int:
        return len(self.records) + self.n_passed + len(self.rejected)


def detect_format(text: str, filename: str) -> tuple[str | None, float]:
    """The best-scoring registered format for ``text`` (and its score); None if nothing fits."""
    head = text[:20000]
    name = filename.lower()
    best, best_score = None, 0.0
    for spec in REGISTRY.values():
        try:
            score = float(spec.sniff(head, name))
        except Exception:  # a sniffer must never break detection
            score = 0.0
        if score > best_score:
            best, best_score = spec.name, score
    if best_score < MIN_SNIFF_SCORE:
        return None, best_score
    return best, best_score


def read_file(path: str | Path, format: str | None = None, on_record: Callable[[dict[str, Any]], None] | None = None) -> FileResult:
    """Read ``path`` in ``format`` (auto-detected from content when None).

    Never raises for bad input: a file that cannot be read at all comes back with
    ``error`` set and no records; bad records are listed in ``rejected``. With
    ``on_record``, each record is passed to it as soon as it is read instead of
    being kept (so a large file never sits in memory as Python objects).
    """
    path = Path(path)
    if path.exists() and not path.is_file():  # a device or FIFO would be read forever or block
        return FileResult(path, format or "?", "", [], [], [], error=f"{path}: not a regular file (a folder, device, FIFO or socket is not an export)")
    try:
        streamed = _streamed_source(path, format)
        data = b"" if streamed is not None else path.read_bytes()
    except OSError as exc:
        return FileResult(path, format or "?", "", [], [], [], error=f"{path}: cannot read file: {exc.strerror or exc}")
    except ReaderError as exc:
        return FileResult(path, format or "?", "", [], [], [], error=str(exc))
    if streamed is not None:
        spec, source, warnings = streamed
        return _run(path, spec, source, warnings, on_record)
    if not data.strip():
        return FileResult(path, format or "?", "", [], [], [], error=f"{path}: the file is empty")
    is_zip = data[:4] == b"PK\x03\x04"  # XLSX
    if is_zip:
        text, enc, enc_warning = "", "binary", None
    else:
        text, enc, enc_warning = decode(data)
    warnings = [f"{path}: {enc_warning}"] if enc_warning else []
    if "\x00" in text:  # NUL is never text: a damaged file, or binary data inside it
        warnings.append(f"{path}: {text.count(chr(0))} NUL character(s) removed (the file may be damaged)")
        text = text.replace("\x00", "")
    try:
        if format:
            spec = get_reader(format)
        else:
            if is_zip:
                name = "dimensions_xlsx" if "dimensions_xlsx" in REGISTRY else None
                fmt = name if path.suffix.lower() == ".xlsx" else None
            else:
                fmt, _ = detect_format(text, path.name)
            if fmt is None:
                known = ", ".join(sorted(REGISTRY))
                return FileResult(
                    path, "?", enc, [], [], warnings,
                    error=f"{path}: unknown format: the content matches none of the known formats "
                    f"({known}); use --format to force one",
                )
            spec = REGISTRY[fmt]
    except ReaderError as exc:
        return FileResult(path, format or "?", enc, [], [], warnings, error=str(exc))
    source = Source(path=path, text=text, data=data if (spec.binary or is_zip) else b"", encoding=enc, format=spec.name)
    del data, text  # the Source holds what the reader needs; a large export is not kept twice
    return _run(path, spec, source, warnings, on_record)


def file_head(path: Path) -> tuple[str, str, str | None] | None:
    """The decoded head of a text file (for format detection), the whole file's encoding and its
    warning, found without reading the file into memory; None for a ZIP (XLSX) file."""
    with open(path, "rb") as f:
        head_bytes = f.read(_HEAD_BYTES)
    if head_bytes[:4] == b"PK\x03\x04":
        return None
    enc, enc_warning = scan_encoding(path)
    head = codecs.getincrementaldecoder(enc)("replace").decode(head_bytes)
    return (head[1:] if head.startswith("\ufeff") else head), enc, enc_warning


def _streamed_source(path: Path, format: str | None) -> tuple[ReaderSpec, Source, list[str]] | None:
    """For a file above ``STREAM_BYTES`` in a format whose reader streams: the reader, a Source
    holding only the file's head (for detection and messages) and the encoding warnings;
    else None (the file is read whole)."""
    if path.stat().st_size <= STREAM_BYTES:
        return None
    opened = file_head(path)
    if opened is None:
        return None
    head, enc, enc_warning = opened
    if cr_only(head):  # classic Mac line ends: stream_lines reads them as LF too
        head = head.replace("\r", "\n")
    spec = get_reader(format) if format else REGISTRY.get(detect_format(head, path.name)[0] or "")
    if spec is None or not spec.streams:
        return None
    warnings = [f"{path}: {enc_warning}"] if enc_warning else []
    return spec, Source(path=path, text=head, encoding=enc, format=spec.name, streamed=True), warnings


def _run(path: Path, spec: ReaderSpec, source: Source, warnings: list[str],
         on_record: Callable[[dict[str, Any]], None] | None) -> FileResult:
    """Run ``spec``'s reader over ``source``, keeping or passing on each record."""
    enc = source.encoding
    records: list[dict[str, Any]] = []
    passed = 0
    keep = records.append if on_record is None else on_record
    try:
        for rec in spec.read(source):
            keep(rec)
            passed += 1
    except ReaderError as exc:
        message = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
        return _result(path, spec.name, enc, records, source, warnings, on_record, passed, error=message)
    except Exception as exc:  # a reader bug must not become a traceback for the user
        return _result(
            path, spec.name, enc, records, source, warnings, on_record, passed,
            error=f"{path}: unexpected error while reading as {spec.name} after {passed} records: "
            f"{type(exc).__name__}: {exc}",
        )
    return _result(path, spec.name, enc, records, source, warnings, on_record, passed)


def _result(path, fmt, enc, records, source, warnings, on_record, passed, error=None) -> FileResult:
    return FileResult(path, fmt, enc, records, source.rejected, warnings + source.warnings, error=error,
                      n_passed=passed if on_record is not None else 0)


def read_split(path: str | Path, format: str, encoding: str, start: int, end: int, first_line: int,
               encoding_warning: str | None = None,
               on_record: Callable[[dict[str, Any]], None] | None = None,
               header: str = "", row_trailing: int | None = None, database: str | None = None) -> FileResult:
    """Read bytes ``[start, end)`` of ``path``, a record-aligned split (``bibliomap.io.splits``), as ``read_file``
    reads the whole file: the same reader, line numbers counted from ``first_line``, the file's
    ``encoding`` (and its warning, said by the first split). Record numbers count from 1 within
    the split and are marked in messages, to be renumbered once the splits before are read.
    A split of a file with a header row after the first is read after the file's ``header``
    (for CSV with the first data row's ``row_trailing`` empty cells); what the reader says of
    the header alone is said by the first split only. ``database``: the file's, when the whole
    file decides it (``Source.database``)."""
    path = Path(path)
    spec = get_reader(format)
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    codec = "utf-8" if start > 0 and encoding == "utf-8-sig" else encoding  # a U+FEFF within the file is text, not a BOM
    text = data.decode(codec, errors="replace")
    del data
    if start == 0 and text.startswith("\ufeff"):
        text = text[1:]
    source = Source(path=path, text=text, encoding=encoding, format=spec.name, first_line=first_line,
                    more_follows=end < path.stat().st_size, mark_records=True, header=header, row_trailing=row_trailing,
                    database=database)
    warnings = [f"{path}: {encoding_warning}"] if encoding_warning and start == 0 else []
    result = _run(path, spec, source, warnings, on_record)
    if header:
        alone = _run(path, spec, Source(path=path, text=header, encoding=encoding, format=spec.name, mark_records=True), [], None)
        for said in alone.warnings:
            if said in result.warnings:
                result.warnings.remove(said)
    return result
