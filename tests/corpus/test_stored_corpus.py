"""A saved corpus read a column or a batch at a time (StoredCorpus) gives what the loaded Corpus gives."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import bibliomap
from bibliomap.corpus.stored import StoredCorpus, StoredCorpusError


@pytest.fixture(scope="module")
def saved(corpora, tmp_path_factory):
    corpus = bibliomap.read(corpora / "wos-plaintext", corpora / "scopus-csv", *sorted((corpora / "demo").glob("*.csv")))
    path = tmp_path_factory.mktemp("stored") / "corpus.parquet"
    corpus.write_parquet(path)
    return corpus, path


def test_columns_and_batches_equal_the_loaded_corpus(saved):
    corpus, path = saved
    stored = StoredCorpus(path)
    assert len(stored) == len(corpus) > 500
    assert stored.column("title").to_pylist() == corpus.column("title").to_pylist()
    assert list(stored.iter_values("abstract", batch_records=97)) == corpus.column("abstract").to_pylist()
    keywords = {k for v in corpus.values("author_keywords") if v is not None for k in v if k}
    assert stored.distinct_list_values("author_keywords") == keywords and len(keywords) > 500
    assert stored.load().to_arrow().equals(corpus.to_arrow())


def test_files_that_are_not_saved_corpora_are_named(tmp_path):
    text = tmp_path / "notes.parquet"
    text.write_text("not parquet")
    with pytest.raises(StoredCorpusError, match="notes.parquet: not a Parquet file"):
        StoredCorpus(text)
    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"title": ["a"]}), other)
    with pytest.raises(StoredCorpusError, match="other.parquet: not a saved bibliomap corpus .*abstract"):
        StoredCorpus(other)


def test_range_reader_reads_forward_and_again(saved):
    corpus, path = saved
    read = StoredCorpus(path).range_reader("abstract", batch_records=64)
    whole = corpus.column("abstract").to_pylist()
    for lo, hi in ((0, 10), (10, 200), (150, 151), (300, 300), (301, len(whole)), (5, 70)):  # the last goes back
        assert read(lo, hi).to_pylist() == whole[lo:hi]
    with pytest.raises(IndexError):
        read(0, len(whole) + 1)


def test_terms_of_a_saved_corpus_equal_those_of_the_loaded_one(saved):
    """In-process extraction reads a StoredCorpus a batch at a time: the same terms, occurrences and keywords."""
    from bibliomap.text.terms import extract_terms, phrase_occurrences

    corpus, path = saved
    stored = StoredCorpus(path)
    for options in (dict(min_occurrences=3), dict(min_occurrences=3, keyword_evidence=True, fields=("abstract",))):
        got, expected = extract_terms(stored, **options), extract_terms(corpus, **options)
        assert got.labels == expected.labels and len(got.labels) > 50
        assert got.terms.equals(expected.terms) and got.occurrences.equals(expected.occurrences)
    assert phrase_occurrences(stored).keywords == phrase_occurrences(corpus).keywords
