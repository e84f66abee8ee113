"""A corpus saved as Parquet (:meth:`Corpus.write_parquet`), read a column or a batch at a time.

For an engine whose tasks read the saved file themselves (Spark's term extraction): the
driver then reads only the small columns it needs (titles, keywords) and never holds the
abstracts of millions of records at once.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from bibliomap.corpus.schema import FIELD_NAMES

#: records per batch when a text column is streamed
BATCH_RECORDS = 50_000


class StoredCorpusError(ValueError):
    """The file is not a corpus bibliomap saved (not Parquet, or without the Corpus columns)."""


class StoredCorpus:
    """A saved corpus on disk: its number of records and its columns, read on demand.

    ``StoredCorpus("corpus.parquet").column("title")`` reads the titles alone; ``load()``
    reads the whole corpus into memory as a :class:`~bibliomap.corpus.corpus.Corpus`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            meta = pq.read_metadata(self.path)
        except (OSError, pa.ArrowException) as exc:
            raise StoredCorpusError(f"{self.path}: not a Parquet file bibliomap can read ({exc})") from exc
        self._schema = meta.schema.to_arrow_schema()
        names = set(self._schema.names)
        missing = [f for f in FIELD_NAMES if f not in names]
        if missing:
            raise StoredCorpusError(f"{self.path}: not a saved bibliomap corpus (lacks the columns {', '.join(missing)})")
        self._rows = meta.num_rows

    def __len__(self) -> int:
        return self._rows

    def __repr__(self) -> str:
        return f"<StoredCorpus: {self._rows} documents in {self.path}>"

    def column(self, name: str) -> pa.ChunkedArray:
        """One column, read from the file alone."""
        return pq.read_table(self.path, columns=[name]).column(0)

    def iter_values(self, name: str, batch_records: int = BATCH_RECORDS) -> Iterator[object]:
        """The values of one column, record by record, read ``batch_records`` at a time."""
        with pq.ParquetFile(self.path) as f:
            for batch in f.iter_batches(batch_size=batch_records, columns=[name]):
                yield from batch.column(0).to_pylist()

    def range_reader(self, name: str, batch_records: int = BATCH_RECORDS) -> Callable[[int, int], pa.Array]:
        """A function giving rows ``[lo, hi)`` of one column, read forward a batch at a time: only the batches that
        hold the rows asked for stay in memory (asking for earlier rows reads the file again from its start)."""
        state: dict = {"batches": None, "held": [], "lo": 0, "hi": 0}

        def restart() -> None:
            state.update(batches=pq.ParquetFile(self.path).iter_batches(batch_size=batch_records, columns=[name]),
                         held=[], lo=0, hi=0)

        def read(lo: int, hi: int) -> pa.Array:
            if not 0 <= lo <= hi <= self._rows:
                raise IndexError(f"rows [{lo}, {hi}) of a corpus of {self._rows}")
            if state["batches"] is None or lo < state["lo"]:
                restart()
            while state["hi"] < hi:
                batch = next(state["batches"]).column(0)
                state["held"].append(batch)
                state["hi"] += len(batch)
            while state["held"] and state["lo"] + len(state["held"][0]) <= lo:  # batches wholly before lo
                state["lo"] += len(state["held"].pop(0))
            if lo == hi:
                return pa.array([], self._schema.field(name).type)
            return pa.concat_arrays(state["held"]).slice(lo - state["lo"], hi - lo)

        return read

    def distinct_list_values(self, name: str) -> set[str]:
        """The distinct non-empty values of a list column (keywords), read column by column."""
        import pyarrow.compute as pc

        flat = pc.list_flatten(self.column(name))
        return {v for v in pc.unique(flat).to_pylist() if v}

    def load(self):
        """The whole corpus in memory."""
        from bibliomap.corpus.corpus import Corpus

        return Corpus.read_parquet(self.path)
