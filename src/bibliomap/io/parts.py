"""Records read from the exports and kept on disk, in parts: the input of an ingest that writes its corpus straight to a file.

A part is one file of normalized records with the Corpus schema: an Arrow IPC file this process
spilled while reading an export, a Parquet file a Spark task wrote for an export or a split of
one, or a saved corpus given as an input. :class:`Part` reads it a batch at a time, so a corpus
of millions of records passes through memory a few thousand records at a time
(``io.ingest_stored``).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bibliomap.corpus.schema import SCHEMA

#: records per batch read from a Parquet part
PARQUET_BATCH = 20_000


def renumber_records(table: pa.Table, offset: int) -> pa.Table:
    """``table`` with ``offset`` added to the record number of every provenance entry (the records of a split)."""
    if offset == 0 or table.num_rows == 0:
        return table
    i = table.schema.get_field_index("provenance")
    column = table.column(i).combine_chunks()
    entries = column.values
    fields = [entries.field(j) for j in range(entries.type.num_fields)]
    r = entries.type.get_field_index("record")
    fields[r] = pc.add(fields[r], pa.scalar(offset, fields[r].type))
    moved = pa.StructArray.from_arrays(fields, fields=list(entries.type), mask=entries.is_null() if entries.null_count else None)
    rebuilt = pa.ListArray.from_arrays(column.offsets, moved, type=column.type, mask=column.is_null() if column.null_count else None)
    return table.set_column(i, table.schema.field(i), rebuilt)


@dataclasses.dataclass(frozen=True)
class Part:
    """One file of normalized records (Arrow IPC or Parquet, by its suffix); ``offset`` is added to their
    record numbers (a split of an export: its records are numbered from the file's start)."""

    path: str
    offset: int = 0

    @property
    def is_parquet(self) -> bool:
        return Path(self.path).suffix.lower() == ".parquet"

    def tables(self) -> Iterator[pa.Table]:
        """The records, a batch at a time, as Corpus-schema tables (read into memory, freed when dropped)."""
        if self.is_parquet:
            with pq.ParquetFile(self.path) as f:
                for batch in f.iter_batches(batch_size=PARQUET_BATCH, columns=SCHEMA.names):
                    yield renumber_records(pa.Table.from_batches([batch]).cast(SCHEMA), self.offset)
            return
        with pa.OSFile(self.path, "rb") as source:  # read, not mapped: the pages are the process's and go with the batch
            reader = pa.ipc.open_file(source)
            for i in range(reader.num_record_batches):
                yield renumber_records(pa.Table.from_batches([reader.get_batch(i)], schema=SCHEMA), self.offset)
