"""An ingest written straight to a file (``io.ingest_stored``) gives the file that ingest + write_parquet give."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

import bibliomap.io.ingest as ingest_module
import bibliomap.io.ingest_stored as stored_module
from bibliomap.corpus.stored import StoredCorpus
from bibliomap.io.ingest import ingest
from bibliomap.io.ingest_stored import ingest_to_parquet


def _same_file(a, b) -> None:
    ta, tb = pq.read_table(a), pq.read_table(b)
    assert ta.schema.metadata == tb.schema.metadata, "the ingest reports differ"
    for name in ta.column_names:
        assert ta.column(name).equals(tb.column(name)), f"column {name} differs"
    assert ta.num_rows == tb.num_rows


@pytest.fixture()
def small_batches(monkeypatch):
    """Records read in chunks of 40 and written 300 at a time: groups, heads and writes cross batch boundaries."""
    monkeypatch.setattr(ingest_module, "_CHUNK", 40)
    monkeypatch.setattr(stored_module, "WRITE_ROWS", 300)


def test_every_real_export_together_gives_the_same_corpus_and_report(corpora, tmp_path, small_batches):
    paths = sorted(str(p) for p in corpora.iterdir() if p.is_dir())
    corpus = ingest(paths)
    corpus.write_parquet(tmp_path / "memory.parquet")
    documents, report = ingest_to_parquet(paths, tmp_path / "stored.parquet")
    assert documents == len(corpus) > 2_000
    assert report == corpus.ingest_report
    assert report["totals"]["duplicates"] > 300, "the shared corpora overlap: the merges are part of the test"
    _same_file(tmp_path / "memory.parquet", tmp_path / "stored.parquet")
    assert pq.ParquetFile(tmp_path / "stored.parquet").metadata.num_row_groups > 3


def test_a_saved_corpus_among_the_inputs_and_no_deduplication(corpora, tmp_path, small_batches):
    """A saved corpus given with exports is read from its file as one part; --no-dedup keeps every record."""
    scopus = corpora / "scopus-bibtex"
    ingest([scopus]).write_parquet(tmp_path / "saved.parquet")
    paths = [tmp_path / "saved.parquet", corpora / "wos-bibtex", scopus]
    for dedup in (True, False):
        ingest(paths, deduplicate=dedup).write_parquet(tmp_path / "memory.parquet")
        documents, report = ingest_to_parquet(paths, tmp_path / "stored.parquet", deduplicate=dedup)
        _same_file(tmp_path / "memory.parquet", tmp_path / "stored.parquet")
        assert report["files"][0]["format"] == "bibliomap-corpus"
        assert (report["totals"]["duplicates"] > 0) == dedup
        assert documents == len(StoredCorpus(tmp_path / "stored.parquet"))


def test_nothing_kept_writes_nothing(tmp_path):
    empty = tmp_path / "empty.ris"
    empty.write_text("not an export at all\n", encoding="utf-8")
    documents, report = ingest_to_parquet([empty], tmp_path / "out.parquet")
    assert documents == 0 and report["totals"]["kept"] == 0
    assert not (tmp_path / "out.parquet").exists()


def test_a_broken_saved_corpus_is_named_in_the_report(corpora, tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really")
    documents, report = ingest_to_parquet([broken, corpora / "scopus-bibtex"], tmp_path / "out.parquet")
    assert documents > 100
    assert "broken.parquet" in report["files"][0]["error"] and report["totals"]["unreadable_files"] == 1
