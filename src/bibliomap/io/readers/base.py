"""The reader interface: one module per export format, registered here.

A reader is a function ``read(source: Source) -> Iterator[dict]`` that yields
records made with :func:`bibliomap.corpus.schema.new_record`. It reports a bad
record with ``source.reject(record, line, reason)`` and carries on; it raises
:class:`ReaderError` only when the whole file is unusable (missing required
columns, not this format at all). Each reader declares a ``sniff`` function that
scores how likely a decoded text is in its format, for auto-detection.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


class ReaderError(Exception):
    """The file cannot be read in this format; the message names file, line and expectation."""


@dataclasses.dataclass
class Rejected:
    """An input record that was skipped, with the reason."""

    record: int | None
    line: int | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "line": self.line, "reason": self.reason}


#: Brackets a record number counted within a byte range of a file (``Source.mark_records``).
RECORD_MARK = "\x1e"


@dataclasses.dataclass
class Source:
    """One input file as a reader sees it: decoded text (or raw bytes) plus bookkeeping."""

    path: Path
    text: str
    data: bytes = b""
    encoding: str = "utf-8"
    format: str = ""
    rejected: list[Rejected] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    n_read: int = 0  # records seen in the file (kept + rejected)
    streamed: bool = False  # a large file: ``text`` is only its head, readers stream the file (csvutil.source_rows)
    #: A byte range of a larger file (``bibliomap.io.splits``): the file's line number of the text's
    #: first line, whether records of the file follow the text, and record numbers in messages
    #: written as marks (``RECORD_MARK``) that the reading engine renumbers once the records of
    #: the ranges before are counted. The defaults read a whole file.
    first_line: int = 1
    more_follows: bool = False
    mark_records: bool = False
    #: A byte range of a file with a header row (CSV, Web of Science tab-delimited) after its first:
    #: the file's lines up to its header row (read before ``text``, from line 1), and for CSV the
    #: empty cells its first data row ends with (``csvutil.RowWidth``).
    header: str = ""
    row_trailing: int | None = None
    #: A byte range of a file whose database the whole file decides (Publish or Perish): that
    #: database, found by the splitter (None: the reader finds it in ``text``).
    database: str | None = None

    def reject(self, record: int | None, line: int | None, reason: str) -> None:
        """Record that input record ``record`` (1-based) starting at ``line`` was skipped."""
        self.rejected.append(Rejected(record, line, reason))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def provenance(self, record: int, line: int | None) -> dict[str, Any]:
        """The provenance struct for record number ``record`` starting at ``line``."""
        return {"file": str(self.path), "format": self.format, "record": record, "line": line}

    def where(self, line: int | None = None, record: int | None = None) -> str:
        """'file, line N, record M' for error messages."""
        parts = [str(self.path)]
        if line is not None:
            parts.append(f"line {line}")
        if record is not None:
            parts.append(f"record {RECORD_MARK}{record}{RECORD_MARK}" if self.mark_records else f"record {record}")
        return ", ".join(parts)


@dataclasses.dataclass(frozen=True)
class ReaderSpec:
    """A registered format: its name, reader, sniffer, extensions and aliases."""

    name: str
    read: Callable[[Source], Iterator[dict]]
    sniff: Callable[[str, str], float]  # (text head, lower-case file name) -> score 0..1
    description: str
    extensions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    binary: bool = False  # the reader wants Source.data (e.g. XLSX), not decoded text
    streams: bool = False  # the reader can read a large file block by block (Source.streamed)


REGISTRY: dict[str, ReaderSpec] = {}


def register(
    name: str,
    *,
    sniff: Callable[[str, str], float],
    description: str,
    extensions: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    binary: bool = False,
    streams: bool = False,
) -> Callable[[Callable[[Source], Iterator[dict]]], Callable[[Source], Iterator[dict]]]:
    """Decorator registering a reader function under ``name`` (and ``aliases``)."""

    def deco(fn: Callable[[Source], Iterator[dict]]) -> Callable[[Source], Iterator[dict]]:
        spec = ReaderSpec(name, fn, sniff, description, extensions, aliases, binary, streams)
        REGISTRY[name] = spec
        return fn

    return deco


def get_reader(name: str) -> ReaderSpec:
    """The reader registered under ``name`` or one of its aliases."""
    key = name.strip().lower().replace("-", "_")
    if key in REGISTRY:
        return REGISTRY[key]
    for spec in REGISTRY.values():
        if key in spec.aliases:
            return spec
    known = ", ".join(sorted(REGISTRY))
    raise ReaderError(f"unknown format {name!r}; known formats: {known}")
