"""The Corpus: one Arrow table, one row per publication, with the fixed schema of ``schema.py``.

Every analysis consumes a Corpus. It is columnar so that metrics and occurrence
tables are vectorized (no per-record Python loops in hot paths); ``to_pandas()``
gives a DataFrame for notebooks.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from bibliomap.corpus.schema import FIELD_NAMES, SCHEMA

_META_KEY = b"bibliomap.ingest_report"


def report_metadata(ingest_report: dict[str, Any]) -> dict[bytes, bytes]:
    """The Parquet schema metadata that carries a saved corpus's ingest report."""
    return {_META_KEY: json.dumps(ingest_report).encode()}


class Corpus:
    """A set of publications with the bibliomap schema.

    Build one with :func:`bibliomap.read` (from export files), :meth:`from_records`
    or :meth:`read_parquet`. Select rows with ``corpus[mask_or_indices]``.
    """

    def __init__(self, table: pa.Table, ingest_report: dict | None = None) -> None:
        if not table.schema.equals(SCHEMA):  # (a table built here already has the schema)
            names = set(table.column_names)
            missing = [f for f in FIELD_NAMES if f not in names]
            if missing:
                raise ValueError(f"table lacks Corpus columns: {', '.join(missing)}")
            table = table.select(FIELD_NAMES).cast(SCHEMA)
        self.table = table
        self.ingest_report = ingest_report

    # construction -----------------------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]], ingest_report: dict | None = None) -> "Corpus":
        """A Corpus from record dicts (as readers yield them); missing fields become null."""
        rows = list(records)
        arrays = []
        for field in SCHEMA:
            name = field.name
            values = [rec.get(name) for rec in rows]
            if name == "extra":
                values = [list((v or {}).items()) for v in values]
            elif pa.types.is_list(field.type):
                values = [v if v is not None else [] for v in values]
            arrays.append(pa.array(values, type=field.type))
        return cls(pa.Table.from_arrays(arrays, schema=SCHEMA), ingest_report)

    @classmethod
    def empty(cls) -> "Corpus":
        return cls(SCHEMA.empty_table())

    @classmethod
    def read_parquet(cls, path: str | Path) -> "Corpus":
        """Load a corpus written by :meth:`write_parquet` (with its ingest report)."""
        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        report = json.loads(meta[_META_KEY]) if _META_KEY in meta else None
        return cls(table.replace_schema_metadata(None), report)

    def write_parquet(self, path: str | Path) -> None:
        """Write atomically to ``path`` (Parquet, zstd), with the ingest report in the metadata."""
        from bibliomap.atomic import atomic_path

        table = self.table
        if self.ingest_report is not None:
            table = table.replace_schema_metadata(report_metadata(self.ingest_report))
        with atomic_path(path) as tmp:
            pq.write_table(table, tmp, compression="zstd")

    # access -------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.table.num_rows

    def __repr__(self) -> str:
        return f"<Corpus: {len(self)} documents>"

    def __getitem__(self, selection: Any) -> "Corpus":
        """Rows by boolean mask, integer indices or slice; the ingest report is kept."""
        if isinstance(selection, slice):
            idx = np.arange(len(self))[selection]
        else:
            sel = np.asarray(selection)
            idx = np.flatnonzero(sel) if sel.dtype == bool else sel.astype(np.int64)
        return Corpus(self.table.take(pa.array(idx, type=pa.int64())), self.ingest_report)

    def column(self, name: str) -> pa.ChunkedArray:
        return self.table.column(name)

    def values(self, name: str) -> np.ndarray:
        """A scalar column as numpy: numbers as float (NaN for null), strings as object."""
        col = self.table.column(name)
        if pa.types.is_integer(col.type) or pa.types.is_floating(col.type):
            return col.to_numpy(zero_copy_only=False).astype(float) if col.null_count else col.to_numpy().astype(float)
        return np.asarray(col.to_pylist(), dtype=object)

    def explode(self, name: str) -> tuple[np.ndarray, pa.Array]:
        """A list column as (document index per value, flat values): the occurrence primitive."""
        col = self.table.column(name).combine_chunks()
        flat = pc.list_flatten(col)
        parents = pc.list_parent_indices(col).to_numpy()
        return parents.astype(np.int64), flat

    def list_lengths(self, name: str) -> np.ndarray:
        """Number of values per document in list column ``name``."""
        col = self.table.column(name).combine_chunks()
        return pc.fill_null(pc.list_value_length(col), 0).to_numpy().astype(np.int64)

    def author_names(self, key: str = "name") -> tuple[np.ndarray, pa.Array]:
        """(document index, author struct field ``key``) over all authorships, in order."""
        parents, flat = self.explode("authors")
        return parents, pc.struct_field(flat, key)

    def to_records(self) -> list[dict[str, Any]]:
        recs = self.table.to_pylist()
        for r in recs:
            r["extra"] = dict(r["extra"] or [])
        return recs

    def to_pandas(self):
        """The corpus as a pandas DataFrame (list columns as Python lists)."""
        return self.table.to_pandas(maps_as_pydicts="lossy")

    def to_arrow(self) -> pa.Table:
        return self.table

    def concat(self, others: Sequence["Corpus"]) -> "Corpus":
        return Corpus(pa.concat_tables([self.table] + [o.table for o in others]), self.ingest_report)

    # summaries ----------------------------------------------------------------------
    def completeness(self) -> dict[str, float]:
        """Share of records having each field that decides which analyses are possible."""
        n = max(len(self), 1)

        def has_str(name: str) -> float:
            col = self.table.column(name)
            ok = pc.and_(pc.is_valid(col), pc.greater(pc.utf8_length(pc.fill_null(col, "")), 0))
            return pc.sum(ok).as_py() / n if len(self) else 0.0

        def has_list(name: str) -> float:
            return float((self.list_lengths(name) > 0).sum()) / n if len(self) else 0.0

        return {
            "title": has_str("title"),
            "abstract": has_str("abstract"),
            "authors": has_list("authors"),
            "affiliations": has_list("affiliations"),
            "countries": has_list("countries"),
            "year": (pc.sum(pc.is_valid(self.table.column("year"))).as_py() or 0) / n,
            "doi": has_str("doi"),
            "source_title": has_str("source_title"),
            "author_keywords": has_list("author_keywords"),
            "index_keywords": has_list("index_keywords"),
            "references": has_list("references"),
            "times_cited": (pc.sum(pc.is_valid(self.table.column("times_cited"))).as_py() or 0) / n,
        }
